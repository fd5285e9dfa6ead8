/*
 * The EXIF Orientation reader on payloads built byte by byte, every
 * truncation of a valid block, and the eight orientation transforms on a
 * small image with known pixels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "hostile_inputs.h"
#include "image/image.h"

/* Runs the reader on an exact-size heap copy, so that AddressSanitizer
 * catches a read of even one byte past the block. */
static dager_exif_result read_orientation(const uint8_t *payload, size_t size,
                                          int *orientation) {
  uint8_t *copy = malloc(size ? size : 1);
  dager_exif_result result;

  assert_non_null(copy);
  memcpy(copy, payload, size);
  result = dager_image_exif_orientation(copy, size, orientation);
  free(copy);
  return result;
}

static void both_byte_orders_every_value(void **state) {
  (void)state;

  for (int big_endian = 0; big_endian <= 1; big_endian++) {
    for (int value = 0; value <= 70000; value += value < 12 ? 1 : 9999) {
      hostile_buffer payload = {0};
      int orientation = -1;
      dager_exif_result result;

      assert_true(hostile_exif_payload(&payload, big_endian, value));
      result = read_orientation(payload.bytes, payload.size, &orientation);
      if (value >= 1 && value <= 8) {
        assert_int_equal(result, DAGER_EXIF_FOUND);
        assert_int_equal(orientation, value);
      } else {
        assert_int_equal(result, DAGER_EXIF_INVALID_VALUE);
        assert_int_equal(orientation, 1);
      }
      hostile_buffer_free(&payload);
    }
  }
}

static void absent_and_malformed_blocks(void **state) {
  /* A little-endian block with an empty IFD0. */
  static const uint8_t empty_ifd[] = {
      'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /* XMP and other APP1 payloads are not EXIF at all. */
  static const uint8_t xmp[] = "http://ns.adobe.com/xap/1.0/";
  /* IFD0 offset 4 points into the TIFF header itself. */
  static const uint8_t overlapping[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M',
                                        0,   42,  0,   0,   0, 4, 0,   0};
  /* Bad magic number (43). */
  static const uint8_t bad_magic[] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I',
                                      43,  0,   8,   0,   0, 0, 0,   0};
  int orientation = -1;
  (void)state;

  assert_int_equal(read_orientation(empty_ifd, sizeof empty_ifd, &orientation),
                   DAGER_EXIF_ABSENT);
  assert_int_equal(orientation, 1);
  assert_int_equal(read_orientation(xmp, sizeof xmp - 1, &orientation),
                   DAGER_EXIF_ABSENT);
  assert_int_equal(read_orientation(xmp, 0, &orientation), DAGER_EXIF_ABSENT);
  assert_int_equal(dager_image_exif_orientation(NULL, 10, &orientation),
                   DAGER_EXIF_ABSENT);
  assert_int_equal(
      read_orientation(overlapping, sizeof overlapping, &orientation),
      DAGER_EXIF_MALFORMED);
  assert_int_equal(read_orientation(bad_magic, sizeof bad_magic, &orientation),
                   DAGER_EXIF_MALFORMED);
  assert_int_equal(orientation, 1);
}

static void entry_count_past_the_block_ignores_the_whole_ifd(void **state) {
  hostile_buffer payload = {0};
  int orientation = -1;
  (void)state;

  /* The C27 shape: IFD0 claims 32767 entries, only 3 fit; the Orientation
   * entry itself is inside the block, and is still not used. */
  assert_true(hostile_exif_payload(&payload, 1, 6));
  payload.bytes[14] = 0x7F;
  payload.bytes[15] = 0xFF;
  assert_int_equal(read_orientation(payload.bytes, payload.size, &orientation),
                   DAGER_EXIF_MALFORMED);
  assert_int_equal(orientation, 1);

  /* One entry more than fits is enough to be malformed. */
  payload.bytes[14] = 0;
  payload.bytes[15] = 4;
  assert_int_equal(read_orientation(payload.bytes, payload.size, &orientation),
                   DAGER_EXIF_MALFORMED);
  payload.bytes[15] = 3;
  assert_int_equal(read_orientation(payload.bytes, payload.size, &orientation),
                   DAGER_EXIF_FOUND);
  assert_int_equal(orientation, 6);
  hostile_buffer_free(&payload);
}

