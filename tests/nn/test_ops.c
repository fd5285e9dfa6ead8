/*
 * Every op of the runtime, alone and combined, against the naive
 * computations of builder.c. Each model runs with no pool and with pools
 * of 1..4 threads, on an arena poisoned three ways; all those runs must
 * agree bit for bit (the split and the arena contents may not matter) and
 * match the naive result within float rounding.
 */
#include <math.h>
#include <pthread.h>
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
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

static dager_kernels scalar_table;

static int setup(void **state) {
  (void)state;
  dager_kernels_fill_scalar(&scalar_table);
  return 0;
}

static void check_model(const dager_model *model, const float *input,
                        const float *expected, size_t expected_count) {
  check_model_everywhere(model, input, expected, expected_count, 1e-4);
}

static void set_activation(dager_model_node *node, uint32_t which) {
  node->activation = which % 4;
  node->alpha = 0.2f;
  node->clamp_min = -0.5f;
  node->clamp_max = 0.75f;
}

static void convolution_shapes(void **state) {
  static const uint32_t sizes[][2] = {{7, 5}, {8, 8}, {1, 1}, {9, 13}};
  static const uint32_t kernels[][2] = {{1, 1}, {3, 3}, {2, 3}, {5, 5}};
  static const uint32_t channels[][2] = {{1, 4}, {3, 7}, {5, 1}, {8, 16}};
  uint32_t cases = 0;

  (void)state;
  for (size_t s = 0; s < 4; s++) {
    for (size_t k = 0; k < 4; k++) {
      for (uint32_t stride = 1; stride <= 2; stride++) {
        for (int same = 0; same <= 1; same++) {
          const uint32_t h = sizes[s][0], w = sizes[s][1];
          const uint32_t kh = kernels[k][0], kw = kernels[k][1];
          const uint32_t in_c = channels[(s + k) % 4][0];
          const uint32_t out_c = channels[(s + k + stride) % 4][1];
          builder b;

          if (!same && (kh > h || kw > w))
            continue;
          builder_init(&b, h, w, in_c, cases);
          uint32_t filter = builder_tensor4(&b, kh, kw, in_c, out_c);
          uint32_t bias = builder_vector(&b, out_c);
          dager_model_node *node = builder_node1(&b, DAGER_OP_CONV2D, 0);
          node->kernel_h = kh;
          node->kernel_w = kw;
          node->stride_h = node->stride_w = stride;
          node->padding = same ? DAGER_PADDING_SAME : DAGER_PADDING_VALID;
          node->weight_count = 2;
          node->weights[0] = filter;
          node->weights[1] = bias;
          set_activation(node, cases);
          builder_output(&b, node->output, "y");

          float *input = builder_random_input(&b, 4242);
          naive_tensor x = naive_copy(input, h, w, in_c);
          naive_tensor y =
              naive_conv(&x, builder_data(&b, filter), kh, kw, out_c, node,
                         builder_data(&b, bias), NULL);
          check_model(&b.model, input, y.data, (size_t)y.h * y.w * y.c);

          naive_free(&x);
          naive_free(&y);
          free(input);
          builder_free(&b);
          cases++;
        }
      }
    }
  }
  assert_true(cases > 50);
}

static void convolution_with_residual(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 6, 7, 4, 11);
  uint32_t f1 = builder_tensor4(&b, 3, 3, 4, 5);
  uint32_t f2 = builder_tensor4(&b, 3, 3, 4, 5);
  uint32_t bias = builder_vector(&b, 5);
  dager_model_node *first = builder_node1(&b, DAGER_OP_CONV2D, 0);
  first->kernel_h = first->kernel_w = 3;
  first->weight_count = 1;
  first->weights[0] = f1;
  uint32_t inputs[2] = {0, first->output};
  dager_model_node *second = builder_node(&b, DAGER_OP_CONV2D, 2, inputs);
  second->kernel_h = second->kernel_w = 3;
  second->weight_count = 2;
  second->weights[0] = f2;
  second->weights[1] = bias;
  second->activation = DAGER_ACTIVATION_RELU;
  builder_output(&b, second->output, "y");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, 6, 7, 4);
  naive_tensor r =
      naive_conv(&x, builder_data(&b, f1), 3, 3, 5, first, NULL, NULL);
  naive_tensor y = naive_conv(&x, builder_data(&b, f2), 3, 3, 5, second,
                              builder_data(&b, bias), &r);
  check_model(&b.model, input, y.data, (size_t)6 * 7 * 5);

  naive_free(&x);
  naive_free(&r);
  naive_free(&y);
  free(input);
  builder_free(&b);
}

