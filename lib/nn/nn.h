/*
 * The network runtime: turns a validated model into something that runs.
 *
 * A dager_network is built once from a model (shape inference, memory plan,
 * weights packed for the chosen kernel table) and is then immutable, so any
 * number of threads may run it at once. Everything a run writes lives in a
 * dager_network_workspace: one arena sized from the memory plan, allocated
 * when the workspace is created, so no allocation happens during a run.
 * The runtime never knows what a face is.
 */
#ifndef DAGER_NN_H
#define DAGER_NN_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "nn/thread_pool.h"

typedef struct dager_network dager_network;
typedef struct dager_network_workspace dager_network_workspace;

typedef struct dager_tensor_shape {
  uint32_t h, w, c;
} dager_tensor_shape;

/*
 * Builds a network. kernels may be NULL for dager_kernels_best(). The input
 * shape comes from the model metadata.
 *
 * The model must outlive the network, but after this returns the network
 * reads only the model's struct, its nodes (model->nodes: inputs, output,
 * padding) and its outputs (model->output_count, model->outputs, names
 * included). It never reads model->tensors or their data again: filters,
 * biases and scales are copied into the network's own packed block, so
 * dager_model_release_tensor_data may free the floats right after.
 * Fails with DAGER_ERROR_MODEL_INVALID when shapes do not agree (a weight of
 * the wrong size, an add of two shapes), DAGER_ERROR_OUT_OF_MEMORY.
 */
dager_status dager_network_create(const dager_model *model,
                                  const dager_kernels *kernels,
                                  dager_network **out);
void dager_network_destroy(dager_network *network);

dager_tensor_shape dager_network_input_shape(const dager_network *network);
uint32_t dager_network_output_count(const dager_network *network);
dager_tensor_shape dager_network_output_shape(const dager_network *network,
                                              uint32_t index);
/* Index of the output with this name, or -1. */
int32_t dager_network_find_output(const dager_network *network,
                                  const char *name);

/* Multiply-accumulate count of one run, for benchmarks. */
uint64_t dager_network_mac_count(const dager_network *network);
/* Bytes of the arena a workspace allocates. */
size_t dager_network_arena_size(const dager_network *network);

/*
 * A workspace belongs to one thread at a time. pool may be NULL (run on the
 * calling thread only); otherwise the pool must outlive the workspace.
 */
dager_status dager_network_workspace_create(const dager_network *network,
                                            dager_thread_pool *pool,
                                            dager_network_workspace **out);
void dager_network_workspace_destroy(dager_network_workspace *workspace);

/*
 * Bytes of memory (arena and per-thread scratch) a workspace of this
 * network needs with a pool of `threads` threads.
 */
dager_status dager_network_workspace_size(const dager_network *network,
                                          uint32_t threads, size_t *out);

/*
 * As dager_network_workspace_create, but in memory the caller lends:
 * 64-byte aligned, at least dager_network_workspace_size bytes, kept alive
 * and not otherwise written while the workspace is used. Several
 * workspaces may share one block when their networks never run at the
 * same time and no output is read after another of them ran; a session
 * does this, since it reads each network's outputs right after its run.
 */
dager_status dager_network_workspace_create_in(const dager_network *network,
                                               dager_thread_pool *pool,
                                               void *memory, size_t size,
                                               dager_network_workspace **out);

/*
 * Where the caller writes the input (h * w * c floats, HWC) before a run.
 */
float *dager_network_input(dager_network_workspace *workspace);

/*
 * Runs the network on the input already written. Never allocates. Results
 * stay valid until the next run on the same workspace.
 */
dager_status dager_network_run(const dager_network *network,
                               dager_network_workspace *workspace);
const float *dager_network_output(const dager_network_workspace *workspace,
                                  uint32_t index);

/*
 * As dager_network_create, but with the input height and width given
 * instead of taken from the metadata (channels still come from the model),
 * for fully convolutional networks such as the tiny face detector that run
 * at any input size. Fails with DAGER_ERROR_MODEL_INVALID when the size is
 * too small for some layer's kernel.
 */
dager_status dager_network_create_sized(const dager_model *model,
                                        const dager_kernels *kernels,
                                        uint32_t in_h, uint32_t in_w,
                                        dager_network **out);

/*
 * The workspace's whole arena (dager_network_arena_size bytes), so tests
 * can fill it with garbage before a run to prove that no value is read
 * before it is written and that no two live values share memory.
 */
void *dager_network_workspace_arena(dager_network_workspace *workspace);

#endif /* DAGER_NN_H */
