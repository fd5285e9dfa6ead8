#include "synthetic_models.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/memory.h"
#include "model/model.h"
#include "model/writer.h"

#define MAX_VALUES 4096

typedef struct builder {
  dager_model_writer *writer;
  dager_status status;
  uint32_t next_value; /* value id the next node writes */
} builder;

static uint32_t tensor(builder *b, const char *name, uint32_t rank,
                       const uint32_t *shape, const float *data) {
  uint32_t id = 0;

  if (b->status == DAGER_OK) {
    b->status = dager_model_writer_add_tensor(b->writer, name, DAGER_DTYPE_F32,
                                              rank, shape, data, 0.0, 0.0, &id);
  }
  return id;
}

/* Adds a node reading input and returns the value it writes. */
static uint32_t node(builder *b, const char *name, dager_op op, uint32_t input,
                     uint32_t kernel, uint32_t stride, uint32_t weight_count,
                     const uint32_t *weights) {
  dager_model_node n;

  memset(&n, 0, sizeof n);
  n.name = name;
  n.op = op;
  n.input_count = 1;
  n.inputs[0] = input;
  n.output = b->next_value;
  n.kernel_h = n.kernel_w = kernel;
  n.stride_h = n.stride_w = stride;
  n.padding = kernel ? DAGER_PADDING_VALID : DAGER_PADDING_SAME;
  n.weight_count = weight_count;
  for (uint32_t i = 0; i < weight_count; i++)
    n.weights[i] = weights[i];
  if (b->status == DAGER_OK) {
    b->status = dager_model_writer_add_node(b->writer, &n);
  }
  return b->next_value++;
}

static void output(builder *b, const char *name, uint32_t value) {
  if (b->status == DAGER_OK) {
    b->status = dager_model_writer_add_output(b->writer, name, value);
  }
}

static void meta(builder *b, const char *key, const char *value) {
  if (b->status == DAGER_OK) {
    b->status = dager_model_writer_set_metadata(b->writer, key, value);
  }
}

static void common_metadata(builder *b, const char *task, int side,
                            const char *mean, const char *divisor,
                            const char *fit) {
  char text[16];

  snprintf(text, sizeof text, "%d", side);
  meta(b, "task", task);
  meta(b, "input_height", text);
  meta(b, "input_width", text);
  meta(b, "input_channels", "3");
  meta(b, "channel_order", "RGB");
  meta(b, "mean", mean);
  meta(b, "divisor", divisor);
  meta(b, "input_fit", fit);
  meta(b, "source_package", "synthetic");
  meta(b, "source_version", "0");
  meta(b, "source_license", "MIT");
  meta(b, "source_model", task);
  meta(b, "converter", "libdager tests");
}

static const char face_mean[] = "122.782,117.001,104.298";
static const char face_divisor[] = "255,255,255";