/*
 * 3x3 stride-1 convolutions wide enough for the runtime to run them as
 * Winograd (nn/winograd_choice.c), at one size for F(2x2, 3x3) and one
 * for F(4x4, 3x3), with odd sizes so tiles are cut at the right and
 * bottom, a residual, bias and activations in the epilogue, and
 * a stride-2 convolution after them that stays direct. check_model runs
 * them split over 1..4 threads, which must not change a bit. With
 * DAGER_WINOGRAD=0 the same model runs direct.
 */
static void winograd_network(uint32_t h, uint32_t w) {
  const uint32_t c = 16, mid = 24;
  builder b;

  builder_init(&b, h, w, c, 29);
  uint32_t f1 = builder_tensor4(&b, 3, 3, c, mid);
  uint32_t f2 = builder_tensor4(&b, 3, 3, mid, c);
  uint32_t f3 = builder_tensor4(&b, 3, 3, c, c);
  uint32_t b1 = builder_vector(&b, mid);
  uint32_t b2 = builder_vector(&b, c);
  dager_model_node *first = builder_node1(&b, DAGER_OP_CONV2D, 0);
  first->kernel_h = first->kernel_w = 3;
  first->weight_count = 2;
  first->weights[0] = f1;
  first->weights[1] = b1;
  set_activation(first, 1);
  uint32_t inputs[2] = {first->output, 0};
  dager_model_node *second = builder_node(&b, DAGER_OP_CONV2D, 2, inputs);
  second->kernel_h = second->kernel_w = 3;
  second->weight_count = 2;
  second->weights[0] = f2;
  second->weights[1] = b2;
  set_activation(second, 3);
  dager_model_node *third = builder_node1(&b, DAGER_OP_CONV2D, second->output);
  third->kernel_h = third->kernel_w = 3;
  third->stride_h = third->stride_w = 2;
  third->weight_count = 1;
  third->weights[0] = f3;
  builder_output(&b, third->output, "y");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, h, w, c);
  naive_tensor y1 = naive_conv(&x, builder_data(&b, f1), 3, 3, mid, first,
                               builder_data(&b, b1), NULL);
  naive_tensor y2 = naive_conv(&y1, builder_data(&b, f2), 3, 3, c, second,
                               builder_data(&b, b2), &x);
  naive_tensor y3 =
      naive_conv(&y2, builder_data(&b, f3), 3, 3, c, third, NULL, NULL);
  /* Winograd's rounding error scales with the size of the sums it
   * transforms, not with each output: bound it by the largest output.
   * Measured worst here: about 1e-6 of it (F(4x4, 3x3), scalar table),
   * against a bound of 1e-5. */
  double largest = 0.0;
  for (size_t i = 0; i < (size_t)y3.h * y3.w * y3.c; i++) {
    if (fabs((double)y3.data[i]) > largest)
      largest = fabs((double)y3.data[i]);
  }
  check_model_everywhere(&b.model, input, y3.data, (size_t)y3.h * y3.w * y3.c,
                         1e-4 + 1e-5 * largest);

  dager_network *network = NULL;
  assert_int_equal(dager_network_create(&b.model, &scalar_table, &network),
                   DAGER_OK);
  assert_int_equal(dager_network_winograd_steps(network), 2);
  dager_network_destroy(network);
  setenv("DAGER_WINOGRAD", "0", 1);
  assert_int_equal(dager_network_create(&b.model, &scalar_table, &network),
                   DAGER_OK);
  unsetenv("DAGER_WINOGRAD");
  assert_int_equal(dager_network_winograd_steps(network), 0);
  dager_network_destroy(network);

  naive_free(&x);
  naive_free(&y1);
  naive_free(&y2);
  naive_free(&y3);
  free(input);
  builder_free(&b);
}

