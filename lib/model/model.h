/*
 * A model as the reader hands it to the runtime: validated, immutable, and
 * with every weight already turned into float32. The file format itself is
 * specified in docs/model-format.md; this header is the in-memory contract
 * between the reader (lib/model), the converter (src/convert) and the
 * runtime (lib/nn). Fields may be appended; none may change meaning.
 *
 * Activations are float32 HWC tensors of batch 1. Values (activations) are
 * numbered 0..value_count-1; value 0 is the graph input. Each node writes
 * exactly one value, and nodes are stored in an order where every input is
 * written before it is read (the reader checks this, so the graph is
 * acyclic by construction).
 */
#ifndef DAGER_MODEL_H
#define DAGER_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"

#define DAGER_MODEL_MAX_NODE_INPUTS 8
#define DAGER_MODEL_MAX_NODE_WEIGHTS 4
#define DAGER_MODEL_MAX_RANK 4

typedef enum dager_op {
  /* inputs: x [, residual added before the activation]
   * weights: filter [kh][kw][in_c][out_c] [, bias [out_c]] */
  DAGER_OP_CONV2D = 1,
  /* inputs: x; weights: filter [kh][kw][c][1] [, bias [c]] */
  DAGER_OP_DEPTHWISE_CONV2D = 2,
  /* inputs: x (flattened in HWC order); weights: [in][out] [, bias [out]];
   * output is 1 x 1 x out. */
  DAGER_OP_FULLY_CONNECTED = 3,
  /* inputs: x; window from kernel/stride/padding. */
  DAGER_OP_MAX_POOL = 4,
  DAGER_OP_AVERAGE_POOL = 5,
  /* inputs: x; output 1 x 1 x c, the mean over all pixels. */
  DAGER_OP_GLOBAL_AVERAGE_POOL = 6,
  /* inputs: 2..8 tensors of one shape, summed, then the activation. */
  DAGER_OP_ADD = 7,
  /* inputs: x; weights: none (activation only) or scale [c], bias [c]:
   * y = act(x * scale + bias). Batch norm is stored this way. */
  DAGER_OP_AFFINE = 8,
  /* inputs: 2..8 tensors of equal height and width, joined on channels. */
  DAGER_OP_CONCAT = 9,
  /* inputs: x; output has out_channels channels, the new ones zero. */
  DAGER_OP_PAD_CHANNELS = 10,
  /* inputs: x; over the last axis (channels). */
  DAGER_OP_SOFTMAX = 11,
  DAGER_OP_SIGMOID = 12,
  /* inputs: x; output (pad_top + h + pad_bottom) x (pad_left + w +
   * pad_right) x c, the new positions zero. The face recognition net's
   * down-sampling layers need it where the reference concatenates zeros. */
  DAGER_OP_PAD = 13
} dager_op;

typedef enum dager_padding {
  DAGER_PADDING_SAME = 0,
  DAGER_PADDING_VALID = 1
} dager_padding;

/* Activations use the kernel layer's numbering (dager_activation). */

typedef enum dager_dtype {
  DAGER_DTYPE_F32 = 1,
  /* 8-bit affine: value = byte * scale + min, as in the TF.js manifests. */
  DAGER_DTYPE_U8_AFFINE = 2
} dager_dtype;

typedef struct dager_model_tensor {
  const char *name;
  dager_dtype stored_dtype; /* as in the file; data is float32 anyway */
  uint32_t rank;
  uint32_t shape[DAGER_MODEL_MAX_RANK];
  size_t element_count;
  const float *data;
} dager_model_tensor;

typedef struct dager_model_node {
  const char *name;
  dager_op op;
  uint32_t input_count;
  uint32_t inputs[DAGER_MODEL_MAX_NODE_INPUTS]; /* value ids */
  uint32_t output;                              /* value id */
  uint32_t weight_count;
  uint32_t weights[DAGER_MODEL_MAX_NODE_WEIGHTS]; /* tensor ids */
  uint32_t kernel_h, kernel_w;
  uint32_t stride_h, stride_w;
  dager_padding padding;
  uint32_t activation; /* dager_activation */
  float alpha;         /* leaky relu slope */
  float clamp_min, clamp_max;
  uint32_t out_channels; /* PAD_CHANNELS only */
  /* PAD only. */
  uint32_t pad_top, pad_left, pad_bottom, pad_right;
} dager_model_node;

typedef struct dager_model_output {
  const char *name;
  uint32_t value;
} dager_model_output;

typedef struct dager_model_metadata_entry {
  const char *key;
  const char *value;
} dager_model_metadata_entry;

typedef struct dager_model {
  uint32_t format_version;

  /* Well-known metadata, parsed from the key/value list below. */
  const char *task; /* see docs/model-format.md for the task names */
  uint32_t input_h, input_w, input_c;
  const char *channel_order; /* "RGB" */
  float mean[3];             /* network input = (pixel - mean) / divisor */
  float divisor[3];
  uint32_t label_count;
  const char *const *labels;

  uint32_t metadata_count;
  const dager_model_metadata_entry *metadata;

  uint32_t tensor_count;
  const dager_model_tensor *tensors;

  uint32_t value_count;
  uint32_t node_count;
  const dager_model_node *nodes;

  uint32_t output_count;
  const dager_model_output *outputs;

  /* Private to the reader: owned memory behind the pointers above. */
  void *storage;
} dager_model;

/*
 * Reads and validates a model. On failure *out is NULL and the thread's
 * last-error message (lib/core/error.h) names what is wrong.
 * Statuses: DAGER_ERROR_IO, DAGER_ERROR_MODEL_INVALID,
 * DAGER_ERROR_MODEL_VERSION, DAGER_ERROR_OUT_OF_MEMORY,
 * DAGER_ERROR_INVALID_ARGUMENT.
 */
dager_status dager_model_read_file(const char *path, dager_model **out);
dager_status dager_model_read_memory(const void *data, size_t size,
                                     dager_model **out);
void dager_model_destroy(dager_model *model);

/*
 * Frees the float data the reader allocated for the tensors and sets each
 * tensor's data to NULL; names, dtypes, shapes and element counts stay, as
 * do the metadata, nodes and outputs. For after every network has been
 * built from the model (the runtime keeps its own packed copies) and every
 * tensor the caller still reads by itself has been copied. Safe to call
 * twice and with NULL; dager_model_destroy still frees the rest. Does
 * nothing to a model the reader did not make (model->storage NULL).
 */
void dager_model_release_tensor_data(dager_model *model);

/* Metadata value for key, or NULL. */
const char *dager_model_metadata(const dager_model *model, const char *key);

/* Tensor id by name, or -1. */
int32_t dager_model_find_tensor(const dager_model *model, const char *name);

/* Value id of the graph output with this name, or -1. */
int32_t dager_model_find_output(const dager_model *model, const char *name);

/*
 * Parses the metadata value of key as a list of numbers separated by commas
 * or colons (e.g. "1.5:2,3:4"), the form docs/model-format.md uses, without
 * depending on the C locale. Stores at most capacity values and their
 * number in *count. Fails with DAGER_ERROR_MODEL_INVALID when the key is
 * missing, a number is malformed or not finite, or there are more than
 * capacity numbers.
 */
dager_status dager_model_metadata_floats(const dager_model *model,
                                         const char *key, float *values,
                                         uint32_t capacity, uint32_t *count);

/* The metadata value of key as a decimal integer 0..UINT32_MAX. */
dager_status dager_model_metadata_uint(const dager_model *model,
                                       const char *key, uint32_t *value);

#endif /* DAGER_MODEL_H */
