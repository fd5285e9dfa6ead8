#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "dager.h"
#include "kernels/kernels.h"
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

/*
 * What one node's parallel body needs. It lives on the stack of
 * dager_network_run for the duration of one node, so running allocates
 * nothing.
 */
typedef struct step_run {
  const dager_kernels *kernels;
  const dager_nn_step *step;
  const dager_network_workspace *workspace;
  const float *inputs[DAGER_MODEL_MAX_NODE_INPUTS];
  dager_tensor_shape input_shapes[DAGER_MODEL_MAX_NODE_INPUTS];
  uint32_t input_count;
  float *output;
  dager_tensor_shape output_shape;
  dager_epilogue epilogue;
  /* For a max pool fused with the convolution before it: that step. */
  const dager_nn_step *stem;
} step_run;

/* Every value lives at its planned offset in the one arena. */
static float *value_data(const dager_network_workspace *workspace,
                         uint32_t value) {
  const dager_nn_value *v = &workspace->network->values[value];
  return (float *)(void *)(workspace->arena + v->offset);
}

static size_t row_floats(dager_tensor_shape shape) {
  return (size_t)shape.w * shape.c;
}

/* The activation of ops that cannot fuse it, over the rows just written. */
static void activate_rows(const step_run *run, uint32_t begin, uint32_t end) {
  const size_t row = row_floats(run->output_shape);
  float *rows = run->output + begin * row;
  dager_epilogue activation_only = run->step->epilogue;

  if (!run->step->separate_activation)
    return;
  activation_only.scale = NULL;
  activation_only.bias = NULL;
  activation_only.residual = NULL;
  run->kernels->elementwise((end - begin) * row, run->output_shape.c, rows,
                            NULL, &activation_only, rows);
}

static void conv2d_rows(void *context, uint32_t begin, uint32_t end,
                        uint32_t thread) {
  const step_run *run = context;
  const dager_network_workspace *workspace = run->workspace;
  void *scratch = NULL;

  if (workspace->scratch_stride) {
    scratch = workspace->scratch + (size_t)thread * workspace->scratch_stride;
  }
  if (run->step->winograd) {
    run->kernels->winograd_conv2d(&run->step->window, run->inputs[0],
                                  run->step->packed, &run->epilogue,
                                  run->output, begin, end, scratch);
    return;
  }
  run->kernels->conv2d(&run->step->window, run->inputs[0], run->step->packed,
                       &run->epilogue, run->output, begin, end, scratch);
}

static void stem_rows(void *context, uint32_t begin, uint32_t end,
                      uint32_t thread) {
  const step_run *run = context;

  (void)thread;
  run->kernels->stem_conv2d(&run->step->window, run->inputs[0],
                            run->step->packed, &run->epilogue, run->output,
                            begin, end);
}

/* The convolution's epilogue, then the pool's own activation if any. */
static void stem_pool_rows(void *context, uint32_t begin, uint32_t end,
                           uint32_t thread) {
  const step_run *run = context;

  (void)thread;
  run->kernels->stem_conv2d_max_pool(
      &run->stem->window, &run->step->window, run->inputs[0], run->stem->packed,
      &run->stem->epilogue, run->output, begin, end);
  activate_rows(run, begin, end);
}

static void depthwise_rows(void *context, uint32_t begin, uint32_t end,
                           uint32_t thread) {
  const step_run *run = context;

  (void)thread;
  run->kernels->depthwise_conv2d(&run->step->window, run->inputs[0],
                                 run->step->packed, &run->epilogue, run->output,
                                 begin, end);
}

static void fully_connected_columns(void *context, uint32_t begin, uint32_t end,
                                    uint32_t thread) {
  const step_run *run = context;

  (void)thread;
  run->kernels->fully_connected(run->step->fc_in, run->step->fc_out,
                                run->inputs[0], run->step->packed,
                                &run->epilogue, run->output, begin, end);
}

static void pool_rows(void *context, uint32_t begin, uint32_t end,
                      uint32_t thread) {
  const step_run *run = context;

  (void)thread;
  if (run->step->op == DAGER_OP_MAX_POOL) {
    run->kernels->max_pool(&run->step->window, run->inputs[0], run->output,
                           begin, end);
  } else {
    run->kernels->average_pool(&run->step->window, run->inputs[0], run->output,
                               begin, end);
  }
  activate_rows(run, begin, end);
}

/*
 * Sums the inputs left to right; the activation comes only with the last
 * one, so intermediate sums stay linear.
 */
