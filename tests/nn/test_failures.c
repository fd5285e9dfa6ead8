/*
 * What the runtime refuses: models whose shapes do not agree (with the
 * node named in the message), and every allocation failing in turn, which
 * must give DAGER_ERROR_OUT_OF_MEMORY and leave nothing allocated.
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
#include "core/memory.h"
#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

static dager_kernels scalar_table;

static int setup(void **state) {
  (void)state;
  dager_kernels_fill_scalar(&scalar_table);
  return 0;
}

static void expect_invalid(const builder *b, const char *node_name) {
  dager_network *network = (dager_network *)&network;
  dager_status status =
      dager_network_create(&b->model, &scalar_table, &network);
  if (status != DAGER_ERROR_MODEL_INVALID) {
    fail_msg("expected MODEL_INVALID, got %d (%s)", (int)status,
             dager_last_error_message());
  }
  assert_null(network);
  if (node_name && !strstr(dager_last_error_message(), node_name)) {
    fail_msg("message '%s' does not name %s", dager_last_error_message(),
             node_name);
  }
}

static dager_model_node *conv(builder *b, uint32_t input, uint32_t kh,
                              uint32_t kw, uint32_t in_c, uint32_t out_c) {
  uint32_t filter = builder_tensor4(b, kh, kw, in_c, out_c);
  dager_model_node *node = builder_node1(b, DAGER_OP_CONV2D, input);
  node->kernel_h = kh;
  node->kernel_w = kw;
  node->weight_count = 1;
  node->weights[0] = filter;
  return node;
}

static void filter_channels_must_match(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 8, 8, 3, 1);
  dager_model_node *first = conv(&b, 0, 3, 3, 3, 4);
  dager_model_node *second = conv(&b, first->output, 3, 3, 5, 4);
  builder_output(&b, second->output, "y");
  expect_invalid(&b, "'n1'");
  builder_free(&b);
}

static void bias_must_match(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 8, 8, 3, 2);
  dager_model_node *node = conv(&b, 0, 3, 3, 3, 4);
  node->weight_count = 2;
  node->weights[1] = builder_vector(&b, 5);
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void kernel_must_match_filter(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 8, 8, 3, 3);
  dager_model_node *node = conv(&b, 0, 3, 3, 3, 4);
  node->kernel_w = 1;
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void add_shapes_must_agree(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 8, 8, 3, 4);
  dager_model_node *a = conv(&b, 0, 3, 3, 3, 4);
  dager_model_node *c = conv(&b, 0, 3, 3, 3, 5);
  uint32_t inputs[2] = {a->output, c->output};
  dager_model_node *add = builder_node(&b, DAGER_OP_ADD, 2, inputs);
  builder_output(&b, add->output, "y");
  expect_invalid(&b, "'n2'");
  builder_free(&b);
}

static void residual_must_match_output(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 8, 8, 4, 5);
  dager_model_node *node = conv(&b, 0, 3, 3, 4, 4);
  node->stride_h = node->stride_w = 2;
  node->input_count = 2;
  node->inputs[1] = 0; /* 8x8, but the output is 4x4 */
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void valid_kernel_must_fit(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 2, 8, 3, 6);
  dager_model_node *node = conv(&b, 0, 3, 3, 3, 4);
  node->padding = DAGER_PADDING_VALID;
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void fully_connected_must_match(void **state) {
  builder b;
  uint32_t shape[2] = {47, 3}; /* input flattens to 48 */
  (void)state;
  builder_init(&b, 4, 4, 3, 7);
  uint32_t weights = builder_tensor(&b, 2, shape);
  dager_model_node *node = builder_node1(&b, DAGER_OP_FULLY_CONNECTED, 0);
  node->weight_count = 1;
  node->weights[0] = weights;
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void depthwise_multiplier_must_be_one(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 6, 6, 3, 8);
  uint32_t filter = builder_tensor4(&b, 3, 3, 3, 2);
  dager_model_node *node = builder_node1(&b, DAGER_OP_DEPTHWISE_CONV2D, 0);
  node->kernel_h = node->kernel_w = 3;
  node->weight_count = 1;
  node->weights[0] = filter;
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void concat_and_pad_channels_checked(void **state) {
  builder b;
  (void)state;
  builder_init(&b, 6, 6, 3, 9);
  dager_model_node *pool = builder_node1(&b, DAGER_OP_MAX_POOL, 0);
  pool->kernel_h = pool->kernel_w = 2;
  pool->stride_h = pool->stride_w = 2;
  uint32_t inputs[2] = {0, pool->output};
  dager_model_node *cat = builder_node(&b, DAGER_OP_CONCAT, 2, inputs);
  builder_output(&b, cat->output, "y");
  expect_invalid(&b, "'n1'");
  builder_free(&b);

  builder_init(&b, 6, 6, 3, 10);
  dager_model_node *pad = builder_node1(&b, DAGER_OP_PAD_CHANNELS, 0);
  pad->out_channels = 2;
  builder_output(&b, pad->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);
}

static void graph_structure_checked(void **state) {
  builder b;
  (void)state;

  /* Reading a value nobody has written yet. */
  builder_init(&b, 6, 6, 3, 11);
  dager_model_node *node = builder_node1(&b, DAGER_OP_SIGMOID, 2);
  builder_node1(&b, DAGER_OP_SIGMOID, 0);
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  builder_free(&b);

  /* Writing the same value twice. */
  builder_init(&b, 6, 6, 3, 12);
  node = builder_node1(&b, DAGER_OP_SIGMOID, 0);
  dager_model_node *again = builder_node1(&b, DAGER_OP_SIGMOID, 0);
  again->output = node->output;
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n1'");
  builder_free(&b);

  /* An unknown op, an unknown activation, a weight id out of range. */
  builder_init(&b, 6, 6, 3, 13);
  node = builder_node1(&b, (dager_op)99, 0);
  builder_output(&b, node->output, "y");
  expect_invalid(&b, "'n0'");
  node->op = DAGER_OP_SIGMOID;
  node->activation = 17;
  expect_invalid(&b, "'n0'");
  node->op = DAGER_OP_AFFINE;
  node->activation = 0;
  node->weight_count = 2;
  node->weights[0] = 40;
  node->weights[1] = 41;
  expect_invalid(&b, "'n0'");
  builder_free(&b);

  /* An output that names a value out of range. */
  builder_init(&b, 6, 6, 3, 14);
  node = builder_node1(&b, DAGER_OP_SIGMOID, 0);
  builder_output(&b, 7, "y");
  expect_invalid(&b, NULL);
  builder_free(&b);
}

static void sized_input_too_small(void **state) {
  builder b;
  dager_network *network = NULL;
  (void)state;
  builder_init(&b, 8, 8, 3, 15);
  dager_model_node *node = conv(&b, 0, 5, 5, 3, 2);
  node->padding = DAGER_PADDING_VALID;
  builder_output(&b, node->output, "y");
  assert_int_equal(
      dager_network_create_sized(&b.model, &scalar_table, 4, 9, &network),
      DAGER_ERROR_MODEL_INVALID);
  assert_null(network);
  assert_int_equal(
      dager_network_create_sized(&b.model, &scalar_table, 5, 9, &network),
      DAGER_OK);
  dager_network_destroy(network);
  builder_free(&b);
}

/* An allocator that counts live blocks and fails the N-th call. */
typedef struct counting_allocator {
  long live;
  long calls;
  long fail_at; /* -1: never */
} counting_allocator;

static void *counting_malloc(void *user, size_t size) {
  counting_allocator *a = user;
  if (a->calls++ == a->fail_at)
    return NULL;
  void *p = malloc(size);
  if (p)
    a->live++;
  return p;
}

static void *counting_realloc(void *user, void *pointer, size_t size) {
  counting_allocator *a = user;
  if (a->calls++ == a->fail_at)
    return NULL;
  void *p = realloc(pointer, size);
  if (p && !pointer)
    a->live++;
  return p;
}

static void counting_free(void *user, void *pointer) {
  counting_allocator *a = user;
  if (pointer)
    a->live--;
  free(pointer);
}

/* Builds a network, a 3-thread pool and a workspace and runs them once. */
static dager_status build_and_run(const dager_model *model) {
  dager_network *network = NULL;
  dager_thread_pool *pool = NULL;
  dager_network_workspace *workspace = NULL;
  dager_status status;

  status = dager_network_create(model, &scalar_table, &network);
  if (status == DAGER_OK)
    status = dager_thread_pool_create(3, &pool);
  if (status == DAGER_OK) {
    status = dager_network_workspace_create(network, pool, &workspace);
  }
  if (status == DAGER_OK) {
    dager_tensor_shape in = dager_network_input_shape(network);
    fill_random(dager_network_input(workspace), (size_t)in.h * in.w * in.c, 3);
    status = dager_network_run(network, workspace);
  }
  dager_network_workspace_destroy(workspace);
  dager_thread_pool_destroy(pool);
  dager_network_destroy(network);
  return status;
}

static void allocation_failures(void **state) {
  counting_allocator counter = {0, 0, -1};
  builder b;
  long calls_needed;

  (void)state;
  builder_init(&b, 9, 7, 3, 16);
  dager_model_node *first = conv(&b, 0, 3, 3, 3, 6);
  dager_model_node *second = conv(&b, first->output, 1, 1, 6, 6);
  uint32_t fc_shape[2] = {9 * 7 * 6, 4};
  uint32_t fc_weights = builder_tensor(&b, 2, fc_shape);
  dager_model_node *fc =
      builder_node1(&b, DAGER_OP_FULLY_CONNECTED, second->output);
  fc->weight_count = 1;
  fc->weights[0] = fc_weights;
  builder_output(&b, fc->output, "y");

  assert_int_equal(dager_set_allocator(counting_malloc, counting_realloc,
                                       counting_free, &counter),
                   DAGER_OK);
  assert_int_equal(build_and_run(&b.model), DAGER_OK);
  assert_int_equal(counter.live, 0);
  calls_needed = counter.calls;
  assert_true(calls_needed >= 4);

  for (long n = 0; n < calls_needed; n++) {
    counter = (counting_allocator){0, 0, n};
    dager_status status = build_and_run(&b.model);
    if (status != DAGER_ERROR_OUT_OF_MEMORY) {
      fail_msg("failing allocation %ld gave status %d", n, (int)status);
    }
    if (counter.live != 0) {
      fail_msg("failing allocation %ld leaked %ld blocks", n, counter.live);
    }
  }
  assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
  builder_free(&b);
}

/* A run allocates nothing: every block is taken before it. */
static void run_does_not_allocate(void **state) {
  counting_allocator counter = {0, 0, -1};
  dager_network *network = NULL;
  dager_thread_pool *pool = NULL;
  dager_network_workspace *workspace = NULL;
  builder b;

  (void)state;
  builder_init(&b, 9, 7, 3, 17);
  dager_model_node *first = conv(&b, 0, 3, 3, 3, 6);
  dager_model_node *soft = builder_node1(&b, DAGER_OP_SOFTMAX, first->output);
  builder_output(&b, soft->output, "y");

  assert_int_equal(dager_set_allocator(counting_malloc, counting_realloc,
                                       counting_free, &counter),
                   DAGER_OK);
  assert_int_equal(dager_network_create(&b.model, &scalar_table, &network),
                   DAGER_OK);
  assert_int_equal(dager_thread_pool_create(2, &pool), DAGER_OK);
  assert_int_equal(dager_network_workspace_create(network, pool, &workspace),
                   DAGER_OK);
  long before = counter.calls;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(dager_network_run(network, workspace), DAGER_OK);
  }
  assert_int_equal(counter.calls, before);
  dager_network_workspace_destroy(workspace);
  dager_thread_pool_destroy(pool);
  dager_network_destroy(network);
  assert_int_equal(counter.live, 0);
  assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
  builder_free(&b);
}