static void build_ssd(builder *b) {
  static float box_filter[3 * 4], box_bias[4], class_filter[3 * 3];
  static float class_bias[3],
      anchors[6 * SYNTHETIC_CELLS * SYNTHETIC_CELLS * 4];
  const uint32_t box_shape[4] = {1, 1, 3, 4}, class_shape[4] = {1, 1, 3, 3};
  const uint32_t four[1] = {4}, three[1] = {3};
  const uint32_t anchor_shape[3] = {1, 6 * SYNTHETIC_CELLS * SYNTHETIC_CELLS,
                                    4};
  uint32_t cells, t[4];
  size_t a = 0;

  common_metadata(b, "detector_ssd", SYNTHETIC_DETECTOR_INPUT,
                  "127.5,127.5,127.5", "127.5,127.5,127.5", "pad_bottom_right");
  memset(box_filter, 0, sizeof box_filter);
  memset(box_bias, 0, sizeof box_bias);
  memset(class_filter, 0, sizeof class_filter);
  memset(class_bias, 0, sizeof class_bias);
  /* Face logit 4 * (r + g + b) - 6 of the cell's mean in -1..1: white
   * cells score 0.9975, black or half-covered ones below 0.003. */
  for (int c = 0; c < 3; c++)
    class_filter[c * 3 + 1] = 4.0f;
  class_bias[1] = -6.0f;
  /* Boxes 1.5 times as tall as their cell, so a face in the top or bottom
   * row reaches past the image edge. */
  box_bias[2] = 5.0f * logf(1.5f);
  for (int p = 0; p < 6; p++) {
    for (int r = 0; r < SYNTHETIC_CELLS; r++) {
      for (int c = 0; c < SYNTHETIC_CELLS; c++) {
        anchors[a++] = (float)r / SYNTHETIC_CELLS;
        anchors[a++] = (float)c / SYNTHETIC_CELLS;
        anchors[a++] = (float)(r + 1) / SYNTHETIC_CELLS;
        anchors[a++] = (float)(c + 1) / SYNTHETIC_CELLS;
      }
    }
  }
  t[0] = tensor(b, "box/filter", 4, box_shape, box_filter);
  t[1] = tensor(b, "box/bias", 1, four, box_bias);
  t[2] = tensor(b, "class/filter", 4, class_shape, class_filter);
  t[3] = tensor(b, "class/bias", 1, three, class_bias);
  tensor(b, "anchors", 3, anchor_shape, anchors);

  cells = node(b, "cells", DAGER_OP_AVERAGE_POOL, 0,
               SYNTHETIC_DETECTOR_INPUT / SYNTHETIC_CELLS,
               SYNTHETIC_DETECTOR_INPUT / SYNTHETIC_CELLS, 0, NULL);
  for (int p = 0; p < 6; p++) {
    char name[32];
    uint32_t boxes, classes;

    snprintf(name, sizeof name, "box_%d", p);
    boxes = node(b, name, DAGER_OP_CONV2D, cells, 1, 1, 2, t);
    snprintf(name, sizeof name, "class_%d", p);
    classes = node(b, name, DAGER_OP_CONV2D, cells, 1, 1, 2, t + 2);
    snprintf(name, sizeof name, "box_encodings_%d", p);
    output(b, name, boxes);
    snprintf(name, sizeof name, "class_predictions_%d", p);
    output(b, name, classes);
  }
}

static void build_tiny(builder *b) {
  static float filter[3 * 25], bias[25];
  const uint32_t filter_shape[4] = {1, 1, 3, 25}, shape[1] = {25};
  uint32_t cells, t[2];

  common_metadata(b, "detector_tiny", 416, "117.001,114.697,97.404",
                  "255,255,255", "pad_bottom_right");
  meta(b, "anchors", "1:1,2:2,3:3,4:4,5:5");
  meta(b, "box_encoding_size", "5");
  memset(filter, 0, sizeof filter);
  memset(bias, 0, sizeof bias);
  /* Only anchor 0 scores; its logit grows with the cell's brightness. */
  for (int c = 0; c < 3; c++)
    filter[c * 25 + 4] = 8.0f;
  bias[4] = -4.0f;
  for (int anchor = 1; anchor < 5; anchor++)
    bias[anchor * 5 + 4] = -20.0f;
  t[0] = tensor(b, "grid/filter", 4, filter_shape, filter);
  t[1] = tensor(b, "grid/bias", 1, shape, bias);
  cells = node(b, "cells", DAGER_OP_AVERAGE_POOL, 0, 32, 32, 0, NULL);
  output(b, "grid", node(b, "grid", DAGER_OP_CONV2D, cells, 1, 1, 2, t));
}

