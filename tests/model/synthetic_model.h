/*
 * A small model built in memory with the writer: every op of the format,
 * both dtypes, metadata with labels. Tests and the fuzz seed generator use
 * it instead of real weights.
 */
#ifndef DAGER_TESTS_SYNTHETIC_MODEL_H
#define DAGER_TESTS_SYNTHETIC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"

/* Names of the two outputs and the value ids they hold. */
#define SYNTHETIC_OUTPUT_SCORES "scores"
#define SYNTHETIC_OUTPUT_GATES "gates"
#define SYNTHETIC_NODE_COUNT 14u
#define SYNTHETIC_TENSOR_COUNT 12u

/* The file image; free with dager_mem_free. */
dager_status synthetic_model_bytes(uint8_t **bytes, size_t *size);

/* The u8 value stored at element i of the quantised filter, and its
 * affine parameters, so a test can check dequantisation. */
uint8_t synthetic_quantised_byte(size_t i);
#define SYNTHETIC_SCALE 0.0123456789
#define SYNTHETIC_MIN -1.5

#endif
