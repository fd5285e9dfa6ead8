/*
 * dager-convert: turns face-api's TF.js models into libdager model files.
 *
 *   dager-convert MODEL_DIR OUTPUT_DIR [NETWORK...]
 *   dager-convert --describe FILE...
 *
 * Every file written is read back with the library's own reader and its
 * shapes walked before it is renamed into place, so a converter bug shows
 * up here rather than in the runtime.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/memory.h"
#include "dager.h"
#include "model/model.h"
#include "model/shapes.h"
#include "networks.h"

typedef struct expected_output {
  const char *network;
  const char *output;
  uint32_t h, w, c;
} expected_output;

/* Output shapes at each network's stored input size, worked out by hand
 * from the reference (docs/model-format.md). */
static const expected_output expected_outputs[] = {
    {"ssd_mobilenetv1", "box_encodings_0", 32, 32, 12},
    {"ssd_mobilenetv1", "box_encodings_1", 16, 16, 24},
    {"ssd_mobilenetv1", "box_encodings_2", 8, 8, 24},
    {"ssd_mobilenetv1", "box_encodings_3", 4, 4, 24},
    {"ssd_mobilenetv1", "box_encodings_4", 2, 2, 24},
    {"ssd_mobilenetv1", "box_encodings_5", 1, 1, 24},
    {"ssd_mobilenetv1", "class_predictions_0", 32, 32, 9},
    {"ssd_mobilenetv1", "class_predictions_1", 16, 16, 18},
    {"ssd_mobilenetv1", "class_predictions_2", 8, 8, 18},
    {"ssd_mobilenetv1", "class_predictions_3", 4, 4, 18},
    {"ssd_mobilenetv1", "class_predictions_4", 2, 2, 18},
    {"ssd_mobilenetv1", "class_predictions_5", 1, 1, 18},
    {"tiny_face_detector", "grid", 13, 13, 25},
    {"face_landmark_68", "landmarks", 1, 1, 136},
    {"face_landmark_68_tiny", "landmarks", 1, 1, 136},
    {"age_gender", "age", 1, 1, 1},
    {"age_gender", "gender", 1, 1, 2},
    {"face_expression", "expressions", 1, 1, 7},
    {"face_recognition", "descriptor", 1, 1, 128},
};

static void check_shapes(const network_spec *spec, const dager_model *model) {
  dager_model_shape *shapes = calloc(model->value_count, sizeof *shapes);
  uint32_t checked = 0;

  if (!shapes)
    convert_die("out of memory");
  if (dager_model_infer_shapes(model, model->input_h, model->input_w, shapes) !=
      DAGER_OK) {
    convert_die("%s: %s", spec->name, dager_last_error_message());
  }
  for (size_t i = 0; i < sizeof expected_outputs / sizeof expected_outputs[0];
       i++) {
    const expected_output *expected = &expected_outputs[i];
    int32_t value;
    const dager_model_shape *shape;

    if (strcmp(expected->network, spec->name) != 0)
      continue;
    value = dager_model_find_output(model, expected->output);
    if (value < 0) {
      convert_die("%s: output %s missing", spec->name, expected->output);
    }
    shape = &shapes[value];
    if (shape->h != expected->h || shape->w != expected->w ||
        shape->c != expected->c) {
      convert_die("%s: output %s is %ux%ux%u, expected %ux%ux%u", spec->name,
                  expected->output, shape->h, shape->w, shape->c, expected->h,
                  expected->w, expected->c);
    }
    checked++;
  }
  if (checked != model->output_count) {
    convert_die("%s: %u outputs, %u expected", spec->name, model->output_count,
                checked);
  }
  /* The tiny detector accepts every multiple of 32 in 128..608 and gives
   * a grid of size / 32 cells. */
  if (strcmp(spec->name, "tiny_face_detector") == 0) {
    int32_t grid = dager_model_find_output(model, "grid");

    for (uint32_t size = 128; size <= 608; size += 32) {
      if (dager_model_infer_shapes(model, size, size, shapes) != DAGER_OK ||
          shapes[grid].h != size / 32 || shapes[grid].w != size / 32) {
        convert_die("tiny_face_detector: input %u does not give a %u grid",
                    size, size / 32);
      }
    }
  }
  free(shapes);
}

/* A second folder that receives the same files (the build's models/
 * folder, which meson cannot name as a target's output directory). */
static const char *copy_directory;

static void write_file(const char *path, const uint8_t *bytes, size_t size) {
  size_t length = strlen(path) + 5;
  char *temporary = malloc(length);
  FILE *stream;

  if (!temporary)
    convert_die("out of memory");
  snprintf(temporary, length, "%s.tmp", path);
  stream = fopen(temporary, "wb");
  if (!stream)
    convert_die("cannot write %s: %s", temporary, strerror(errno));
  if (fwrite(bytes, 1, size, stream) != size || fclose(stream) != 0) {
    convert_die("cannot write %s", temporary);
  }
  if (rename(temporary, path) != 0) {
    convert_die("cannot rename %s: %s", temporary, strerror(errno));
  }
  free(temporary);
}

