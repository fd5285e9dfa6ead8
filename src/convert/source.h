/*
 * The weights of one TF.js model: its weights manifest and the binary
 * shards it names, read fully into memory. Each weight remembers whether
 * the converter has taken it, so that a weight used twice or never is an
 * error naming it.
 */
#ifndef DAGER_CONVERT_SOURCE_H
#define DAGER_CONVERT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#define SOURCE_MAX_RANK 4

typedef struct source_weight {
  char *name;
  uint32_t rank; /* 0 for a scalar */
  uint32_t shape[SOURCE_MAX_RANK];
  size_t count;   /* elements */
  int is_integer; /* manifest dtype int32 */
  int quantized;  /* stored as uint8 with scale and min */
  double scale, min;
  const uint8_t *bytes; /* count bytes (quantized) or count * 4 */
  int used;
} source_weight;

typedef struct source_model {
  char *name; /* e.g. "ssd_mobilenetv1_model" */
  source_weight *weights;
  size_t weight_count;
  uint8_t **shards; /* one buffer per manifest group */
  size_t shard_count;
} source_model;

/* Loads <directory>/<name>-weights_manifest.json and its shards; exits with
 * a message on any problem (this is a command-line tool). */
void source_load(source_model *model, const char *directory, const char *name);
void source_free(source_model *model);

/*
 * Takes the weight called name, checking its shape (rank entries of
 * shape; a 0 entry accepts any extent). Exits when it is missing, has
 * another shape, or was taken before.
 */
source_weight *source_take(source_model *model, const char *name, uint32_t rank,
                           const uint32_t *shape);

/* The weight's values as floats, computed as TF.js dequantises; caller
 * frees. */
float *source_floats(const source_weight *weight);

/* Takes a constant of the original TensorFlow graph and checks that it
 * holds exactly the count values given (as doubles). */
void source_expect_constant(source_model *model, const char *name, size_t count,
                            const double *values);

/* Exits naming the first weight nothing took. */
void source_check_all_used(const source_model *model);

void convert_die(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

#endif /* DAGER_CONVERT_SOURCE_H */
