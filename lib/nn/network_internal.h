/*
 * The network's private layout, shared by the files of lib/nn: shape
 * inference and packing (network.c) and running (run.c).
 */
#ifndef DAGER_NN_NETWORK_INTERNAL_H
#define DAGER_NN_NETWORK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "model/model.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

typedef struct dager_nn_value {
  dager_tensor_shape shape;
  size_t elements;
  int written; /* the input or some node's output */
  uint32_t first_step, last_step;
  size_t offset; /* bytes into the arena */
} dager_nn_value;

/*
 * One node, ready to run: the kernel geometry, packed weights and the
 * parts of the epilogue known at load. The residual pointer is filled in
 * per run because it points into the workspace.
 */
#define DAGER_NN_NOT_PACKED SIZE_MAX

/*
 * A convolution runs on conv2d (NONE), on the stem kernel (ALONE), or is
 * fused with the 2x2/2 max pool of the next step (POOLED): that step then
 * runs stem_conv2d_max_pool on this step's input, this step does nothing,
 * and its output is never stored.
 */
#define DAGER_NN_STEM_NONE 0
#define DAGER_NN_STEM_ALONE 1
#define DAGER_NN_STEM_POOLED 2

typedef struct dager_nn_step {
  const dager_model_node *node;
  dager_op op;
  dager_window window;
  uint32_t fc_in, fc_out;
  size_t packed_offset; /* bytes into the network's packed block */
  const float *packed;
  /* Where the epilogue's bias and scale are copied in the packed block,
   * or DAGER_NN_NOT_PACKED, so a run never reads the model's tensor data
   * (which dager_model_release_tensor_data may have freed). */
  size_t bias_offset, scale_offset;
  dager_epilogue epilogue;
  /* A convolution packed for and run by the Winograd slots
   * (winograd_choice.c). */
  int winograd;
  /* Ops without a fused epilogue run their activation as a second pass
   * over the rows they just wrote. */
  int separate_activation;
  /* Which kernels run a convolution over few input channels (set by
   * network.c; see DAGER_NN_STEM_*). */
  int stem;
  /* Rough operation count: the MACs, or one per output element for ops
   * without any. Nodes with less work than the workspace's threshold run
   * on the calling thread; decided from shapes alone, so it never changes
   * a result. */
  uint64_t work;
} dager_nn_step;

struct dager_network {
  const dager_model *model;
  const dager_kernels *kernels;
  dager_tensor_shape input_shape;

  uint32_t value_count;
  dager_nn_value *values;
  uint32_t step_count;
  dager_nn_step *steps;
  uint32_t *output_values; /* model->output_count value ids */

  float *packed_weights; /* one aligned block for every step */
  size_t arena_size;
  uint64_t mac_count;
};

struct dager_network_workspace {
  const dager_network *network;
  dager_thread_pool *pool;
  unsigned char *arena;
  unsigned char *scratch;
  size_t scratch_stride; /* bytes per thread, a multiple of 64 */
  uint64_t min_parallel_work;
  void *owned_memory; /* NULL when the caller lent arena and scratch */
};

/*
 * Handing a node to the pool costs a few microseconds of wake-up, worth it
 * only when each thread gets more than that to do.
 */
#define DAGER_NN_MIN_PARALLEL_WORK 65536u

/*
 * Lowers the work below which a node runs on the calling thread alone
 * (never raises it above the default, which the scratch is sized for).
 * Tests set 0 so that even their tiny nodes are split over the pool.
 */
void dager_nn_workspace_set_min_parallel_work(
    dager_network_workspace *workspace, uint64_t work);

/*
 * Whether a convolution of this window should run as Winograd F(2x2,
 * 3x3): decided from the shape alone, by measurement (winograd_choice.c).
 * dager_nn_winograd_enabled is 0 when DAGER_WINOGRAD=0 forces every
 * convolution direct.
 */
int dager_nn_prefers_winograd(const dager_window *w);
int dager_nn_winograd_enabled(void);

/* The number of steps running as Winograd, for tests and benchmarks. */
uint32_t dager_network_winograd_steps(const dager_network *network);

#endif /* DAGER_NN_NETWORK_INTERNAL_H */
