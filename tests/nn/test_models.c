/*
 * The converted face-api models, when tools/fetch-models.sh has been run
 * and the build has converted them into $DAGER_MODELS_DIR: each builds
 * into a network, runs on a fixed input without error, and has the output
 * shapes the design fixes. Skipped (and says so) when the files are
 * absent; the always-run tests of the runtime are the synthetic ones.
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

#include "builder.h"
#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "model/model.h"
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"
#include "support/converted_models.h"

typedef struct expected_output {
  const char *name;
  uint32_t h, w, c; /* 0 = not fixed */
} expected_output;

/*
 * Runs the network with the given table and thread count on a fixed input
 * and returns a copy of every output, concatenated.
 */
static float *run(const dager_network *network, uint32_t threads,
                  size_t *count) {
  dager_thread_pool *pool = NULL;
  dager_network_workspace *workspace = NULL;
  size_t total = 0;

  if (threads) {
    assert_int_equal(dager_thread_pool_create(threads, &pool), DAGER_OK);
  }
  assert_int_equal(dager_network_workspace_create(network, pool, &workspace),
                   DAGER_OK);
  dager_tensor_shape in = dager_network_input_shape(network);
  fill_random(dager_network_input(workspace), (size_t)in.h * in.w * in.c, 77);
  if (dager_network_run(network, workspace) != DAGER_OK) {
    fail_msg("run: %s", dager_last_error_message());
  }
  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    total += (size_t)s.h * s.w * s.c;
  }
  float *all = malloc(total * sizeof(float) + 1);
  assert_non_null(all);
  total = 0;
  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    size_t n = (size_t)s.h * s.w * s.c;
    memcpy(all + total, dager_network_output(workspace, i), n * sizeof(float));
    total += n;
  }
  for (size_t i = 0; i < total; i++) {
    if (!isfinite(all[i]))
      fail_msg("output element %zu is not finite", i);
  }
  dager_network_workspace_destroy(workspace);
  dager_thread_pool_destroy(pool);
  *count = total;
  return all;
}

/*
 * Checks the named outputs, then runs with the best table on 1 and 3
 * threads (which must agree bit for bit) and with the scalar table (which
 * must agree within a tolerance scaled to the output's magnitude).
 */
static void check_model_file(const char *file, const expected_output *outputs,
                             size_t output_count) {
  dager_model *model = converted_model_load(file);
  dager_network *network = NULL;
  dager_network *scalar_network = NULL;
  dager_kernels scalar;

  if (!model) {
    skip();
    return;
  }
  if (dager_network_create(model, NULL, &network) != DAGER_OK) {
    fail_msg("%s: %s", file, dager_last_error_message());
  }
  for (size_t i = 0; i < output_count; i++) {
    int32_t index = dager_network_find_output(network, outputs[i].name);
    if (index < 0)
      fail_msg("%s has no output %s", file, outputs[i].name);
    dager_tensor_shape s = dager_network_output_shape(network, (uint32_t)index);
    if ((outputs[i].h && s.h != outputs[i].h) ||
        (outputs[i].w && s.w != outputs[i].w) ||
        (outputs[i].c && s.c != outputs[i].c)) {
      fail_msg("%s: %s is %ux%ux%u, expected %ux%ux%u", file, outputs[i].name,
               s.h, s.w, s.c, outputs[i].h, outputs[i].w, outputs[i].c);
    }
  }
  /* The plan should come close to the bound no plan can beat: the most
   * bytes of values live at any one step (greedy by size reaches it on
   * all seven face networks). */
  size_t bound = 0;
  for (uint32_t step = 0; step <= network->step_count + 1; step++) {
    size_t live = 0;
    for (uint32_t v = 0; v < network->value_count; v++) {
      const dager_nn_value *value = &network->values[v];
      if (value->written && value->first_step <= step &&
          step <= value->last_step) {
        live += value->elements * sizeof(float);
      }
    }
    if (live > bound)
      bound = live;
  }
  if (dager_network_arena_size(network) > bound + bound / 10 + 4096) {
    fail_msg("%s: arena %zu bytes, live values need only %zu", file,
             dager_network_arena_size(network), bound);
  }
  printf("%s: %llu MACs, arena %zu bytes\n", file,
         (unsigned long long)dager_network_mac_count(network),
         dager_network_arena_size(network));

  size_t n1, n3, ns;
  float *one = run(network, 1, &n1);
  float *three = run(network, 3, &n3);
  assert_int_equal(n1, n3);
  assert_memory_equal(one, three, n1 * sizeof(float));

  dager_kernels_fill_scalar(&scalar);
  assert_int_equal(dager_network_create(model, &scalar, &scalar_network),
                   DAGER_OK);
  float *reference = run(scalar_network, 0, &ns);
  assert_int_equal(ns, n1);
  double largest = 0;
  for (size_t i = 0; i < ns; i++) {
    if (fabs((double)reference[i]) > largest) {
      largest = fabs((double)reference[i]);
    }
  }
  assert_close(one, reference, ns, 1e-3 * (1.0 + largest), 1e-3, file);

  free(one);
  free(three);
  free(reference);
  dager_network_destroy(scalar_network);
  dager_network_destroy(network);
  dager_model_destroy(model);
}

