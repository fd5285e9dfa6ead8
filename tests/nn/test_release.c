/*
 * A built network must not read the model's tensor data: the engine frees
 * it (dager_model_release_tensor_data) to save the float copy of every
 * weight. Each test runs a network, then poisons the weights with NaN and
 * frees them, runs again and wants the same bits. A stale pointer shows as
 * a NaN or a changed output here, and as a use after free under ASan.
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
#include "model/model.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

/* Runs the network on a fixed input and returns a copy of every output,
 * concatenated. */
static float *run_copy(const dager_network *network, dager_thread_pool *pool,
                       size_t *count) {
  dager_network_workspace *workspace = NULL;
  dager_tensor_shape in = dager_network_input_shape(network);
  size_t total = 0;
  float *all;

  assert_int_equal(dager_network_workspace_create(network, pool, &workspace),
                   DAGER_OK);
  fill_random(dager_network_input(workspace), (size_t)in.h * in.w * in.c, 5);
  assert_int_equal(dager_network_run(network, workspace), DAGER_OK);
  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    total += (size_t)s.h * s.w * s.c;
  }
  all = malloc(total * sizeof(float) + 1);
  assert_non_null(all);
  total = 0;
  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    size_t n = (size_t)s.h * s.w * s.c;

    memcpy(all + total, dager_network_output(workspace, i), n * sizeof(float));
    total += n;
  }
  dager_network_workspace_destroy(workspace);
  *count = total;
  return all;
}

static void expect_same_bits(const float *before, size_t before_count,
                             const float *after, size_t after_count,
                             const char *what) {
  assert_int_equal(before_count, after_count);
  for (size_t i = 0; i < before_count; i++) {
    if (isnan(after[i]) && !isnan(before[i])) {
      fail_msg("%s: element %zu became NaN: a weight was read from the model",
               what, i);
    }
  }
  if (memcmp(before, after, before_count * sizeof(float)) != 0) {
    fail_msg("%s: outputs changed after the model's data was released", what);
  }
}

/*
 * Every op that takes weights, each with its bias (and the affine node's
 * scale), in one small graph: conv with a residual, depthwise conv, affine,
 * fully connected.
 */
static void build_weighted_graph(builder *b) {
  uint32_t conv_filter, conv_bias, dw_filter, dw_bias, scale, shift;
  uint32_t fc_weights, fc_bias, inputs[2];
  dager_model_node *node;

  builder_init(b, 6, 5, 3, 99);
  conv_filter = builder_tensor4(b, 3, 3, 3, 4);
  conv_bias = builder_vector(b, 4);
  node = builder_node1(b, DAGER_OP_CONV2D, 0);
  node->stride_h = node->stride_w = 1;
  node->padding = DAGER_PADDING_SAME;
  node->weight_count = 2;
  node->weights[0] = conv_filter;
  node->weights[1] = conv_bias;
  node->activation = DAGER_ACTIVATION_RELU;
  inputs[0] = node->output;

  dw_filter = builder_tensor4(b, 3, 3, 4, 1);
  dw_bias = builder_vector(b, 4);
  node = builder_node1(b, DAGER_OP_DEPTHWISE_CONV2D, inputs[0]);
  node->stride_h = node->stride_w = 1;
  node->padding = DAGER_PADDING_SAME;
  node->weight_count = 2;
  node->weights[0] = dw_filter;
  node->weights[1] = dw_bias;
  inputs[1] = node->output;

  /* A second conv whose residual is the depthwise output. */
  conv_filter = builder_tensor4(b, 1, 1, 4, 4);
  conv_bias = builder_vector(b, 4);
  node =
      builder_node(b, DAGER_OP_CONV2D, 2, (uint32_t[]){inputs[0], inputs[1]});
  node->stride_h = node->stride_w = 1;
  node->padding = DAGER_PADDING_SAME;
  node->weight_count = 2;
  node->weights[0] = conv_filter;
  node->weights[1] = conv_bias;

  scale = builder_vector(b, 4);
  shift = builder_vector(b, 4);
  node = builder_node1(b, DAGER_OP_AFFINE, node->output);
  node->weight_count = 2;
  node->weights[0] = scale;
  node->weights[1] = shift;
  node->activation = DAGER_ACTIVATION_LEAKY_RELU;
  node->alpha = 0.2f;

  fc_weights = builder_tensor(b, 2, (uint32_t[]){6 * 5 * 4, 7});
  fc_bias = builder_vector(b, 7);
  node = builder_node1(b, DAGER_OP_FULLY_CONNECTED, node->output);
  node->weight_count = 2;
  node->weights[0] = fc_weights;
  node->weights[1] = fc_bias;
  builder_output(b, node->output, "y");
  builder_output(b, inputs[1], "features");
}

