#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"

const activation ACTIVATION_NONE = {DAGER_ACTIVATION_NONE, 0, 0, 0};
const activation ACTIVATION_RELU = {DAGER_ACTIVATION_RELU, 0, 0, 0};
const activation ACTIVATION_RELU6 = {DAGER_ACTIVATION_CLAMP, 0, 0, 6};
/* The reference's leaky relu multiplies by this float32 constant. */
const activation ACTIVATION_LEAKY_0_1 = {DAGER_ACTIVATION_LEAKY_RELU,
                                         0.10000000149011612f, 0, 0};

static void remember_shape(graph *g, uint32_t id, uint32_t rank,
                           const uint32_t *shape);

static void check(dager_status status, const char *what) {
  if (status != DAGER_OK) {
    convert_die("%s: %s", what, dager_last_error_message());
  }
}

void graph_begin(graph *g, source_model *source) {
  memset(g, 0, sizeof *g);
  g->source = source;
  g->next_value = 1;
  check(dager_model_writer_create(&g->writer), "writer");
}

void graph_finish(graph *g, uint8_t **bytes, size_t *size) {
  check(dager_model_writer_finish(g->writer, bytes, size), "finish");
  dager_model_writer_destroy(g->writer);
  g->writer = NULL;
  free(g->shapes);
  g->shapes = NULL;
}

void graph_metadata(graph *g, const char *key, const char *value) {
  check(dager_model_writer_set_metadata(g->writer, key, value), key);
}

void graph_output(graph *g, const char *name, uint32_t value) {
  check(dager_model_writer_add_output(g->writer, name, value), name);
}

uint32_t graph_weight(graph *g, source_weight *weight) {
  return graph_weight_named(g, weight, weight->name);
}

uint32_t graph_weight_named(graph *g, source_weight *weight, const char *name) {
  uint32_t id;

  if (weight->is_integer || weight->rank == 0) {
    convert_die("%s is not a weight tensor", weight->name);
  }
  if (weight->quantized) {
    check(dager_model_writer_add_tensor(
              g->writer, name, DAGER_DTYPE_U8_AFFINE, weight->rank,
              weight->shape, weight->bytes, weight->scale, weight->min, &id),
          weight->name);
    remember_shape(g, id, weight->rank, weight->shape);
  } else {
    float *values = source_floats(weight);

    id = graph_tensor_f32(g, name, weight->rank, weight->shape, values);
    free(values);
  }
  return id;
}

uint32_t graph_tensor_f32(graph *g, const char *name, uint32_t rank,
                          const uint32_t *shape, const float *values) {
  uint32_t id;

  check(dager_model_writer_add_tensor(g->writer, name, DAGER_DTYPE_F32, rank,
                                      shape, values, 0.0, 0.0, &id),
        name);
  remember_shape(g, id, rank, shape);
  return id;
}

static dager_model_node new_node(const char *name, dager_op op, uint32_t x) {
  dager_model_node node;

  memset(&node, 0, sizeof node);
  node.name = name;
  node.op = op;
  node.input_count = 1;
  node.inputs[0] = x;
  return node;
}

static void set_activation(dager_model_node *node, activation act) {
  node->activation = act.kind;
  node->alpha = act.alpha;
  node->clamp_min = act.clamp_min;
  node->clamp_max = act.clamp_max;
}

static void set_weights(dager_model_node *node, uint32_t first,
                        uint32_t second) {
  node->weights[node->weight_count++] = first;
  if (second != GRAPH_NONE)
    node->weights[node->weight_count++] = second;
}

static uint32_t emit(graph *g, dager_model_node *node) {
  node->output = g->next_value++;
  check(dager_model_writer_add_node(g->writer, node), node->name);
  return node->output;
}

/* Remembers each tensor's shape, so a convolution reads its kernel size
 * from its filter ([kh][kw][in][out]). */
static void remember_shape(graph *g, uint32_t id, uint32_t rank,
                           const uint32_t *shape) {
  if (id >= g->shape_capacity) {
    uint32_t capacity = g->shape_capacity ? 2 * g->shape_capacity : 64;

    while (capacity <= id)
      capacity *= 2;
    g->shapes = realloc(g->shapes, capacity * sizeof *g->shapes);
    if (!g->shapes)
      convert_die("out of memory");
    g->shape_capacity = capacity;
  }
  memset(g->shapes[id], 0, sizeof g->shapes[id]);
  memcpy(g->shapes[id], shape, rank * sizeof *shape);
}

