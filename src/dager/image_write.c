#include "image_write.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* stb's implementation trips five of the project's warnings (measured with
 * gcc 12 and clang 14); they are silenced for its text only. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

int cli_write_image(const char *path, const uint8_t *pixels, int width,
                    int height, size_t stride, cli_image_format format,
                    int jpeg_quality) {
  if (width <= 0 || height <= 0 || stride > INT_MAX ||
      stride < (size_t)width * 3) {
    return -1;
  }
  if (format == CLI_IMAGE_PNG) {
    return stbi_write_png(path, width, height, 3, pixels, (int)stride) ? 0 : -1;
  }
  /* The JPEG writer takes tightly packed rows only. */
  if (stride == (size_t)width * 3) {
    return stbi_write_jpg(path, width, height, 3, pixels, jpeg_quality) ? 0
                                                                        : -1;
  }
  size_t row = (size_t)width * 3;
  uint8_t *packed = malloc(row * (size_t)height);
  if (!packed) {
    return -1;
  }
  for (int y = 0; y < height; y++) {
    memcpy(packed + row * (size_t)y, pixels + stride * (size_t)y, row);
  }
  int written = stbi_write_jpg(path, width, height, 3, packed, jpeg_quality);
  free(packed);
  return written ? 0 : -1;
}
