#include "native.h"

#include <stdio.h>

static dager_status go_failed(dager_status status, char *message) {
  if (status != DAGER_OK) {
    const char *text = dager_last_error_message();
    snprintf(message, GO_MESSAGE_SIZE, "%s",
             text[0] ? text : dager_status_string(status));
  }
  return status;
}

dager_status go_options_create(dager_options **out, char *message) {
  return go_failed(dager_options_create(out), message);
}

dager_status go_options_set_string(dager_options *options, const char *name,
                                   const char *value, char *message) {
  return go_failed(dager_options_set_string(options, name, value), message);
}

dager_status go_options_set_int(dager_options *options, const char *name,
                                int64_t value, char *message) {
  return go_failed(dager_options_set_int(options, name, value), message);
}

dager_status go_options_set_double(dager_options *options, const char *name,
                                   double value, char *message) {
  return go_failed(dager_options_set_double(options, name, value), message);
}

dager_status go_engine_create(const dager_options *options, dager_engine **out,
                              char *message) {
  return go_failed(dager_engine_create(options, out), message);
}

dager_status go_session_create(const dager_engine *engine, dager_session **out,
                               char *message) {
  return go_failed(dager_session_create(engine, out), message);
}

dager_status go_image_load_file(const char *path, uint64_t max_pixels,
                                dager_image **out, char *message) {
  return go_failed(dager_image_load_file(path, max_pixels, out), message);
}

dager_status go_image_load_memory(const void *data, size_t size,
                                  uint64_t max_pixels, dager_image **out,
                                  char *message) {
  return go_failed(dager_image_load_memory(data, size, max_pixels, out),
                   message);
}

dager_status go_image_from_pixels(const void *pixels, int width, int height,
                                  size_t stride, int format, dager_image **out,
                                  char *message) {
  return go_failed(dager_image_from_pixels(pixels, width, height, stride,
                                           (dager_pixel_format)format, out),
                   message);
}

dager_status go_detect(dager_session *session, const dager_image *image,
                       dager_result **out, char *message) {
  return go_failed(dager_detect(session, image, out), message);
}

dager_status go_analyze(dager_session *session, const dager_image *image,
                        dager_result **out, char *message) {
  return go_failed(dager_analyze(session, image, out), message);
}

dager_status go_analyze_file(dager_session *session, const char *path,
                             dager_result **out, char *message) {
  return go_failed(dager_analyze_file(session, path, out), message);
}

dager_status go_result_face(const dager_result *result, size_t index,
                            dager_face *face, char *message) {
  face->struct_size = sizeof(*face);
  return go_failed(dager_result_face(result, index, face), message);
}

dager_status go_result_descriptor(const dager_result *result, size_t index,
                                  float *out, char *message) {
  return go_failed(dager_result_descriptor(result, index, out), message);
}

dager_status go_align_face(dager_session *session, const dager_image *image,
                           const dager_result *result, size_t index, int size,
                           uint8_t *out, size_t stride, char *message) {
  return go_failed(
      dager_align_face(session, image, result, index, size, out, stride),
      message);
}
