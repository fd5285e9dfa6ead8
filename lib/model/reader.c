/*
 * The model reader. It trusts nothing in the file: every count, offset,
 * size, reference and shape is checked (sizes with overflow checks) before
 * it is used, and nothing is allocated from a number that has not been
 * bounded by the file's own length first. The order of the checks follows
 * docs/model-format.md, "What the reader checks".
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/memory.h"
#include "kernels/kernels.h"
#include "model/format.h"
#include "model/model.h"

#define INVALID DAGER_ERROR_MODEL_INVALID

typedef struct model_storage {
  char *strings;
  dager_model_metadata_entry *metadata;
  dager_model_tensor *tensors;
  float *data;
  dager_model_node *nodes;
  dager_model_output *outputs;
  char *labels_text;
  const char **labels;
} model_storage;

typedef struct section {
  const char *name;
  uint64_t offset;
  uint64_t size;
} section;

/* Everything the checks need while one file is read. */
typedef struct reader {
  const uint8_t *file;
  size_t size;
  dager_model *model;
  model_storage *storage;
  section strings, metadata, tensors, nodes, outputs, data;
} reader;

static int is_finite_float(double value) {
  return isfinite(value);
}

/* Whether a double converts to a finite float; converting one out of
 * range is undefined behaviour in C, so this is asked first. */
static int fits_float(double value) {
  return isfinite(value) && fabs(value) <= (double)FLT_MAX;
}

/* ---- sections -------------------------------------------------------- */

static dager_status read_section(reader *context, section *out,
                                 const char *name, unsigned offset_field,
                                 uint64_t size) {
  uint64_t offset = dager_format_load_u64(context->file + offset_field);

  out->name = name;
  out->offset = offset;
  out->size = size;
  if (offset < DAGER_FORMAT_HEADER_SIZE || offset > context->size ||
      size > context->size - offset) {
    return dager_fail(INVALID,
                      "model: %s section (offset %llu, %llu bytes) lies "
                      "outside the %zu-byte file or inside the header",
                      name, (unsigned long long)offset,
                      (unsigned long long)size, context->size);
  }
  return DAGER_OK;
}

static dager_status check_sections(reader *context) {
  const uint8_t *file = context->file;
  uint32_t metadata_count = context->model->metadata_count;
  uint32_t tensor_count = context->model->tensor_count;
  uint32_t node_count = context->model->node_count;
  uint32_t output_count = context->model->output_count;
  section *all[6];
  dager_status status;

  /* Counts are at most 65536 here, so these products fit in 64 bits. */
  status = read_section(
      context, &context->strings, "string", DAGER_HEADER_STRINGS_OFFSET,
      dager_format_load_u64(file + DAGER_HEADER_STRINGS_SIZE));
  if (status != DAGER_OK)
    return status;
  status = read_section(
      context, &context->metadata, "metadata", DAGER_HEADER_METADATA_OFFSET,
      (uint64_t)metadata_count * DAGER_FORMAT_METADATA_RECORD_SIZE);
  if (status != DAGER_OK)
    return status;
  status = read_section(
      context, &context->tensors, "tensor", DAGER_HEADER_TENSORS_OFFSET,
      (uint64_t)tensor_count * DAGER_FORMAT_TENSOR_RECORD_SIZE);
  if (status != DAGER_OK)
    return status;
  status =
      read_section(context, &context->nodes, "node", DAGER_HEADER_NODES_OFFSET,
                   (uint64_t)node_count * DAGER_FORMAT_NODE_RECORD_SIZE);
  if (status != DAGER_OK)
    return status;
  status = read_section(
      context, &context->outputs, "output", DAGER_HEADER_OUTPUTS_OFFSET,
      (uint64_t)output_count * DAGER_FORMAT_OUTPUT_RECORD_SIZE);
  if (status != DAGER_OK)
    return status;
  status =
      read_section(context, &context->data, "data", DAGER_HEADER_DATA_OFFSET,
                   dager_format_load_u64(file + DAGER_HEADER_DATA_SIZE));
  if (status != DAGER_OK)
    return status;
  if (context->data.offset % DAGER_FORMAT_DATA_ALIGNMENT) {
    return dager_fail(INVALID,
                      "model: data section offset %llu is not a multiple "
                      "of 64",
                      (unsigned long long)context->data.offset);
  }

  all[0] = &context->strings;
  all[1] = &context->metadata;
  all[2] = &context->tensors;
  all[3] = &context->nodes;
  all[4] = &context->outputs;
  all[5] = &context->data;
  for (int i = 0; i < 6; i++) {
    for (int j = i + 1; j < 6; j++) {
      const section *a = all[i];
      const section *b = all[j];

      if (a->size == 0 || b->size == 0)
        continue;
      if (a->offset < b->offset + b->size && b->offset < a->offset + a->size) {
        return dager_fail(INVALID, "model: the %s and %s sections overlap",
                          a->name, b->name);
      }
    }
  }
  return DAGER_OK;
}

/* ---- strings --------------------------------------------------------- */

