/*
 * Small models built in memory for the runtime tests, and the naive
 * computations they are checked against. The naive versions follow the
 * TensorFlow definitions literally (double accumulation, padding worked
 * out per output position) and share no code with lib/.
 */
#ifndef DAGER_TESTS_NN_BUILDER_H
#define DAGER_TESTS_NN_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "nn/nn.h"

#define BUILDER_MAX_TENSORS 64
#define BUILDER_MAX_NODES 48
#define BUILDER_MAX_OUTPUTS 8

typedef struct builder {
  dager_model model;
  dager_model_tensor tensors[BUILDER_MAX_TENSORS];
  float *data[BUILDER_MAX_TENSORS];
  dager_model_node nodes[BUILDER_MAX_NODES];
  dager_model_output outputs[BUILDER_MAX_OUTPUTS];
  char names[BUILDER_MAX_NODES][32];
  uint64_t seed;
} builder;

/* A model whose input (value 0) is h x w x c. */
void builder_init(builder *b, uint32_t h, uint32_t w, uint32_t c,
                  uint64_t seed);
void builder_free(builder *b);

/* A tensor of the given shape filled with values in [-1, 1); its id. */
uint32_t builder_tensor(builder *b, uint32_t rank, const uint32_t *shape);
uint32_t builder_tensor4(builder *b, uint32_t d0, uint32_t d1, uint32_t d2,
                         uint32_t d3);
uint32_t builder_vector(builder *b, uint32_t length);
float *builder_data(builder *b, uint32_t tensor);

/* A node of op reading inputs, writing a fresh value; the node is returned
 * so the caller can set kernel, stride, weights and activation. Its name
 * is "n<index>". */
dager_model_node *builder_node(builder *b, dager_op op, uint32_t input_count,
                               const uint32_t *inputs);
dager_model_node *builder_node1(builder *b, dager_op op, uint32_t input);
void builder_output(builder *b, uint32_t value, const char *name);

/* Deterministic values in [-1, 1). */
float test_random(uint64_t *state);
void fill_random(float *data, size_t count, uint64_t seed);

/* |got - want| <= absolute + relative * |want| for every element. */
void assert_close(const float *got, const float *want, size_t count,
                  double absolute, double relative, const char *what);

/* Naive references. Shapes are HWC; outputs are allocated with malloc. */
typedef struct naive_tensor {
  uint32_t h, w, c;
  float *data;
} naive_tensor;

naive_tensor naive_make(uint32_t h, uint32_t w, uint32_t c);
naive_tensor naive_copy(const float *data, uint32_t h, uint32_t w, uint32_t c);
void naive_free(naive_tensor *t);
float naive_activate(const dager_model_node *node, float v);

naive_tensor naive_conv(const naive_tensor *x, const float *filter, uint32_t kh,
                        uint32_t kw, uint32_t out_c,
                        const dager_model_node *node, const float *bias,
                        const naive_tensor *residual);
naive_tensor naive_depthwise(const naive_tensor *x, const float *filter,
                             uint32_t kh, uint32_t kw,
                             const dager_model_node *node, const float *bias);
naive_tensor naive_pool(const naive_tensor *x, const dager_model_node *node,
                        int is_max);
naive_tensor naive_fully_connected(const naive_tensor *x, const float *weights,
                                   uint32_t out, const float *bias,
                                   const dager_model_node *node);

/* Builds, runs with the given thread count (0 = no pool) on input, and
 * returns a malloc'd copy of output 0..n-1 concatenated. poison is the
 * byte the arena is filled with before the run. */
float *run_model(const dager_model *model, const dager_kernels *kernels,
                 uint32_t threads, int poison, const float *input,
                 size_t *out_count);

/*
 * Runs the model in every configuration against expected (the outputs in
 * order, concatenated): the scalar table and then the table of every
 * instruction set this machine has, each with no pool and pools of 1..4
 * threads and three arena poisons, all runs of one table bit-identical.
 * The scalar table must agree with the naive code to rounding (absolute,
 * relative 1e-4); the SIMD tables get relative 1e-3, because their sums
 * may be reassociated and fused.
 */
void check_model_everywhere(const dager_model *model, const float *input,
                            const float *expected, size_t expected_count,
                            double absolute);

/* A malloc'd input for the model b builds, deterministic from seed. */
float *builder_random_input(const builder *b, uint64_t seed);

#endif /* DAGER_TESTS_NN_BUILDER_H */
