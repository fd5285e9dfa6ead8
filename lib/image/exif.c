/*
 * EXIF orientation: reading the tag with every offset checked against the
 * block, and turning stored pixels into the displayed picture.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "image/image.h"

enum {
  TIFF_HEADER_SIZE = 8,
  IFD_ENTRY_SIZE = 12,
  TAG_ORIENTATION = 0x0112,
  TYPE_SHORT = 3
};

typedef struct tiff_reader {
  const uint8_t *bytes;
  size_t size;
  int big_endian;
} tiff_reader;

/* Callers have checked that offset + 2 (or + 4) lies inside the block. */
static uint32_t tiff_u16(const tiff_reader *tiff, size_t offset) {
  const uint8_t *p = tiff->bytes + offset;

  if (tiff->big_endian)
    return (uint32_t)p[0] << 8 | p[1];
  return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t tiff_u32(const tiff_reader *tiff, size_t offset) {
  const uint8_t *p = tiff->bytes + offset;

  if (tiff->big_endian) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
  }
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 |
         p[0];
}

dager_exif_result dager_image_exif_orientation(const uint8_t *payload,
                                               size_t size, int *orientation) {
  tiff_reader tiff;
  uint32_t ifd_offset;
  uint32_t entry_count;

  *orientation = 1;
  if (!payload || size < 6 || memcmp(payload, "Exif\0\0", 6) != 0) {
    return DAGER_EXIF_ABSENT;
  }
  tiff.bytes = payload + 6;
  tiff.size = size - 6;
  if (tiff.size < TIFF_HEADER_SIZE)
    return DAGER_EXIF_MALFORMED;
  if (memcmp(tiff.bytes, "MM", 2) == 0) {
    tiff.big_endian = 1;
  } else if (memcmp(tiff.bytes, "II", 2) == 0) {
    tiff.big_endian = 0;
  } else {
    return DAGER_EXIF_MALFORMED;
  }
  if (tiff_u16(&tiff, 2) != 42)
    return DAGER_EXIF_MALFORMED;

  /* IFD0 must lie after the header and hold its whole entry table. */
  ifd_offset = tiff_u32(&tiff, 4);
  if (ifd_offset < TIFF_HEADER_SIZE || ifd_offset > tiff.size - 2) {
    return DAGER_EXIF_MALFORMED;
  }
  entry_count = tiff_u16(&tiff, ifd_offset);
  if ((size_t)entry_count * IFD_ENTRY_SIZE > tiff.size - ifd_offset - 2) {
    return DAGER_EXIF_MALFORMED;
  }

  for (uint32_t i = 0; i < entry_count; i++) {
    size_t entry = ifd_offset + 2 + (size_t)i * IFD_ENTRY_SIZE;
    uint32_t value;

    if (tiff_u16(&tiff, entry) != TAG_ORIENTATION)
      continue;
    /* A SHORT with count 1 sits in the first two bytes of the value
     * field; anything else is not a valid Orientation. */
    if (tiff_u16(&tiff, entry + 2) != TYPE_SHORT ||
        tiff_u32(&tiff, entry + 4) != 1) {
      return DAGER_EXIF_INVALID_VALUE;
    }
    value = tiff_u16(&tiff, entry + 8);
    if (value < 1 || value > 8)
      return DAGER_EXIF_INVALID_VALUE;
    *orientation = (int)value;
    return DAGER_EXIF_FOUND;
  }
  return DAGER_EXIF_ABSENT;
}

/* Swaps two pixels of 3 bytes. */
static void swap_pixels(uint8_t *a, uint8_t *b) {
  uint8_t keep[3];

  memcpy(keep, a, 3);
  memcpy(a, b, 3);
  memcpy(b, keep, 3);
}

static void mirror_rows(dager_image *image) {
  size_t row_bytes = (size_t)image->width * 3;

  for (int y = 0; y < image->height; y++) {
    uint8_t *left = image->pixels + (size_t)y * row_bytes;
    uint8_t *right = left + row_bytes - 3;

    for (; left < right; left += 3, right -= 3)
      swap_pixels(left, right);
  }
}

static void flip_rows(dager_image *image) {
  size_t row_bytes = (size_t)image->width * 3;

  for (int top = 0, bottom = image->height - 1; top < bottom; top++, bottom--) {
    uint8_t *a = image->pixels + (size_t)top * row_bytes;
    uint8_t *b = image->pixels + (size_t)bottom * row_bytes;

    for (size_t i = 0; i < row_bytes; i++) {
      uint8_t keep = a[i];
      a[i] = b[i];
      b[i] = keep;
    }
  }
}

/*
 * Orientations 5..8 swap the axes. Displayed pixel (x, y) comes from stored
 * pixel (start_x + x_from_y * y ..., ...): written as a start offset and two
 * byte steps in the stored buffer, one per displayed column and one per
 * displayed row.
 */
static dager_status transpose_into_new(dager_image *image, int orientation) {
  ptrdiff_t stored_row = (ptrdiff_t)image->width * 3;
  ptrdiff_t last_column = (ptrdiff_t)(image->width - 1) * 3;
  ptrdiff_t last_row = (ptrdiff_t)(image->height - 1) * stored_row;
  ptrdiff_t start, column_step, row_step;
  int out_width = image->height;
  int out_height = image->width;
  size_t bytes;
  uint8_t *out;

  switch (orientation) {
    case 5: /* displayed (x, y) = stored (y, x) */
      start = 0;
      column_step = stored_row;
      row_step = 3;
      break;
    case 6: /* rotate 90 degrees clockwise: stored (y, H - 1 - x) */
      start = last_row;
      column_step = -stored_row;
      row_step = 3;
      break;
    case 7: /* stored (W - 1 - y, H - 1 - x) */
      start = last_row + last_column;
      column_step = -stored_row;
      row_step = -3;
      break;
    default: /* 8, rotate 90 degrees anticlockwise: stored (W - 1 - y, x) */
      start = last_column;
      column_step = stored_row;
      row_step = -3;
      break;
  }

  if (!dager_size_multiply((size_t)out_width * 3, (size_t)out_height, &bytes)) {
    return dager_fail(DAGER_ERROR_IMAGE_TOO_LARGE, "image too large");
  }
  out = dager_mem_alloc(bytes);
  if (!out) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                      "no memory to rotate a %d x %d image", image->width,
                      image->height);
  }
  for (int y = 0; y < out_height; y++) {
    ptrdiff_t from = start + row_step * y;
    uint8_t *to = out + (size_t)y * out_width * 3;

    /* Offsets, not pointers: a pointer stepped past the buffer after the
     * last pixel would be undefined even unread. */
    for (int x = 0; x < out_width; x++, from += column_step, to += 3) {
      memcpy(to, image->pixels + from, 3);
    }
  }
  dager_mem_free(image->pixels);
  image->pixels = out;
  image->width = out_width;
  image->height = out_height;
  return DAGER_OK;
}

dager_status dager_image_apply_orientation(dager_image *image,
                                           int orientation) {
  dager_status status = DAGER_OK;

  if (!image || !image->pixels) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "image is NULL");
  }
  switch (orientation) {
    case 1:
      break;
    case 2:
      mirror_rows(image);
      break;
    case 3:
      mirror_rows(image);
      flip_rows(image);
      break;
    case 4:
      flip_rows(image);
      break;
    case 5:
    case 6:
    case 7:
    case 8:
      status = transpose_into_new(image, orientation);
      break;
    default:
      return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                        "EXIF orientation %d is not 1..8", orientation);
  }
  if (status == DAGER_OK)
    image->orientation = orientation;
  return status;
}