static dager_status get_string(const reader *context, uint32_t reference,
                               const char *what, const char **out) {
  const char *table = context->storage->strings;
  uint64_t size = context->strings.size;
  uint64_t limit;
  const char *end;

  if (reference >= size) {
    return dager_fail(INVALID,
                      "model: %s refers to string %u, past the %llu-byte "
                      "string table",
                      what, reference, (unsigned long long)size);
  }
  limit = size - reference;
  if (limit > DAGER_FORMAT_MAX_STRING)
    limit = DAGER_FORMAT_MAX_STRING;
  end = memchr(table + reference, '\0', (size_t)limit);
  if (!end) {
    return dager_fail(INVALID,
                      "model: %s: string at %u has no end within %llu bytes",
                      what, reference, (unsigned long long)limit);
  }
  *out = table + reference;
  return DAGER_OK;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Finds a repeated name in O(n log n); fuzzed files may hold many. */
static dager_status check_unique(const char **names, uint32_t count,
                                 const char *what) {
  const char **sorted;

  if (count < 2)
    return DAGER_OK;
  sorted = dager_mem_calloc(count, sizeof *sorted);
  if (!sorted)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: memory");
  memcpy(sorted, names, count * sizeof *sorted);
  qsort(sorted, count, sizeof *sorted, compare_strings);
  for (uint32_t i = 1; i < count; i++) {
    if (strcmp(sorted[i - 1], sorted[i]) == 0) {
      dager_status status = dager_fail(
          INVALID, "model: %s \"%s\" appears twice", what, sorted[i]);

      dager_mem_free(sorted);
      return status;
    }
  }
  dager_mem_free(sorted);
  return DAGER_OK;
}

/* ---- tensors --------------------------------------------------------- */

typedef struct tensor_range {
  uint64_t offset;
  uint64_t size;
  uint32_t index;
} tensor_range;

static int compare_ranges(const void *a, const void *b) {
  const tensor_range *x = a;
  const tensor_range *y = b;

  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return 0;
}

static dager_status check_tensor_record(reader *context, uint32_t index,
                                        const uint8_t *record,
                                        tensor_range *range,
                                        size_t *padded_elements) {
  dager_model_tensor *tensor = &context->storage->tensors[index];
  uint32_t dtype = dager_format_load_u32(record + DAGER_TENSOR_DTYPE);
  uint32_t rank = dager_format_load_u32(record + DAGER_TENSOR_RANK);
  uint64_t offset = dager_format_load_u64(record + DAGER_TENSOR_DATA_OFFSET);
  uint64_t size = dager_format_load_u64(record + DAGER_TENSOR_DATA_SIZE);
  double scale = dager_format_load_f64(record + DAGER_TENSOR_SCALE);
  double min = dager_format_load_f64(record + DAGER_TENSOR_MIN);
  size_t elements = 1;
  size_t bytes;
  char what[48];
  dager_status status;

  snprintf(what, sizeof what, "tensor %u", index);
  status =
      get_string(context, dager_format_load_u32(record + DAGER_TENSOR_NAME),
                 what, &tensor->name);
  if (status != DAGER_OK)
    return status;
  if (dtype != DAGER_DTYPE_F32 && dtype != DAGER_DTYPE_U8_AFFINE) {
    return dager_fail(INVALID, "model: tensor %u (%s) has unknown dtype %u",
                      index, tensor->name, dtype);
  }
  if (rank < 1 || rank > DAGER_MODEL_MAX_RANK) {
    return dager_fail(INVALID, "model: tensor %u (%s) has rank %u, not 1..4",
                      index, tensor->name, rank);
  }
  if (dager_format_load_u32(record + DAGER_TENSOR_RESERVED)) {
    return dager_fail(INVALID, "model: tensor %u (%s): reserved field not 0",
                      index, tensor->name);
  }
  for (uint32_t axis = 0; axis < DAGER_MODEL_MAX_RANK; axis++) {
    uint32_t extent =
        dager_format_load_u32(record + DAGER_TENSOR_SHAPE + 4 * axis);

    if ((axis < rank) != (extent != 0)) {
      return dager_fail(INVALID,
                        "model: tensor %u (%s): dimension %u is %u (rank %u)",
                        index, tensor->name, axis, extent, rank);
    }
    tensor->shape[axis] = extent;
    if (axis < rank && !dager_size_multiply(elements, extent, &elements)) {
      return dager_fail(INVALID, "model: tensor %u (%s): shape overflows",
                        index, tensor->name);
    }
  }
  tensor->rank = rank;
  tensor->stored_dtype = (dager_dtype)dtype;
  tensor->element_count = elements;
  if (!dager_size_multiply(elements, dtype == DAGER_DTYPE_F32 ? 4 : 1,
                           &bytes) ||
      bytes != size) {
    return dager_fail(INVALID,
                      "model: tensor %u (%s): %llu data bytes do not match "
                      "its shape",
                      index, tensor->name, (unsigned long long)size);
  }
  if (offset > context->data.size || size > context->data.size - offset) {
    return dager_fail(INVALID,
                      "model: tensor %u (%s): data range %llu+%llu lies "
                      "outside the %llu-byte data section",
                      index, tensor->name, (unsigned long long)offset,
                      (unsigned long long)size,
                      (unsigned long long)context->data.size);
  }
  if (offset % DAGER_FORMAT_DATA_ALIGNMENT) {
    return dager_fail(INVALID,
                      "model: tensor %u (%s): data offset %llu is not "
                      "64-byte aligned",
                      index, tensor->name, (unsigned long long)offset);
  }
  if (!is_finite_float(scale) || !is_finite_float(min) ||
      (dtype == DAGER_DTYPE_F32 && (scale != 0.0 || min != 0.0))) {
    return dager_fail(INVALID,
                      "model: tensor %u (%s): bad quantisation scale %g, "
                      "min %g",
                      index, tensor->name, scale, min);
  }
  range->offset = offset;
  range->size = size;
  range->index = index;
  /* Each tensor's floats start on a 64-byte boundary: 16 floats. Bounded
   * by the data size, since every element takes at least one byte. */
  *padded_elements = (elements + 15) & ~(size_t)15;
  return DAGER_OK;
}

static dager_status decode_tensor(reader *context, uint32_t index,
                                  const uint8_t *record, float *out) {
  dager_model_tensor *tensor = &context->storage->tensors[index];
  const uint8_t *bytes =
      context->file + context->data.offset +
      dager_format_load_u64(record + DAGER_TENSOR_DATA_OFFSET);
  size_t count = tensor->element_count;

  if (tensor->stored_dtype == DAGER_DTYPE_U8_AFFINE) {
    double scale = dager_format_load_f64(record + DAGER_TENSOR_SCALE);
    double min = dager_format_load_f64(record + DAGER_TENSOR_MIN);

    float table[256];
    unsigned char usable[256];

    /* Double arithmetic rounded once to float, as TF.js dequantises, so
     * the weights equal the reference's bit for bit. A byte has only 256
     * values: each is computed once, then looked up. */
    for (int byte = 0; byte < 256; byte++) {
      double value = (double)byte * scale + min;

      usable[byte] = (unsigned char)fits_float(value);
      table[byte] = usable[byte] ? (float)value : 0.0f;
    }
    for (size_t i = 0; i < count; i++) {
      if (!usable[bytes[i]]) {
        return dager_fail(INVALID,
                          "model: tensor %u (%s): element %zu is not a "
                          "finite float",
                          index, tensor->name, i);
      }
      out[i] = table[bytes[i]];
    }
  } else {
    for (size_t i = 0; i < count; i++) {
      float value = dager_format_load_f32(bytes + 4 * i);

      if (!isfinite(value)) {
        return dager_fail(INVALID,
                          "model: tensor %u (%s): element %zu is not finite",
                          index, tensor->name, i);
      }
      out[i] = value;
    }
  }
  tensor->data = out;
  return DAGER_OK;
}

static dager_status read_tensors(reader *context) {
  uint32_t count = context->model->tensor_count;
  model_storage *storage = context->storage;
  tensor_range *ranges;
  const char **names;
  size_t total = 0;
  size_t bytes;
  size_t next = 0;
  dager_status status = DAGER_OK;

  if (count == 0)
    return DAGER_OK;
  storage->tensors = dager_mem_calloc(count, sizeof *storage->tensors);
  ranges = dager_mem_calloc(count, sizeof *ranges);
  names = dager_mem_calloc(count, sizeof *names);
  if (!storage->tensors || !ranges || !names) {
    dager_mem_free(ranges);
    dager_mem_free(names);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "model: no memory for %u "
                      "tensors",
                      count);
  }

  for (uint32_t i = 0; i < count && status == DAGER_OK; i++) {
    const uint8_t *record = context->file + context->tensors.offset +
                            (size_t)i * DAGER_FORMAT_TENSOR_RECORD_SIZE;
    size_t padded = 0;

    status = check_tensor_record(context, i, record, &ranges[i], &padded);
    if (status == DAGER_OK && !dager_size_add(total, padded, &total)) {
      status = dager_fail(INVALID, "model: tensor sizes overflow");
    }
    names[i] = storage->tensors[i].name;
  }
  if (status == DAGER_OK) {
    status = check_unique(names, count, "tensor name");
  }
  if (status == DAGER_OK) {
    qsort(ranges, count, sizeof *ranges, compare_ranges);
    for (uint32_t i = 1; i < count && status == DAGER_OK; i++) {
      const tensor_range *before = &ranges[i - 1];
      const tensor_range *after = &ranges[i];

      if (before->size && after->offset < before->offset + before->size) {
        status = dager_fail(INVALID,
                            "model: tensors %u (%s) and %u (%s) "
                            "share data bytes",
                            before->index, storage->tensors[before->index].name,
                            after->index, storage->tensors[after->index].name);
      }
    }
  }
  dager_mem_free(ranges);
  dager_mem_free(names);
  if (status != DAGER_OK)
    return status;

  /* total <= data_size + 15 * count: bounded by the file, checked above. */
  if (!dager_size_multiply(total, sizeof(float), &bytes)) {
    return dager_fail(INVALID, "model: tensor sizes overflow");
  }
  storage->data = dager_mem_alloc_aligned(bytes);
  if (!storage->data) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "model: no memory for %zu bytes of weights", bytes);
  }
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *record = context->file + context->tensors.offset +
                            (size_t)i * DAGER_FORMAT_TENSOR_RECORD_SIZE;

    status = decode_tensor(context, i, record, storage->data + next);
    if (status != DAGER_OK)
      return status;
    next += (storage->tensors[i].element_count + 15) & ~(size_t)15;
  }
  context->model->tensors = storage->tensors;
  return DAGER_OK;
}

