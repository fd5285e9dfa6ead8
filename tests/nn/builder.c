#include "builder.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/scalar/scalar.h"
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

float test_random(uint64_t *state) {
  /* xorshift64*: fixed sequence per seed, good enough for test data. */
  uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return (float)((double)((x * 0x2545f4914f6cdd1dull) >> 40) /
                     (double)(1ull << 23) -
                 1.0);
}

void fill_random(float *data, size_t count, uint64_t seed) {
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < count; i++)
    data[i] = test_random(&state);
}

void builder_init(builder *b, uint32_t h, uint32_t w, uint32_t c,
                  uint64_t seed) {
  memset(b, 0, sizeof *b);
  b->seed = seed;
  b->model.format_version = 1;
  b->model.task = "test";
  b->model.input_h = h;
  b->model.input_w = w;
  b->model.input_c = c;
  b->model.channel_order = "RGB";
  b->model.tensors = b->tensors;
  b->model.nodes = b->nodes;
  b->model.outputs = b->outputs;
  b->model.value_count = 1;
}

void builder_free(builder *b) {
  for (uint32_t i = 0; i < b->model.tensor_count; i++)
    free(b->data[i]);
  memset(b, 0, sizeof *b);
}

uint32_t builder_tensor(builder *b, uint32_t rank, const uint32_t *shape) {
  uint32_t id = b->model.tensor_count++;
  dager_model_tensor *t = &b->tensors[id];
  size_t count = 1;

  assert_true(id < BUILDER_MAX_TENSORS);
  t->name = "w";
  t->stored_dtype = DAGER_DTYPE_F32;
  t->rank = rank;
  for (uint32_t i = 0; i < rank; i++) {
    t->shape[i] = shape[i];
    count *= shape[i];
  }
  t->element_count = count;
  b->data[id] = malloc((count ? count : 1) * sizeof(float));
  assert_non_null(b->data[id]);
  fill_random(b->data[id], count, b->seed++);
  t->data = b->data[id];
  return id;
}

uint32_t builder_tensor4(builder *b, uint32_t d0, uint32_t d1, uint32_t d2,
                         uint32_t d3) {
  uint32_t shape[4] = {d0, d1, d2, d3};
  return builder_tensor(b, 4, shape);
}

uint32_t builder_vector(builder *b, uint32_t length) {
  return builder_tensor(b, 1, &length);
}

float *builder_data(builder *b, uint32_t tensor) {
  return b->data[tensor];
}

dager_model_node *builder_node(builder *b, dager_op op, uint32_t input_count,
                               const uint32_t *inputs) {
  uint32_t index = b->model.node_count++;
  dager_model_node *node = &b->nodes[index];

  assert_true(index < BUILDER_MAX_NODES);
  memset(node, 0, sizeof *node);
  snprintf(b->names[index], sizeof b->names[index], "n%u", index);
  node->name = b->names[index];
  node->op = op;
  node->input_count = input_count;
  for (uint32_t i = 0; i < input_count; i++)
    node->inputs[i] = inputs[i];
  node->output = b->model.value_count++;
  node->stride_h = 1;
  node->stride_w = 1;
  return node;
}

dager_model_node *builder_node1(builder *b, dager_op op, uint32_t input) {
  return builder_node(b, op, 1, &input);
}

void builder_output(builder *b, uint32_t value, const char *name) {
  uint32_t index = b->model.output_count++;
  assert_true(index < BUILDER_MAX_OUTPUTS);
  b->outputs[index].name = name;
  b->outputs[index].value = value;
}

void assert_close(const float *got, const float *want, size_t count,
                  double absolute, double relative, const char *what) {
  for (size_t i = 0; i < count; i++) {
    double error = fabs((double)got[i] - (double)want[i]);
    if (!(error <= absolute + relative * fabs((double)want[i]))) {
      fail_msg("%s: element %zu is %.9g, expected %.9g", what, i,
               (double)got[i], (double)want[i]);
    }
  }
}

naive_tensor naive_make(uint32_t h, uint32_t w, uint32_t c) {
  naive_tensor t = {h, w, c, calloc((size_t)h * w * c + 1, sizeof(float))};
  assert_non_null(t.data);
  return t;
}

naive_tensor naive_copy(const float *data, uint32_t h, uint32_t w, uint32_t c) {
  naive_tensor t = naive_make(h, w, c);
  memcpy(t.data, data, (size_t)h * w * c * sizeof(float));
  return t;
}

void naive_free(naive_tensor *t) {
  free(t->data);
  t->data = NULL;
}

