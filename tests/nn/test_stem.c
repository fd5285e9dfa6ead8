/*
 * The runtime's use of the stem kernels: a convolution over few input
 * channels runs on stem_conv2d, or fused with the 2x2/2 max pool after it
 * on stem_conv2d_max_pool, where the table prefers it. Checked against the
 * naive computations of builder.c with the scalar table and every table
 * this machine has, with no pool and pools of 1..4 threads and a poisoned
 * arena (all runs of one table bit-identical), and the fusion itself: when
 * it happens, and that the fused convolution takes no arena space.
 */
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

static dager_kernels scalar_table;

static int setup(void **state) {
  (void)state;
  dager_kernels_fill_scalar(&scalar_table);
  return 0;
}

/* The step kind network.c chose for node 0 with this table. */
static int stem_of_first_node(const dager_model *model,
                              const dager_kernels *table, size_t *arena) {
  dager_network *network = NULL;
  int stem;

  assert_int_equal(dager_network_create(model, table, &network), DAGER_OK);
  stem = network->steps[0].stem;
  *arena = dager_network_arena_size(network);
  dager_network_destroy(network);
  return stem;
}

typedef struct stem_model {
  builder b;
  uint32_t filter, bias, conv, pool;
} stem_model;

/* conv (kh x kw, stride, padding, activation) -> 2x2/2 max pool. */
static void build_conv_pool(stem_model *m, uint32_t h, uint32_t w,
                            uint32_t in_c, uint32_t out_c, uint32_t kernel,
                            uint32_t stride, int same_conv, int same_pool,
                            uint32_t activation, uint64_t seed) {
  builder_init(&m->b, h, w, in_c, seed);
  m->filter = builder_tensor4(&m->b, kernel, kernel, in_c, out_c);
  m->bias = builder_vector(&m->b, out_c);
  dager_model_node *conv = builder_node1(&m->b, DAGER_OP_CONV2D, 0);
  conv->kernel_h = conv->kernel_w = kernel;
  conv->stride_h = conv->stride_w = stride;
  conv->padding = same_conv ? DAGER_PADDING_SAME : DAGER_PADDING_VALID;
  conv->weight_count = 2;
  conv->weights[0] = m->filter;
  conv->weights[1] = m->bias;
  conv->activation = activation % 4;
  conv->alpha = 0.1f;
  conv->clamp_min = -0.5f;
  conv->clamp_max = 0.75f;
  m->conv = conv->output;
  dager_model_node *pool = builder_node1(&m->b, DAGER_OP_MAX_POOL, m->conv);
  pool->kernel_h = pool->kernel_w = 2;
  pool->stride_h = pool->stride_w = 2;
  pool->padding = same_pool ? DAGER_PADDING_SAME : DAGER_PADDING_VALID;
  /* A pool's own activation runs after the fused kernel. */
  pool->activation = activation % 5 == 4 ? DAGER_ACTIVATION_RELU : 0;
  m->pool = pool->output;
}

static naive_tensor naive_conv_pool(stem_model *m, const float *input,
                                    naive_tensor *conv_out) {
  const dager_model_node *conv = &m->b.nodes[0];
  const dager_model_node *pool = &m->b.nodes[1];
  naive_tensor x = naive_copy(input, m->b.model.input_h, m->b.model.input_w,
                              m->b.model.input_c);
  *conv_out = naive_conv(&x, builder_data(&m->b, m->filter), conv->kernel_h,
                         conv->kernel_w, m->b.tensors[m->bias].shape[0], conv,
                         builder_data(&m->b, m->bias), NULL);
  naive_tensor y = naive_pool(conv_out, pool, 1);
  naive_free(&x);
  return y;
}

