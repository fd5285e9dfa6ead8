#include "synthetic_model.h"

#include <string.h>

#include "model/model.h"
#include "model/writer.h"

uint8_t synthetic_quantised_byte(size_t i) {
  return (uint8_t)(i * 37u + 11u);
}

static dager_status add_f32(dager_model_writer *writer, const char *name,
                            uint32_t rank, const uint32_t *shape, float seed,
                            uint32_t *id) {
  float values[256];
  size_t count = 1;

  for (uint32_t i = 0; i < rank; i++)
    count *= shape[i];
  for (size_t i = 0; i < count && i < 256; i++) {
    /* The product is exact, so the value does not depend on whether a
     * compiler fuses it with the addition: the seed corpus generated from
     * this is the same with gcc and clang. */
    values[i] = seed + (float)((int)(i % 17) - 8) * 0.015625f;
  }
  return dager_model_writer_add_tensor(writer, name, DAGER_DTYPE_F32, rank,
                                       shape, values, 0.0, 0.0, id);
}

static dager_model_node node_of(const char *name, dager_op op,
                                uint32_t output) {
  dager_model_node node;

  memset(&node, 0, sizeof node);
  node.name = name;
  node.op = op;
  node.output = output;
  return node;
}

static void set_window(dager_model_node *node, uint32_t kernel, uint32_t stride,
                       dager_padding padding) {
  node->kernel_h = node->kernel_w = kernel;
  node->stride_h = node->stride_w = stride;
  node->padding = padding;
}

static void set_inputs(dager_model_node *node, uint32_t count,
                       const uint32_t *inputs) {
  node->input_count = count;
  for (uint32_t i = 0; i < count; i++)
    node->inputs[i] = inputs[i];
}