/* ---- nodes ----------------------------------------------------------- */

typedef struct op_rule {
  const char *name;
  uint32_t min_inputs, max_inputs;
  uint32_t min_weights, max_weights;
  int has_window;
  int has_activation;
} op_rule;

static const op_rule *rule_for(uint32_t op) {
  static const op_rule rules[] = {
      [DAGER_OP_CONV2D] = {"CONV2D", 1, 2, 1, 2, 1, 1},
      [DAGER_OP_DEPTHWISE_CONV2D] = {"DEPTHWISE_CONV2D", 1, 1, 1, 2, 1, 1},
      [DAGER_OP_FULLY_CONNECTED] = {"FULLY_CONNECTED", 1, 1, 1, 2, 0, 1},
      [DAGER_OP_MAX_POOL] = {"MAX_POOL", 1, 1, 0, 0, 1, 0},
      [DAGER_OP_AVERAGE_POOL] = {"AVERAGE_POOL", 1, 1, 0, 0, 1, 0},
      [DAGER_OP_GLOBAL_AVERAGE_POOL] = {"GLOBAL_AVERAGE_POOL", 1, 1, 0, 0, 0,
                                        0},
      [DAGER_OP_ADD] = {"ADD", 2, DAGER_MODEL_MAX_NODE_INPUTS, 0, 0, 0, 1},
      [DAGER_OP_AFFINE] = {"AFFINE", 1, 1, 0, 2, 0, 1},
      [DAGER_OP_CONCAT] = {"CONCAT", 2, DAGER_MODEL_MAX_NODE_INPUTS, 0, 0, 0,
                           0},
      [DAGER_OP_PAD_CHANNELS] = {"PAD_CHANNELS", 1, 1, 0, 0, 0, 0},
      [DAGER_OP_SOFTMAX] = {"SOFTMAX", 1, 1, 0, 0, 0, 0},
      [DAGER_OP_SIGMOID] = {"SIGMOID", 1, 1, 0, 0, 0, 0},
      [DAGER_OP_PAD] = {"PAD", 1, 1, 0, 0, 0, 0},
  };

  if (op == 0 || op >= sizeof rules / sizeof rules[0])
    return NULL;
  return &rules[op];
}