static void winograd_convolutions(void **state) {
  (void)state;
  winograd_network(13, 11); /* 12 tiles of 4x4: F(2x2, 3x3) */
  winograd_network(21, 19); /* 30 tiles of 4x4: F(4x4, 3x3) */
}

static void depthwise_shapes(void **state) {
  static const uint32_t sizes[][2] = {{7, 5}, {8, 8}, {2, 3}, {11, 6}};
  static const uint32_t channel_counts[] = {1, 3, 8, 17};
  uint32_t cases = 0;

  (void)state;
  for (size_t s = 0; s < 4; s++) {
    for (size_t ci = 0; ci < 4; ci++) {
      for (uint32_t stride = 1; stride <= 2; stride++) {
        for (int same = 0; same <= 1; same++) {
          const uint32_t h = sizes[s][0], w = sizes[s][1];
          const uint32_t c = channel_counts[ci];
          builder b;

          if (!same && (h < 3 || w < 3))
            continue;
          builder_init(&b, h, w, c, 100 + cases);
          uint32_t filter = builder_tensor4(&b, 3, 3, c, 1);
          uint32_t bias = builder_vector(&b, c);
          dager_model_node *node =
              builder_node1(&b, DAGER_OP_DEPTHWISE_CONV2D, 0);
          node->kernel_h = node->kernel_w = 3;
          node->stride_h = node->stride_w = stride;
          node->padding = same ? DAGER_PADDING_SAME : DAGER_PADDING_VALID;
          node->weight_count = (cases % 2) ? 2 : 1;
          node->weights[0] = filter;
          node->weights[1] = (cases % 2) ? bias : 0;
          set_activation(node, cases);
          builder_output(&b, node->output, "y");

          float *input = builder_random_input(&b, 4242);
          naive_tensor x = naive_copy(input, h, w, c);
          naive_tensor y =
              naive_depthwise(&x, builder_data(&b, filter), 3, 3, node,
                              (cases % 2) ? builder_data(&b, bias) : NULL);
          check_model(&b.model, input, y.data, (size_t)y.h * y.w * y.c);

          naive_free(&x);
          naive_free(&y);
          free(input);
          builder_free(&b);
          cases++;
        }
      }
    }
  }
  assert_true(cases > 40);
}

static void pooling_shapes(void **state) {
  /* kernel, stride, same: the face networks' pools and some odd ones. */
  static const uint32_t windows[][3] = {{2, 2, 1}, {3, 1, 1}, {3, 2, 1},
                                        {7, 2, 0}, {2, 1, 0}, {3, 3, 1}};
  static const uint32_t sizes[][3] = {{7, 9, 3}, {8, 8, 16}, {15, 15, 5}};
  uint32_t cases = 0;

  (void)state;
  for (size_t wi = 0; wi < 6; wi++) {
    for (size_t s = 0; s < 3; s++) {
      for (int is_max = 0; is_max <= 1; is_max++) {
        const uint32_t h = sizes[s][0], w = sizes[s][1], c = sizes[s][2];
        builder b;

        if (windows[wi][0] > h || windows[wi][0] > w)
          continue;
        builder_init(&b, h, w, c, 300 + cases);
        dager_model_node *node = builder_node1(
            &b, is_max ? DAGER_OP_MAX_POOL : DAGER_OP_AVERAGE_POOL, 0);
        node->kernel_h = node->kernel_w = windows[wi][0];
        node->stride_h = node->stride_w = windows[wi][1];
        node->padding =
            windows[wi][2] ? DAGER_PADDING_SAME : DAGER_PADDING_VALID;
        builder_output(&b, node->output, "y");

        float *input = builder_random_input(&b, 4242);
        naive_tensor x = naive_copy(input, h, w, c);
        naive_tensor y = naive_pool(&x, node, is_max);
        check_model(&b.model, input, y.data, (size_t)y.h * y.w * y.c);

        naive_free(&x);
        naive_free(&y);
        free(input);
        builder_free(&b);
        cases++;
      }
    }
  }
  assert_true(cases > 25);
}

