/*
 * The public dager_image_* calls: argument checks and the thin layer over
 * lib/image, which does the work.
 */
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "dager.h"
#include "image/image.h"

dager_status dager_image_load_file(const char *path, uint64_t max_pixels,
                                   dager_image **out) {
  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!path)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "path is NULL");
  return dager_image_decode_file(path, max_pixels, out);
}

dager_status dager_image_load_memory(const void *data, size_t size,
                                     uint64_t max_pixels, dager_image **out) {
  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!data)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "data is NULL");
  return dager_image_decode(data, size, max_pixels, out);
}

/* Bytes per pixel and where R, G and B sit in it; 0 for an unknown
 * format. Grey uses offset 0 for all three. */
static int pixel_layout(dager_pixel_format format, int offsets[3]) {
  switch (format) {
    case DAGER_PIXEL_RGB8:
    case DAGER_PIXEL_RGBA8:
      offsets[0] = 0;
      offsets[1] = 1;
      offsets[2] = 2;
      return format == DAGER_PIXEL_RGB8 ? 3 : 4;
    case DAGER_PIXEL_BGR8:
    case DAGER_PIXEL_BGRA8:
      offsets[0] = 2;
      offsets[1] = 1;
      offsets[2] = 0;
      return format == DAGER_PIXEL_BGR8 ? 3 : 4;
    case DAGER_PIXEL_GRAY8:
      offsets[0] = offsets[1] = offsets[2] = 0;
      return 1;
    default:
      return 0;
  }
}

dager_status dager_image_from_pixels(const void *pixels, int width, int height,
                                     size_t stride, dager_pixel_format format,
                                     dager_image **out) {
  int offsets[3];
  int bytes_per_pixel;
  dager_image *image;
  dager_status status;

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!pixels) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "pixels is NULL");
  }
  bytes_per_pixel = pixel_layout(format, offsets);
  if (bytes_per_pixel == 0) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "unknown pixel format %d",
                      (int)format);
  }
  if (width < 1 || height < 1) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image size %d x %d is not positive", width, height);
  }
  if ((uint64_t)width * (uint64_t)height >
      (uint64_t)DAGER_DEFAULT_MAX_PIXELS * 4) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image size %d x %d is more than %llu pixels", width,
                      height, (unsigned long long)DAGER_DEFAULT_MAX_PIXELS * 4);
  }
  if (stride < (size_t)width * (size_t)bytes_per_pixel) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "stride %zu is smaller than a row of %d pixels", stride,
                      width);
  }
  if (!dager_api_rows_fit(stride, (size_t)width * (size_t)bytes_per_pixel,
                          (size_t)height)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "stride %zu for %d rows is larger than any buffer",
                      stride, height);
  }

  status = dager_image_create(width, height, &image);
  if (status != DAGER_OK)
    return status;
  for (int y = 0; y < height; y++) {
    const uint8_t *from = (const uint8_t *)pixels + (size_t)y * stride;
    uint8_t *to = image->pixels + (size_t)y * width * 3;

    if (format == DAGER_PIXEL_RGB8) {
      memcpy(to, from, (size_t)width * 3);
      continue;
    }
    for (int x = 0; x < width; x++, from += bytes_per_pixel, to += 3) {
      to[0] = from[offsets[0]];
      to[1] = from[offsets[1]];
      to[2] = from[offsets[2]];
    }
  }
  *out = image;
  return DAGER_OK;
}

int dager_api_rows_fit(size_t stride, size_t row_bytes, size_t rows) {
  const uint64_t largest_stride = (uint64_t)1 << 32;
  const uint64_t largest_extent = (uint64_t)1 << 44;

  if (rows == 0 || stride < row_bytes || (uint64_t)stride > largest_stride)
    return 0;
  /* Both factors are below 2^32 here, so the product cannot wrap. */
  return (uint64_t)stride * (uint64_t)(rows - 1) + (uint64_t)row_bytes <=
         largest_extent;
}

void dager_image_destroy(dager_image *image) {
  dager_image_free(image);
}

int dager_image_width(const dager_image *image) {
  return image ? image->width : 0;
}

int dager_image_height(const dager_image *image) {
  return image ? image->height : 0;
}

int dager_image_orientation(const dager_image *image) {
  return image ? image->orientation : 1;
}

const uint8_t *dager_image_pixels(const dager_image *image) {
  return image ? image->pixels : NULL;
}