float naive_activate(const dager_model_node *node, float v) {
  switch (node->activation) {
    case DAGER_ACTIVATION_RELU:
      return v > 0.0f ? v : 0.0f;
    case DAGER_ACTIVATION_CLAMP:
      return fminf(fmaxf(v, node->clamp_min), node->clamp_max);
    case DAGER_ACTIVATION_LEAKY_RELU:
      return v >= 0.0f ? v : v * node->alpha;
    default:
      return v;
  }
}

/* TensorFlow's output size and leading padding for one axis. */
static void axis(uint32_t in, uint32_t k, uint32_t s, int same, uint32_t *out,
                 int64_t *before) {
  if (same) {
    int64_t n = (in + s - 1) / s;
    int64_t total = (n - 1) * s + k - (int64_t)in;
    *out = (uint32_t)n;
    *before = total > 0 ? total / 2 : 0;
  } else {
    *out = (in - k) / s + 1;
    *before = 0;
  }
}

static float *at(const naive_tensor *t, int64_t y, int64_t x) {
  return t->data + ((size_t)y * t->w + (size_t)x) * t->c;
}

naive_tensor naive_conv(const naive_tensor *x, const float *filter, uint32_t kh,
                        uint32_t kw, uint32_t out_c,
                        const dager_model_node *node, const float *bias,
                        const naive_tensor *residual) {
  int same = node->padding == DAGER_PADDING_SAME;
  uint32_t oh, ow;
  int64_t top, left;
  axis(x->h, kh, node->stride_h, same, &oh, &top);
  axis(x->w, kw, node->stride_w, same, &ow, &left);
  naive_tensor y = naive_make(oh, ow, out_c);

  for (uint32_t oy = 0; oy < oh; oy++) {
    for (uint32_t ox = 0; ox < ow; ox++) {
      for (uint32_t o = 0; o < out_c; o++) {
        double sum = 0.0;
        for (uint32_t i = 0; i < kh; i++) {
          for (uint32_t j = 0; j < kw; j++) {
            int64_t iy = (int64_t)oy * node->stride_h + i - top;
            int64_t ix = (int64_t)ox * node->stride_w + j - left;
            if (iy < 0 || ix < 0 || iy >= x->h || ix >= x->w)
              continue;
            for (uint32_t c = 0; c < x->c; c++) {
              double weight =
                  (double)filter[(((size_t)i * kw + j) * x->c + c) * out_c + o];
              sum += (double)at(x, iy, ix)[c] * weight;
            }
          }
        }
        if (bias)
          sum += (double)bias[o];
        if (residual)
          sum += (double)at(residual, oy, ox)[o];
        at(&y, oy, ox)[o] = naive_activate(node, (float)sum);
      }
    }
  }
  return y;
}

naive_tensor naive_depthwise(const naive_tensor *x, const float *filter,
                             uint32_t kh, uint32_t kw,
                             const dager_model_node *node, const float *bias) {
  int same = node->padding == DAGER_PADDING_SAME;
  uint32_t oh, ow;
  int64_t top, left;
  axis(x->h, kh, node->stride_h, same, &oh, &top);
  axis(x->w, kw, node->stride_w, same, &ow, &left);
  naive_tensor y = naive_make(oh, ow, x->c);

  for (uint32_t oy = 0; oy < oh; oy++) {
    for (uint32_t ox = 0; ox < ow; ox++) {
      for (uint32_t c = 0; c < x->c; c++) {
        double sum = 0.0;
        for (uint32_t i = 0; i < kh; i++) {
          for (uint32_t j = 0; j < kw; j++) {
            int64_t iy = (int64_t)oy * node->stride_h + i - top;
            int64_t ix = (int64_t)ox * node->stride_w + j - left;
            if (iy < 0 || ix < 0 || iy >= x->h || ix >= x->w)
              continue;
            sum += (double)at(x, iy, ix)[c] *
                   (double)filter[((size_t)i * kw + j) * x->c + c];
          }
        }
        if (bias)
          sum += (double)bias[c];
        at(&y, oy, ox)[c] = naive_activate(node, (float)sum);
      }
    }
  }
  return y;
}

naive_tensor naive_pool(const naive_tensor *x, const dager_model_node *node,
                        int is_max) {
  int same = node->padding == DAGER_PADDING_SAME;
  uint32_t oh, ow;
  int64_t top, left;
  axis(x->h, node->kernel_h, node->stride_h, same, &oh, &top);
  axis(x->w, node->kernel_w, node->stride_w, same, &ow, &left);
  naive_tensor y = naive_make(oh, ow, x->c);

  for (uint32_t oy = 0; oy < oh; oy++) {
    for (uint32_t ox = 0; ox < ow; ox++) {
      for (uint32_t c = 0; c < x->c; c++) {
        double sum = 0.0;
        double best = -(double)INFINITY;
        uint32_t cells = 0;
        for (uint32_t i = 0; i < node->kernel_h; i++) {
          for (uint32_t j = 0; j < node->kernel_w; j++) {
            int64_t iy = (int64_t)oy * node->stride_h + i - top;
            int64_t ix = (int64_t)ox * node->stride_w + j - left;
            if (iy < 0 || ix < 0 || iy >= x->h || ix >= x->w)
              continue;
            double v = (double)at(x, iy, ix)[c];
            sum += v;
            if (v > best)
              best = v;
            cells++;
          }
        }
        float v = (float)(is_max ? best : sum / cells);
        at(&y, oy, ox)[c] = naive_activate(node, v);
      }
    }
  }
  return y;
}