static void wrong_workspace_is_refused(void **state) {
  builder b;
  dager_network *one = NULL, *two = NULL;
  dager_network_workspace *workspace = NULL;

  (void)state;
  builder_init(&b, 4, 4, 2, 18);
  dager_model_node *node = builder_node1(&b, DAGER_OP_SIGMOID, 0);
  builder_output(&b, node->output, "y");
  assert_int_equal(dager_network_create(&b.model, &scalar_table, &one),
                   DAGER_OK);
  assert_int_equal(dager_network_create(&b.model, &scalar_table, &two),
                   DAGER_OK);
  assert_int_equal(dager_network_workspace_create(one, NULL, &workspace),
                   DAGER_OK);
  assert_int_equal(dager_network_run(two, workspace),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_network_run(one, workspace), DAGER_OK);
  dager_network_workspace_destroy(workspace);
  dager_network_destroy(one);
  dager_network_destroy(two);
  builder_free(&b);
}

/*
 * Two networks in one lent block, run one after the other, give what each
 * gives in its own workspace; a block too small or misaligned is refused.
 */
static void workspaces_share_lent_memory(void **state) {
  builder first_model, second_model;
  dager_network *first = NULL, *second = NULL;
  dager_thread_pool *pool = NULL;
  dager_network_workspace *alone = NULL, *shared[2] = {NULL, NULL};
  dager_network *networks[2];
  size_t sizes[2], largest;
  unsigned char *block;

  (void)state;
  builder_init(&first_model, 11, 9, 3, 21);
  dager_model_node *a = conv(&first_model, 0, 3, 3, 3, 8);
  builder_output(&first_model, a->output, "y");
  builder_init(&second_model, 6, 13, 4, 22);
  dager_model_node *b = conv(&second_model, 0, 3, 3, 4, 5);
  builder_output(&second_model, b->output, "y");
  assert_int_equal(
      dager_network_create(&first_model.model, &scalar_table, &first),
      DAGER_OK);
  assert_int_equal(
      dager_network_create(&second_model.model, &scalar_table, &second),
      DAGER_OK);
  assert_int_equal(dager_thread_pool_create(2, &pool), DAGER_OK);
  networks[0] = first;
  networks[1] = second;
  for (int i = 0; i < 2; i++) {
    assert_int_equal(dager_network_workspace_size(networks[i], 2, &sizes[i]),
                     DAGER_OK);
  }
  largest = sizes[0] > sizes[1] ? sizes[0] : sizes[1];
  block = dager_mem_alloc_aligned(largest + 64);
  assert_non_null(block);

  assert_int_equal(dager_network_workspace_create_in(first, pool, block,
                                                     sizes[0] - 1, &shared[0]),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(shared[0]);
  assert_int_equal(dager_network_workspace_create_in(first, pool, block + 4,
                                                     largest, &shared[0]),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_network_workspace_create_in(first, pool, NULL, largest, &shared[0]),
      DAGER_ERROR_INVALID_ARGUMENT);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(dager_network_workspace_create_in(networks[i], pool, block,
                                                       largest, &shared[i]),
                     DAGER_OK);
  }

  for (int i = 0; i < 2; i++) {
    dager_tensor_shape input = dager_network_input_shape(networks[i]);
    size_t count = (size_t)input.h * input.w * input.c;
    dager_tensor_shape output = dager_network_output_shape(networks[i], 0);
    size_t out_count = (size_t)output.h * output.w * output.c;
    float *expected = malloc(out_count * sizeof *expected);

    assert_non_null(expected);
    assert_int_equal(dager_network_workspace_create(networks[i], pool, &alone),
                     DAGER_OK);
    fill_random(dager_network_input(alone), count, 40 + (uint64_t)i);
    assert_int_equal(dager_network_run(networks[i], alone), DAGER_OK);
    memcpy(expected, dager_network_output(alone, 0),
           out_count * sizeof *expected);
    dager_network_workspace_destroy(alone);

    /* The other network ran in the block before: its values are left. */
    assert_int_equal(dager_network_run(networks[1 - i], shared[1 - i]),
                     DAGER_OK);
    fill_random(dager_network_input(shared[i]), count, 40 + (uint64_t)i);
    assert_int_equal(dager_network_run(networks[i], shared[i]), DAGER_OK);
    assert_memory_equal(dager_network_output(shared[i], 0), expected,
                        out_count * sizeof *expected);
    free(expected);
  }
  for (int i = 0; i < 2; i++)
    dager_network_workspace_destroy(shared[i]);
  dager_mem_free_aligned(block);
  dager_thread_pool_destroy(pool);
  dager_network_destroy(first);
  dager_network_destroy(second);
  builder_free(&first_model);
  builder_free(&second_model);
}

