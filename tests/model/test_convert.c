/*
 * dager-convert on a synthetic TF.js manifest written here (the tiny face
 * detector's layer names and shapes, made-up weights): it converts, and it
 * refuses a manifest with a weight it would not use, one missing, one of
 * the wrong shape, or shards of the wrong length, naming what is wrong.
 * Runs always; needs no fetched files. argv[1] is the dager-convert path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/model.h"

static const char *converter;
static char folder[] = "/tmp/dager-convert-test-XXXXXX";

typedef struct fake_weight {
  const char *name;
  uint32_t rank;
  uint32_t shape[4];
  int quantized;
} fake_weight;

#define MAX_WEIGHTS 24

/* The tiny face detector's manifest, as face-api 1.7.15 ships it. */
static size_t tiny_weights(fake_weight *weights) {
  static const uint32_t channels[] = {16, 32, 64, 128, 256, 512};
  static char names[5][3][40];
  size_t count = 0;

  weights[count++] = (fake_weight){"conv0/filters", 4, {3, 3, 3, 16}, 1};
  /* One unquantised float32 weight, as some manifests have. */
  weights[count++] = (fake_weight){"conv0/bias", 1, {16}, 0};
  for (int i = 1; i <= 5; i++) {
    uint32_t in = channels[i - 1];
    uint32_t out = channels[i];

    snprintf(names[i - 1][0], 40, "conv%d/depthwise_filter", i);
    snprintf(names[i - 1][1], 40, "conv%d/pointwise_filter", i);
    snprintf(names[i - 1][2], 40, "conv%d/bias", i);
    weights[count++] = (fake_weight){names[i - 1][0], 4, {3, 3, in, 1}, 1};
    weights[count++] = (fake_weight){names[i - 1][1], 4, {1, 1, in, out}, 1};
    weights[count++] = (fake_weight){names[i - 1][2], 1, {out}, 1};
  }
  weights[count++] = (fake_weight){"conv8/filters", 4, {1, 1, 512, 25}, 1};
  weights[count++] = (fake_weight){"conv8/bias", 1, {25}, 1};
  return count;
}

/* Writes the manifest and one shard; shard_delta changes the shard's
 * length against what the manifest describes. */
static void write_model(const fake_weight *weights, size_t count,
                        long shard_delta) {
  char path[256];
  FILE *manifest;
  FILE *shard;
  size_t written = 0;

  snprintf(path, sizeof path, "%s/tiny_face_detector_model.bin", folder);
  shard = fopen(path, "wb");
  assert_non_null(shard);
  snprintf(path, sizeof path,
           "%s/tiny_face_detector_model-weights_manifest"
           ".json",
           folder);
  manifest = fopen(path, "w");
  assert_non_null(manifest);
  fprintf(manifest,
          "[{\"paths\": [\"tiny_face_detector_model.bin\"], "
          "\"weights\": [");
  for (size_t i = 0; i < count; i++) {
    size_t elements = 1;

    fprintf(manifest, "%s{\"name\": \"%s\", \"shape\": [", i ? ", " : "",
            weights[i].name);
    for (uint32_t axis = 0; axis < weights[i].rank; axis++) {
      fprintf(manifest, "%s%u", axis ? ", " : "", weights[i].shape[axis]);
      elements *= weights[i].shape[axis];
    }
    fprintf(manifest, "], \"dtype\": \"float32\"");
    if (weights[i].quantized) {
      fprintf(manifest,
              ", \"quantization\": {\"dtype\": \"uint8\", "
              "\"scale\": 0.0078125, \"min\": -1}");
      for (size_t k = 0; k < elements; k++) {
        fputc((int)((written + k * 7) % 251), shard);
      }
      written += elements;
    } else {
      for (size_t k = 0; k < elements; k++) {
        float value = 0.001f * (float)(k % 13);

        fwrite(&value, sizeof value, 1, shard);
      }
      written += 4 * elements;
    }
    fputc('}', manifest);
  }
  fprintf(manifest, "]}]\n");
  fclose(manifest);
  if (shard_delta > 0) {
    for (long k = 0; k < shard_delta; k++)
      fputc(0, shard);
  }
  fclose(shard);
  if (shard_delta < 0) {
    snprintf(path, sizeof path, "%s/tiny_face_detector_model.bin", folder);
    assert_int_equal(truncate(path, (off_t)written + shard_delta), 0);
  }
}