static void load_node(const uint8_t *record, dager_model_node *node) {
  node->op = (dager_op)dager_format_load_u32(record + DAGER_NODE_OP);
  node->input_count = dager_format_load_u32(record + DAGER_NODE_INPUT_COUNT);
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_INPUTS; i++) {
    node->inputs[i] = dager_format_load_u32(record + DAGER_NODE_INPUTS + 4 * i);
  }
  node->output = dager_format_load_u32(record + DAGER_NODE_OUTPUT);
  node->weight_count = dager_format_load_u32(record + DAGER_NODE_WEIGHT_COUNT);
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_WEIGHTS; i++) {
    node->weights[i] =
        dager_format_load_u32(record + DAGER_NODE_WEIGHTS + 4 * i);
  }
  node->kernel_h = dager_format_load_u32(record + DAGER_NODE_KERNEL_H);
  node->kernel_w = dager_format_load_u32(record + DAGER_NODE_KERNEL_W);
  node->stride_h = dager_format_load_u32(record + DAGER_NODE_STRIDE_H);
  node->stride_w = dager_format_load_u32(record + DAGER_NODE_STRIDE_W);
  node->padding =
      (dager_padding)dager_format_load_u32(record + DAGER_NODE_PADDING);
  node->activation = dager_format_load_u32(record + DAGER_NODE_ACTIVATION);
  node->alpha = dager_format_load_f32(record + DAGER_NODE_ALPHA);
  node->clamp_min = dager_format_load_f32(record + DAGER_NODE_CLAMP_MIN);
  node->clamp_max = dager_format_load_f32(record + DAGER_NODE_CLAMP_MAX);
  node->out_channels = dager_format_load_u32(record + DAGER_NODE_OUT_CHANNELS);
  node->pad_top = dager_format_load_u32(record + DAGER_NODE_PADS);
  node->pad_left = dager_format_load_u32(record + DAGER_NODE_PADS + 4);
  node->pad_bottom = dager_format_load_u32(record + DAGER_NODE_PADS + 8);
  node->pad_right = dager_format_load_u32(record + DAGER_NODE_PADS + 12);
}

#define NODE_FAIL(...) node_fail(index, node, __VA_ARGS__)

static dager_status node_fail(uint32_t index, const dager_model_node *node,
                              const char *format, ...) DAGER_PRINTF_LIKE(3, 4);

static dager_status node_fail(uint32_t index, const dager_model_node *node,
                              const char *format, ...) {
  char detail[DAGER_ERROR_MESSAGE_MAX];
  va_list arguments;

  va_start(arguments, format);
  vsnprintf(detail, sizeof detail, format, arguments);
  va_end(arguments);
  return dager_fail(INVALID, "model: node %u (%s): %s", index, node->name,
                    detail);
}

static const dager_model_tensor *weight(const reader *context,
                                        const dager_model_node *node,
                                        uint32_t slot) {
  return &context->storage->tensors[node->weights[slot]];
}

/* Weight shapes per op, as far as they are knowable without inference. */
static dager_status check_weight_shapes(const reader *context, uint32_t index,
                                        const dager_model_node *node) {
  const dager_model_tensor *first =
      node->weight_count ? weight(context, node, 0) : NULL;
  const dager_model_tensor *second =
      node->weight_count > 1 ? weight(context, node, 1) : NULL;
  uint32_t channels = 0;

  switch (node->op) {
    case DAGER_OP_CONV2D:
    case DAGER_OP_DEPTHWISE_CONV2D:
      if (first->rank != 4 || first->shape[0] != node->kernel_h ||
          first->shape[1] != node->kernel_w) {
        return NODE_FAIL("filter %s is not [%u][%u][in][out]", first->name,
                         node->kernel_h, node->kernel_w);
      }
      if (node->op == DAGER_OP_DEPTHWISE_CONV2D && first->shape[3] != 1) {
        return NODE_FAIL("depthwise filter %s has %u outputs per channel",
                         first->name, first->shape[3]);
      }
      channels =
          node->op == DAGER_OP_CONV2D ? first->shape[3] : first->shape[2];
      break;
    case DAGER_OP_FULLY_CONNECTED:
      if (first->rank != 2) {
        return NODE_FAIL("weights %s are not [in][out]", first->name);
      }
      channels = first->shape[1];
      break;
    case DAGER_OP_AFFINE:
      if (node->weight_count == 1) {
        return NODE_FAIL("AFFINE needs both scale and bias, or neither");
      }
      if (first && first->rank != 1) {
        return NODE_FAIL("scale %s is not one-dimensional", first->name);
      }
      channels = first ? first->shape[0] : 0;
      break;
    default:
      break;
  }
  if (second && (second->rank != 1 || second->shape[0] != channels)) {
    return NODE_FAIL("bias %s does not have %u elements", second->name,
                     channels);
  }
  return DAGER_OK;
}