static void conv_then_pool(void **state) {
  static const uint32_t sizes[][2] = {{9, 9}, {10, 13}, {16, 16}, {7, 21}};
  static const uint32_t channels[][2] = {{3, 16}, {1, 5}, {4, 32}, {3, 33}};
  uint32_t cases = 0;

  (void)state;
  for (size_t s = 0; s < 4; s++) {
    for (size_t k = 0; k < 3; k++) {
      static const uint32_t kernels[] = {3, 1, 7};
      for (uint32_t stride = 1; stride <= 2; stride++) {
        const uint32_t h = sizes[s][0], w = sizes[s][1];
        const uint32_t kernel = kernels[k];
        const int same_conv = (int)((s + stride) & 1) || kernel > h;
        const int same_pool = (int)(k & 1) || kernel == 7;
        stem_model m;

        build_conv_pool(&m, h, w, channels[(s + k) % 4][0],
                        channels[(s + k) % 4][1], kernel, stride, same_conv,
                        same_pool, cases, 900 + cases);
        builder_output(&m.b, m.pool, "y");
        float *input = builder_random_input(&m.b, 777);
        naive_tensor conv_out;
        naive_tensor y = naive_conv_pool(&m, input, &conv_out);
        check_model_everywhere(&m.b.model, input, y.data,
                               (size_t)y.h * y.w * y.c, 1e-4);

        naive_free(&conv_out);
        naive_free(&y);
        free(input);
        builder_free(&m.b);
        cases++;
      }
    }
  }
  assert_true(cases == 24);
}

/*
 * The tiny face detector's first two layers at a smaller size: fused on
 * every table that prefers it, and then without the convolution's output
 * in the arena. Not fused when the convolution's output is read again or
 * is a graph output, and still right.
 */
static void fusion_happens_only_when_allowed(void **state) {
  (void)state;
  for (int variant = 0; variant < 3; variant++) {
    stem_model m;
    build_conv_pool(&m, 40, 40, 3, 16, 3, 1, 0, 1, 3, 4000 + variant);
    builder_output(&m.b, m.pool, "y");
    if (variant == 1) {
      builder_output(&m.b, m.conv, "conv");
    } else if (variant == 2) {
      dager_model_node *again =
          builder_node1(&m.b, DAGER_OP_AFFINE, m.conv); /* activation only */
      again->activation = DAGER_ACTIVATION_RELU;
      builder_output(&m.b, again->output, "again");
    }

    float *input = builder_random_input(&m.b, 777);
    naive_tensor conv_out;
    naive_tensor y = naive_conv_pool(&m, input, &conv_out);
    size_t count = (size_t)y.h * y.w * y.c;
    const size_t conv_count = (size_t)conv_out.h * conv_out.w * conv_out.c;
    float *expected = malloc((count + conv_count + 1) * sizeof(float));
    assert_non_null(expected);
    memcpy(expected, y.data, count * sizeof(float));
    if (variant != 0) {
      for (size_t i = 0; i < conv_count; i++) {
        const float v = conv_out.data[i];
        expected[count + i] = variant == 2 && v < 0.0f ? 0.0f : v;
      }
      count += conv_count;
    }
    check_model_everywhere(&m.b.model, input, expected, count, 1e-4);

    for (int isa = -1; isa < DAGER_ISA_COUNT; isa++) {
      const dager_kernels *table =
          isa < 0 ? &scalar_table : dager_kernels_for_isa((dager_isa)isa);
      dager_window pool;
      size_t arena;

      if (!table)
        continue;
      const int stem = stem_of_first_node(&m.b.model, table, &arena);
      memset(&pool, 0, sizeof pool);
      pool.in_h = pool.in_w = 38;
      pool.in_c = pool.out_c = 16;
      pool.out_h = pool.out_w = 19;
      pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 2;
      /* The arena holds the 40x40x3 input and the 19x19x16 pool, and the
       * 38x38x16 convolution only when it is stored. */
      const size_t conv_bytes = 38 * 38 * 16 * sizeof(float);
      if (variant == 0) {
        dager_network *network = NULL;
        assert_int_equal(dager_network_create(&m.b.model, table, &network),
                         DAGER_OK);
        const int preferred =
            table->stem_preferred(&network->steps[0].window, &pool);
        dager_network_destroy(network);
        if (preferred) {
          assert_int_equal(stem, DAGER_NN_STEM_POOLED);
          assert_true(arena < conv_bytes);
        } else {
          assert_int_not_equal(stem, DAGER_NN_STEM_POOLED);
          assert_true(arena >= conv_bytes);
        }
      } else {
        assert_int_not_equal(stem, DAGER_NN_STEM_POOLED);
        assert_true(arena >= conv_bytes);
      }
    }

    free(expected);
    naive_free(&conv_out);
    naive_free(&y);
    free(input);
    builder_free(&m.b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(conv_then_pool),
      cmocka_unit_test(fusion_happens_only_when_allowed),
  };
  return cmocka_run_group_tests_name("nn_stem", tests, setup, NULL);
}