static void global_average_pool(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 5, 7, 9, 7);
  dager_model_node *node = builder_node1(&b, DAGER_OP_GLOBAL_AVERAGE_POOL, 0);
  builder_output(&b, node->output, "y");

  float *input = builder_random_input(&b, 4242);
  float expected[9];
  for (uint32_t c = 0; c < 9; c++) {
    double sum = 0;
    for (uint32_t p = 0; p < 35; p++)
      sum += (double)input[p * 9 + c];
    expected[c] = (float)(sum / 35);
  }
  check_model(&b.model, input, expected, 9);
  free(input);
  builder_free(&b);
}

/* Three branches of one shape added together, with a leaky relu. */
static void add_with_activation(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 5, 6, 4, 21);
  uint32_t f = builder_tensor4(&b, 1, 1, 4, 4);
  uint32_t d = builder_tensor4(&b, 3, 3, 4, 1);
  dager_model_node *conv = builder_node1(&b, DAGER_OP_CONV2D, 0);
  conv->kernel_h = conv->kernel_w = 1;
  conv->weight_count = 1;
  conv->weights[0] = f;
  dager_model_node *dw = builder_node1(&b, DAGER_OP_DEPTHWISE_CONV2D, 0);
  dw->kernel_h = dw->kernel_w = 3;
  dw->weight_count = 1;
  dw->weights[0] = d;
  uint32_t two[2] = {conv->output, dw->output};
  dager_model_node *add2 = builder_node(&b, DAGER_OP_ADD, 2, two);
  add2->activation = DAGER_ACTIVATION_RELU;
  uint32_t three[3] = {0, conv->output, dw->output};
  dager_model_node *add3 = builder_node(&b, DAGER_OP_ADD, 3, three);
  add3->activation = DAGER_ACTIVATION_LEAKY_RELU;
  add3->alpha = 0.1f;
  builder_output(&b, add2->output, "two");
  builder_output(&b, add3->output, "three");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, 5, 6, 4);
  naive_tensor a =
      naive_conv(&x, builder_data(&b, f), 1, 1, 4, conv, NULL, NULL);
  naive_tensor c = naive_depthwise(&x, builder_data(&b, d), 3, 3, dw, NULL);
  const size_t n = 5 * 6 * 4;
  float *expected = malloc(2 * n * sizeof(float));
  assert_non_null(expected);
  for (size_t i = 0; i < n; i++) {
    expected[i] = naive_activate(add2, a.data[i] + c.data[i]);
    expected[n + i] = naive_activate(add3, input[i] + a.data[i] + c.data[i]);
  }
  check_model(&b.model, input, expected, 2 * n);

  free(expected);
  naive_free(&x);
  naive_free(&a);
  naive_free(&c);
  free(input);
  builder_free(&b);
}

static void affine_and_activation_only(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 3, 5, 6, 31);
  uint32_t scale = builder_vector(&b, 6);
  uint32_t bias = builder_vector(&b, 6);
  dager_model_node *affine = builder_node1(&b, DAGER_OP_AFFINE, 0);
  affine->weight_count = 2;
  affine->weights[0] = scale;
  affine->weights[1] = bias;
  affine->activation = DAGER_ACTIVATION_CLAMP;
  affine->clamp_min = -0.25f;
  affine->clamp_max = 0.5f;
  dager_model_node *relu = builder_node1(&b, DAGER_OP_AFFINE, 0);
  relu->activation = DAGER_ACTIVATION_RELU;
  builder_output(&b, affine->output, "affine");
  builder_output(&b, relu->output, "relu");

  float *input = builder_random_input(&b, 4242);
  const size_t n = 3 * 5 * 6;
  float expected[2 * 3 * 5 * 6];
  const float *s = builder_data(&b, scale);
  const float *o = builder_data(&b, bias);
  for (size_t i = 0; i < n; i++) {
    expected[i] = naive_activate(affine, input[i] * s[i % 6] + o[i % 6]);
    expected[n + i] = input[i] > 0 ? input[i] : 0.0f;
  }
  check_model(&b.model, input, expected, 2 * n);
  free(input);
  builder_free(&b);
}

