/*
 * Small helpers the api suites share: whether an optional input file is
 * there, a demo photo decoded, and a face of a result read with its size
 * set.
 */
#ifndef DAGER_TESTS_RESULT_ACCESS_H
#define DAGER_TESTS_RESULT_ACCESS_H

#include <stddef.h>

#include "dager.h"

/* 1 when path can be opened for reading. */
int support_file_exists(const char *path);

/* Decodes <folder>/sample<number>.jpg; fails the running test when it
 * cannot. */
dager_image *support_load_sample(const char *folder, int number);

/* Face index of result; fails the running cmocka test when it cannot. */
dager_face support_face_at(const dager_result *result, size_t index);

#endif /* DAGER_TESTS_RESULT_ACCESS_H */
