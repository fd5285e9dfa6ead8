#include "model/writer.h"

#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "model/format.h"

typedef struct byte_buffer {
  uint8_t *bytes;
  size_t size;
  size_t capacity;
} byte_buffer;

typedef struct metadata_entry {
  uint32_t key;
  uint32_t value;
} metadata_entry;

typedef struct tensor_entry {
  uint32_t name;
  uint32_t dtype;
  uint32_t rank;
  uint32_t shape[DAGER_MODEL_MAX_RANK];
  uint64_t data_offset;
  uint64_t data_size;
  double scale;
  double min;
} tensor_entry;

typedef struct node_entry {
  uint32_t name;
  dager_model_node node;
} node_entry;

typedef struct output_entry {
  uint32_t name;
  uint32_t value;
} output_entry;

struct dager_model_writer {
  byte_buffer strings;
  byte_buffer metadata; /* metadata_entry */
  byte_buffer tensors;  /* tensor_entry */
  byte_buffer nodes;    /* node_entry */
  byte_buffer outputs;  /* output_entry */
  byte_buffer data;
};

static dager_status buffer_reserve(byte_buffer *buffer, size_t extra) {
  size_t needed;
  size_t capacity;
  uint8_t *bytes;

  if (!dager_size_add(buffer->size, extra, &needed)) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model writer: too large");
  }
  if (needed <= buffer->capacity)
    return DAGER_OK;
  capacity = buffer->capacity ? buffer->capacity : 256;
  while (capacity < needed) {
    if (!dager_size_multiply(capacity, 2, &capacity))
      capacity = needed;
  }
  bytes = dager_mem_realloc(buffer->bytes, capacity);
  if (!bytes) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "model writer: out of memory for %zu bytes", capacity);
  }
  buffer->bytes = bytes;
  buffer->capacity = capacity;
  return DAGER_OK;
}

static dager_status buffer_append(byte_buffer *buffer, const void *bytes,
                                  size_t size) {
  dager_status status = buffer_reserve(buffer, size);

  if (status != DAGER_OK)
    return status;
  if (size)
    memcpy(buffer->bytes + buffer->size, bytes, size);
  buffer->size += size;
  return DAGER_OK;
}

static dager_status buffer_pad(byte_buffer *buffer, size_t alignment) {
  static const uint8_t zeros[DAGER_FORMAT_DATA_ALIGNMENT];
  size_t extra = (alignment - buffer->size % alignment) % alignment;

  return buffer_append(buffer, zeros, extra);
}

static dager_status add_string(dager_model_writer *writer, const char *text,
                               uint32_t *reference) {
  size_t length = strlen(text);

  if (writer->strings.size > UINT32_MAX - length - 1) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "model writer: string table over 4 GiB");
  }
  *reference = (uint32_t)writer->strings.size;
  return buffer_append(&writer->strings, text, length + 1);
}

dager_status dager_model_writer_create(dager_model_writer **out) {
  dager_model_writer *writer = dager_mem_calloc(1, sizeof *writer);

  *out = NULL;
  if (!writer) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model writer: no memory");
  }
  *out = writer;
  return DAGER_OK;
}

void dager_model_writer_destroy(dager_model_writer *writer) {
  if (!writer)
    return;
  dager_mem_free(writer->strings.bytes);
  dager_mem_free(writer->metadata.bytes);
  dager_mem_free(writer->tensors.bytes);
  dager_mem_free(writer->nodes.bytes);
  dager_mem_free(writer->outputs.bytes);
  dager_mem_free(writer->data.bytes);
  dager_mem_free(writer);
}