static void concat_and_padding(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 4, 3, 3, 41);
  uint32_t f = builder_tensor4(&b, 1, 1, 3, 5);
  dager_model_node *conv = builder_node1(&b, DAGER_OP_CONV2D, 0);
  conv->kernel_h = conv->kernel_w = 1;
  conv->weight_count = 1;
  conv->weights[0] = f;
  dager_model_node *sig = builder_node1(&b, DAGER_OP_SIGMOID, 0);
  uint32_t parts[3] = {conv->output, 0, sig->output};
  dager_model_node *cat = builder_node(&b, DAGER_OP_CONCAT, 3, parts);
  dager_model_node *widen = builder_node1(&b, DAGER_OP_PAD_CHANNELS, 0);
  widen->out_channels = 7;
  dager_model_node *pad = builder_node1(&b, DAGER_OP_PAD, 0);
  pad->pad_top = 1;
  pad->pad_left = 2;
  pad->pad_bottom = 0;
  pad->pad_right = 1;
  builder_output(&b, cat->output, "cat");
  builder_output(&b, widen->output, "widen");
  builder_output(&b, pad->output, "pad");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, 4, 3, 3);
  naive_tensor a =
      naive_conv(&x, builder_data(&b, f), 1, 1, 5, conv, NULL, NULL);
  const size_t cat_n = 4 * 3 * 11, widen_n = 4 * 3 * 7, pad_n = 5 * 6 * 3;
  float expected[4 * 3 * 11 + 4 * 3 * 7 + 5 * 6 * 3];
  float *e = expected;
  for (size_t p = 0; p < 12; p++) {
    for (int c = 0; c < 5; c++)
      *e++ = a.data[p * 5 + c];
    for (int c = 0; c < 3; c++)
      *e++ = input[p * 3 + c];
    for (int c = 0; c < 3; c++) {
      *e++ = (float)(1.0 / (1.0 + exp(-(double)input[p * 3 + c])));
    }
  }
  for (size_t p = 0; p < 12; p++) {
    for (int c = 0; c < 7; c++)
      *e++ = c < 3 ? input[p * 3 + c] : 0.0f;
  }
  for (int y = 0; y < 5; y++) {
    for (int xx = 0; xx < 6; xx++) {
      int sy = y - 1, sx = xx - 2;
      int inside = sy >= 0 && sy < 4 && sx >= 0 && sx < 3;
      for (int c = 0; c < 3; c++) {
        *e++ = inside ? input[(sy * 3 + sx) * 3 + c] : 0.0f;
      }
    }
  }
  assert_int_equal(e - expected, cat_n + widen_n + pad_n);
  check_model(&b.model, input, expected, cat_n + widen_n + pad_n);

  naive_free(&x);
  naive_free(&a);
  free(input);
  builder_free(&b);
}

static void fully_connected_and_softmax(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 3, 2, 5, 51);
  uint32_t weights_shape[2] = {30, 13};
  uint32_t weights = builder_tensor(&b, 2, weights_shape);
  uint32_t bias = builder_vector(&b, 13);
  dager_model_node *fc = builder_node1(&b, DAGER_OP_FULLY_CONNECTED, 0);
  fc->weight_count = 2;
  fc->weights[0] = weights;
  fc->weights[1] = bias;
  fc->activation = DAGER_ACTIVATION_LEAKY_RELU;
  fc->alpha = 0.3f;
  dager_model_node *soft = builder_node1(&b, DAGER_OP_SOFTMAX, fc->output);
  dager_model_node *pixel_soft = builder_node1(&b, DAGER_OP_SOFTMAX, 0);
  builder_output(&b, fc->output, "fc");
  builder_output(&b, soft->output, "softmax");
  builder_output(&b, pixel_soft->output, "pixels");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, 3, 2, 5);
  naive_tensor y = naive_fully_connected(&x, builder_data(&b, weights), 13,
                                         builder_data(&b, bias), fc);
  float expected[13 + 13 + 30];
  double sum = 0;
  for (int i = 0; i < 13; i++) {
    expected[i] = y.data[i];
    sum += exp((double)y.data[i]);
  }
  for (int i = 0; i < 13; i++) {
    expected[13 + i] = (float)(exp((double)y.data[i]) / sum);
  }
  for (int p = 0; p < 6; p++) {
    double pixel_sum = 0;
    for (int c = 0; c < 5; c++)
      pixel_sum += exp((double)input[p * 5 + c]);
    for (int c = 0; c < 5; c++) {
      expected[26 + p * 5 + c] =
          (float)(exp((double)input[p * 5 + c]) / pixel_sum);
    }
  }
  check_model(&b.model, input, expected, 13 + 13 + 30);

  naive_free(&x);
  naive_free(&y);
  free(input);
  builder_free(&b);
}