static dager_status check_node(reader *context, uint32_t index,
                               dager_model_node *node, unsigned char *written) {
  const op_rule *rule = rule_for((uint32_t)node->op);
  uint32_t value_count = context->model->value_count;

  if (!rule)
    return NODE_FAIL("unknown op %u", (unsigned)node->op);
  if (node->input_count < rule->min_inputs ||
      node->input_count > rule->max_inputs) {
    return NODE_FAIL("%s takes %u..%u inputs, not %u", rule->name,
                     rule->min_inputs, rule->max_inputs, node->input_count);
  }
  if (node->weight_count < rule->min_weights ||
      node->weight_count > rule->max_weights) {
    return NODE_FAIL("%s takes %u..%u weights, not %u", rule->name,
                     rule->min_weights, rule->max_weights, node->weight_count);
  }
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_INPUTS; i++) {
    uint32_t value = node->inputs[i];

    if (i >= node->input_count) {
      if (value)
        return NODE_FAIL("unused input slot %u is not 0", i);
      continue;
    }
    if (value >= value_count || !written[value]) {
      return NODE_FAIL(
          "input %u reads value %u, which no earlier node "
          "writes (a forward reference or a cycle)",
          i, value);
    }
  }
  if (node->output == 0 || node->output >= value_count ||
      written[node->output]) {
    return NODE_FAIL("output value %u is out of range or already written",
                     node->output);
  }
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_WEIGHTS; i++) {
    if (i >= node->weight_count) {
      if (node->weights[i]) {
        return NODE_FAIL("unused weight slot %u is not 0", i);
      }
    } else if (node->weights[i] >= context->model->tensor_count) {
      return NODE_FAIL("weight %u refers to tensor %u of %u", i,
                       node->weights[i], context->model->tensor_count);
    }
  }

  if (rule->has_window) {
    if (node->kernel_h < 1 || node->kernel_h > DAGER_FORMAT_MAX_WINDOW ||
        node->kernel_w < 1 || node->kernel_w > DAGER_FORMAT_MAX_WINDOW ||
        node->stride_h < 1 || node->stride_h > DAGER_FORMAT_MAX_WINDOW ||
        node->stride_w < 1 || node->stride_w > DAGER_FORMAT_MAX_WINDOW) {
      return NODE_FAIL("kernel %ux%u or stride %ux%u outside 1..64",
                       node->kernel_h, node->kernel_w, node->stride_h,
                       node->stride_w);
    }
    if (node->padding != DAGER_PADDING_SAME &&
        node->padding != DAGER_PADDING_VALID) {
      return NODE_FAIL("unknown padding %u", (unsigned)node->padding);
    }
  } else if (node->kernel_h || node->kernel_w || node->stride_h ||
             node->stride_w || node->padding) {
    return NODE_FAIL(
        "%s has no window, but kernel, stride or padding is "
        "set",
        rule->name);
  }

  if (node->activation > DAGER_ACTIVATION_LEAKY_RELU ||
      (!rule->has_activation && node->activation)) {
    return NODE_FAIL("activation %u is unknown or not allowed on %s",
                     node->activation, rule->name);
  }
  if (node->activation == DAGER_ACTIVATION_CLAMP) {
    if (!isfinite(node->clamp_min) || !isfinite(node->clamp_max) ||
        node->clamp_min > node->clamp_max) {
      return NODE_FAIL("clamp bounds %g..%g", (double)node->clamp_min,
                       (double)node->clamp_max);
    }
  } else if (node->clamp_min != 0.0f || node->clamp_max != 0.0f) {
    return NODE_FAIL("clamp bounds set without a clamp activation");
  }
  if (node->activation == DAGER_ACTIVATION_LEAKY_RELU) {
    if (!isfinite(node->alpha))
      return NODE_FAIL("alpha is not finite");
  } else if (node->alpha != 0.0f) {
    return NODE_FAIL("alpha set without a leaky relu activation");
  }

  if (node->op == DAGER_OP_PAD_CHANNELS) {
    if (node->out_channels < 1 || node->out_channels > 65536) {
      return NODE_FAIL("out_channels %u outside 1..65536", node->out_channels);
    }
  } else if (node->out_channels) {
    return NODE_FAIL("out_channels set on %s", rule->name);
  }
  if (node->op == DAGER_OP_PAD) {
    if (node->pad_top > DAGER_FORMAT_MAX_PAD ||
        node->pad_left > DAGER_FORMAT_MAX_PAD ||
        node->pad_bottom > DAGER_FORMAT_MAX_PAD ||
        node->pad_right > DAGER_FORMAT_MAX_PAD) {
      return NODE_FAIL("padding over %u", DAGER_FORMAT_MAX_PAD);
    }
  } else if (node->pad_top || node->pad_left || node->pad_bottom ||
             node->pad_right) {
    return NODE_FAIL("pad fields set on %s", rule->name);
  }

  return check_weight_shapes(context, index, node);
}

static dager_status read_nodes(reader *context) {
  uint32_t count = context->model->node_count;
  model_storage *storage = context->storage;
  unsigned char *written;
  dager_status status = DAGER_OK;

  /* value_count == node_count + 1 <= 65537, checked in the header. */
  written = dager_mem_calloc(context->model->value_count, 1);
  if (count)
    storage->nodes = dager_mem_calloc(count, sizeof *storage->nodes);
  if (!written || (count && !storage->nodes)) {
    dager_mem_free(written);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "model: no memory for %u "
                      "nodes",
                      count);
  }
  written[0] = 1;
  for (uint32_t i = 0; i < count && status == DAGER_OK; i++) {
    const uint8_t *record = context->file + context->nodes.offset +
                            (size_t)i * DAGER_FORMAT_NODE_RECORD_SIZE;
    dager_model_node *node = &storage->nodes[i];
    char what[32];

    snprintf(what, sizeof what, "node %u", i);
    status =
        get_string(context, dager_format_load_u32(record + DAGER_NODE_NAME),
                   what, &node->name);
    if (status != DAGER_OK)
      break;
    if (dager_format_load_u32(record + DAGER_NODE_RESERVED)) {
      status = dager_fail(INVALID, "model: node %u: reserved field not 0", i);
      break;
    }
    load_node(record, node);
    status = check_node(context, i, node, written);
    if (status == DAGER_OK)
      written[node->output] = 1;
  }
  dager_mem_free(written);
  context->model->nodes = storage->nodes;
  return status;
}

/* ---- outputs --------------------------------------------------------- */

static dager_status read_outputs(reader *context) {
  uint32_t count = context->model->output_count;
  model_storage *storage = context->storage;
  const char *names[DAGER_FORMAT_MAX_OUTPUTS];

  if (count == 0)
    return dager_fail(INVALID, "model: the graph has no output");
  storage->outputs = dager_mem_calloc(count, sizeof *storage->outputs);
  if (!storage->outputs) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: no memory");
  }
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *record = context->file + context->outputs.offset +
                            (size_t)i * DAGER_FORMAT_OUTPUT_RECORD_SIZE;
    dager_model_output *output = &storage->outputs[i];
    char what[32];
    dager_status status;

    snprintf(what, sizeof what, "output %u", i);
    status =
        get_string(context, dager_format_load_u32(record), what, &output->name);
    if (status != DAGER_OK)
      return status;
    output->value = dager_format_load_u32(record + 4);
    if (output->value >= context->model->value_count) {
      return dager_fail(INVALID, "model: output %u (%s) names value %u of %u",
                        i, output->name, output->value,
                        context->model->value_count);
    }
    if (output->name[0] == '\0') {
      return dager_fail(INVALID, "model: output %u has an empty name", i);
    }
    names[i] = output->name;
  }
  context->model->outputs = storage->outputs;
  return check_unique(names, count, "output name");
}

/* ---- metadata -------------------------------------------------------- */

/*
 * Parses one decimal number ("-12.5e-3") without the C library, whose
 * strtod follows the host program's locale. The mantissa collects at most
 * 19 significant digits; the powers of ten up to 1e22 are exact doubles.
 */