static dager_status build(dager_model_writer *writer) {
  static const uint32_t conv_filter_shape[4] = {3, 3, 3, 4};
  static const uint32_t four[1] = {4};
  static const uint32_t depthwise_shape[4] = {3, 3, 4, 1};
  static const uint32_t pointwise_shape[4] = {1, 1, 4, 4};
  static const uint32_t fc_shape[2] = {16, 3};
  static const uint32_t three[1] = {3};
  uint8_t quantised[3 * 3 * 3 * 4];
  uint32_t t[SYNTHETIC_TENSOR_COUNT];
  dager_model_node nodes[SYNTHETIC_NODE_COUNT];
  dager_status status;

  for (size_t i = 0; i < sizeof quantised; i++) {
    quantised[i] = synthetic_quantised_byte(i);
  }
  status = dager_model_writer_add_tensor(
      writer, "conv/filter", DAGER_DTYPE_U8_AFFINE, 4, conv_filter_shape,
      quantised, SYNTHETIC_SCALE, SYNTHETIC_MIN, &t[0]);
  if (!status)
    status = add_f32(writer, "conv/bias", 1, four, 0.1f, &t[1]);
  if (!status) {
    status =
        add_f32(writer, "depthwise/filter", 4, depthwise_shape, -0.2f, &t[2]);
  }
  if (!status) {
    status =
        add_f32(writer, "pointwise/filter", 4, pointwise_shape, 0.3f, &t[3]);
  }
  if (!status)
    status = add_f32(writer, "pointwise/bias", 1, four, 0.0f, &t[4]);
  if (!status)
    status = add_f32(writer, "affine/scale", 1, four, 1.0f, &t[5]);
  if (!status)
    status = add_f32(writer, "affine/bias", 1, four, -0.1f, &t[6]);
  if (!status)
    status = add_f32(writer, "fc/weights", 2, fc_shape, 0.05f, &t[7]);
  if (!status)
    status = add_f32(writer, "fc/bias", 1, three, 0.0f, &t[8]);
  if (!status)
    status = add_f32(writer, "unused/a", 1, three, 1.0f, &t[9]);
  if (!status)
    status = add_f32(writer, "unused/b", 1, four, 2.0f, &t[10]);
  if (!status)
    status = add_f32(writer, "anchors", 2, fc_shape, 0.5f, &t[11]);
  if (status)
    return status;

  /* v0 8x8x3 -> conv v1 8x8x4 -> depthwise s2 v2 4x4x4 -> pointwise v3;
   * add v4; affine v5; max pool v6 2x2x4; pad channels v7 2x2x8; pad v8
   * 3x3x8; average pool v9 1x1x8; global pool v10 1x1x8 (of v7); concat
   * v11 1x1x16; fc v12 1x1x3; softmax v13; sigmoid v14. */
  nodes[0] = node_of("conv", DAGER_OP_CONV2D, 1);
  set_inputs(&nodes[0], 1, (uint32_t[]){0});
  set_window(&nodes[0], 3, 1, DAGER_PADDING_SAME);
  nodes[0].weight_count = 2;
  nodes[0].weights[0] = t[0];
  nodes[0].weights[1] = t[1];
  nodes[0].activation = 1;

  nodes[1] = node_of("depthwise", DAGER_OP_DEPTHWISE_CONV2D, 2);
  set_inputs(&nodes[1], 1, (uint32_t[]){1});
  set_window(&nodes[1], 3, 2, DAGER_PADDING_SAME);
  nodes[1].weight_count = 1;
  nodes[1].weights[0] = t[2];
  nodes[1].activation = 2;
  nodes[1].clamp_min = 0.0f;
  nodes[1].clamp_max = 6.0f;

  nodes[2] = node_of("pointwise", DAGER_OP_CONV2D, 3);
  set_inputs(&nodes[2], 2, (uint32_t[]){2, 2});
  set_window(&nodes[2], 1, 1, DAGER_PADDING_VALID);
  nodes[2].weight_count = 2;
  nodes[2].weights[0] = t[3];
  nodes[2].weights[1] = t[4];

  nodes[3] = node_of("add", DAGER_OP_ADD, 4);
  set_inputs(&nodes[3], 3, (uint32_t[]){2, 3, 2});
  nodes[3].activation = 1;

  nodes[4] = node_of("affine", DAGER_OP_AFFINE, 5);
  set_inputs(&nodes[4], 1, (uint32_t[]){4});
  nodes[4].weight_count = 2;
  nodes[4].weights[0] = t[5];
  nodes[4].weights[1] = t[6];
  nodes[4].activation = 3;
  nodes[4].alpha = 0.1f;

  nodes[5] = node_of("max_pool", DAGER_OP_MAX_POOL, 6);
  set_inputs(&nodes[5], 1, (uint32_t[]){5});
  set_window(&nodes[5], 2, 2, DAGER_PADDING_SAME);

  nodes[6] = node_of("pad_channels", DAGER_OP_PAD_CHANNELS, 7);
  set_inputs(&nodes[6], 1, (uint32_t[]){6});
  nodes[6].out_channels = 8;

  nodes[7] = node_of("pad", DAGER_OP_PAD, 8);
  set_inputs(&nodes[7], 1, (uint32_t[]){7});
  nodes[7].pad_bottom = 1;
  nodes[7].pad_right = 1;

  nodes[8] = node_of("average_pool", DAGER_OP_AVERAGE_POOL, 9);
  set_inputs(&nodes[8], 1, (uint32_t[]){8});
  set_window(&nodes[8], 3, 1, DAGER_PADDING_VALID);

  nodes[9] = node_of("global_pool", DAGER_OP_GLOBAL_AVERAGE_POOL, 10);
  set_inputs(&nodes[9], 1, (uint32_t[]){7});

  nodes[10] = node_of("concat", DAGER_OP_CONCAT, 11);
  set_inputs(&nodes[10], 2, (uint32_t[]){9, 10});

  nodes[11] = node_of("fc", DAGER_OP_FULLY_CONNECTED, 12);
  set_inputs(&nodes[11], 1, (uint32_t[]){11});
  nodes[11].weight_count = 2;
  nodes[11].weights[0] = t[7];
  nodes[11].weights[1] = t[8];

  nodes[12] = node_of("softmax", DAGER_OP_SOFTMAX, 13);
  set_inputs(&nodes[12], 1, (uint32_t[]){12});

  nodes[13] = node_of("sigmoid", DAGER_OP_SIGMOID, 14);
  set_inputs(&nodes[13], 1, (uint32_t[]){12});

  for (uint32_t i = 0; i < SYNTHETIC_NODE_COUNT && !status; i++) {
    status = dager_model_writer_add_node(writer, &nodes[i]);
  }
  if (!status) {
    status = dager_model_writer_add_output(writer, SYNTHETIC_OUTPUT_SCORES, 13);
  }
  if (!status) {
    status = dager_model_writer_add_output(writer, SYNTHETIC_OUTPUT_GATES, 14);
  }
  if (!status)
    status = dager_model_writer_set_metadata(writer, "task", "test");
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "input_height", "8");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "input_width", "8");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "input_channels", "3");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "channel_order", "RGB");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "mean",
                                             "122.782,117.001,104.298");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "divisor", "255,255,255");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(writer, "labels", "one,two,three");
  }
  if (!status) {
    status = dager_model_writer_set_metadata(
        writer, "anchors", "1.603231:2.094468,6.041143:7.080126,-2.5e-3:1E2");
  }
  return status;
}

dager_status synthetic_model_bytes(uint8_t **bytes, size_t *size) {
  dager_model_writer *writer;
  dager_status status = dager_model_writer_create(&writer);

  if (status)
    return status;
  status = build(writer);
  if (!status)
    status = dager_model_writer_finish(writer, bytes, size);
  dager_model_writer_destroy(writer);
  return status;
}