/*
 * A small network in the shape of the face models: a stride-2 stem, a
 * separable block, a residual convolution, a pool, a branch joined by
 * concat, and a classifier head. Many values are live at once, so a plan
 * that let two of them share memory would show up as a wrong result.
 */
static void combined_network(void **state) {
  builder b;

  (void)state;
  builder_init(&b, 17, 15, 3, 61);
  uint32_t stem_f = builder_tensor4(&b, 3, 3, 3, 8);
  uint32_t stem_b = builder_vector(&b, 8);
  uint32_t dw_f = builder_tensor4(&b, 3, 3, 8, 1);
  uint32_t pw_f = builder_tensor4(&b, 1, 1, 8, 8);
  uint32_t pw_b = builder_vector(&b, 8);
  uint32_t branch_f = builder_tensor4(&b, 3, 3, 8, 4);
  uint32_t fc_shape[2] = {5 * 4 * 12, 6};
  uint32_t fc_w = builder_tensor(&b, 2, fc_shape);

  dager_model_node *stem = builder_node1(&b, DAGER_OP_CONV2D, 0);
  stem->kernel_h = stem->kernel_w = 3;
  stem->stride_h = stem->stride_w = 2;
  stem->weight_count = 2;
  stem->weights[0] = stem_f;
  stem->weights[1] = stem_b;
  stem->activation = DAGER_ACTIVATION_CLAMP;
  stem->clamp_min = 0.0f;
  stem->clamp_max = 6.0f;
  dager_model_node *dw =
      builder_node1(&b, DAGER_OP_DEPTHWISE_CONV2D, stem->output);
  dw->kernel_h = dw->kernel_w = 3;
  dw->weight_count = 1;
  dw->weights[0] = dw_f;
  uint32_t pw_in[2] = {dw->output, stem->output};
  dager_model_node *pw = builder_node(&b, DAGER_OP_CONV2D, 2, pw_in);
  pw->kernel_h = pw->kernel_w = 1;
  pw->weight_count = 2;
  pw->weights[0] = pw_f;
  pw->weights[1] = pw_b;
  pw->activation = DAGER_ACTIVATION_RELU;
  dager_model_node *pool = builder_node1(&b, DAGER_OP_MAX_POOL, pw->output);
  pool->kernel_h = pool->kernel_w = 2;
  pool->stride_h = pool->stride_w = 2;
  dager_model_node *branch = builder_node1(&b, DAGER_OP_CONV2D, stem->output);
  branch->kernel_h = branch->kernel_w = 3;
  branch->stride_h = branch->stride_w = 2;
  branch->weight_count = 1;
  branch->weights[0] = branch_f;
  uint32_t cat_in[2] = {pool->output, branch->output};
  dager_model_node *cat = builder_node(&b, DAGER_OP_CONCAT, 2, cat_in);
  dager_model_node *fc =
      builder_node1(&b, DAGER_OP_FULLY_CONNECTED, cat->output);
  fc->weight_count = 1;
  fc->weights[0] = fc_w;
  dager_model_node *soft = builder_node1(&b, DAGER_OP_SOFTMAX, fc->output);
  builder_output(&b, soft->output, "classes");
  builder_output(&b, pw->output, "features");

  float *input = builder_random_input(&b, 4242);
  naive_tensor x = naive_copy(input, 17, 15, 3);
  naive_tensor s = naive_conv(&x, builder_data(&b, stem_f), 3, 3, 8, stem,
                              builder_data(&b, stem_b), NULL);
  naive_tensor d = naive_depthwise(&s, builder_data(&b, dw_f), 3, 3, dw, NULL);
  naive_tensor p = naive_conv(&d, builder_data(&b, pw_f), 1, 1, 8, pw,
                              builder_data(&b, pw_b), &s);
  naive_tensor m = naive_pool(&p, pool, 1);
  naive_tensor r =
      naive_conv(&s, builder_data(&b, branch_f), 3, 3, 4, branch, NULL, NULL);
  assert_int_equal(s.h, 9);
  assert_int_equal(s.w, 8);
  assert_int_equal(m.h, 5);
  assert_int_equal(m.w, 4);
  assert_int_equal(r.h, 5);
  assert_int_equal(r.w, 4);
  naive_tensor c = naive_make(5, 4, 12);
  for (size_t px = 0; px < 20; px++) {
    memcpy(c.data + px * 12, m.data + px * 8, 8 * sizeof(float));
    memcpy(c.data + px * 12 + 8, r.data + px * 4, 4 * sizeof(float));
  }
  naive_tensor f =
      naive_fully_connected(&c, builder_data(&b, fc_w), 6, NULL, fc);
  const size_t features = 9 * 8 * 8;
  float *expected = malloc((6 + features) * sizeof(float));
  assert_non_null(expected);
  double sum = 0;
  for (int i = 0; i < 6; i++)
    sum += exp((double)f.data[i]);
  for (int i = 0; i < 6; i++) {
    expected[i] = (float)(exp((double)f.data[i]) / sum);
  }
  memcpy(expected + 6, p.data, features * sizeof(float));
  check_model(&b.model, input, expected, 6 + features);

  free(expected);
  naive_free(&x);
  naive_free(&s);
  naive_free(&d);
  naive_free(&p);
  naive_free(&m);
  naive_free(&r);
  naive_free(&c);
  naive_free(&f);
  free(input);
  builder_free(&b);
}