/* A plausible frontal 68-point shape in the unit square. */
static void mean_shape(float *points) {
  const double pi = 3.14159265358979323846;

  for (int i = 0; i <= 16; i++) {
    double angle = pi - pi * i / 16.0;
    points[2 * i] = (float)(0.5 + 0.4 * cos(angle));
    points[2 * i + 1] = (float)(0.45 + 0.45 * sin(angle));
  }
  for (int i = 0; i < 5; i++) {
    points[2 * (17 + i)] = 0.18f + 0.06f * (float)i;
    points[2 * (17 + i) + 1] = 0.3f;
    points[2 * (22 + i)] = 0.58f + 0.06f * (float)i;
    points[2 * (22 + i) + 1] = 0.3f;
  }
  for (int i = 0; i < 4; i++) {
    points[2 * (27 + i)] = 0.5f;
    points[2 * (27 + i) + 1] = 0.38f + 0.065f * (float)i;
  }
  for (int i = 0; i < 5; i++) {
    points[2 * (31 + i)] = 0.42f + 0.04f * (float)i;
    points[2 * (31 + i) + 1] = 0.62f;
  }
  for (int i = 0; i < 6; i++) {
    double angle = pi - 2.0 * pi * i / 6.0;
    points[2 * (36 + i)] = (float)(0.32 + 0.05 * cos(angle));
    points[2 * (36 + i) + 1] = (float)(0.4 - 0.02 * sin(angle));
    points[2 * (42 + i)] = (float)(0.68 + 0.05 * cos(angle));
    points[2 * (42 + i) + 1] = (float)(0.4 - 0.02 * sin(angle));
  }
  for (int i = 0; i < 12; i++) {
    double angle = pi - 2.0 * pi * i / 12.0;
    points[2 * (48 + i)] = (float)(0.5 + 0.15 * cos(angle));
    points[2 * (48 + i) + 1] = (float)(0.75 - 0.06 * sin(angle));
  }
  for (int i = 0; i < 8; i++) {
    double angle = pi - 2.0 * pi * i / 8.0;
    points[2 * (60 + i)] = (float)(0.5 + 0.1 * cos(angle));
    points[2 * (60 + i) + 1] = (float)(0.75 - 0.02 * sin(angle));
  }
}

/* Global average pool, then one fully connected layer per output with the
 * given bias and small weights; softmax after when asked. */
static void build_pooled(builder *b, uint32_t outputs, const char *name,
                         const float *bias_values, int softmax) {
  static float weights[3 * 136], bias[136];
  uint32_t shape[2] = {3, outputs}, bias_shape[1] = {outputs}, t[2];
  uint32_t pooled, dense;
  char tensor_name[64];

  for (uint32_t i = 0; i < 3 * outputs; i++) {
    weights[i] = 0.01f * (float)((i * 7) % 5) - 0.02f;
  }
  memcpy(bias, bias_values, outputs * sizeof(float));
  snprintf(tensor_name, sizeof tensor_name, "%s/weights", name);
  t[0] = tensor(b, tensor_name, 2, shape, weights);
  snprintf(tensor_name, sizeof tensor_name, "%s/bias", name);
  t[1] = tensor(b, tensor_name, 1, bias_shape, bias);
  pooled = node(b, "pool", DAGER_OP_GLOBAL_AVERAGE_POOL, 0, 0, 0, 0, NULL);
  dense = node(b, name, DAGER_OP_FULLY_CONNECTED, pooled, 0, 0, 2, t);
  if (softmax)
    dense = node(b, "softmax", DAGER_OP_SOFTMAX, dense, 0, 0, 0, NULL);
  output(b, name, dense);
}

static void build_landmarks(builder *b, const char *task) {
  float shape[136];

  common_metadata(b, task, 112, face_mean, face_divisor, "pad_center");
  mean_shape(shape);
  build_pooled(b, 136, "landmarks", shape, 0);
}

static void build_age_gender(builder *b) {
  static float age_weights[3] = {1.0f, 2.0f, 3.0f}, age_bias[1] = {30.0f};
  static float gender_weights[6] = {1, -1, 1, -1, 1, -1};
  static float gender_bias[2] = {-0.4f, 0.4f};
  const uint32_t age_shape[2] = {3, 1}, one[1] = {1};
  const uint32_t gender_shape[2] = {3, 2}, two[1] = {2};
  uint32_t t[4], pooled, age, gender;

  common_metadata(b, "age_gender", 112, face_mean, face_divisor, "pad_center");
  meta(b, "labels", "male,female");
  meta(b, "labels_output", "gender");
  t[0] = tensor(b, "fc/age/weights", 2, age_shape, age_weights);
  t[1] = tensor(b, "fc/age/bias", 1, one, age_bias);
  t[2] = tensor(b, "fc/gender/weights", 2, gender_shape, gender_weights);
  t[3] = tensor(b, "fc/gender/bias", 1, two, gender_bias);
  pooled = node(b, "pool", DAGER_OP_GLOBAL_AVERAGE_POOL, 0, 0, 0, 0, NULL);
  age = node(b, "fc/age", DAGER_OP_FULLY_CONNECTED, pooled, 0, 0, 2, t);
  gender =
      node(b, "fc/gender", DAGER_OP_FULLY_CONNECTED, pooled, 0, 0, 2, t + 2);
  gender = node(b, "gender_softmax", DAGER_OP_SOFTMAX, gender, 0, 0, 0, NULL);
  output(b, "age", age);
  output(b, "gender", gender);
}