static void every_truncation_stays_inside(void **state) {
  (void)state;

  for (int big_endian = 0; big_endian <= 1; big_endian++) {
    hostile_buffer payload = {0};

    assert_true(hostile_exif_payload(&payload, big_endian, 8));
    for (size_t size = 0; size <= payload.size; size++) {
      int orientation = -1;
      dager_exif_result result =
          read_orientation(payload.bytes, size, &orientation);

      /* The whole entry table must fit, so only blocks that hold it
       * (the next-IFD pointer may be cut off) give the value. */
      if (size >= payload.size - 4) {
        assert_int_equal(result, DAGER_EXIF_FOUND);
        assert_int_equal(orientation, 8);
      } else if (size < 6) {
        assert_int_equal(result, DAGER_EXIF_ABSENT);
      } else {
        assert_int_equal(result, DAGER_EXIF_MALFORMED);
        assert_int_equal(orientation, 1);
      }
    }
    hostile_buffer_free(&payload);
  }
}

/* A 3 x 2 image whose pixel (x, y) holds (x, y, 10 x + y). */
static dager_image *numbered_image(void) {
  dager_image *image = NULL;

  assert_int_equal(dager_image_create(3, 2, &image), DAGER_OK);
  for (int y = 0; y < 2; y++) {
    for (int x = 0; x < 3; x++) {
      uint8_t *p = image->pixels + ((size_t)y * 3 + x) * 3;

      p[0] = (uint8_t)x;
      p[1] = (uint8_t)y;
      p[2] = (uint8_t)(10 * x + y);
    }
  }
  return image;
}

static void orientation_transforms(void **state) {
  /* The displayed picture for each orientation, as stored positions
   * 10 x + y read row by row, worked out by hand from the EXIF
   * definitions of the stored 3 x 2 picture
   *   00 10 20
   *   01 11 21 */
  static const struct {
    int width, height;
    uint8_t order[6];
  } expected[9] = {
      {0, 0, {0}},
      {3, 2, {0, 10, 20, 1, 11, 21}},
      {3, 2, {20, 10, 0, 21, 11, 1}},
      {3, 2, {21, 11, 1, 20, 10, 0}},
      {3, 2, {1, 11, 21, 0, 10, 20}},
      {2, 3, {0, 1, 10, 11, 20, 21}},
      {2, 3, {1, 0, 11, 10, 21, 20}},
      {2, 3, {21, 20, 11, 10, 1, 0}},
      {2, 3, {20, 21, 10, 11, 0, 1}},
  };
  (void)state;

  for (int value = 1; value <= 8; value++) {
    dager_image *image = numbered_image();

    assert_int_equal(dager_image_apply_orientation(image, value), DAGER_OK);
    assert_int_equal(image->orientation, value);
    assert_int_equal(image->width, expected[value].width);
    assert_int_equal(image->height, expected[value].height);
    for (int i = 0; i < 6; i++) {
      if (image->pixels[i * 3 + 2] != expected[value].order[i]) {
        fail_msg("orientation %d: displayed pixel %d is %d, expected %d", value,
                 i, image->pixels[i * 3 + 2], expected[value].order[i]);
      }
    }
    dager_image_free(image);
  }
}

static void bad_orientation_values_are_refused(void **state) {
  dager_image *image = numbered_image();
  (void)state;

  assert_int_equal(dager_image_apply_orientation(image, 0),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_apply_orientation(image, 9),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_apply_orientation(NULL, 6),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(image->width, 3);
  assert_int_equal(image->orientation, 1);
  dager_image_free(image);
}

static void one_pixel_and_one_row_images_rotate(void **state) {
  (void)state;

  for (int value = 1; value <= 8; value++) {
    dager_image *image = NULL;

    assert_int_equal(dager_image_create(5, 1, &image), DAGER_OK);
    for (int i = 0; i < 15; i++)
      image->pixels[i] = (uint8_t)i;
    assert_int_equal(dager_image_apply_orientation(image, value), DAGER_OK);
    assert_int_equal(image->width * image->height, 5);
    dager_image_free(image);

    assert_int_equal(dager_image_create(1, 1, &image), DAGER_OK);
    image->pixels[0] = 7;
    assert_int_equal(dager_image_apply_orientation(image, value), DAGER_OK);
    assert_int_equal(image->pixels[0], 7);
    dager_image_free(image);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(both_byte_orders_every_value),
      cmocka_unit_test(absent_and_malformed_blocks),
      cmocka_unit_test(entry_count_past_the_block_ignores_the_whole_ifd),
      cmocka_unit_test(every_truncation_stays_inside),
      cmocka_unit_test(orientation_transforms),
      cmocka_unit_test(bad_orientation_values_are_refused),
      cmocka_unit_test(one_pixel_and_one_row_images_rotate),
  };
  return cmocka_run_group_tests_name("image exif", tests, NULL, NULL);
}