static void convert(const network_spec *spec, const char *model_directory,
                    const char *output_directory) {
  source_model source;
  graph g;
  uint8_t *bytes;
  size_t size;
  dager_model *model;
  char converter[64];
  char *path;
  size_t length;

  source_load(&source, model_directory, spec->source_name);
  graph_begin(&g, &source);
  spec->build(&g);
  source_check_all_used(&source);
  snprintf(converter, sizeof converter, "dager-convert %s",
           dager_version_string());
  graph_metadata(&g, "converter", converter);
  graph_finish(&g, &bytes, &size);

  if (dager_model_read_memory(bytes, size, &model) != DAGER_OK) {
    convert_die("%s: the written model does not read back: %s", spec->name,
                dager_last_error_message());
  }
  check_shapes(spec, model);

  length = strlen(output_directory) + strlen(spec->name) + 8;
  path = malloc(length);
  if (!path)
    convert_die("out of memory");
  snprintf(path, length, "%s/%s.dager", output_directory, spec->name);
  write_file(path, bytes, size);
  if (copy_directory) {
    size_t copy_length = strlen(copy_directory) + strlen(spec->name) + 8;
    char *copy_path = malloc(copy_length);

    if (!copy_path)
      convert_die("out of memory");
    if (mkdir(copy_directory, 0777) != 0 && errno != EEXIST) {
      convert_die("cannot create %s: %s", copy_directory, strerror(errno));
    }
    snprintf(copy_path, copy_length, "%s/%s.dager", copy_directory, spec->name);
    write_file(copy_path, bytes, size);
    free(copy_path);
  }
  printf("%s: %u nodes, %u tensors, %zu bytes\n", path, model->node_count,
         model->tensor_count, size);
  free(path);
  dager_model_destroy(model);
  dager_mem_free(bytes);
  source_free(&source);
}

static const char *const op_names[] = {
    "?",        "CONV2D",       "DEPTHWISE_CONV2D",    "FULLY_CONNECTED",
    "MAX_POOL", "AVERAGE_POOL", "GLOBAL_AVERAGE_POOL", "ADD",
    "AFFINE",   "CONCAT",       "PAD_CHANNELS",        "SOFTMAX",
    "SIGMOID",  "PAD"};

/* Prints metadata, outputs and every node with its output shape. */
static int describe(const char *path) {
  dager_model *model;
  dager_model_shape *shapes;

  if (dager_model_read_file(path, &model) != DAGER_OK) {
    fprintf(stderr, "dager-convert: %s: %s\n", path,
            dager_last_error_message());
    return 1;
  }
  printf("%s: format %u, %u tensors, %u nodes\n", path, model->format_version,
         model->tensor_count, model->node_count);
  for (uint32_t i = 0; i < model->metadata_count; i++) {
    printf("  %s = %s\n", model->metadata[i].key, model->metadata[i].value);
  }
  shapes = calloc(model->value_count, sizeof *shapes);
  if (!shapes)
    convert_die("out of memory");
  if (dager_model_infer_shapes(model, model->input_h, model->input_w, shapes) !=
      DAGER_OK) {
    printf("  shapes: %s\n", dager_last_error_message());
  }
  for (uint32_t i = 0; i < model->node_count; i++) {
    const dager_model_node *node = &model->nodes[i];
    const dager_model_shape *shape = &shapes[node->output];

    printf("  %3u %-20s v%-3u <-", i, op_names[node->op], node->output);
    for (uint32_t k = 0; k < node->input_count; k++) {
      printf(" v%u", node->inputs[k]);
    }
    printf("  %ux%ux%u  %s\n", shape->h, shape->w, shape->c, node->name);
  }
  for (uint32_t i = 0; i < model->output_count; i++) {
    const dager_model_shape *shape = &shapes[model->outputs[i].value];

    printf("  output %s = v%u (%ux%ux%u)\n", model->outputs[i].name,
           model->outputs[i].value, shape->h, shape->w, shape->c);
  }
  free(shapes);
  dager_model_destroy(model);
  return 0;
}

static void usage(void) {
  fputs(
      "usage: dager-convert [--copy-to DIR] MODEL_DIR OUTPUT_DIR "
      "[NETWORK...]\n"
      "       dager-convert --describe FILE...\n"
      "MODEL_DIR holds face-api's *-weights_manifest.json and .bin files\n"
      "(tools/fetch-models.sh puts them in third_party/face-api/model).\n"
      "Networks:",
      stderr);
  for (size_t i = 0; i < network_spec_count; i++) {
    fprintf(stderr, " %s", network_specs[i].name);
  }
  fputc('\n', stderr);
}

int main(int argc, char **argv) {
  int status = 0;

  if (argc >= 3 && strcmp(argv[1], "--describe") == 0) {
    for (int i = 2; i < argc; i++)
      status |= describe(argv[i]);
    return status;
  }
  if (argc >= 3 && strcmp(argv[1], "--copy-to") == 0) {
    copy_directory = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 3 || argv[1][0] == '-') {
    usage();
    return 2;
  }
  for (int k = 3; k < argc; k++) {
    int known = 0;

    for (size_t i = 0; i < network_spec_count; i++) {
      known |= strcmp(argv[k], network_specs[i].name) == 0;
    }
    if (!known) {
      fprintf(stderr, "dager-convert: unknown network %s\n", argv[k]);
      usage();
      return 2;
    }
  }
  for (size_t i = 0; i < network_spec_count; i++) {
    int wanted = argc == 3;

    for (int k = 3; k < argc; k++) {
      wanted |= strcmp(argv[k], network_specs[i].name) == 0;
    }
    if (wanted)
      convert(&network_specs[i], argv[1], argv[2]);
  }
  return 0;
}