static void build_expression(builder *b) {
  /* In the model's order: neutral, happy, sad, angry, fearful,
   * disgusted, surprised; happy strongest. */
  const float bias[7] = {0.5f, 2.0f, 0.1f, 0.2f, 0.0f, -0.5f, 0.3f};

  common_metadata(b, "expression", 112, face_mean, face_divisor, "pad_center");
  meta(b, "labels", "neutral,happy,sad,angry,fearful,disgusted,surprised");
  meta(b, "labels_output", "expressions");
  build_pooled(b, 7, "expressions", bias, 1);
}

static void build_descriptor(builder *b) {
  float bias[128];

  common_metadata(b, "descriptor", 150, face_mean, face_divisor, "pad_center");
  for (int i = 0; i < 128; i++)
    bias[i] = 0.05f * (float)((i * 13) % 9) - 0.2f;
  build_pooled(b, 128, "descriptor", bias, 0);
}

int synthetic_model_write(const char *task, const char *path) {
  builder b;
  uint8_t *bytes = NULL;
  size_t size = 0;
  FILE *file;
  int failed;

  memset(&b, 0, sizeof b);
  b.next_value = 1;
  b.status = dager_model_writer_create(&b.writer);
  if (b.status != DAGER_OK)
    return -1;
  if (strcmp(task, "detector_ssd") == 0) {
    build_ssd(&b);
  } else if (strcmp(task, "detector_tiny") == 0) {
    build_tiny(&b);
  } else if (strncmp(task, "landmarks_68", 12) == 0) {
    build_landmarks(&b, task);
  } else if (strcmp(task, "age_gender") == 0) {
    build_age_gender(&b);
  } else if (strcmp(task, "expression") == 0) {
    build_expression(&b);
  } else if (strcmp(task, "descriptor") == 0) {
    build_descriptor(&b);
  } else {
    b.status = DAGER_ERROR_INVALID_ARGUMENT;
  }
  if (b.status == DAGER_OK) {
    b.status = dager_model_writer_finish(b.writer, &bytes, &size);
  }
  dager_model_writer_destroy(b.writer);
  if (b.status != DAGER_OK)
    return -1;
  file = fopen(path, "wb");
  failed = !file || fwrite(bytes, 1, size, file) != size;
  if (file && fclose(file) != 0)
    failed = 1;
  dager_mem_free(bytes);
  return failed ? -1 : 0;
}

/* Task and file name of each synthetic model, in the engine's names. */
static const char *const model_files[7][2] = {
    {"detector_ssd", "ssd_mobilenetv1.dager"},
    {"detector_tiny", "tiny_face_detector.dager"},
    {"landmarks_68", "face_landmark_68.dager"},
    {"landmarks_68_tiny", "face_landmark_68_tiny.dager"},
    {"age_gender", "age_gender.dager"},
    {"expression", "face_expression.dager"},
    {"descriptor", "face_recognition.dager"},
};

int synthetic_models_write(const char *folder) {
  for (int i = 0; i < 7; i++) {
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", folder, model_files[i][1]);
    if (synthetic_model_write(model_files[i][0], path) != 0)
      return -1;
  }
  return 0;
}

void synthetic_models_remove(const char *folder) {
  for (int i = 0; i < 7; i++) {
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", folder, model_files[i][1]);
    unlink(path);
  }
  rmdir(folder);
}
