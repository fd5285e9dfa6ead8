/*
 * Byte layout of model files, version 1, shared by the reader, the writer
 * and the converter. docs/model-format.md is the specification; the
 * constants here must match its tables.
 */
#ifndef DAGER_MODEL_FORMAT_H
#define DAGER_MODEL_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DAGER_FORMAT_MAGIC "DAGERMDL"
#define DAGER_FORMAT_MAGIC_SIZE 8
#define DAGER_FORMAT_VERSION 1u

#define DAGER_FORMAT_HEADER_SIZE 128u
#define DAGER_FORMAT_METADATA_RECORD_SIZE 8u
#define DAGER_FORMAT_TENSOR_RECORD_SIZE 64u
#define DAGER_FORMAT_NODE_RECORD_SIZE 128u
#define DAGER_FORMAT_OUTPUT_RECORD_SIZE 8u
#define DAGER_FORMAT_DATA_ALIGNMENT 64u

/* The checksum covers everything after the checksum field itself. */
#define DAGER_FORMAT_CHECKSUM_OFFSET 8u
#define DAGER_FORMAT_CHECKSUMMED_FROM 16u

/* Header field offsets. */
enum {
  DAGER_HEADER_VERSION = 16,
  DAGER_HEADER_HEADER_SIZE = 20,
  DAGER_HEADER_FILE_SIZE = 24,
  DAGER_HEADER_METADATA_COUNT = 32,
  DAGER_HEADER_TENSOR_COUNT = 36,
  DAGER_HEADER_VALUE_COUNT = 40,
  DAGER_HEADER_NODE_COUNT = 44,
  DAGER_HEADER_OUTPUT_COUNT = 48,
  DAGER_HEADER_RESERVED0 = 52,
  DAGER_HEADER_STRINGS_OFFSET = 56,
  DAGER_HEADER_STRINGS_SIZE = 64,
  DAGER_HEADER_METADATA_OFFSET = 72,
  DAGER_HEADER_TENSORS_OFFSET = 80,
  DAGER_HEADER_NODES_OFFSET = 88,
  DAGER_HEADER_OUTPUTS_OFFSET = 96,
  DAGER_HEADER_DATA_OFFSET = 104,
  DAGER_HEADER_DATA_SIZE = 112,
  DAGER_HEADER_RESERVED1 = 120
};

/* Tensor record field offsets. */
enum {
  DAGER_TENSOR_NAME = 0,
  DAGER_TENSOR_DTYPE = 4,
  DAGER_TENSOR_RANK = 8,
  DAGER_TENSOR_SHAPE = 12,
  DAGER_TENSOR_RESERVED = 28,
  DAGER_TENSOR_DATA_OFFSET = 32,
  DAGER_TENSOR_DATA_SIZE = 40,
  DAGER_TENSOR_SCALE = 48,
  DAGER_TENSOR_MIN = 56
};

/* Node record field offsets. */
enum {
  DAGER_NODE_NAME = 0,
  DAGER_NODE_OP = 4,
  DAGER_NODE_INPUT_COUNT = 8,
  DAGER_NODE_INPUTS = 12,
  DAGER_NODE_OUTPUT = 44,
  DAGER_NODE_WEIGHT_COUNT = 48,
  DAGER_NODE_WEIGHTS = 52,
  DAGER_NODE_KERNEL_H = 68,
  DAGER_NODE_KERNEL_W = 72,
  DAGER_NODE_STRIDE_H = 76,
  DAGER_NODE_STRIDE_W = 80,
  DAGER_NODE_PADDING = 84,
  DAGER_NODE_ACTIVATION = 88,
  DAGER_NODE_ALPHA = 92,
  DAGER_NODE_CLAMP_MIN = 96,
  DAGER_NODE_CLAMP_MAX = 100,
  DAGER_NODE_OUT_CHANNELS = 104,
  DAGER_NODE_PADS = 108,
  DAGER_NODE_RESERVED = 124
};

/* Limits far above any real model; they bound work, not memory (memory is
 * bounded by the file size). */
#define DAGER_FORMAT_MAX_TENSORS 65536u
#define DAGER_FORMAT_MAX_NODES 65536u
#define DAGER_FORMAT_MAX_METADATA 65536u
#define DAGER_FORMAT_MAX_OUTPUTS 256u
#define DAGER_FORMAT_MAX_STRING 4096u
#define DAGER_FORMAT_MAX_WINDOW 64u
#define DAGER_FORMAT_MAX_PAD 4096u
#define DAGER_FORMAT_MAX_INPUT_SIDE 4096u

/* Byte-order-independent loads and stores; the file is little-endian. */
static inline uint32_t dager_format_load_u32(const uint8_t *bytes) {
  return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 |
         (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

static inline uint64_t dager_format_load_u64(const uint8_t *bytes) {
  return (uint64_t)dager_format_load_u32(bytes) |
         (uint64_t)dager_format_load_u32(bytes + 4) << 32;
}

static inline float dager_format_load_f32(const uint8_t *bytes) {
  uint32_t bits = dager_format_load_u32(bytes);
  float value;

  memcpy(&value, &bits, sizeof value);
  return value;
}

static inline double dager_format_load_f64(const uint8_t *bytes) {
  uint64_t bits = dager_format_load_u64(bytes);
  double value;

  memcpy(&value, &bits, sizeof value);
  return value;
}

static inline void dager_format_store_u32(uint8_t *bytes, uint32_t value) {
  bytes[0] = (uint8_t)value;
  bytes[1] = (uint8_t)(value >> 8);
  bytes[2] = (uint8_t)(value >> 16);
  bytes[3] = (uint8_t)(value >> 24);
}

static inline void dager_format_store_u64(uint8_t *bytes, uint64_t value) {
  dager_format_store_u32(bytes, (uint32_t)value);
  dager_format_store_u32(bytes + 4, (uint32_t)(value >> 32));
}

static inline void dager_format_store_f32(uint8_t *bytes, float value) {
  uint32_t bits;

  memcpy(&bits, &value, sizeof bits);
  dager_format_store_u32(bytes, bits);
}

static inline void dager_format_store_f64(uint8_t *bytes, double value) {
  uint64_t bits;

  memcpy(&bits, &value, sizeof bits);
  dager_format_store_u64(bytes, bits);
}

/* CRC-64/XZ of size bytes (check value: "123456789" gives
 * 0x995DC9BBDF1939FA). */
uint64_t dager_format_checksum(const void *data, size_t size);

/* Checksum of a whole file image: the bytes after the checksum field. The
 * caller guarantees size >= DAGER_FORMAT_HEADER_SIZE. */
uint64_t dager_format_file_checksum(const void *file, size_t size);

/* Rewrites the checksum field of a file image (writer, tests). */
void dager_format_seal(void *file, size_t size);

#endif /* DAGER_MODEL_FORMAT_H */
