/*
 * Emits a graph in libdager's op set through the model writer, one
 * reference layer at a time. Values are numbered in emission order, which
 * is also execution order.
 */
#ifndef DAGER_CONVERT_GRAPH_H
#define DAGER_CONVERT_GRAPH_H

#include <stdint.h>

#include "model/model.h"
#include "model/writer.h"
#include "source.h"

#define GRAPH_NONE UINT32_MAX
#define GRAPH_INPUT 0u

typedef struct activation {
  uint32_t kind; /* dager_activation */
  float alpha;
  float clamp_min, clamp_max;
} activation;

extern const activation ACTIVATION_NONE;
extern const activation ACTIVATION_RELU;
extern const activation ACTIVATION_RELU6;
extern const activation ACTIVATION_LEAKY_0_1;

typedef struct graph {
  dager_model_writer *writer;
  source_model *source;
  uint32_t next_value;
  uint32_t (*shapes)[DAGER_MODEL_MAX_RANK];
  uint32_t shape_capacity;
  /* Output channels of the latest CONV2D, for layers sized after it. */
  uint32_t last_conv_channels;
} graph;

void graph_begin(graph *g, source_model *source);
/* The finished file image (malloc'd through the library's allocator; free
 * with dager_mem_free). */
void graph_finish(graph *g, uint8_t **bytes, size_t *size);

void graph_metadata(graph *g, const char *key, const char *value);
void graph_output(graph *g, const char *name, uint32_t value);

/* A source weight stored as it is (u8 affine stays u8 affine). */
uint32_t graph_weight(graph *g, source_weight *weight);
uint32_t graph_weight_named(graph *g, source_weight *weight, const char *name);
/* A tensor the converter computed. */
uint32_t graph_tensor_f32(graph *g, const char *name, uint32_t rank,
                          const uint32_t *shape, const float *values);

/* CONV2D; bias and residual may be GRAPH_NONE. */
uint32_t graph_conv(graph *g, const char *name, uint32_t x, uint32_t filter,
                    uint32_t bias, uint32_t stride, dager_padding padding,
                    activation act, uint32_t residual);
uint32_t graph_depthwise(graph *g, const char *name, uint32_t x,
                         uint32_t filter, uint32_t bias, uint32_t stride,
                         dager_padding padding, activation act);
uint32_t graph_fully_connected(graph *g, const char *name, uint32_t x,
                               uint32_t weights, uint32_t bias);
uint32_t graph_pool(graph *g, const char *name, dager_op op, uint32_t x,
                    uint32_t kernel, uint32_t stride, dager_padding padding);
uint32_t graph_global_average_pool(graph *g, const char *name, uint32_t x);
uint32_t graph_add(graph *g, const char *name, uint32_t count,
                   const uint32_t *inputs, activation act);
/* AFFINE without weights: the activation alone. */
uint32_t graph_activate(graph *g, const char *name, uint32_t x, activation act);
uint32_t graph_pad_channels(graph *g, const char *name, uint32_t x,
                            uint32_t channels);
uint32_t graph_pad(graph *g, const char *name, uint32_t x, uint32_t bottom,
                   uint32_t right);
uint32_t graph_unary(graph *g, const char *name, dager_op op, uint32_t x);

/* Extent of an emitted tensor along axis. */
uint32_t graph_tensor_extent(const graph *g, uint32_t tensor, uint32_t axis);

#endif /* DAGER_CONVERT_GRAPH_H */