/* A small valid model with every kind of node, for the mutation test. */
static void build_mutation_base(builder *b) {
  builder_init(b, 9, 8, 3, 19);
  uint32_t f1 = builder_tensor4(b, 3, 3, 3, 6);
  uint32_t bias = builder_vector(b, 6);
  uint32_t dw = builder_tensor4(b, 3, 3, 6, 1);
  uint32_t scale = builder_vector(b, 6);
  uint32_t fc_shape[2] = {5 * 4 * 12, 5};
  uint32_t fc = builder_tensor(b, 2, fc_shape);

  dager_model_node *n0 = conv(b, 0, 3, 3, 3, 6);
  n0->weight_count = 2;
  n0->weights[0] = f1;
  n0->weights[1] = bias;
  dager_model_node *n1 =
      builder_node1(b, DAGER_OP_DEPTHWISE_CONV2D, n0->output);
  n1->kernel_h = n1->kernel_w = 3;
  n1->weight_count = 1;
  n1->weights[0] = dw;
  uint32_t add_in[2] = {n0->output, n1->output};
  dager_model_node *n2 = builder_node(b, DAGER_OP_ADD, 2, add_in);
  dager_model_node *n3 = builder_node1(b, DAGER_OP_AFFINE, n2->output);
  n3->weight_count = 2;
  n3->weights[0] = scale;
  n3->weights[1] = bias;
  dager_model_node *n4 = builder_node1(b, DAGER_OP_MAX_POOL, n3->output);
  n4->kernel_h = n4->kernel_w = 2;
  n4->stride_h = n4->stride_w = 2;
  uint32_t cat_in[2] = {n4->output, n4->output};
  dager_model_node *n5 = builder_node(b, DAGER_OP_CONCAT, 2, cat_in);
  dager_model_node *n6 = builder_node1(b, DAGER_OP_FULLY_CONNECTED, n5->output);
  n6->weight_count = 1;
  n6->weights[0] = fc;
  dager_model_node *n7 = builder_node1(b, DAGER_OP_SOFTMAX, n6->output);
  dager_model_node *n8 = builder_node1(b, DAGER_OP_PAD, n3->output);
  n8->pad_top = 1;
  n8->pad_right = 2;
  dager_model_node *n9 = builder_node1(b, DAGER_OP_PAD_CHANNELS, n8->output);
  n9->out_channels = 8;
  dager_model_node *n10 =
      builder_node1(b, DAGER_OP_GLOBAL_AVERAGE_POOL, n9->output);
  dager_model_node *n11 = builder_node1(b, DAGER_OP_SIGMOID, n10->output);
  builder_output(b, n7->output, "classes");
  builder_output(b, n11->output, "pooled");
}

