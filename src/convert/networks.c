/*
 * The seven face-api architectures, layer by layer, as graphs of our op
 * set. docs/model-format.md ("Which reference layers become which nodes")
 * states the mapping in words; this file is that mapping in code. Every
 * weight is taken from the manifest by name exactly once.
 */
#include "networks.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

#define NAME_MAX_LENGTH 160
#define ANY 0u

static source_weight *take(graph *g, uint32_t rank, const uint32_t *shape,
                           const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static source_weight *take(graph *g, uint32_t rank, const uint32_t *shape,
                           const char *format, ...) {
  char name[NAME_MAX_LENGTH];
  va_list arguments;

  va_start(arguments, format);
  vsnprintf(name, sizeof name, format, arguments);
  va_end(arguments);
  return source_take(g->source, name, rank, shape);
}

static void format_name(char *name, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void format_name(char *name, const char *format, ...) {
  va_list arguments;

  va_start(arguments, format);
  vsnprintf(name, NAME_MAX_LENGTH, format, arguments);
  va_end(arguments);
}

static void common_metadata(graph *g, const char *task, uint32_t size,
                            const char *mean, const char *divisor,
                            const char *fit) {
  char number[16];

  graph_metadata(g, "task", task);
  snprintf(number, sizeof number, "%u", size);
  graph_metadata(g, "input_height", number);
  graph_metadata(g, "input_width", number);
  graph_metadata(g, "input_channels", "3");
  graph_metadata(g, "channel_order", "RGB");
  graph_metadata(g, "mean", mean);
  graph_metadata(g, "divisor", divisor);
  graph_metadata(g, "input_fit", fit);
  graph_metadata(g, "source_package", "@vladmandic/face-api");
  graph_metadata(g, "source_version", "1.7.15");
  graph_metadata(g, "source_license", "MIT");
  graph_metadata(g, "source_model", g->source->name);
}

#define FACE_MEAN "122.782,117.001,104.298"
#define FACE_DIVISOR "255,255,255"

/* tf.separableConv2d(x, depthwise, pointwise, stride, "same") + bias, then
 * act (and a residual added before it) on the pointwise node. */
static uint32_t separable(graph *g, const char *prefix, uint32_t x,
                          uint32_t stride, activation act, uint32_t residual) {
  static const uint32_t depthwise_shape[4] = {3, 3, ANY, 1};
  static const uint32_t pointwise_shape[4] = {1, 1, ANY, ANY};
  source_weight *depthwise =
      take(g, 4, depthwise_shape, "%s/depthwise_filter", prefix);
  source_weight *pointwise =
      take(g, 4, pointwise_shape, "%s/pointwise_filter", prefix);
  uint32_t bias_shape[1] = {pointwise->shape[3]};
  source_weight *bias = take(g, 1, bias_shape, "%s/bias", prefix);
  char name[NAME_MAX_LENGTH];
  uint32_t value;

  if (pointwise->shape[2] != depthwise->shape[2]) {
    convert_die("%s: depthwise and pointwise channels differ", prefix);
  }
  format_name(name, "%s/depthwise", prefix);
  value = graph_depthwise(g, name, x, graph_weight(g, depthwise), GRAPH_NONE,
                          stride, DAGER_PADDING_SAME, ACTIVATION_NONE);
  format_name(name, "%s/pointwise", prefix);
  return graph_conv(g, name, value, graph_weight(g, pointwise),
                    graph_weight(g, bias), 1, DAGER_PADDING_SAME, act,
                    residual);
}

/* A convolution with filters and bias named <prefix>/filters, /bias. */
static uint32_t plain_conv(graph *g, const char *prefix, uint32_t x,
                           uint32_t stride, dager_padding padding,
                           activation act, uint32_t residual) {
  static const uint32_t filter_shape[4] = {ANY, ANY, ANY, ANY};
  source_weight *filter = take(g, 4, filter_shape, "%s/filters", prefix);
  uint32_t bias_shape[1] = {filter->shape[3]};
  source_weight *bias = take(g, 1, bias_shape, "%s/bias", prefix);

  return graph_conv(g, prefix, x, graph_weight(g, filter),
                    graph_weight(g, bias), stride, padding, act, residual);
}

/* fc/weights [in][out] and fc/bias [out] (names given in full). */
static uint32_t fully_connected(graph *g, const char *name, uint32_t x,
                                const char *weights_name, const char *bias_name,
                                uint32_t in, uint32_t out) {
  uint32_t weights_shape[2] = {in, out};
  uint32_t bias_shape[1] = {out};
  source_weight *weights = take(g, 2, weights_shape, "%s", weights_name);
  source_weight *bias = take(g, 1, bias_shape, "%s", bias_name);

  return graph_fully_connected(g, name, x, graph_weight(g, weights),
                               graph_weight(g, bias));
}

/* ---- ssd_mobilenetv1 ------------------------------------------------ */

/* tf.batchNorm's variance epsilon in the reference's MobileNet, as the
 * float32 it is at run time. */
#define SSD_BATCH_NORM_EPSILON 0.0010000000474974513

/* Depthwise 3x3 with its batch norm folded into filter and bias. */
static uint32_t ssd_depthwise(graph *g, uint32_t index, uint32_t x,
                              uint32_t stride) {
  static const uint32_t filter_shape[4] = {3, 3, ANY, 1};
  char prefix[NAME_MAX_LENGTH];
  char name[NAME_MAX_LENGTH];
  source_weight *filter;
  source_weight *gamma, *beta, *mean, *variance;
  uint32_t channels;
  float *filter_values, *gamma_values, *beta_values, *mean_values;
  float *variance_values, *folded_filter, *folded_bias;
  uint32_t filter_id, bias_id;

  format_name(prefix, "MobilenetV1/Conv2d_%u_depthwise", index);
  filter = take(g, 4, filter_shape, "%s/depthwise_weights", prefix);
  channels = filter->shape[2];
  gamma = take(g, 1, &channels, "%s/BatchNorm/gamma", prefix);
  beta = take(g, 1, &channels, "%s/BatchNorm/beta", prefix);
  mean = take(g, 1, &channels, "%s/BatchNorm/moving_mean", prefix);
  variance = take(g, 1, &channels, "%s/BatchNorm/moving_variance", prefix);

  filter_values = source_floats(filter);
  gamma_values = source_floats(gamma);
  beta_values = source_floats(beta);
  mean_values = source_floats(mean);
  variance_values = source_floats(variance);
  folded_filter = calloc(filter->count, sizeof *folded_filter);
  folded_bias = calloc(channels, sizeof *folded_bias);
  if (!folded_filter || !folded_bias)
    convert_die("out of memory");

  /* y = (conv - mean) * gamma / sqrt(variance + epsilon) + beta, folded:
   * the filter scaled per channel, the rest a bias. In double, rounded
   * once. Filter layout [3][3][c][1]: the channel is the fastest axis. */
  for (uint32_t c = 0; c < channels; c++) {
    double scale = (double)gamma_values[c] /
                   sqrt((double)variance_values[c] + SSD_BATCH_NORM_EPSILON);

    folded_bias[c] =
        (float)((double)beta_values[c] - (double)mean_values[c] * scale);
    for (uint32_t tap = 0; tap < 9; tap++) {
      size_t i = (size_t)tap * channels + c;

      folded_filter[i] = (float)((double)filter_values[i] * scale);
    }
  }
  format_name(name, "%s/folded_filter", prefix);
  filter_id = graph_tensor_f32(g, name, 4, filter->shape, folded_filter);
  format_name(name, "%s/folded_bias", prefix);
  bias_id = graph_tensor_f32(g, name, 1, &channels, folded_bias);
  free(filter_values);
  free(gamma_values);
  free(beta_values);
  free(mean_values);
  free(variance_values);
  free(folded_filter);
  free(folded_bias);
  return graph_depthwise(g, prefix, x, filter_id, bias_id, stride,
                         DAGER_PADDING_SAME, ACTIVATION_RELU6);
}

/* conv2d "same" + convolution_bn_offset, relu6. */
static uint32_t ssd_pointwise(graph *g, const char *scope, uint32_t index,
                              uint32_t x, uint32_t stride) {
  static const uint32_t filter_shape[4] = {ANY, ANY, ANY, ANY};
  char prefix[NAME_MAX_LENGTH];
  source_weight *filter;
  source_weight *offset;

  format_name(prefix, "%s/Conv2d_%u_pointwise", scope, index);
  filter = take(g, 4, filter_shape, "%s/weights", prefix);
  offset = take(g, 1, &filter->shape[3], "%s/convolution_bn_offset", prefix);
  return graph_conv(g, prefix, x, graph_weight(g, filter),
                    graph_weight(g, offset), stride, DAGER_PADDING_SAME,
                    ACTIVATION_RELU6, GRAPH_NONE);
}

static void ssd_predictor(graph *g, uint32_t index, uint32_t x,
                          uint32_t anchors_per_cell) {
  static const uint32_t filter_shape[4] = {1, 1, ANY, ANY};
  static const char *const kinds[2] = {"BoxEncodingPredictor",
                                       "ClassPredictor"};
  static const char *const outputs[2] = {"box_encodings", "class_predictions"};
  static const uint32_t per_anchor[2] = {4, 3};

  for (int kind = 0; kind < 2; kind++) {
    char prefix[NAME_MAX_LENGTH];
    char output[NAME_MAX_LENGTH];
    source_weight *filter;
    source_weight *bias;
    uint32_t value;

    format_name(prefix, "Prediction/BoxPredictor_%u/%s", index, kinds[kind]);
    filter = take(g, 4, filter_shape, "%s/weights", prefix);
    if (filter->shape[3] != anchors_per_cell * per_anchor[kind]) {
      convert_die("%s has %u outputs, expected %u", prefix, filter->shape[3],
                  anchors_per_cell * per_anchor[kind]);
    }
    bias = take(g, 1, &filter->shape[3], "%s/biases", prefix);
    value =
        graph_conv(g, prefix, x, graph_weight(g, filter), graph_weight(g, bias),
                   1, DAGER_PADDING_SAME, ACTIVATION_NONE, GRAPH_NONE);
    format_name(output, "%s_%u", outputs[kind], index);
    graph_output(g, output, value);
  }
}

/* The manifest carries constants of the TensorFlow graph it was exported
 * from; each must agree with what the graph above computes. */
static void ssd_constants(graph *g) {
  static const double cell_anchors[6] = {3072, 1536, 384, 96, 24, 6};
  const double multiplier = 1.0 / 127.5;
  const double one = 1;
  const double resize[2] = {512, 512};
  const double slice_begin[3] = {0, 0, 1};
  const double slice_size[3] = {-1, -1, -1};
  const double three = 3, four = 4, zero = 0, total = 5118;
  source_model *source = g->source;

  source_expect_constant(source, "Preprocessor/mul/x", 1, &multiplier);
  source_expect_constant(source, "Preprocessor/sub/y", 1, &one);
  source_expect_constant(source, "Preprocessor/ResizeImage/size", 2, resize);
  for (uint32_t i = 0; i < 6; i++) {
    char name[NAME_MAX_LENGTH];

    format_name(name, "Prediction/BoxPredictor_%u/stack_1/1", i);
    source_expect_constant(source, name, 1, &cell_anchors[i]);
  }
  source_expect_constant(source, "Prediction/BoxPredictor_0/stack_1/2", 1,
                         &three);
  source_expect_constant(source, "Prediction/BoxPredictor_0/stack/3", 1, &four);
  source_expect_constant(
      source, "Prediction/BoxPredictor_0/strided_slice/stack", 1, &zero);
  source_expect_constant(
      source, "Prediction/BoxPredictor_0/strided_slice/stack_1", 1, &one);
  source_expect_constant(source, "Postprocessor/Slice/begin", 3, slice_begin);
  source_expect_constant(source, "Postprocessor/Slice/size", 3, slice_size);
  source_expect_constant(source, "Postprocessor/stack/1", 1, &total);
  source_expect_constant(source, "concat_1/axis", 1, &one);
}

static void build_ssd_mobilenetv1(graph *g) {
  static const uint32_t anchors_shape[3] = {1, 5118, 4};
  uint32_t value;
  uint32_t conv11 = GRAPH_NONE;
  uint32_t features;
  uint32_t prediction[8];

  common_metadata(g, "detector_ssd", 512, "127.5,127.5,127.5",
                  "127.5,127.5,127.5", "pad_bottom_right");
  graph_metadata(g, "anchor_count", "5118");
  graph_metadata(g, "anchor_layout", "ymin,xmin,ymax,xmax");
  graph_metadata(g, "box_scales", "10,10,5,5");
  graph_metadata(g, "class_count", "3");
  graph_metadata(g, "score_class", "1");
  graph_metadata(g, "iou_threshold", "0.5");

  value = ssd_pointwise(g, "MobilenetV1", 0, GRAPH_INPUT, 2);
  for (uint32_t i = 1; i <= 13; i++) {
    uint32_t stride = (i == 2 || i == 4 || i == 6 || i == 12) ? 2 : 1;

    value = ssd_depthwise(g, i, value, stride);
    value = ssd_pointwise(g, "MobilenetV1", i, value, 1);
    if (i == 11)
      conv11 = value;
  }
  features = value;
  for (uint32_t k = 0; k < 8; k++) {
    value = ssd_pointwise(g, "Prediction", k, value, k % 2 ? 2 : 1);
    prediction[k] = value;
  }

  ssd_predictor(g, 0, conv11, 3);
  ssd_predictor(g, 1, features, 6);
  ssd_predictor(g, 2, prediction[1], 6);
  ssd_predictor(g, 3, prediction[3], 6);
  ssd_predictor(g, 4, prediction[5], 6);
  ssd_predictor(g, 5, prediction[7], 6);

  graph_weight_named(g, take(g, 3, anchors_shape, "Output/extra_dim"),
                     "anchors");
  ssd_constants(g);
}

/* ---- tiny_face_detector --------------------------------------------- */

static void build_tiny_face_detector(graph *g) {
  uint32_t value;

  common_metadata(g, "detector_tiny", 416, "117.001,114.697,97.404",
                  FACE_DIVISOR, "pad_bottom_right");
  graph_metadata(g, "anchors",
                 "1.603231:2.094468,6.041143:7.080126,2.882459:3.518061,"
                 "4.266906:5.178857,9.041765:10.66308");
  graph_metadata(g, "anchor_count", "5");
  graph_metadata(g, "box_encoding_size", "5");
  graph_metadata(g, "input_size_min", "128");
  graph_metadata(g, "input_size_max", "608");
  graph_metadata(g, "input_size_step", "32");
  graph_metadata(g, "iou_threshold", "0.4");

  value = plain_conv(g, "conv0", GRAPH_INPUT, 1, DAGER_PADDING_VALID,
                     ACTIVATION_LEAKY_0_1, GRAPH_NONE);
  value = graph_pool(g, "conv0/max_pool", DAGER_OP_MAX_POOL, value, 2, 2,
                     DAGER_PADDING_SAME);
  for (uint32_t i = 1; i <= 5; i++) {
    char prefix[NAME_MAX_LENGTH];
    char name[NAME_MAX_LENGTH];

    format_name(prefix, "conv%u", i);
    value = separable(g, prefix, value, 1, ACTIVATION_LEAKY_0_1, GRAPH_NONE);
    format_name(name, "conv%u/max_pool", i);
    value = graph_pool(g, name, DAGER_OP_MAX_POOL, value, 2, i < 5 ? 2 : 1,
                       DAGER_PADDING_SAME);
  }
  value = plain_conv(g, "conv8", value, 1, DAGER_PADDING_VALID, ACTIVATION_NONE,
                     GRAPH_NONE);
  graph_output(g, "grid", value);
}

/* ---- dense-block face nets (112 px) --------------------------------- */

static uint32_t dense_block(graph *g, uint32_t index, uint32_t x,
                            uint32_t convolutions) {
  char prefix[NAME_MAX_LENGTH];
  char name[NAME_MAX_LENGTH];
  uint32_t outs[4];

  format_name(name, "dense%u/conv0", index);
  if (index == 0) {
    outs[0] = plain_conv(g, name, x, 2, DAGER_PADDING_SAME, ACTIVATION_RELU,
                         GRAPH_NONE);
  } else {
    outs[0] = separable(g, name, x, 2, ACTIVATION_RELU, GRAPH_NONE);
  }
  for (uint32_t k = 1; k < convolutions; k++) {
    uint32_t in = outs[0];

    if (k > 1) {
      format_name(name, "dense%u/sum%u", index, k);
      in = graph_add(g, name, k, outs, ACTIVATION_RELU);
    }
    format_name(prefix, "dense%u/conv%u", index, k);
    outs[k] = separable(g, prefix, in, 1, ACTIVATION_NONE, GRAPH_NONE);
  }
  format_name(name, "dense%u/sum%u", index, convolutions);
  return graph_add(g, name, convolutions, outs, ACTIVATION_RELU);
}

static uint32_t dense_features(graph *g, uint32_t blocks, uint32_t convolutions,
                               uint32_t pool) {
  uint32_t value = GRAPH_INPUT;

  for (uint32_t i = 0; i < blocks; i++) {
    value = dense_block(g, i, value, convolutions);
  }
  return graph_pool(g, "average_pool", DAGER_OP_AVERAGE_POOL, value, pool, 2,
                    DAGER_PADDING_VALID);
}

static void build_face_landmark_68(graph *g) {
  uint32_t value;

  common_metadata(g, "landmarks_68", 112, FACE_MEAN, FACE_DIVISOR,
                  "pad_center");
  graph_metadata(g, "landmark_count", "68");
  value = dense_features(g, 4, 4, 7);
  value = fully_connected(g, "fc", value, "fc/weights", "fc/bias", 256, 136);
  graph_output(g, "landmarks", value);
}

static void build_face_landmark_68_tiny(graph *g) {
  uint32_t value;

  common_metadata(g, "landmarks_68_tiny", 112, FACE_MEAN, FACE_DIVISOR,
                  "pad_center");
  graph_metadata(g, "landmark_count", "68");
  value = dense_features(g, 3, 3, 14);
  value = fully_connected(g, "fc", value, "fc/weights", "fc/bias", 128, 136);
  graph_output(g, "landmarks", value);
}

static void build_face_expression(graph *g) {
  uint32_t value;

  common_metadata(g, "expression", 112, FACE_MEAN, FACE_DIVISOR, "pad_center");
  graph_metadata(g, "labels",
                 "neutral,happy,sad,angry,fearful,disgusted,surprised");
  graph_metadata(g, "labels_output", "expressions");
  value = dense_features(g, 4, 4, 7);
  value = fully_connected(g, "fc", value, "fc/weights", "fc/bias", 256, 7);
  value = graph_unary(g, "softmax", DAGER_OP_SOFTMAX, value);
  graph_output(g, "expressions", value);
}

/* ---- age_gender (TinyXception) -------------------------------------- */

static uint32_t xception_reduction(graph *g, const char *prefix, uint32_t x,
                                   int activate_input) {
  char name[NAME_MAX_LENGTH];
  uint32_t value = x;
  uint32_t pooled;

  if (activate_input) {
    format_name(name, "%s/relu", prefix);
    value = graph_activate(g, name, x, ACTIVATION_RELU);
  }
  format_name(name, "%s/separable_conv0", prefix);
  value = separable(g, name, value, 1, ACTIVATION_RELU, GRAPH_NONE);
  format_name(name, "%s/separable_conv1", prefix);
  value = separable(g, name, value, 1, ACTIVATION_NONE, GRAPH_NONE);
  format_name(name, "%s/max_pool", prefix);
  pooled =
      graph_pool(g, name, DAGER_OP_MAX_POOL, value, 3, 2, DAGER_PADDING_SAME);
  /* The shortcut convolves the block's input before its relu. */
  format_name(name, "%s/expansion_conv", prefix);
  return plain_conv(g, name, x, 2, DAGER_PADDING_SAME, ACTIVATION_NONE, pooled);
}

static uint32_t xception_main(graph *g, const char *prefix, uint32_t x) {
  char name[NAME_MAX_LENGTH];
  uint32_t value;

  format_name(name, "%s/relu", prefix);
  value = graph_activate(g, name, x, ACTIVATION_RELU);
  format_name(name, "%s/separable_conv0", prefix);
  value = separable(g, name, value, 1, ACTIVATION_RELU, GRAPH_NONE);
  format_name(name, "%s/separable_conv1", prefix);
  value = separable(g, name, value, 1, ACTIVATION_RELU, GRAPH_NONE);
  format_name(name, "%s/separable_conv2", prefix);
  return separable(g, name, value, 1, ACTIVATION_NONE, x);
}

static void build_age_gender(graph *g) {
  uint32_t value;
  uint32_t pooled;

  common_metadata(g, "age_gender", 112, FACE_MEAN, FACE_DIVISOR, "pad_center");
  graph_metadata(g, "labels", "male,female");
  graph_metadata(g, "labels_output", "gender");

  value = plain_conv(g, "entry_flow/conv_in", GRAPH_INPUT, 2,
                     DAGER_PADDING_SAME, ACTIVATION_RELU, GRAPH_NONE);
  value = xception_reduction(g, "entry_flow/reduction_block_0", value, 0);
  value = xception_reduction(g, "entry_flow/reduction_block_1", value, 1);
  value = xception_main(g, "middle_flow/main_block_0", value);
  value = xception_main(g, "middle_flow/main_block_1", value);
  value = xception_reduction(g, "exit_flow/reduction_block", value, 1);
  value = separable(g, "exit_flow/separable_conv", value, 1, ACTIVATION_RELU,
                    GRAPH_NONE);
  pooled = graph_pool(g, "average_pool", DAGER_OP_AVERAGE_POOL, value, 7, 2,
                      DAGER_PADDING_VALID);
  value = fully_connected(g, "fc/age", pooled, "fc/age/weights", "fc/age/bias",
                          512, 1);
  graph_output(g, "age", value);
  value = fully_connected(g, "fc/gender", pooled, "fc/gender/weights",
                          "fc/gender/bias", 512, 2);
  value = graph_unary(g, "fc/gender/softmax", DAGER_OP_SOFTMAX, value);
  graph_output(g, "gender", value);
}

/* ---- face_recognition (ResNet-34-like, 150 px) ---------------------- */

/* conv + bias, then the scale layer (x * weights + biases), folded into
 * one convolution. */
static uint32_t recognition_conv(graph *g, const char *prefix, uint32_t x,
                                 uint32_t stride, dager_padding padding,
                                 activation act, uint32_t residual) {
  static const uint32_t filter_shape[4] = {ANY, ANY, ANY, ANY};
  char name[NAME_MAX_LENGTH];
  source_weight *filter = take(g, 4, filter_shape, "%s/conv/filters", prefix);
  uint32_t channels = filter->shape[3];
  source_weight *bias = take(g, 1, &channels, "%s/conv/bias", prefix);
  source_weight *scale = take(g, 1, &channels, "%s/scale/weights", prefix);
  source_weight *shift = take(g, 1, &channels, "%s/scale/biases", prefix);
  float *filter_values = source_floats(filter);
  float *bias_values = source_floats(bias);
  float *scale_values = source_floats(scale);
  float *shift_values = source_floats(shift);
  uint32_t filter_id, bias_id;

  /* [kh][kw][in][out]: the output channel is the fastest axis. */
  for (size_t i = 0; i < filter->count; i++) {
    filter_values[i] =
        (float)((double)filter_values[i] * (double)scale_values[i % channels]);
  }
  for (uint32_t c = 0; c < channels; c++) {
    bias_values[c] = (float)((double)bias_values[c] * (double)scale_values[c] +
                             (double)shift_values[c]);
  }
  format_name(name, "%s/folded_filters", prefix);
  filter_id = graph_tensor_f32(g, name, 4, filter->shape, filter_values);
  format_name(name, "%s/folded_bias", prefix);
  bias_id = graph_tensor_f32(g, name, 1, &channels, bias_values);
  free(filter_values);
  free(bias_values);
  free(scale_values);
  free(shift_values);
  return graph_conv(g, prefix, x, filter_id, bias_id, stride, padding, act,
                    residual);
}

static uint32_t recognition_residual(graph *g, const char *prefix, uint32_t x) {
  char name[NAME_MAX_LENGTH];
  uint32_t value;

  format_name(name, "%s/conv1", prefix);
  value = recognition_conv(g, name, x, 1, DAGER_PADDING_SAME, ACTIVATION_RELU,
                           GRAPH_NONE);
  format_name(name, "%s/conv2", prefix);
  return recognition_conv(g, name, value, 1, DAGER_PADDING_SAME,
                          ACTIVATION_RELU, x);
}

/* side is the input's height and width; updated to the output's. */
static uint32_t recognition_down(graph *g, const char *prefix, uint32_t x,
                                 uint32_t in_channels, uint32_t *side) {
  char name[NAME_MAX_LENGTH];
  uint32_t value, pooled;
  uint32_t conv_side = (*side - 3) / 2 + 1;
  uint32_t pooled_side = (*side - 2) / 2 + 1;
  uint32_t out_channels;
  uint32_t inputs[2];

  format_name(name, "%s/conv1", prefix);
  value = recognition_conv(g, name, x, 2, DAGER_PADDING_VALID, ACTIVATION_RELU,
                           GRAPH_NONE);
  format_name(name, "%s/conv2", prefix);
  value = recognition_conv(g, name, value, 1, DAGER_PADDING_SAME,
                           ACTIVATION_NONE, GRAPH_NONE);
  out_channels = g->last_conv_channels;

  format_name(name, "%s/average_pool", prefix);
  pooled =
      graph_pool(g, name, DAGER_OP_AVERAGE_POOL, x, 2, 2, DAGER_PADDING_VALID);
  if (out_channels != in_channels) {
    format_name(name, "%s/pad_channels", prefix);
    pooled = graph_pad_channels(g, name, pooled, out_channels);
  }
  if (conv_side != pooled_side) {
    /* The reference appends one zero row and one zero column; it cannot
     * do more, and neither do we. */
    if (pooled_side != conv_side + 1) {
      convert_die("%s: %u against %u pixels", prefix, conv_side, pooled_side);
    }
    format_name(name, "%s/pad", prefix);
    value = graph_pad(g, name, value, 1, 1);
  }
  inputs[0] = pooled;
  inputs[1] = value;
  format_name(name, "%s/add", prefix);
  *side = pooled_side;
  return graph_add(g, name, 2, inputs, ACTIVATION_RELU);
}

static void build_face_recognition(graph *g) {
  static const uint32_t fc_shape[2] = {256, 128};
  static const char *const stages[] = {
      "conv32_1",  "conv32_2",        "conv32_3",     "conv64_down",
      "conv64_1",  "conv64_2",        "conv64_3",     "conv128_down",
      "conv128_1", "conv128_2",       "conv256_down", "conv256_1",
      "conv256_2", "conv256_down_out"};
  uint32_t value;
  uint32_t side = (150 - 7) / 2 + 1;
  uint32_t channels = 32;

  common_metadata(g, "descriptor", 150, FACE_MEAN, FACE_DIVISOR, "pad_center");
  graph_metadata(g, "descriptor_size", "128");

  value = recognition_conv(g, "conv32_down", GRAPH_INPUT, 2,
                           DAGER_PADDING_VALID, ACTIVATION_RELU, GRAPH_NONE);
  value = graph_pool(g, "max_pool", DAGER_OP_MAX_POOL, value, 3, 2,
                     DAGER_PADDING_VALID);
  side = (side - 3) / 2 + 1;
  for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
    if (strstr(stages[i], "down")) {
      value = recognition_down(g, stages[i], value, channels, &side);
      channels = g->last_conv_channels;
    } else {
      value = recognition_residual(g, stages[i], value);
    }
  }
  value = graph_global_average_pool(g, "global_average_pool", value);
  value = graph_fully_connected(
      g, "fc", value, graph_weight(g, take(g, 2, fc_shape, "fc")), GRAPH_NONE);
  graph_output(g, "descriptor", value);
}

/* ---- table ---------------------------------------------------------- */

const network_spec network_specs[] = {
    {"ssd_mobilenetv1", "ssd_mobilenetv1_model", build_ssd_mobilenetv1},
    {"tiny_face_detector", "tiny_face_detector_model",
     build_tiny_face_detector},
    {"face_landmark_68", "face_landmark_68_model", build_face_landmark_68},
    {"face_landmark_68_tiny", "face_landmark_68_tiny_model",
     build_face_landmark_68_tiny},
    {"age_gender", "age_gender_model", build_age_gender},
    {"face_expression", "face_expression_model", build_face_expression},
    {"face_recognition", "face_recognition_model", build_face_recognition},
};
const size_t network_spec_count =
    sizeof network_specs / sizeof network_specs[0];