dager_status dager_model_writer_set_metadata(dager_model_writer *writer,
                                             const char *key,
                                             const char *value) {
  metadata_entry entry;
  metadata_entry *entries = (metadata_entry *)writer->metadata.bytes;
  size_t count = writer->metadata.size / sizeof entry;
  dager_status status;

  for (size_t i = 0; i < count; i++) {
    if (strcmp((const char *)writer->strings.bytes + entries[i].key, key)) {
      continue;
    }
    /* The old value string stays in the table, unreferenced; harmless. */
    return add_string(writer, value, &entries[i].value);
  }
  status = add_string(writer, key, &entry.key);
  if (status == DAGER_OK)
    status = add_string(writer, value, &entry.value);
  if (status == DAGER_OK) {
    status = buffer_append(&writer->metadata, &entry, sizeof entry);
  }
  return status;
}

dager_status dager_model_writer_add_tensor(dager_model_writer *writer,
                                           const char *name, dager_dtype dtype,
                                           uint32_t rank, const uint32_t *shape,
                                           const void *data, double scale,
                                           double min, uint32_t *id) {
  tensor_entry entry = {0};
  size_t elements = 1;
  size_t element_size = dtype == DAGER_DTYPE_F32 ? 4 : 1;
  size_t bytes;
  dager_status status;

  if (rank < 1 || rank > DAGER_MODEL_MAX_RANK ||
      (dtype != DAGER_DTYPE_F32 && dtype != DAGER_DTYPE_U8_AFFINE)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "model writer: tensor %s: bad rank or dtype", name);
  }
  for (uint32_t i = 0; i < rank; i++) {
    if (!dager_size_multiply(elements, shape[i], &elements)) {
      return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                        "model writer: tensor %s too large", name);
    }
    entry.shape[i] = shape[i];
  }
  if (!dager_size_multiply(elements, element_size, &bytes)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "model writer: tensor %s too large", name);
  }
  status = buffer_pad(&writer->data, DAGER_FORMAT_DATA_ALIGNMENT);
  if (status != DAGER_OK)
    return status;
  entry.dtype = (uint32_t)dtype;
  entry.rank = rank;
  entry.data_offset = writer->data.size;
  entry.data_size = bytes;
  entry.scale = dtype == DAGER_DTYPE_F32 ? 0.0 : scale;
  entry.min = dtype == DAGER_DTYPE_F32 ? 0.0 : min;
  if (dtype == DAGER_DTYPE_F32) {
    const float *values = data;

    status = buffer_reserve(&writer->data, bytes);
    if (status != DAGER_OK)
      return status;
    for (size_t i = 0; i < elements; i++) {
      dager_format_store_f32(writer->data.bytes + writer->data.size + i * 4,
                             values[i]);
    }
    writer->data.size += bytes;
  } else {
    status = buffer_append(&writer->data, data, bytes);
    if (status != DAGER_OK)
      return status;
  }
  status = add_string(writer, name, &entry.name);
  if (status != DAGER_OK)
    return status;
  *id = (uint32_t)(writer->tensors.size / sizeof entry);
  return buffer_append(&writer->tensors, &entry, sizeof entry);
}

dager_status dager_model_writer_add_node(dager_model_writer *writer,
                                         const dager_model_node *node) {
  node_entry entry;
  dager_status status;

  entry.node = *node;
  status = add_string(writer, node->name ? node->name : "", &entry.name);
  if (status != DAGER_OK)
    return status;
  return buffer_append(&writer->nodes, &entry, sizeof entry);
}

dager_status dager_model_writer_add_output(dager_model_writer *writer,
                                           const char *name, uint32_t value) {
  output_entry entry;
  dager_status status = add_string(writer, name, &entry.name);

  if (status != DAGER_OK)
    return status;
  entry.value = value;
  return buffer_append(&writer->outputs, &entry, sizeof entry);
}