/* Shapes, MAC count, output lookup and reuse of memory in a chain. */
static void network_queries(void **state) {
  builder b;
  dager_network *network = NULL;
  uint32_t f[6];

  (void)state;
  builder_init(&b, 16, 16, 8, 71);
  uint32_t value = 0;
  for (int i = 0; i < 6; i++) {
    f[i] = builder_tensor4(&b, 3, 3, 8, 8);
    dager_model_node *node = builder_node1(&b, DAGER_OP_CONV2D, value);
    node->kernel_h = node->kernel_w = 3;
    node->weight_count = 1;
    node->weights[0] = f[i];
    value = node->output;
  }
  builder_output(&b, value, "last");

  assert_int_equal(dager_network_create(&b.model, &scalar_table, &network),
                   DAGER_OK);
  dager_tensor_shape out = dager_network_output_shape(network, 0);
  assert_int_equal(out.h, 16);
  assert_int_equal(out.w, 16);
  assert_int_equal(out.c, 8);
  assert_int_equal(dager_network_output_count(network), 1);
  assert_int_equal(dager_network_find_output(network, "last"), 0);
  assert_int_equal(dager_network_find_output(network, "other"), -1);
  assert_int_equal(dager_network_mac_count(network),
                   6ull * 16 * 16 * 8 * 3 * 3 * 8);
  /* Seven values of 8 KiB each: a chain needs only two live at a time. */
  assert_int_equal(dager_network_arena_size(network), 2 * 16 * 16 * 8 * 4);
  dager_network_destroy(network);

  assert_int_equal(
      dager_network_create_sized(&b.model, &scalar_table, 33, 9, &network),
      DAGER_OK);
  out = dager_network_output_shape(network, 0);
  assert_int_equal(out.h, 33);
  assert_int_equal(out.w, 9);
  assert_int_equal(dager_network_input_shape(network).c, 8);
  dager_network_destroy(network);
  builder_free(&b);
}

