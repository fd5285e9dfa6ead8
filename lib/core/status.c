/* Texts for status codes and the run-time version. */
#include <stdio.h>

#include "dager.h"

#define DAGER_STRINGIFY_VALUE(x) #x
#define DAGER_STRINGIFY(x) DAGER_STRINGIFY_VALUE(x)

unsigned dager_version(void) {
  return DAGER_VERSION_NUMBER;
}

const char *dager_version_string(void) {
  return DAGER_STRINGIFY(DAGER_VERSION_MAJOR) "." DAGER_STRINGIFY(
      DAGER_VERSION_MINOR) "." DAGER_STRINGIFY(DAGER_VERSION_PATCH);
}

const char *dager_status_string(dager_status status) {
  switch (status) {
    case DAGER_OK:
      return "success";
    case DAGER_ERROR_INVALID_ARGUMENT:
      return "invalid argument";
    case DAGER_ERROR_OUT_OF_MEMORY:
      return "out of memory";
    case DAGER_ERROR_IO:
      return "file could not be opened or read";
    case DAGER_ERROR_UNSUPPORTED_FORMAT:
      return "not a JPEG or PNG image";
    case DAGER_ERROR_CORRUPT_IMAGE:
      return "image is truncated or corrupt";
    case DAGER_ERROR_IMAGE_TOO_LARGE:
      return "image has more pixels than the limit";
    case DAGER_ERROR_MODEL_INVALID:
      return "model file is damaged or inconsistent";
    case DAGER_ERROR_MODEL_VERSION:
      return "model file format version is not supported";
    case DAGER_ERROR_MODEL_WRONG_TASK:
      return "model file is for another task";
    case DAGER_ERROR_UNKNOWN_OPTION:
      return "unknown option or bad option value";
    case DAGER_ERROR_OUT_OF_RANGE:
      return "index out of range";
    case DAGER_ERROR_NOT_LOADED:
      return "the network this call needs is not loaded";
    case DAGER_ERROR_INTERNAL:
      return "internal error in libdager";
  }
  return "unknown status";
}
