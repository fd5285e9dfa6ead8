#include "model/format.h"

uint64_t dager_format_checksum(const void *data, size_t size) {
  const uint8_t *bytes = data;
  uint64_t hash = 14695981039346656037u;

  for (size_t i = 0; i < size; i++) {
    hash ^= bytes[i];
    hash *= 1099511628211u;
  }
  return hash;
}

uint64_t dager_format_file_checksum(const void *file, size_t size) {
  const uint8_t *bytes = file;

  return dager_format_checksum(bytes + DAGER_FORMAT_CHECKSUMMED_FROM,
                               size - DAGER_FORMAT_CHECKSUMMED_FROM);
}

void dager_format_seal(void *file, size_t size) {
  uint8_t *bytes = file;

  dager_format_store_u64(bytes + DAGER_FORMAT_CHECKSUM_OFFSET,
                         dager_format_file_checksum(file, size));
}
