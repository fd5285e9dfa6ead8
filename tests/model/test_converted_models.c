/*
 * The seven converted face-api models in $DAGER_MODELS_DIR (made by the
 * build after tools/fetch-models.sh): each loads, its metadata reads back
 * as docs/model-format.md says, every stored tensor but the SSD anchors is
 * used by exactly one node, and, run by the runtime on the fixed input of
 * tests/fixtures/reference, its outputs agree with TF.js's. That last
 * check is what says the converter mapped each reference layer right.
 * Skipped, and saying so, when the models are absent.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"
#include "model/shapes.h"
#include "nn/nn.h"
#include "support/converted_models.h"

/* Relative to the output's largest magnitude. The converter folds batch
 * norms and scale layers (a few float roundings per layer) and the kernels
 * sum in another order than TF.js; the measured differences (printed) were
 * at most 4e-6 with the scalar, SSE4.1, AVX2 and AVX-512 kernels, about
 * what TF.js's own cpu and wasm backends differ by. A wrong layer mapping gives
 * differences of order 1. */
#define PARITY_TOLERANCE 1e-4

static void check_common_metadata(const dager_model *model, const char *task,
                                  uint32_t size) {
  assert_string_equal(model->task, task);
  assert_int_equal(model->input_h, size);
  assert_int_equal(model->input_w, size);
  assert_int_equal(model->input_c, 3);
  assert_string_equal(model->channel_order, "RGB");
  assert_string_equal(dager_model_metadata(model, "source_package"),
                      "@vladmandic/face-api");
  assert_string_equal(dager_model_metadata(model, "source_version"), "1.7.15");
  assert_string_equal(dager_model_metadata(model, "source_license"), "MIT");
  assert_non_null(dager_model_metadata(model, "converter"));
  assert_non_null(dager_model_metadata(model, "input_fit"));
}

/* Every tensor feeds exactly one node, except those named in unused. */
static void check_tensor_use(const dager_model *model, const char *unused) {
  uint32_t *uses = calloc(model->tensor_count + 1, sizeof *uses);

  assert_non_null(uses);
  for (uint32_t i = 0; i < model->node_count; i++) {
    for (uint32_t k = 0; k < model->nodes[i].weight_count; k++) {
      uses[model->nodes[i].weights[k]]++;
    }
  }
  for (uint32_t i = 0; i < model->tensor_count; i++) {
    int expected =
        unused && strcmp(model->tensors[i].name, unused) == 0 ? 0 : 1;

    if (uses[i] != (uint32_t)expected) {
      fail_msg("tensor %s is used %u times", model->tensors[i].name, uses[i]);
    }
  }
  free(uses);
}

static float *read_fixture(const char *network, const char *output,
                           size_t count) {
  const char *root = getenv("DAGER_SOURCE_ROOT");
  char path[4096];
  FILE *stream;
  float *values;

  if (!root)
    return NULL;
  snprintf(path, sizeof path, "%s/tests/fixtures/reference/%s.%s.f32", root,
           network, output);
  stream = fopen(path, "rb");
  if (!stream) {
    printf("%s is absent; parity not checked\n", path);
    return NULL;
  }
  values = malloc(count * sizeof *values);
  assert_non_null(values);
  /* The fixtures are little-endian float32, as is every host we build
   * for (x86-64, aarch64). */
  if (fread(values, sizeof *values, count, stream) != count ||
      fgetc(stream) != EOF) {
    fail_msg("%s does not hold %zu floats", path, count);
  }
  fclose(stream);
  return values;
}

/* The fixtures' input: a fixed integer pattern, normalised with the
 * model's own mean and divisor (as the reference's forward function). */
static void fill_input(const dager_model *model, float *input) {
  uint32_t size = model->input_h;

  for (uint32_t y = 0; y < size; y++) {
    for (uint32_t x = 0; x < size; x++) {
      for (uint32_t c = 0; c < 3; c++) {
        uint32_t value =
            (3 * x * x + 5 * (c + 1) * y * y + 7 * x * (y + 1) + 61 * c) % 256;

        input[((size_t)y * size + x) * 3 + c] =
            ((float)value - model->mean[c]) / model->divisor[c];
      }
    }
  }
}

static void check_parity(const char *network_name, const dager_model *model) {
  dager_network *network = NULL;
  dager_network_workspace *workspace = NULL;

  if (dager_network_create(model, NULL, &network) != DAGER_OK) {
    fail_msg("%s: %s", network_name, dager_last_error_message());
  }
  assert_int_equal(dager_network_workspace_create(network, NULL, &workspace),
                   DAGER_OK);
  fill_input(model, dager_network_input(workspace));
  if (dager_network_run(network, workspace) != DAGER_OK) {
    fail_msg("%s: %s", network_name, dager_last_error_message());
  }
  for (uint32_t i = 0; i < model->output_count; i++) {
    const char *output = model->outputs[i].name;
    int32_t index = dager_network_find_output(network, output);
    dager_tensor_shape shape;
    size_t count;
    const float *actual;
    float *expected;
    double largest = 0;
    double difference = 0;

    assert_true(index >= 0);
    shape = dager_network_output_shape(network, (uint32_t)index);
    count = (size_t)shape.h * shape.w * shape.c;
    expected = read_fixture(network_name, output, count);
    if (!expected)
      continue;
    actual = dager_network_output(workspace, (uint32_t)index);
    for (size_t k = 0; k < count; k++) {
      largest = fmax(largest, fabs((double)expected[k]));
      difference =
          fmax(difference, fabs((double)actual[k] - (double)expected[k]));
    }
    printf("%s.%s: largest |difference| %.3g, relative %.3g\n", network_name,
           output, difference, difference / fmax(largest, 1e-30));
    if (difference > PARITY_TOLERANCE * fmax(largest, 1e-6)) {
      fail_msg("%s.%s differs from TF.js by %g (largest value %g)",
               network_name, output, difference, largest);
    }
    free(expected);
  }
  dager_network_workspace_destroy(workspace);
  dager_network_destroy(network);
}