typedef struct concurrent_run {
  const dager_network *network;
  const float *input;
  size_t input_count;
  float result[16];
  int status;
} concurrent_run;

/* Each caller thread has its own workspace and pool; the network is
 * shared and only read. */
static void *run_concurrently(void *argument) {
  concurrent_run *run = argument;
  dager_thread_pool *pool = NULL;
  dager_network_workspace *workspace = NULL;

  run->status = (int)dager_thread_pool_create(2, &pool);
  if (run->status == DAGER_OK) {
    run->status =
        (int)dager_network_workspace_create(run->network, pool, &workspace);
  }
  for (int i = 0; run->status == DAGER_OK && i < 20; i++) {
    memcpy(dager_network_input(workspace), run->input,
           run->input_count * sizeof(float));
    run->status = (int)dager_network_run(run->network, workspace);
    memcpy(run->result, dager_network_output(workspace, 0), sizeof run->result);
  }
  dager_network_workspace_destroy(workspace);
  dager_thread_pool_destroy(pool);
  return NULL;
}

static void shared_network_runs_concurrently(void **state) {
  builder b;
  dager_network *network = NULL;
  concurrent_run runs[3];
  pthread_t threads[3];

  (void)state;
  builder_init(&b, 20, 18, 3, 81);
  uint32_t f = builder_tensor4(&b, 3, 3, 3, 16);
  dager_model_node *conv = builder_node1(&b, DAGER_OP_CONV2D, 0);
  conv->kernel_h = conv->kernel_w = 3;
  conv->stride_h = conv->stride_w = 2;
  conv->weight_count = 1;
  conv->weights[0] = f;
  conv->activation = DAGER_ACTIVATION_RELU;
  dager_model_node *pool =
      builder_node1(&b, DAGER_OP_GLOBAL_AVERAGE_POOL, conv->output);
  builder_output(&b, pool->output, "y");
  float *input = builder_random_input(&b, 4242);
  assert_int_equal(dager_network_create(&b.model, NULL, &network), DAGER_OK);

  for (int i = 0; i < 3; i++) {
    runs[i] = (concurrent_run){network, input, 20 * 18 * 3, {0}, -1};
    assert_int_equal(
        pthread_create(&threads[i], NULL, run_concurrently, &runs[i]), 0);
  }
  for (int i = 0; i < 3; i++) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(runs[i].status, DAGER_OK);
    assert_memory_equal(runs[i].result, runs[0].result, sizeof runs[0].result);
  }

  naive_tensor x = naive_copy(input, 20, 18, 3);
  naive_tensor y =
      naive_conv(&x, builder_data(&b, f), 3, 3, 16, conv, NULL, NULL);
  float expected[16];
  for (int c = 0; c < 16; c++) {
    double sum = 0;
    for (size_t p = 0; p < (size_t)y.h * y.w; p++) {
      sum += (double)y.data[p * 16 + c];
    }
    expected[c] = (float)(sum / (double)(y.h * y.w));
  }
  assert_close(runs[0].result, expected, 16, 1e-4, 1e-3, "concurrent");

  naive_free(&x);
  naive_free(&y);
  free(input);
  dager_network_destroy(network);
  builder_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(convolution_shapes),
      cmocka_unit_test(convolution_with_residual),
      cmocka_unit_test(winograd_convolutions),
      cmocka_unit_test(depthwise_shapes),
      cmocka_unit_test(pooling_shapes),
      cmocka_unit_test(global_average_pool),
      cmocka_unit_test(add_with_activation),
      cmocka_unit_test(affine_and_activation_only),
      cmocka_unit_test(concat_and_padding),
      cmocka_unit_test(fully_connected_and_softmax),
      cmocka_unit_test(combined_network),
      cmocka_unit_test(network_queries),
      cmocka_unit_test(shared_network_runs_concurrently),
  };
  return cmocka_run_group_tests_name("nn ops", tests, setup, NULL);
}