uint32_t graph_tensor_extent(const graph *g, uint32_t tensor, uint32_t axis) {
  return g->shapes[tensor][axis];
}

uint32_t graph_conv(graph *g, const char *name, uint32_t x, uint32_t filter,
                    uint32_t bias, uint32_t stride, dager_padding padding,
                    activation act, uint32_t residual) {
  dager_model_node node = new_node(name, DAGER_OP_CONV2D, x);

  node.kernel_h = graph_tensor_extent(g, filter, 0);
  node.kernel_w = graph_tensor_extent(g, filter, 1);
  g->last_conv_channels = graph_tensor_extent(g, filter, 3);
  if (residual != GRAPH_NONE)
    node.inputs[node.input_count++] = residual;
  set_weights(&node, filter, bias);
  node.stride_h = node.stride_w = stride;
  node.padding = padding;
  set_activation(&node, act);
  return emit(g, &node);
}

uint32_t graph_depthwise(graph *g, const char *name, uint32_t x,
                         uint32_t filter, uint32_t bias, uint32_t stride,
                         dager_padding padding, activation act) {
  dager_model_node node = new_node(name, DAGER_OP_DEPTHWISE_CONV2D, x);

  node.kernel_h = graph_tensor_extent(g, filter, 0);
  node.kernel_w = graph_tensor_extent(g, filter, 1);
  set_weights(&node, filter, bias);
  node.stride_h = node.stride_w = stride;
  node.padding = padding;
  set_activation(&node, act);
  return emit(g, &node);
}

uint32_t graph_fully_connected(graph *g, const char *name, uint32_t x,
                               uint32_t weights, uint32_t bias) {
  dager_model_node node = new_node(name, DAGER_OP_FULLY_CONNECTED, x);

  set_weights(&node, weights, bias);
  return emit(g, &node);
}

uint32_t graph_pool(graph *g, const char *name, dager_op op, uint32_t x,
                    uint32_t kernel, uint32_t stride, dager_padding padding) {
  dager_model_node node = new_node(name, op, x);

  node.kernel_h = node.kernel_w = kernel;
  node.stride_h = node.stride_w = stride;
  node.padding = padding;
  return emit(g, &node);
}

uint32_t graph_global_average_pool(graph *g, const char *name, uint32_t x) {
  dager_model_node node = new_node(name, DAGER_OP_GLOBAL_AVERAGE_POOL, x);

  return emit(g, &node);
}

uint32_t graph_add(graph *g, const char *name, uint32_t count,
                   const uint32_t *inputs, activation act) {
  dager_model_node node = new_node(name, DAGER_OP_ADD, inputs[0]);

  if (count < 2 || count > DAGER_MODEL_MAX_NODE_INPUTS) {
    convert_die("%s: ADD of %u inputs", name, count);
  }
  node.input_count = count;
  for (uint32_t i = 0; i < count; i++)
    node.inputs[i] = inputs[i];
  set_activation(&node, act);
  return emit(g, &node);
}

uint32_t graph_activate(graph *g, const char *name, uint32_t x,
                        activation act) {
  dager_model_node node = new_node(name, DAGER_OP_AFFINE, x);

  set_activation(&node, act);
  return emit(g, &node);
}

uint32_t graph_pad_channels(graph *g, const char *name, uint32_t x,
                            uint32_t channels) {
  dager_model_node node = new_node(name, DAGER_OP_PAD_CHANNELS, x);

  node.out_channels = channels;
  return emit(g, &node);
}

uint32_t graph_pad(graph *g, const char *name, uint32_t x, uint32_t bottom,
                   uint32_t right) {
  dager_model_node node = new_node(name, DAGER_OP_PAD, x);

  node.pad_bottom = bottom;
  node.pad_right = right;
  return emit(g, &node);
}

uint32_t graph_unary(graph *g, const char *name, dager_op op, uint32_t x) {
  dager_model_node node = new_node(name, op, x);

  return emit(g, &node);
}