static void test_ssd_mobilenetv1(void **state) {
  dager_model *model = converted_model_load("ssd_mobilenetv1");
  int32_t anchors;
  uint32_t count;

  (void)state;
  if (!model)
    skip();
  check_common_metadata(model, "detector_ssd", 512);
  assert_true(model->mean[0] == 127.5f && model->divisor[2] == 127.5f);
  assert_int_equal(dager_model_metadata_uint(model, "anchor_count", &count),
                   DAGER_OK);
  assert_int_equal(count, 5118);
  assert_string_equal(dager_model_metadata(model, "anchor_layout"),
                      "ymin,xmin,ymax,xmax");
  anchors = dager_model_find_tensor(model, "anchors");
  assert_true(anchors >= 0);
  assert_int_equal(model->tensors[anchors].rank, 3);
  assert_int_equal(model->tensors[anchors].shape[1], 5118);
  assert_int_equal(model->tensors[anchors].shape[2], 4);
  assert_int_equal(model->output_count, 12);
  check_tensor_use(model, "anchors");
  check_parity("ssd_mobilenetv1", model);
  dager_model_destroy(model);
}

static void test_tiny_face_detector(void **state) {
  dager_model *model = converted_model_load("tiny_face_detector");
  float anchors[16];
  uint32_t count;

  (void)state;
  if (!model)
    skip();
  check_common_metadata(model, "detector_tiny", 416);
  assert_true(model->mean[2] == 97.404f && model->divisor[0] == 255.0f);
  assert_int_equal(
      dager_model_metadata_floats(model, "anchors", anchors, 16, &count),
      DAGER_OK);
  assert_int_equal(count, 10);
  assert_true(anchors[0] == 1.603231f && anchors[9] == 10.66308f);
  assert_int_equal(dager_model_metadata_uint(model, "input_size_min", &count),
                   DAGER_OK);
  assert_int_equal(count, 128);
  assert_int_equal(dager_model_metadata_uint(model, "input_size_max", &count),
                   DAGER_OK);
  assert_int_equal(count, 608);
  assert_true(dager_model_find_output(model, "grid") >= 0);
  check_tensor_use(model, NULL);
  check_parity("tiny_face_detector", model);
  dager_model_destroy(model);
}

static void check_face_net(const char *network, const char *task, uint32_t size,
                           const char *labels) {
  dager_model *model = converted_model_load(network);

  if (!model)
    skip();
  check_common_metadata(model, task, size);
  assert_true(model->mean[0] == 122.782f && model->mean[1] == 117.001f &&
              model->mean[2] == 104.298f);
  assert_true(model->divisor[1] == 255.0f);
  assert_string_equal(dager_model_metadata(model, "input_fit"), "pad_center");
  if (labels) {
    char joined[256] = "";

    for (uint32_t i = 0; i < model->label_count; i++) {
      if (i)
        strcat(joined, ",");
      strcat(joined, model->labels[i]);
    }
    assert_string_equal(joined, labels);
  } else {
    assert_int_equal(model->label_count, 0);
  }
  check_tensor_use(model, NULL);
  check_parity(network, model);
  dager_model_destroy(model);
}

static void test_face_landmark_68(void **state) {
  (void)state;
  check_face_net("face_landmark_68", "landmarks_68", 112, NULL);
}

static void test_face_landmark_68_tiny(void **state) {
  (void)state;
  check_face_net("face_landmark_68_tiny", "landmarks_68_tiny", 112, NULL);
}

static void test_age_gender(void **state) {
  (void)state;
  check_face_net("age_gender", "age_gender", 112, "male,female");
}

static void test_face_expression(void **state) {
  (void)state;
  check_face_net("face_expression", "expression", 112,
                 "neutral,happy,sad,angry,fearful,disgusted,surprised");
}

static void test_face_recognition(void **state) {
  (void)state;
  check_face_net("face_recognition", "descriptor", 150, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ssd_mobilenetv1),
      cmocka_unit_test(test_tiny_face_detector),
      cmocka_unit_test(test_face_landmark_68),
      cmocka_unit_test(test_face_landmark_68_tiny),
      cmocka_unit_test(test_age_gender),
      cmocka_unit_test(test_face_expression),
      cmocka_unit_test(test_face_recognition),
  };
  int failures =
      cmocka_run_group_tests_name("converted_models", tests, NULL, NULL);

  /* Meson's code for a skipped test, when nothing could be checked. */
  if (failures == 0 && converted_models_found() == 0)
    return 77;
  return failures;
}