static void ssd_mobilenetv1(void **state) {
  expected_output outputs[12];
  char names[12][32];

  (void)state;
  for (int i = 0; i < 6; i++) {
    snprintf(names[i], sizeof names[i], "box_encodings_%d", i);
    snprintf(names[6 + i], sizeof names[6 + i], "class_predictions_%d", i);
    outputs[i] = (expected_output){names[i], 0, 0, 0};
    outputs[6 + i] = (expected_output){names[6 + i], 0, 0, 0};
  }
  check_model_file("ssd_mobilenetv1", outputs, 12);

  /* Each predictor's boxes and classes share a grid, and together the six
   * grids have one cell per anchor of the stored [1, 5118, 4] anchors. */
  dager_model *model = converted_model_load("ssd_mobilenetv1");
  dager_network *network = NULL;
  uint64_t anchors = 0;
  if (!model)
    return;
  assert_int_equal(dager_network_create(model, NULL, &network), DAGER_OK);
  for (int i = 0; i < 6; i++) {
    dager_tensor_shape box = dager_network_output_shape(
        network, (uint32_t)dager_network_find_output(network, names[i]));
    dager_tensor_shape cls = dager_network_output_shape(
        network, (uint32_t)dager_network_find_output(network, names[6 + i]));
    assert_int_equal(box.h, cls.h);
    assert_int_equal(box.w, cls.w);
    assert_int_equal(box.c % 4, 0);
    assert_int_equal(cls.c, box.c / 4 * 3);
    anchors += (uint64_t)box.h * box.w * (box.c / 4);
  }
  assert_int_equal(anchors, 5118);
  dager_network_destroy(network);
  dager_model_destroy(model);
}

static void tiny_face_detector(void **state) {
  /* 5 anchors x (4 box + 1 score): one class, so no class scores
   * (docs/model-format.md). */
  const expected_output outputs[] = {{"grid", 0, 0, 25}};
  dager_model *model;

  (void)state;
  check_model_file("tiny_face_detector", outputs, 1);

  /* Any multiple of 32 from 128 to 608 without a new model. */
  model = converted_model_load("tiny_face_detector");
  if (!model)
    return;
  for (uint32_t size = 128; size <= 608; size += 160) {
    dager_network *network = NULL;
    if (dager_network_create_sized(model, NULL, size, size, &network) !=
        DAGER_OK) {
      fail_msg("size %u: %s", size, dager_last_error_message());
    }
    dager_tensor_shape grid = dager_network_output_shape(network, 0);
    assert_int_equal(grid.h, size / 32);
    assert_int_equal(grid.w, size / 32);
    size_t n;
    free(run(network, 2, &n));
    dager_network_destroy(network);
  }
  dager_model_destroy(model);
}

static void face_landmark_68(void **state) {
  const expected_output outputs[] = {{"landmarks", 1, 1, 136}};
  (void)state;
  check_model_file("face_landmark_68", outputs, 1);
}

static void face_landmark_68_tiny(void **state) {
  const expected_output outputs[] = {{"landmarks", 1, 1, 136}};
  (void)state;
  check_model_file("face_landmark_68_tiny", outputs, 1);
}

static void age_gender(void **state) {
  const expected_output outputs[] = {{"age", 1, 1, 1}, {"gender", 1, 1, 2}};
  (void)state;
  check_model_file("age_gender", outputs, 2);
}

static void face_expression(void **state) {
  const expected_output outputs[] = {{"expressions", 1, 1, 7}};
  (void)state;
  check_model_file("face_expression", outputs, 1);
}

static void face_recognition(void **state) {
  const expected_output outputs[] = {{"descriptor", 1, 1, 128}};
  (void)state;
  check_model_file("face_recognition", outputs, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ssd_mobilenetv1),
      cmocka_unit_test(tiny_face_detector),
      cmocka_unit_test(face_landmark_68),
      cmocka_unit_test(face_landmark_68_tiny),
      cmocka_unit_test(age_gender),
      cmocka_unit_test(face_expression),
      cmocka_unit_test(face_recognition),
  };
  int failures =
      cmocka_run_group_tests_name("nn converted models", tests, NULL, NULL);
  /* 77 is meson's "skipped" when no model file exists at all. */
  if (failures == 0 && converted_models_found() == 0)
    return 77;
  return failures;
}