/*
 * Random small changes to node fields and tensor shapes: every model the
 * runtime accepts must then run with the scalar and the best tables (under
 * the sanitizers, without touching memory it does not own), and every
 * other one must be refused as MODEL_INVALID. The values stay small so
 * that no accepted model needs more than a little memory.
 */
static void mutated_models_are_refused_or_run(void **state) {
  uint64_t random = 12345;
  uint32_t accepted = 0, refused = 0;

  (void)state;
  for (int round = 0; round < 3000; round++) {
    builder b;
    build_mutation_base(&b);

    for (int change = 0; change < 1 + round % 3; change++) {
      uint32_t pick = (uint32_t)((test_random(&random) + 1.0f) * 1000.0f);
      dager_model_node *node = &b.nodes[pick % b.model.node_count];
      uint32_t value = (pick / 13) % 8;
      switch ((pick / 7) % 14) {
        case 0:
          node->op = (dager_op)(value * 2);
          break;
        case 1:
          node->inputs[pick % 3] = value;
          break;
        case 2:
          node->input_count = value % 4;
          break;
        case 3:
          node->output = value * 2;
          break;
        case 4:
          node->kernel_h = value;
          break;
        case 5:
          node->stride_w = value % 4;
          break;
        case 6:
          node->padding = (dager_padding)(value % 3);
          break;
        case 7:
          node->activation = value % 5;
          break;
        case 8:
          node->out_channels = value * 3;
          break;
        case 9:
          node->pad_left = value;
          break;
        case 10:
          node->weights[pick % 2] = value * 2;
          break;
        case 11:
          node->weight_count = value % 4;
          break;
        case 12:
          b.tensors[value % b.model.tensor_count].shape[pick % 4] = value;
          break;
        default:
          b.outputs[pick % 2].value = value * 2;
          break;
      }
    }

    dager_network *network = NULL;
    /* Odd rounds use the best table, so SIMD kernels see the odd shapes
     * too. */
    const dager_kernels *table =
        round % 2 ? dager_kernels_best() : &scalar_table;
    dager_status status = dager_network_create(&b.model, table, &network);
    if (status == DAGER_OK) {
      dager_network_workspace *workspace = NULL;
      assert_int_equal(
          dager_network_workspace_create(network, NULL, &workspace), DAGER_OK);
      dager_tensor_shape in = dager_network_input_shape(network);
      fill_random(dager_network_input(workspace), (size_t)in.h * in.w * in.c,
                  (uint64_t)round);
      assert_int_equal(dager_network_run(network, workspace), DAGER_OK);
      dager_network_workspace_destroy(workspace);
      dager_network_destroy(network);
      accepted++;
    } else {
      if (status != DAGER_ERROR_MODEL_INVALID) {
        fail_msg("round %d: status %d (%s)", round, (int)status,
                 dager_last_error_message());
      }
      assert_null(network);
      refused++;
    }
    builder_free(&b);
  }
  printf("mutations: %u accepted and run, %u refused\n", accepted, refused);
  assert_true(accepted > 100);
  assert_true(refused > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(filter_channels_must_match),
      cmocka_unit_test(bias_must_match),
      cmocka_unit_test(kernel_must_match_filter),
      cmocka_unit_test(add_shapes_must_agree),
      cmocka_unit_test(residual_must_match_output),
      cmocka_unit_test(valid_kernel_must_fit),
      cmocka_unit_test(fully_connected_must_match),
      cmocka_unit_test(depthwise_multiplier_must_be_one),
      cmocka_unit_test(concat_and_pad_channels_checked),
      cmocka_unit_test(graph_structure_checked),
      cmocka_unit_test(sized_input_too_small),
      cmocka_unit_test(allocation_failures),
      cmocka_unit_test(run_does_not_allocate),
      cmocka_unit_test(wrong_workspace_is_refused),
      cmocka_unit_test(workspaces_share_lent_memory),
      cmocka_unit_test(mutated_models_are_refused_or_run),
  };
  return cmocka_run_group_tests_name("nn failures", tests, setup, NULL);
}