static void add_rows(void *context, uint32_t begin, uint32_t end,
                     uint32_t thread) {
  const step_run *run = context;
  const size_t row = row_floats(run->output_shape);
  const size_t first = begin * row;
  const size_t count = (end - begin) * row;
  const uint32_t channels = run->output_shape.c;
  dager_epilogue linear = run->epilogue;
  float *out = run->output + first;

  (void)thread;
  linear.activation = DAGER_ACTIVATION_NONE;
  for (uint32_t i = 1; i < run->input_count; i++) {
    const float *a = i == 1 ? run->inputs[0] + first : out;
    const int last = i + 1 == run->input_count;
    run->kernels->elementwise(count, channels, a, run->inputs[i] + first,
                              last ? &run->epilogue : &linear, out);
  }
}

static void affine_rows(void *context, uint32_t begin, uint32_t end,
                        uint32_t thread) {
  const step_run *run = context;
  const size_t row = row_floats(run->output_shape);

  (void)thread;
  run->kernels->elementwise((end - begin) * row, run->output_shape.c,
                            run->inputs[0] + begin * row, NULL, &run->epilogue,
                            run->output + begin * row);
}

static void concat_rows(void *context, uint32_t begin, uint32_t end,
                        uint32_t thread) {
  const step_run *run = context;
  const uint32_t width = run->output_shape.w;

  (void)thread;
  for (uint32_t y = begin; y < end; y++) {
    for (uint32_t x = 0; x < width; x++) {
      size_t pixel = (size_t)y * width + x;
      float *out = run->output + pixel * run->output_shape.c;

      for (uint32_t i = 0; i < run->input_count; i++) {
        uint32_t c = run->input_shapes[i].c;
        memcpy(out, run->inputs[i] + pixel * c, c * sizeof(float));
        out += c;
      }
    }
  }
  activate_rows(run, begin, end);
}

static void pad_channels_rows(void *context, uint32_t begin, uint32_t end,
                              uint32_t thread) {
  const step_run *run = context;
  const uint32_t width = run->output_shape.w;
  const uint32_t in_c = run->input_shapes[0].c;
  const uint32_t out_c = run->output_shape.c;

  (void)thread;
  for (uint32_t y = begin; y < end; y++) {
    for (uint32_t x = 0; x < width; x++) {
      size_t pixel = (size_t)y * width + x;
      float *out = run->output + pixel * out_c;

      memcpy(out, run->inputs[0] + pixel * in_c, in_c * sizeof(float));
      memset(out + in_c, 0, (size_t)(out_c - in_c) * sizeof(float));
    }
  }
  activate_rows(run, begin, end);
}

/* Output rows outside the input, and the columns either side, are zero. */
static void pad_rows(void *context, uint32_t begin, uint32_t end,
                     uint32_t thread) {
  const step_run *run = context;
  const dager_model_node *node = run->step->node;
  const dager_tensor_shape in = run->input_shapes[0];
  const size_t out_row = row_floats(run->output_shape);
  const size_t left = (size_t)node->pad_left * in.c;
  const size_t middle = row_floats(in);

  (void)thread;
  for (uint32_t y = begin; y < end; y++) {
    float *out = run->output + y * out_row;

    if (y < node->pad_top || y - node->pad_top >= in.h) {
      memset(out, 0, out_row * sizeof(float));
      continue;
    }
    memset(out, 0, left * sizeof(float));
    memcpy(out + left, run->inputs[0] + (y - node->pad_top) * middle,
           middle * sizeof(float));
    memset(out + left + middle, 0, (out_row - left - middle) * sizeof(float));
  }
  activate_rows(run, begin, end);
}

static void softmax_rows(void *context, uint32_t begin, uint32_t end,
                         uint32_t thread) {
  const step_run *run = context;
  const uint32_t channels = run->output_shape.c;
  const size_t pixels = (size_t)run->output_shape.w * (end - begin);
  const size_t first = begin * row_floats(run->output_shape);

  (void)thread;
  for (size_t p = 0; p < pixels; p++) {
    size_t at = first + p * channels;
    run->kernels->softmax(channels, run->inputs[0] + at, run->output + at);
  }
  activate_rows(run, begin, end);
}

static void sigmoid_rows(void *context, uint32_t begin, uint32_t end,
                         uint32_t thread) {
  const step_run *run = context;
  const size_t row = row_floats(run->output_shape);

  (void)thread;
  run->kernels->sigmoid((end - begin) * row, run->inputs[0] + begin * row,
                        run->output + begin * row);
  activate_rows(run, begin, end);
}