/* Runs the converter; returns its exit status and its stderr in message. */
static int run_converter(char *message, size_t capacity) {
  char command[1024];
  char path[256];
  FILE *stream;
  size_t length;
  int status;

  snprintf(path, sizeof path, "%s/stderr.txt", folder);
  snprintf(command, sizeof command,
           "'%s' '%s' '%s' tiny_face_detector >/dev/null 2>'%s'", converter,
           folder, folder, path);
  status = system(command);
  stream = fopen(path, "r");
  assert_non_null(stream);
  length = fread(message, 1, capacity - 1, stream);
  message[length] = '\0';
  fclose(stream);
  return status;
}

static void expect_refusal(const char *fragment) {
  char message[2048];

  assert_int_not_equal(run_converter(message, sizeof message), 0);
  if (!strstr(message, fragment)) {
    fail_msg("converter said \"%s\", expected \"%s\"", message, fragment);
  }
}

static void test_converts(void **state) {
  fake_weight weights[MAX_WEIGHTS];
  size_t count = tiny_weights(weights);
  char message[2048];
  char path[256];
  dager_model *model;
  int32_t filter;

  (void)state;
  write_model(weights, count, 0);
  assert_int_equal(run_converter(message, sizeof message), 0);
  snprintf(path, sizeof path, "%s/tiny_face_detector.dager", folder);
  assert_int_equal(dager_model_read_file(path, &model), DAGER_OK);
  assert_string_equal(model->task, "detector_tiny");
  assert_int_equal(model->tensor_count, count);
  filter = dager_model_find_tensor(model, "conv0/filters");
  assert_true(filter >= 0);
  assert_int_equal(model->tensors[filter].stored_dtype, DAGER_DTYPE_U8_AFFINE);
  /* byte 0 -> 0 * 0.0078125 - 1; byte 7 -> 7 * 0.0078125 - 1 */
  assert_true(model->tensors[filter].data[0] == -1.0f);
  assert_true(model->tensors[filter].data[1] == -1.0f + 7 * 0.0078125f);
  assert_int_equal(
      model->tensors[dager_model_find_tensor(model, "conv0/bias")].stored_dtype,
      DAGER_DTYPE_F32);
  dager_model_destroy(model);
}

static void test_refuses_unused_weight(void **state) {
  fake_weight weights[MAX_WEIGHTS];
  size_t count = tiny_weights(weights);

  (void)state;
  weights[count++] = (fake_weight){"conv9/extra", 1, {4}, 1};
  write_model(weights, count, 0);
  expect_refusal("conv9/extra is not used");
}

static void test_refuses_missing_weight(void **state) {
  fake_weight weights[MAX_WEIGHTS];
  size_t count = tiny_weights(weights);

  (void)state;
  for (size_t i = 0; i < count; i++) {
    if (strcmp(weights[i].name, "conv3/bias") == 0) {
      weights[i] = weights[--count];
      break;
    }
  }
  write_model(weights, count, 0);
  expect_refusal("conv3/bias is missing");
}

static void test_refuses_wrong_shapes(void **state) {
  fake_weight weights[MAX_WEIGHTS];
  size_t count = tiny_weights(weights);

  (void)state;
  /* 26 grid channels instead of 5 anchors x 5. */
  weights[count - 2].shape[3] = 26;
  weights[count - 1].shape[0] = 26;
  write_model(weights, count, 0);
  expect_refusal("output grid is 13x13x26, expected 13x13x25");

  count = tiny_weights(weights);
  weights[2].shape[0] = 5; /* conv1's depthwise filter 5x3 */
  write_model(weights, count, 0);
  expect_refusal("conv1/depthwise_filter has extent 5 on axis 0");

  count = tiny_weights(weights);
  weights[4].shape[0] = 16; /* conv1's bias of 16, its filter gives 32 */
  write_model(weights, count, 0);
  expect_refusal("conv1/bias has extent 16");
}

static void test_refuses_bad_shards(void **state) {
  fake_weight weights[MAX_WEIGHTS];
  size_t count = tiny_weights(weights);

  (void)state;
  write_model(weights, count, -3);
  expect_refusal("runs past the end");
  write_model(weights, count, 5);
  expect_refusal("5 bytes of shards are not described");
}

static int cleanup(void **state) {
  char command[512];

  (void)state;
  snprintf(command, sizeof command, "rm -rf '%s'", folder);
  return system(command) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_converts),
      cmocka_unit_test(test_refuses_unused_weight),
      cmocka_unit_test(test_refuses_missing_weight),
      cmocka_unit_test(test_refuses_wrong_shapes),
      cmocka_unit_test(test_refuses_bad_shards),
  };

  if (argc != 2) {
    fprintf(stderr, "usage: test_convert PATH_TO_DAGER_CONVERT\n");
    return 2;
  }
  converter = argv[1];
  if (!mkdtemp(folder))
    return 1;
  return cmocka_run_group_tests_name("convert", tests, NULL, cleanup);
}
