/* Results: the faces of one analysis, read through accessors. */
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "core/memory.h"

/* The dager_face of the first release ends with has_descriptor; a caller
 * struct shorter than that is no dager_face at all. */
#define FIRST_RELEASE_FACE_SIZE \
  (offsetof(dager_face, has_descriptor) + sizeof(int))

void dager_result_destroy(dager_result *result) {
  if (!result)
    return;
  dager_mem_free(result->faces);
  dager_mem_free(result);
}

size_t dager_result_face_count(const dager_result *result) {
  return result ? result->face_count : 0;
}

int dager_result_truncated(const dager_result *result) {
  return result ? result->truncated : 0;
}

int dager_result_image_width(const dager_result *result) {
  return result ? result->image_width : 0;
}

int dager_result_image_height(const dager_result *result) {
  return result ? result->image_height : 0;
}

dager_status dager_result_face(const dager_result *result, size_t index,
                               dager_face *face) {
  size_t size;

  dager_clear_error();
  if (!result)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "result is NULL");
  if (!face)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "face is NULL");
  if (face->struct_size < FIRST_RELEASE_FACE_SIZE) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "face->struct_size is %zu, less than the %zu bytes of "
                      "the first release (use DAGER_FACE_INIT)",
                      face->struct_size, (size_t)FIRST_RELEASE_FACE_SIZE);
  }
  if (index >= result->face_count) {
    return dager_fail(DAGER_ERROR_OUT_OF_RANGE,
                      "face %zu of a result with %zu faces", index,
                      result->face_count);
  }
  /* A newer caller's longer struct keeps its extra bytes; an older one
   * gets only what it has room for. struct_size stays the caller's. */
  size = face->struct_size < sizeof(dager_face) ? face->struct_size
                                                : sizeof(dager_face);
  memcpy((unsigned char *)face + sizeof face->struct_size,
         (const unsigned char *)&result->faces[index].face +
             sizeof face->struct_size,
         size - sizeof face->struct_size);
  return DAGER_OK;
}

dager_status dager_result_descriptor(const dager_result *result, size_t index,
                                     float out[DAGER_DESCRIPTOR_SIZE]) {
  dager_clear_error();
  if (!result)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "result is NULL");
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  if (index >= result->face_count) {
    return dager_fail(DAGER_ERROR_OUT_OF_RANGE,
                      "face %zu of a result with %zu faces", index,
                      result->face_count);
  }
  if (!result->faces[index].face.has_descriptor) {
    return dager_fail(DAGER_ERROR_NOT_LOADED,
                      "face %zu has no descriptor (descriptor network not "
                      "loaded, or dager_detect made the result)",
                      index);
  }
  memcpy(out, result->faces[index].descriptor,
         sizeof result->faces[index].descriptor);
  return DAGER_OK;
}