static void store_node(uint8_t *record, const node_entry *entry) {
  const dager_model_node *node = &entry->node;

  dager_format_store_u32(record + DAGER_NODE_NAME, entry->name);
  dager_format_store_u32(record + DAGER_NODE_OP, (uint32_t)node->op);
  dager_format_store_u32(record + DAGER_NODE_INPUT_COUNT, node->input_count);
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_INPUTS; i++) {
    dager_format_store_u32(record + DAGER_NODE_INPUTS + 4 * i, node->inputs[i]);
  }
  dager_format_store_u32(record + DAGER_NODE_OUTPUT, node->output);
  dager_format_store_u32(record + DAGER_NODE_WEIGHT_COUNT, node->weight_count);
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_NODE_WEIGHTS; i++) {
    dager_format_store_u32(record + DAGER_NODE_WEIGHTS + 4 * i,
                           node->weights[i]);
  }
  dager_format_store_u32(record + DAGER_NODE_KERNEL_H, node->kernel_h);
  dager_format_store_u32(record + DAGER_NODE_KERNEL_W, node->kernel_w);
  dager_format_store_u32(record + DAGER_NODE_STRIDE_H, node->stride_h);
  dager_format_store_u32(record + DAGER_NODE_STRIDE_W, node->stride_w);
  dager_format_store_u32(record + DAGER_NODE_PADDING, (uint32_t)node->padding);
  dager_format_store_u32(record + DAGER_NODE_ACTIVATION, node->activation);
  dager_format_store_f32(record + DAGER_NODE_ALPHA, node->alpha);
  dager_format_store_f32(record + DAGER_NODE_CLAMP_MIN, node->clamp_min);
  dager_format_store_f32(record + DAGER_NODE_CLAMP_MAX, node->clamp_max);
  dager_format_store_u32(record + DAGER_NODE_OUT_CHANNELS, node->out_channels);
  dager_format_store_u32(record + DAGER_NODE_PADS + 0, node->pad_top);
  dager_format_store_u32(record + DAGER_NODE_PADS + 4, node->pad_left);
  dager_format_store_u32(record + DAGER_NODE_PADS + 8, node->pad_bottom);
  dager_format_store_u32(record + DAGER_NODE_PADS + 12, node->pad_right);
}

static void store_tensor(uint8_t *record, const tensor_entry *entry) {
  dager_format_store_u32(record + DAGER_TENSOR_NAME, entry->name);
  dager_format_store_u32(record + DAGER_TENSOR_DTYPE, entry->dtype);
  dager_format_store_u32(record + DAGER_TENSOR_RANK, entry->rank);
  for (uint32_t i = 0; i < DAGER_MODEL_MAX_RANK; i++) {
    dager_format_store_u32(record + DAGER_TENSOR_SHAPE + 4 * i,
                           entry->shape[i]);
  }
  dager_format_store_u64(record + DAGER_TENSOR_DATA_OFFSET, entry->data_offset);
  dager_format_store_u64(record + DAGER_TENSOR_DATA_SIZE, entry->data_size);
  dager_format_store_f64(record + DAGER_TENSOR_SCALE, entry->scale);
  dager_format_store_f64(record + DAGER_TENSOR_MIN, entry->min);
}

