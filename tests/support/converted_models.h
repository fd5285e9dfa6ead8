/*
 * Loading the converted face-api models in tests. They exist only after
 * tools/fetch-models.sh and a build (in DAGER_MODELS_DIR), so a suite that
 * needs them skips when none was found, and says why.
 */
#ifndef DAGER_TESTS_CONVERTED_MODELS_H
#define DAGER_TESTS_CONVERTED_MODELS_H

#include "model/model.h"

/*
 * Reads DAGER_MODELS_DIR/<network>.dager. Returns NULL, after printing why,
 * when the variable is unset or the file is absent; fails the running
 * cmocka test when the file exists but does not read.
 */
dager_model *converted_model_load(const char *network);

/* How many model files converted_model_load found so far; a suite whose
 * count stays 0 should exit 77 (skipped) for meson. */
int converted_models_found(void);

#endif