static int parse_number(const char **cursor, double *out) {
  const char *p = *cursor;
  int negative = 0;
  uint64_t mantissa = 0;
  int digits = 0;
  int significant = 0;
  int exponent = 0;
  double value;

  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  for (; *p >= '0' && *p <= '9'; p++, digits++) {
    if (significant < 19) {
      mantissa = mantissa * 10 + (uint64_t)(*p - '0');
      if (mantissa)
        significant++;
    } else {
      exponent++;
    }
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
      if (significant < 19) {
        mantissa = mantissa * 10 + (uint64_t)(*p - '0');
        if (mantissa)
          significant++;
        exponent--;
      }
    }
  }
  if (digits == 0)
    return 0;
  if (*p == 'e' || *p == 'E') {
    int exponent_negative = 0;
    int written_exponent = 0;
    int exponent_digits = 0;

    p++;
    if (*p == '+' || *p == '-')
      exponent_negative = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, exponent_digits++) {
      if (written_exponent < 10000) {
        written_exponent = written_exponent * 10 + (*p - '0');
      }
    }
    if (exponent_digits == 0)
      return 0;
    exponent += exponent_negative ? -written_exponent : written_exponent;
  }
  value = (double)mantissa;
  while (exponent > 0 && isfinite(value)) {
    int step = exponent > 22 ? 22 : exponent;

    value *= pow(10.0, step);
    exponent -= step;
  }
  while (exponent < 0 && value != 0.0) {
    int step = -exponent > 22 ? 22 : -exponent;

    value /= pow(10.0, step);
    exponent += step;
  }
  *out = negative ? -value : value;
  *cursor = p;
  return 1;
}

static dager_status parse_floats(const char *text, const char *key,
                                 float *values, uint32_t capacity,
                                 uint32_t *count) {
  const char *cursor = text;
  uint32_t found = 0;

  for (;;) {
    double number;

    if (!parse_number(&cursor, &number) || !fits_float(number)) {
      return dager_fail(INVALID,
                        "model: metadata %s: number %u of \"%s\" is "
                        "malformed",
                        key, found, text);
    }
    if (found == capacity) {
      return dager_fail(INVALID,
                        "model: metadata %s holds more than %u "
                        "numbers",
                        key, capacity);
    }
    values[found++] = (float)number;
    if (*cursor == '\0')
      break;
    if (*cursor != ',' && *cursor != ':') {
      return dager_fail(INVALID,
                        "model: metadata %s: unexpected '%c' in "
                        "\"%s\"",
                        key, *cursor, text);
    }
    cursor++;
  }
  *count = found;
  return DAGER_OK;
}

static dager_status parse_uint(const char *text, const char *key,
                               uint32_t *value) {
  uint64_t number = 0;
  const char *p = text;

  if (*p == '\0') {
    return dager_fail(INVALID, "model: metadata %s is empty", key);
  }
  for (; *p; p++) {
    if (*p < '0' || *p > '9') {
      return dager_fail(INVALID,
                        "model: metadata %s: \"%s\" is not a "
                        "whole number",
                        key, text);
    }
    number = number * 10 + (uint64_t)(*p - '0');
    if (number > UINT32_MAX) {
      return dager_fail(INVALID, "model: metadata %s: %s is too large", key,
                        text);
    }
  }
  *value = (uint32_t)number;
  return DAGER_OK;
}

static dager_status required(const dager_model *model, const char *key,
                             const char **value) {
  *value = dager_model_metadata(model, key);
  if (!*value) {
    return dager_fail(INVALID, "model: metadata key %s is missing", key);
  }
  return DAGER_OK;
}

static dager_status read_input_size(dager_model *model, const char *key,
                                    uint32_t *value) {
  const char *text = dager_model_metadata(model, key);
  dager_status status;

  if (!text) {
    return dager_fail(INVALID, "model: metadata key %s is missing", key);
  }
  status = parse_uint(text, key, value);
  if (status == DAGER_OK &&
      (*value < 1 || *value > DAGER_FORMAT_MAX_INPUT_SIDE)) {
    status = dager_fail(INVALID, "model: metadata %s = %u, not 1..%u", key,
                        *value, DAGER_FORMAT_MAX_INPUT_SIDE);
  }
  return status;
}

static dager_status read_labels(reader *context, const char *text) {
  model_storage *storage = context->storage;
  dager_model *model = context->model;
  size_t length = strlen(text);
  uint32_t count = 1;

  if (length == 0) {
    return dager_fail(INVALID, "model: metadata labels is empty");
  }
  for (size_t i = 0; i < length; i++)
    count += text[i] == ',';
  storage->labels_text = dager_mem_alloc(length + 1);
  storage->labels = dager_mem_calloc(count, sizeof *storage->labels);
  if (!storage->labels_text || !storage->labels) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: no memory");
  }
  memcpy(storage->labels_text, text, length + 1);
  count = 0;
  storage->labels[count++] = storage->labels_text;
  for (size_t i = 0; i < length; i++) {
    if (storage->labels_text[i] != ',')
      continue;
    storage->labels_text[i] = '\0';
    storage->labels[count++] = storage->labels_text + i + 1;
  }
  for (uint32_t i = 0; i < count; i++) {
    if (storage->labels[i][0] == '\0') {
      return dager_fail(INVALID, "model: label %u is empty", i);
    }
  }
  model->labels = storage->labels;
  model->label_count = count;
  return DAGER_OK;
}