naive_tensor naive_fully_connected(const naive_tensor *x, const float *weights,
                                   uint32_t out, const float *bias,
                                   const dager_model_node *node) {
  size_t in = (size_t)x->h * x->w * x->c;
  naive_tensor y = naive_make(1, 1, out);

  for (uint32_t o = 0; o < out; o++) {
    double sum = bias ? (double)bias[o] : 0.0;
    for (size_t i = 0; i < in; i++) {
      sum += (double)x->data[i] * (double)weights[i * out + o];
    }
    y.data[o] = naive_activate(node, (float)sum);
  }
  return y;
}

float *run_model(const dager_model *model, const dager_kernels *kernels,
                 uint32_t threads, int poison, const float *input,
                 size_t *out_count) {
  dager_network *network = NULL;
  dager_network_workspace *workspace = NULL;
  dager_thread_pool *pool = NULL;
  dager_status status;
  size_t total = 0;
  float *result;

  status = dager_network_create(model, kernels, &network);
  if (status != DAGER_OK)
    fail_msg("create: %s", dager_last_error_message());
  if (threads) {
    assert_int_equal(dager_thread_pool_create(threads, &pool), DAGER_OK);
  }
  assert_int_equal(dager_network_workspace_create(network, pool, &workspace),
                   DAGER_OK);
  /* Split even the tiny nodes of these test models over the pool. */
  dager_nn_workspace_set_min_parallel_work(workspace, 0);
  memset(dager_network_workspace_arena(workspace), poison,
         dager_network_arena_size(network));

  dager_tensor_shape in = dager_network_input_shape(network);
  memcpy(dager_network_input(workspace), input,
         (size_t)in.h * in.w * in.c * sizeof(float));
  assert_int_equal(dager_network_run(network, workspace), DAGER_OK);

  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    total += (size_t)s.h * s.w * s.c;
  }
  result = malloc((total + 1) * sizeof(float));
  assert_non_null(result);
  total = 0;
  for (uint32_t i = 0; i < dager_network_output_count(network); i++) {
    dager_tensor_shape s = dager_network_output_shape(network, i);
    size_t n = (size_t)s.h * s.w * s.c;
    memcpy(result + total, dager_network_output(workspace, i),
           n * sizeof(float));
    total += n;
  }
  *out_count = total;

  dager_network_workspace_destroy(workspace);
  dager_thread_pool_destroy(pool);
  dager_network_destroy(network);
  return result;
}

void check_model_everywhere(const dager_model *model, const float *input,
                            const float *expected, size_t expected_count,
                            double absolute) {
  static const int poisons[] = {0x00, 0xff, 0x7f};
  dager_kernels scalar_table;

  dager_kernels_fill_scalar(&scalar_table);
  for (int isa = -1; isa < DAGER_ISA_COUNT; isa++) {
    const dager_kernels *table =
        isa < 0 ? &scalar_table : dager_kernels_for_isa((dager_isa)isa);
    float *first = NULL;

    /* The dispatch's scalar table is the one already run directly. */
    if (!table || (isa >= 0 && table->isa == DAGER_ISA_SCALAR))
      continue;
    for (uint32_t threads = 0; threads <= 4; threads++) {
      for (size_t p = 0; p < sizeof poisons / sizeof poisons[0]; p++) {
        size_t n;
        float *got = run_model(model, table, threads, poisons[p], input, &n);

        assert_int_equal(n, expected_count);
        if (!first) {
          first = got;
          assert_close(got, expected, n, absolute, isa < 0 ? 1e-4 : 1e-3,
                       table->name);
          continue;
        }
        if (memcmp(first, got, n * sizeof(float)) != 0) {
          fail_msg("%s: %u threads, poison %#x differ from the first run",
                   table->name, threads, poisons[p]);
        }
        free(got);
      }
    }
    free(first);
  }
}

float *builder_random_input(const builder *b, uint64_t seed) {
  size_t n = (size_t)b->model.input_h * b->model.input_w * b->model.input_c;
  float *input = malloc(n * sizeof(float) + 1);

  assert_non_null(input);
  fill_random(input, n, seed + n);
  return input;
}
