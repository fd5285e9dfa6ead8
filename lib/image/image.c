/*
 * Image objects and the copies the face pipeline makes of them: crops
 * with black outside the source and square padding.
 */
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "image/image.h"

dager_status dager_image_create(int width, int height, dager_image **out) {
  dager_image *image;
  size_t bytes;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (width < 1 || height < 1 || width > DAGER_IMAGE_MAX_SIDE ||
      height > DAGER_IMAGE_MAX_SIDE) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image size %d x %d is outside 1..%d", width, height,
                      DAGER_IMAGE_MAX_SIDE);
  }
  if (!dager_size_multiply((size_t)width * 3, (size_t)height, &bytes)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image size %d x %d overflows", width, height);
  }
  image = dager_mem_alloc(sizeof *image);
  if (!image) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for an image");
  }
  image->pixels = dager_mem_calloc(bytes, 1);
  if (!image->pixels) {
    dager_mem_free(image);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for %d x %d pixels",
                      width, height);
  }
  image->width = width;
  image->height = height;
  image->orientation = 1;
  *out = image;
  return DAGER_OK;
}

void dager_image_free(dager_image *image) {
  if (!image)
    return;
  dager_mem_free(image->pixels);
  dager_mem_free(image);
}

/*
 * Copies the part of source that falls inside a width x height target
 * whose top-left corner is source pixel (x, y). The target is zeroed.
 */
static void copy_overlap(const dager_image *source, int64_t x, int64_t y,
                         dager_image *target) {
  int64_t first_x = x < 0 ? 0 : x;
  int64_t first_y = y < 0 ? 0 : y;
  int64_t end_x = x + target->width;
  int64_t end_y = y + target->height;

  if (end_x > source->width)
    end_x = source->width;
  if (end_y > source->height)
    end_y = source->height;
  if (first_x >= end_x || first_y >= end_y)
    return;

  for (int64_t row = first_y; row < end_y; row++) {
    const uint8_t *from =
        source->pixels + ((size_t)row * source->width + first_x) * 3;
    uint8_t *to = target->pixels +
                  ((size_t)(row - y) * target->width + (first_x - x)) * 3;

    memcpy(to, from, (size_t)(end_x - first_x) * 3);
  }
}

dager_status dager_image_crop(const dager_image *source, int x, int y,
                              int width, int height, dager_image **out) {
  dager_status status;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!source || !source->pixels) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "source image is NULL");
  }
  status = dager_image_create(width, height, out);
  if (status != DAGER_OK)
    return status;
  copy_overlap(source, x, y, *out);
  return DAGER_OK;
}

void dager_image_square_offsets(int width, int height, dager_pad_mode mode,
                                int *offset_x, int *offset_y) {
  int difference = width > height ? width - height : height - width;
  int before = mode == DAGER_PAD_CENTRED ? difference / 2 : 0;

  *offset_x = width < height ? before : 0;
  *offset_y = height < width ? before : 0;
}

dager_status dager_image_pad_square(const dager_image *source,
                                    dager_pad_mode mode, dager_image **out) {
  int side, offset_x, offset_y;
  dager_status status;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!source || !source->pixels) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "source image is NULL");
  }
  if (mode != DAGER_PAD_BOTTOM_RIGHT && mode != DAGER_PAD_CENTRED) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "unknown pad mode %d",
                      (int)mode);
  }
  side = source->width > source->height ? source->width : source->height;
  status = dager_image_create(side, side, out);
  if (status != DAGER_OK)
    return status;
  dager_image_square_offsets(source->width, source->height, mode, &offset_x,
                             &offset_y);
  copy_overlap(source, -(int64_t)offset_x, -(int64_t)offset_y, *out);
  return DAGER_OK;
}
