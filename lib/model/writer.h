/*
 * Serialises a model into the file format of docs/model-format.md. The
 * writer checks only what it needs to lay the file out (sizes, overflow);
 * it does not validate the graph, so tests can write malformed files on
 * purpose. Whoever writes a real model reads it back with the reader.
 */
#ifndef DAGER_MODEL_WRITER_H
#define DAGER_MODEL_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"
#include "model/model.h"

typedef struct dager_model_writer dager_model_writer;

dager_status dager_model_writer_create(dager_model_writer **out);
void dager_model_writer_destroy(dager_model_writer *writer);

/* Sets key to value, replacing an earlier value of the same key. */
dager_status dager_model_writer_set_metadata(dager_model_writer *writer,
                                             const char *key,
                                             const char *value);

/*
 * Adds a tensor and returns its id. data holds the product of shape
 * elements of 4 bytes (F32, host floats) or 1 byte (U8_AFFINE, with scale
 * and min). rank is 1..DAGER_MODEL_MAX_RANK.
 */
dager_status dager_model_writer_add_tensor(dager_model_writer *writer,
                                           const char *name, dager_dtype dtype,
                                           uint32_t rank, const uint32_t *shape,
                                           const void *data, double scale,
                                           double min, uint32_t *id);

/* Appends a node as given (name copied). value_count is written as the
 * node count plus one. */
dager_status dager_model_writer_add_node(dager_model_writer *writer,
                                         const dager_model_node *node);

dager_status dager_model_writer_add_output(dager_model_writer *writer,
                                           const char *name, uint32_t value);

/* The finished file; free *bytes with dager_mem_free. */
dager_status dager_model_writer_finish(dager_model_writer *writer,
                                       uint8_t **bytes, size_t *size);

#endif /* DAGER_MODEL_WRITER_H */
