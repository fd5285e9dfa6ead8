/*
 * C helpers of the Go binding. Go may move a goroutine to another OS
 * thread between two cgo calls, and the library keeps its last error
 * message per thread, so every call that can fail goes through a helper
 * that copies the message within the same C call into a buffer of
 * GO_MESSAGE_SIZE bytes owned by the Go side.
 */
#ifndef DAGER_GO_NATIVE_H
#define DAGER_GO_NATIVE_H

#include <dager.h>

enum { GO_MESSAGE_SIZE = 512 };

dager_status go_options_create(dager_options **out, char *message);

dager_status go_options_set_string(dager_options *options, const char *name,
                                   const char *value, char *message);

dager_status go_options_set_int(dager_options *options, const char *name,
                                int64_t value, char *message);

dager_status go_options_set_double(dager_options *options, const char *name,
                                   double value, char *message);

dager_status go_engine_create(const dager_options *options, dager_engine **out,
                              char *message);

dager_status go_session_create(const dager_engine *engine, dager_session **out,
                               char *message);

dager_status go_image_load_file(const char *path, uint64_t max_pixels,
                                dager_image **out, char *message);

dager_status go_image_load_memory(const void *data, size_t size,
                                  uint64_t max_pixels, dager_image **out,
                                  char *message);

dager_status go_image_from_pixels(const void *pixels, int width, int height,
                                  size_t stride, int format, dager_image **out,
                                  char *message);

dager_status go_detect(dager_session *session, const dager_image *image,
                       dager_result **out, char *message);

dager_status go_analyze(dager_session *session, const dager_image *image,
                        dager_result **out, char *message);

dager_status go_analyze_file(dager_session *session, const char *path,
                             dager_result **out, char *message);

dager_status go_result_face(const dager_result *result, size_t index,
                            dager_face *face, char *message);

dager_status go_result_descriptor(const dager_result *result, size_t index,
                                  float *out, char *message);

dager_status go_align_face(dager_session *session, const dager_image *image,
                           const dager_result *result, size_t index, int size,
                           uint8_t *out, size_t stride, char *message);

#endif /* DAGER_GO_NATIVE_H */