static dager_status read_metadata(reader *context) {
  uint32_t count = context->model->metadata_count;
  model_storage *storage = context->storage;
  dager_model *model = context->model;
  const char **keys;
  const char *text;
  uint32_t found;
  dager_status status = DAGER_OK;

  if (count == 0)
    return dager_fail(INVALID, "model: no metadata");
  storage->metadata = dager_mem_calloc(count, sizeof *storage->metadata);
  keys = dager_mem_calloc(count, sizeof *keys);
  if (!storage->metadata || !keys) {
    dager_mem_free(keys);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: no memory");
  }
  for (uint32_t i = 0; i < count && status == DAGER_OK; i++) {
    const uint8_t *record = context->file + context->metadata.offset +
                            (size_t)i * DAGER_FORMAT_METADATA_RECORD_SIZE;
    dager_model_metadata_entry *entry = &storage->metadata[i];
    char what[40];

    snprintf(what, sizeof what, "metadata entry %u", i);
    status =
        get_string(context, dager_format_load_u32(record), what, &entry->key);
    if (status == DAGER_OK) {
      status = get_string(context, dager_format_load_u32(record + 4), what,
                          &entry->value);
    }
    if (status == DAGER_OK && entry->key[0] == '\0') {
      status = dager_fail(INVALID,
                          "model: metadata entry %u has an empty "
                          "key",
                          i);
    }
    keys[i] = entry->key;
  }
  if (status == DAGER_OK)
    status = check_unique(keys, count, "metadata key");
  dager_mem_free(keys);
  if (status != DAGER_OK)
    return status;
  model->metadata = storage->metadata;

  status = required(model, "task", &model->task);
  if (status == DAGER_OK && model->task[0] == '\0') {
    status = dager_fail(INVALID, "model: metadata task is empty");
  }
  if (status == DAGER_OK) {
    status = read_input_size(model, "input_height", &model->input_h);
  }
  if (status == DAGER_OK) {
    status = read_input_size(model, "input_width", &model->input_w);
  }
  if (status == DAGER_OK) {
    status = read_input_size(model, "input_channels", &model->input_c);
  }
  if (status == DAGER_OK && model->input_c != 3) {
    status = dager_fail(INVALID, "model: input_channels is %u, not 3",
                        model->input_c);
  }
  if (status == DAGER_OK) {
    status = required(model, "channel_order", &model->channel_order);
  }
  if (status == DAGER_OK && strcmp(model->channel_order, "RGB") != 0) {
    status = dager_fail(INVALID, "model: channel order \"%s\" is not RGB",
                        model->channel_order);
  }
  if (status == DAGER_OK)
    status = required(model, "mean", &text);
  if (status == DAGER_OK) {
    status = parse_floats(text, "mean", model->mean, 3, &found);
  }
  if (status == DAGER_OK && found != 3) {
    status = dager_fail(INVALID, "model: mean has %u numbers, not 3", found);
  }
  if (status == DAGER_OK)
    status = required(model, "divisor", &text);
  if (status == DAGER_OK) {
    status = parse_floats(text, "divisor", model->divisor, 3, &found);
  }
  if (status == DAGER_OK && found != 3) {
    status = dager_fail(INVALID, "model: divisor has %u numbers, not 3", found);
  }
  for (int i = 0; status == DAGER_OK && i < 3; i++) {
    if (model->divisor[i] == 0.0f) {
      status = dager_fail(INVALID, "model: divisor %d is zero", i);
    }
  }
  if (status == DAGER_OK) {
    text = dager_model_metadata(model, "labels");
    if (text)
      status = read_labels(context, text);
  }
  return status;
}

/* ---- entry points ---------------------------------------------------- */

static dager_status check_header(reader *context) {
  const uint8_t *file = context->file;
  dager_model *model = context->model;
  uint32_t version;
  uint64_t file_size;
  uint64_t checksum;

  if (context->size < DAGER_FORMAT_HEADER_SIZE) {
    return dager_fail(INVALID,
                      "model: %zu bytes is shorter than the %u-byte header",
                      context->size, DAGER_FORMAT_HEADER_SIZE);
  }
  if (memcmp(file, DAGER_FORMAT_MAGIC, DAGER_FORMAT_MAGIC_SIZE) != 0) {
    return dager_fail(INVALID, "model: not a libdager model (bad magic)");
  }
  version = dager_format_load_u32(file + DAGER_HEADER_VERSION);
  if (version != DAGER_FORMAT_VERSION) {
    return dager_fail(DAGER_ERROR_MODEL_VERSION,
                      "model: format version %u; this library reads %u",
                      version, DAGER_FORMAT_VERSION);
  }
  if (dager_format_load_u32(file + DAGER_HEADER_HEADER_SIZE) !=
      DAGER_FORMAT_HEADER_SIZE) {
    return dager_fail(INVALID, "model: header size %u, expected %u",
                      dager_format_load_u32(file + DAGER_HEADER_HEADER_SIZE),
                      DAGER_FORMAT_HEADER_SIZE);
  }
  file_size = dager_format_load_u64(file + DAGER_HEADER_FILE_SIZE);
  if (file_size != context->size) {
    return dager_fail(INVALID,
                      "model: header says %llu bytes, the file has %zu "
                      "(truncated or padded)",
                      (unsigned long long)file_size, context->size);
  }
  if (dager_format_load_u32(file + DAGER_HEADER_RESERVED0) ||
      dager_format_load_u64(file + DAGER_HEADER_RESERVED1)) {
    return dager_fail(INVALID, "model: reserved header fields are not 0");
  }
  checksum = dager_format_load_u64(file + DAGER_FORMAT_CHECKSUM_OFFSET);
  if (checksum != dager_format_file_checksum(file, context->size)) {
    return dager_fail(INVALID, "model: checksum mismatch (file damaged)");
  }

  model->format_version = version;
  model->metadata_count =
      dager_format_load_u32(file + DAGER_HEADER_METADATA_COUNT);
  model->tensor_count = dager_format_load_u32(file + DAGER_HEADER_TENSOR_COUNT);
  model->value_count = dager_format_load_u32(file + DAGER_HEADER_VALUE_COUNT);
  model->node_count = dager_format_load_u32(file + DAGER_HEADER_NODE_COUNT);
  model->output_count = dager_format_load_u32(file + DAGER_HEADER_OUTPUT_COUNT);
  if (model->metadata_count > DAGER_FORMAT_MAX_METADATA ||
      model->tensor_count > DAGER_FORMAT_MAX_TENSORS ||
      model->node_count > DAGER_FORMAT_MAX_NODES ||
      model->output_count > DAGER_FORMAT_MAX_OUTPUTS) {
    return dager_fail(INVALID,
                      "model: counts (%u metadata, %u tensors, %u nodes, %u "
                      "outputs) exceed the format's limits",
                      model->metadata_count, model->tensor_count,
                      model->node_count, model->output_count);
  }
  if (model->value_count != model->node_count + 1) {
    return dager_fail(INVALID, "model: %u values for %u nodes; expected %u",
                      model->value_count, model->node_count,
                      model->node_count + 1);
  }
  return DAGER_OK;
}