static void global_average_pool_all(void *context, uint32_t begin, uint32_t end,
                                    uint32_t thread) {
  const step_run *run = context;
  dager_tensor_shape in = run->input_shapes[0];

  (void)begin;
  (void)end;
  (void)thread;
  run->kernels->global_average_pool(in.h * in.w, in.c, run->inputs[0],
                                    run->output);
  activate_rows(run, 0, 1);
}

/*
 * Splits one node over the pool. Spatial ops split by output rows, the
 * unit every kernel takes; the fully connected layer has a single row, so
 * it splits by output columns instead. Each output element is computed by
 * exactly one thread with the same instruction sequence whatever the
 * split, which is why the thread count cannot change a single bit.
 */
static void run_step(const dager_network *network,
                     const dager_network_workspace *workspace,
                     const dager_nn_step *step) {
  const dager_model_node *node = step->node;
  step_run run;
  dager_parallel_body body = NULL;
  uint32_t count;
  uint64_t work = step->work;

  run.kernels = network->kernels;
  run.step = step;
  run.workspace = workspace;
  run.input_count = node->input_count;
  for (uint32_t i = 0; i < node->input_count; i++) {
    run.inputs[i] = value_data(workspace, node->inputs[i]);
    run.input_shapes[i] = network->values[node->inputs[i]].shape;
  }
  run.output = value_data(workspace, node->output);
  run.output_shape = network->values[node->output].shape;
  run.epilogue = step->epilogue;
  run.stem = NULL;
  count = run.output_shape.h;

  switch (step->op) {
    case DAGER_OP_CONV2D:
      /* Computed by the next step, the max pool. */
      if (step->stem == DAGER_NN_STEM_POOLED)
        return;
      if (node->input_count == 2) {
        run.epilogue.residual = run.inputs[1];
        run.epilogue.residual_row_stride = row_floats(run.output_shape);
      }
      body = step->stem == DAGER_NN_STEM_ALONE ? stem_rows : conv2d_rows;
      break;
    case DAGER_OP_DEPTHWISE_CONV2D:
      body = depthwise_rows;
      break;
    case DAGER_OP_FULLY_CONNECTED:
      body = fully_connected_columns;
      count = step->fc_out;
      break;
    case DAGER_OP_MAX_POOL:
    case DAGER_OP_AVERAGE_POOL:
      body = pool_rows;
      /* network.c fuses a max pool only with the step right before it. */
      if (step != network->steps && step[-1].stem == DAGER_NN_STEM_POOLED) {
        run.stem = step - 1;
        run.inputs[0] = value_data(workspace, run.stem->node->inputs[0]);
        work += run.stem->work;
        body = stem_pool_rows;
      }
      break;
    case DAGER_OP_GLOBAL_AVERAGE_POOL:
      /* One small reduction; splitting it would cost more than it saves. */
      global_average_pool_all(&run, 0, 1, 0);
      return;
    case DAGER_OP_ADD:
      body = add_rows;
      break;
    case DAGER_OP_AFFINE:
      body = affine_rows;
      break;
    case DAGER_OP_CONCAT:
      body = concat_rows;
      break;
    case DAGER_OP_PAD_CHANNELS:
      body = pad_channels_rows;
      break;
    case DAGER_OP_PAD:
      body = pad_rows;
      break;
    case DAGER_OP_SOFTMAX:
      body = softmax_rows;
      break;
    case DAGER_OP_SIGMOID:
      body = sigmoid_rows;
      break;
  }
  if (!body)
    return;
  if (work < workspace->min_parallel_work) {
    body(&run, 0, count, 0);
    return;
  }
  dager_thread_pool_run(workspace->pool, count, body, &run);
}

/*
 * Scratch per thread is sized for the biggest share of rows any thread can
 * get under the pool's split, which is the rows divided by the threads,
 * rounded up, or all rows for a node that runs alone.
 */
static int scratch_per_thread(const dager_network *network, uint32_t threads,
                              size_t *out) {
  size_t largest = 0;

  for (uint32_t i = 0; i < network->step_count; i++) {
    const dager_nn_step *step = &network->steps[i];
    uint32_t rows;
    size_t bytes;

    if (step->op != DAGER_OP_CONV2D)
      continue;
    rows = step->work < DAGER_NN_MIN_PARALLEL_WORK
               ? step->window.out_h
               : (step->window.out_h + threads - 1) / threads;
    bytes = step->winograd
                ? network->kernels->winograd_scratch_size(&step->window, rows)
                : network->kernels->conv2d_scratch_size(&step->window, rows);
    if (bytes > largest)
      largest = bytes;
  }
  if (!dager_size_add(largest, 63, &largest))
    return 0;
  *out = largest - largest % 64;
  return 1;
}