/* NaN in every weight, then freed, so the model has no data left. */
static void poison_and_free(builder *b) {
  for (uint32_t i = 0; i < b->model.tensor_count; i++) {
    for (size_t k = 0; k < b->tensors[i].element_count; k++) {
      b->data[i][k] = NAN;
    }
    free(b->data[i]);
    b->data[i] = NULL;
    b->tensors[i].data = NULL;
  }
}

static void test_synthetic_network_owns_its_weights(void **state) {
  dager_thread_pool *pool = NULL;
  builder b;
  dager_network *network = NULL;
  dager_network *again = NULL;
  float *before, *after, *pooled;
  size_t before_count, after_count, pooled_count;

  (void)state;
  build_weighted_graph(&b);
  assert_int_equal(dager_network_create(&b.model, NULL, &network), DAGER_OK);
  before = run_copy(network, NULL, &before_count);
  for (size_t i = 0; i < before_count; i++)
    assert_false(isnan(before[i]));

  poison_and_free(&b);
  after = run_copy(network, NULL, &after_count);
  expect_same_bits(before, before_count, after, after_count, "synthetic");

  /* Split over threads the bits are the same too (the runtime promises
   * it), and the threads read no model data either. */
  assert_int_equal(dager_thread_pool_create(3, &pool), DAGER_OK);
  pooled = run_copy(network, pool, &pooled_count);
  expect_same_bits(before, before_count, pooled, pooled_count, "pooled");

  /* Without data the model can no longer build a network, and says why. */
  assert_int_equal(dager_network_create(&b.model, NULL, &again),
                   DAGER_ERROR_MODEL_INVALID);
  assert_null(again);
  assert_non_null(strstr(dager_last_error_message(), "no data"));

  dager_thread_pool_destroy(pool);
  dager_network_destroy(network);
  free(before);
  free(after);
  free(pooled);
  builder_free(&b);
}

static const char *const model_files[] = {
    "ssd_mobilenetv1.dager",  "tiny_face_detector.dager",
    "face_landmark_68.dager", "face_landmark_68_tiny.dager",
    "age_gender.dager",       "face_expression.dager",
    "face_recognition.dager",
};

/*
 * The converted models: poisoned in place (the reader's block is writable
 * memory the model only views as const), run, then released for real.
 */
static void test_converted_models_after_release(void **state) {
  const char *folder = getenv("DAGER_MODELS_DIR");
  int found = 0;

  (void)state;
  for (size_t m = 0; m < sizeof model_files / sizeof model_files[0]; m++) {
    char path[4096];
    dager_model *model = NULL;
    dager_network *network = NULL;
    dager_network *again = NULL;
    float *before, *poisoned, *released;
    size_t before_count, poisoned_count, released_count;
    FILE *probe;

    if (!folder)
      break;
    snprintf(path, sizeof path, "%s/%s", folder, model_files[m]);
    probe = fopen(path, "rb");
    if (!probe) {
      printf("%s is absent; not checked\n", path);
      continue;
    }
    fclose(probe);
    found++;
    if (dager_model_read_file(path, &model) != DAGER_OK)
      fail_msg("%s: %s", path, dager_last_error_message());
    if (dager_network_create(model, NULL, &network) != DAGER_OK)
      fail_msg("%s: %s", path, dager_last_error_message());
    before = run_copy(network, NULL, &before_count);

    for (uint32_t t = 0; t < model->tensor_count; t++) {
      float *data = (float *)(uintptr_t)model->tensors[t].data;
      for (size_t k = 0; k < model->tensors[t].element_count; k++)
        data[k] = NAN;
    }
    poisoned = run_copy(network, NULL, &poisoned_count);
    expect_same_bits(before, before_count, poisoned, poisoned_count,
                     model_files[m]);

    dager_model_release_tensor_data(model);
    for (uint32_t t = 0; t < model->tensor_count; t++)
      assert_null(model->tensors[t].data);
    released = run_copy(network, NULL, &released_count);
    expect_same_bits(before, before_count, released, released_count,
                     model_files[m]);
    assert_int_equal(dager_network_create(model, NULL, &again),
                     DAGER_ERROR_MODEL_INVALID);

    dager_network_destroy(network);
    dager_model_destroy(model);
    free(before);
    free(poisoned);
    free(released);
  }
  if (!found) {
    printf(
        "no converted models in %s (run tools/fetch-models.sh and "
        "rebuild); skipping\n",
        folder ? folder : "(DAGER_MODELS_DIR unset)");
    skip();
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_synthetic_network_owns_its_weights),
      cmocka_unit_test(test_converted_models_after_release),
  };

  return cmocka_run_group_tests_name("nn_release", tests, NULL, NULL);
}