dager_status dager_model_read_memory(const void *data, size_t size,
                                     dager_model **out) {
  reader context = {0};
  dager_status status;

  if (!out) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "model: out is NULL");
  }
  *out = NULL;
  if (!data) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "model: data is NULL");
  }
  context.file = data;
  context.size = size;
  context.model = dager_mem_calloc(1, sizeof *context.model);
  context.storage = dager_mem_calloc(1, sizeof *context.storage);
  if (!context.model || !context.storage) {
    dager_mem_free(context.model);
    dager_mem_free(context.storage);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: no memory");
  }
  context.model->storage = context.storage;

  status = check_header(&context);
  if (status == DAGER_OK)
    status = check_sections(&context);
  if (status == DAGER_OK) {
    /* The string table is copied so the model outlives the caller's
     * buffer; its size is bounded by the file size. */
    size_t length = (size_t)context.strings.size;

    context.storage->strings = dager_mem_alloc(length + 1);
    if (!context.storage->strings) {
      status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model: no memory");
    } else {
      memcpy(context.storage->strings, context.file + context.strings.offset,
             length);
      context.storage->strings[length] = '\0';
    }
  }
  if (status == DAGER_OK)
    status = read_tensors(&context);
  if (status == DAGER_OK)
    status = read_nodes(&context);
  if (status == DAGER_OK)
    status = read_outputs(&context);
  if (status == DAGER_OK)
    status = read_metadata(&context);
  if (status != DAGER_OK) {
    dager_model_destroy(context.model);
    return status;
  }
  *out = context.model;
  return DAGER_OK;
}

dager_status dager_model_read_file(const char *path, dager_model **out) {
  FILE *stream;
  struct stat information;
  uint8_t *bytes;
  size_t size;
  dager_status status;

  if (!out) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "model: out is NULL");
  }
  *out = NULL;
  if (!path) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "model: path is NULL");
  }
  stream = fopen(path, "rb");
  if (!stream) {
    return dager_fail(DAGER_ERROR_IO, "model: cannot open %s: %s", path,
                      strerror(errno));
  }
  if (fstat(fileno(stream), &information) != 0 ||
      !S_ISREG(information.st_mode)) {
    fclose(stream);
    return dager_fail(DAGER_ERROR_IO, "model: %s is not a regular file", path);
  }
  if ((uintmax_t)information.st_size > SIZE_MAX / 2) {
    fclose(stream);
    return dager_fail(DAGER_ERROR_MODEL_INVALID, "model: %s is too large",
                      path);
  }
  size = (size_t)information.st_size;
  /* Aligned blocks of megabytes are mapped from the system and go back to
   * it when freed (core/memory.c); through malloc this transient block
   * would leave later image buffers resident after they are freed. */
  bytes = dager_mem_alloc_aligned(size);
  if (!bytes) {
    fclose(stream);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "model: no memory to read %zu bytes of %s", size, path);
  }
  if (fread(bytes, 1, size, stream) != size) {
    fclose(stream);
    dager_mem_free_aligned(bytes);
    return dager_fail(DAGER_ERROR_IO, "model: cannot read %s", path);
  }
  fclose(stream);
  status = dager_model_read_memory(bytes, size, out);
  dager_mem_free_aligned(bytes);
  return status;
}

void dager_model_destroy(dager_model *model) {
  model_storage *storage;

  if (!model)
    return;
  storage = model->storage;
  if (storage) {
    dager_mem_free(storage->strings);
    dager_mem_free(storage->metadata);
    dager_mem_free(storage->tensors);
    dager_mem_free_aligned(storage->data);
    dager_mem_free(storage->nodes);
    dager_mem_free(storage->outputs);
    dager_mem_free(storage->labels_text);
    dager_mem_free(storage->labels);
    dager_mem_free(storage);
  }
  dager_mem_free(model);
}

void dager_model_release_tensor_data(dager_model *model) {
  model_storage *storage;

  if (!model || !model->storage)
    return;
  storage = model->storage;
  /* The tensor records are the reader's own (model->tensors only views
   * them as const), so clearing their pointers here is not a cast away. */
  for (uint32_t i = 0; i < model->tensor_count && storage->tensors; i++) {
    storage->tensors[i].data = NULL;
  }
  dager_mem_free_aligned(storage->data);
  storage->data = NULL;
}

const char *dager_model_metadata(const dager_model *model, const char *key) {
  if (!model || !key || !model->metadata)
    return NULL;
  for (uint32_t i = 0; i < model->metadata_count; i++) {
    if (strcmp(model->metadata[i].key, key) == 0) {
      return model->metadata[i].value;
    }
  }
  return NULL;
}

int32_t dager_model_find_tensor(const dager_model *model, const char *name) {
  if (!model || !name)
    return -1;
  for (uint32_t i = 0; i < model->tensor_count; i++) {
    if (strcmp(model->tensors[i].name, name) == 0)
      return (int32_t)i;
  }
  return -1;
}

int32_t dager_model_find_output(const dager_model *model, const char *name) {
  if (!model || !name)
    return -1;
  for (uint32_t i = 0; i < model->output_count; i++) {
    if (strcmp(model->outputs[i].name, name) == 0) {
      return (int32_t)model->outputs[i].value;
    }
  }
  return -1;
}

dager_status dager_model_metadata_floats(const dager_model *model,
                                         const char *key, float *values,
                                         uint32_t capacity, uint32_t *count) {
  const char *text = dager_model_metadata(model, key);

  if (!text) {
    return dager_fail(INVALID, "model: metadata key %s is missing",
                      key ? key : "(null)");
  }
  return parse_floats(text, key, values, capacity, count);
}

dager_status dager_model_metadata_uint(const dager_model *model,
                                       const char *key, uint32_t *value) {
  const char *text = dager_model_metadata(model, key);

  if (!text) {
    return dager_fail(INVALID, "model: metadata key %s is missing",
                      key ? key : "(null)");
  }
  return parse_uint(text, key, value);
}