/* Splits a workspace's memory: the arena, then one scratch per thread. */
static int workspace_layout(const dager_network *network, uint32_t threads,
                            size_t *arena_bytes, size_t *scratch_stride,
                            size_t *total) {
  size_t scratch_total;

  if (!scratch_per_thread(network, threads, scratch_stride) ||
      !dager_size_multiply(*scratch_stride, threads, &scratch_total) ||
      !dager_size_add(network->arena_size, 63, arena_bytes))
    return 0;
  *arena_bytes -= *arena_bytes % 64;
  return dager_size_add(*arena_bytes, scratch_total, total);
}

dager_status dager_network_workspace_size(const dager_network *network,
                                          uint32_t threads, size_t *out) {
  size_t arena_bytes, scratch_stride;

  if (!network || !out || threads == 0) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "no network, no result or no threads");
  }
  if (!workspace_layout(network, threads, &arena_bytes, &scratch_stride, out)) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "workspace size overflows");
  }
  return DAGER_OK;
}

dager_status dager_network_workspace_create_in(const dager_network *network,
                                               dager_thread_pool *pool,
                                               void *memory, size_t size,
                                               dager_network_workspace **out) {
  dager_network_workspace *workspace;
  uint32_t threads = dager_thread_pool_size(pool);
  size_t arena_bytes, scratch_stride, total;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!network)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "no network");
  if (!workspace_layout(network, threads, &arena_bytes, &scratch_stride,
                        &total)) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "convolution scratch does not fit in memory");
  }
  if ((total && !memory) || size < total || (uintptr_t)memory % 64 != 0) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "workspace memory of %zu bytes at %p, %zu needed, "
                      "64-byte aligned",
                      size, memory, total);
  }

  workspace = dager_mem_calloc(1, sizeof *workspace);
  if (!workspace)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for workspace");
  workspace->network = network;
  workspace->pool = pool;
  workspace->min_parallel_work = DAGER_NN_MIN_PARALLEL_WORK;
  workspace->arena = memory;
  workspace->scratch_stride = scratch_stride;
  workspace->scratch =
      scratch_stride ? (unsigned char *)memory + arena_bytes : NULL;
  *out = workspace;
  return DAGER_OK;
}

dager_status dager_network_workspace_create(const dager_network *network,
                                            dager_thread_pool *pool,
                                            dager_network_workspace **out) {
  size_t total;
  void *memory;
  dager_status status;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  status = dager_network_workspace_size(network, dager_thread_pool_size(pool),
                                        &total);
  if (status != DAGER_OK)
    return status;
  /* An empty plan still gets a block, so the arena pointer is never NULL. */
  memory = dager_mem_alloc_aligned(total ? total : 64);
  if (!memory)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for workspace");
  status = dager_network_workspace_create_in(network, pool, memory,
                                             total ? total : 64, out);
  if (status != DAGER_OK) {
    dager_mem_free_aligned(memory);
    return status;
  }
  (*out)->owned_memory = memory;
  return DAGER_OK;
}

void dager_network_workspace_destroy(dager_network_workspace *workspace) {
  if (!workspace)
    return;
  dager_mem_free_aligned(workspace->owned_memory);
  dager_mem_free(workspace);
}

float *dager_network_input(dager_network_workspace *workspace) {
  return value_data(workspace, 0);
}

void dager_nn_workspace_set_min_parallel_work(
    dager_network_workspace *workspace, uint64_t work) {
  if (work > DAGER_NN_MIN_PARALLEL_WORK)
    work = DAGER_NN_MIN_PARALLEL_WORK;
  workspace->min_parallel_work = work;
}

void *dager_network_workspace_arena(dager_network_workspace *workspace) {
  return workspace->arena;
}

dager_status dager_network_run(const dager_network *network,
                               dager_network_workspace *workspace) {
  if (!network || !workspace) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "network or workspace is NULL");
  }
  if (workspace->network != network) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "workspace was made for another network");
  }
  for (uint32_t i = 0; i < network->step_count; i++) {
    run_step(network, workspace, &network->steps[i]);
  }
  return DAGER_OK;
}

const float *dager_network_output(const dager_network_workspace *workspace,
                                  uint32_t index) {
  const dager_network *network = workspace->network;

  if (index >= network->model->output_count)
    return NULL;
  return value_data(workspace, network->output_values[index]);
}