dager_status dager_model_writer_finish(dager_model_writer *writer,
                                       uint8_t **bytes, size_t *size) {
  size_t metadata_count = writer->metadata.size / sizeof(metadata_entry);
  size_t tensor_count = writer->tensors.size / sizeof(tensor_entry);
  size_t node_count = writer->nodes.size / sizeof(node_entry);
  size_t output_count = writer->outputs.size / sizeof(output_entry);
  byte_buffer file = {0};
  uint64_t strings_offset, metadata_offset, tensors_offset, nodes_offset;
  uint64_t outputs_offset, data_offset;
  uint8_t record[DAGER_FORMAT_NODE_RECORD_SIZE];
  dager_status status;

  *bytes = NULL;
  *size = 0;
  if (metadata_count > UINT32_MAX || tensor_count > UINT32_MAX ||
      node_count >= UINT32_MAX || output_count > UINT32_MAX) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "model writer: counts");
  }
  memset(record, 0, sizeof record);
  status = buffer_append(&file, record, DAGER_FORMAT_HEADER_SIZE);

  strings_offset = file.size;
  if (status == DAGER_OK) {
    status = buffer_append(&file, writer->strings.bytes, writer->strings.size);
  }
  if (status == DAGER_OK)
    status = buffer_pad(&file, 8);

  metadata_offset = file.size;
  for (size_t i = 0; status == DAGER_OK && i < metadata_count; i++) {
    const metadata_entry *entry =
        (const metadata_entry *)writer->metadata.bytes + i;

    dager_format_store_u32(record, entry->key);
    dager_format_store_u32(record + 4, entry->value);
    status = buffer_append(&file, record, DAGER_FORMAT_METADATA_RECORD_SIZE);
  }

  tensors_offset = file.size;
  for (size_t i = 0; status == DAGER_OK && i < tensor_count; i++) {
    memset(record, 0, sizeof record);
    store_tensor(record, (const tensor_entry *)writer->tensors.bytes + i);
    status = buffer_append(&file, record, DAGER_FORMAT_TENSOR_RECORD_SIZE);
  }

  nodes_offset = file.size;
  for (size_t i = 0; status == DAGER_OK && i < node_count; i++) {
    memset(record, 0, sizeof record);
    store_node(record, (const node_entry *)writer->nodes.bytes + i);
    status = buffer_append(&file, record, DAGER_FORMAT_NODE_RECORD_SIZE);
  }

  outputs_offset = file.size;
  for (size_t i = 0; status == DAGER_OK && i < output_count; i++) {
    const output_entry *entry = (const output_entry *)writer->outputs.bytes + i;

    dager_format_store_u32(record, entry->name);
    dager_format_store_u32(record + 4, entry->value);
    status = buffer_append(&file, record, DAGER_FORMAT_OUTPUT_RECORD_SIZE);
  }

  if (status == DAGER_OK)
    status = buffer_pad(&file, 64);
  data_offset = file.size;
  if (status == DAGER_OK) {
    status = buffer_append(&file, writer->data.bytes, writer->data.size);
  }
  if (status != DAGER_OK) {
    dager_mem_free(file.bytes);
    return status;
  }

  memcpy(file.bytes, DAGER_FORMAT_MAGIC, DAGER_FORMAT_MAGIC_SIZE);
  dager_format_store_u32(file.bytes + DAGER_HEADER_VERSION,
                         DAGER_FORMAT_VERSION);
  dager_format_store_u32(file.bytes + DAGER_HEADER_HEADER_SIZE,
                         DAGER_FORMAT_HEADER_SIZE);
  dager_format_store_u64(file.bytes + DAGER_HEADER_FILE_SIZE, file.size);
  dager_format_store_u32(file.bytes + DAGER_HEADER_METADATA_COUNT,
                         (uint32_t)metadata_count);
  dager_format_store_u32(file.bytes + DAGER_HEADER_TENSOR_COUNT,
                         (uint32_t)tensor_count);
  dager_format_store_u32(file.bytes + DAGER_HEADER_VALUE_COUNT,
                         (uint32_t)node_count + 1);
  dager_format_store_u32(file.bytes + DAGER_HEADER_NODE_COUNT,
                         (uint32_t)node_count);
  dager_format_store_u32(file.bytes + DAGER_HEADER_OUTPUT_COUNT,
                         (uint32_t)output_count);
  dager_format_store_u64(file.bytes + DAGER_HEADER_STRINGS_OFFSET,
                         strings_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_STRINGS_SIZE,
                         writer->strings.size);
  dager_format_store_u64(file.bytes + DAGER_HEADER_METADATA_OFFSET,
                         metadata_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_TENSORS_OFFSET,
                         tensors_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_NODES_OFFSET, nodes_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_OUTPUTS_OFFSET,
                         outputs_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_DATA_OFFSET, data_offset);
  dager_format_store_u64(file.bytes + DAGER_HEADER_DATA_SIZE,
                         writer->data.size);
  dager_format_seal(file.bytes, file.size);
  *bytes = file.bytes;
  *size = file.size;
  return DAGER_OK;
}
