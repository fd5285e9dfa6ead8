/*
 * Decoding through the public API on the generated hostile inputs: what
 * each class of file must give (status, size, orientation, pixels), how
 * fast and with how much memory; allocation failures; argument checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "hostile_inputs.h"
#include "support.h"

/* Loads a generated file with the counting allocator; returns the status
 * and checks that nothing is leaked and failures leave *out NULL. */
static dager_status load(const char *name, dager_image **out,
                         double *milliseconds) {
  double start;
  dager_status status;

  counting_install();
  start = now_milliseconds();
  status = dager_image_load_file(hostile_path(name), 0, out);
  if (milliseconds)
    *milliseconds = now_milliseconds() - start;
  if (status != DAGER_OK) {
    assert_null(*out);
    assert_int_equal(counting_stats_get()->live_blocks, 0);
    assert_true(strlen(dager_last_error_message()) > 0);
  }
  return status;
}

static void finish(dager_image *image) {
  dager_image_destroy(image);
  assert_int_equal(counting_stats_get()->live_blocks, 0);
  counting_remove();
}

static void expect_status(const char *name, dager_status expected) {
  dager_image *image = NULL;
  double milliseconds = 0;
  dager_status status = load(name, &image, &milliseconds);

  if (status != expected) {
    fail_msg("%s: status %d (%s), expected %d", name, status,
             dager_last_error_message(), expected);
  }
  /* Every refusal and error comes fast: no file here needs more. */
  if (expected != DAGER_OK && milliseconds > TIME_LIMIT_MS(50)) {
    fail_msg("%s: took %.1f ms", name, milliseconds);
  }
  finish(image);
}

static void foreign_formats_are_unsupported(void **state) {
  static const char *names[] = {"empty_0byte.jpg",      "text_named.jpg",
                                "tga_header_named.jpg", "psd_header_named.jpg",
                                "gif_header_named.jpg", "bmp_header_named.png",
                                "hdr_header_named.jpg"};
  (void)state;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    expect_status(names[i], DAGER_ERROR_UNSUPPORTED_FORMAT);
    /* Nothing beyond the file's own bytes was taken (C10/C11: < 1 MB). */
    counting_install();
    dager_image *image = NULL;
    assert_int_not_equal(
        dager_image_load_file(hostile_path(names[i]), 0, &image), DAGER_OK);
    assert_true(counting_stats_get()->largest_request < 1024);
    counting_remove();
  }
}

static void truncated_and_corrupt_files_are_errors(void **state) {
  static const char *names[] = {"jpeg_magic_only.jpg",
                                "jpeg_trunc_in_headers.jpg",
                                "jpeg_trunc_before_sos.jpg",
                                "jpeg_trunc_half.jpg",
                                "jpeg_no_eoi.jpg",
                                "jpeg_no_scan.jpg",
                                "jpeg_width0.jpg",
                                "jpeg_huffman_overfull.jpg",
                                "jpeg_undefined_huffman.jpg",
                                "png_signature_only.png",
                                "png_trunc_half.png",
                                "png_no_iend.png",
                                "png_bad_crc.png",
                                "png_bad_depth.png",
                                "png_width0.png",
                                "png_corrupt_zlib.png",
                                "png_short_data.png",
                                "png_palette_without_plte.png"};
  (void)state;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    expect_status(names[i], DAGER_ERROR_CORRUPT_IMAGE);
  }
  if (hostile_have_libjpeg()) {
    expect_status("jpeg_progressive_trunc.jpg", DAGER_ERROR_CORRUPT_IMAGE);
  }
}

static void corrupt_png_message_names_png(void **state) {
  dager_image *image = NULL;
  (void)state;

  assert_int_equal(load("png_corrupt_zlib.png", &image, NULL),
                   DAGER_ERROR_CORRUPT_IMAGE);
  assert_non_null(strstr(dager_last_error_message(), "PNG"));
  assert_null(strstr(dager_last_error_message(), "JPEG"));
  finish(image);
}

static void unsupported_jpeg_variants(void **state) {
  (void)state;
  expect_status("jpeg_12bit.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT);
  expect_status("jpeg_arithmetic.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT);
  expect_status("jpeg_101_scans.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT);
  if (hostile_have_libjpeg()) {
    expect_status("jpeg_cmyk_no_adobe.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT);
  }
}

static void bombs_are_refused_from_the_header(void **state) {
  static const char *names[] = {
      "bomb_png_20000x20000_4rows.png", "bomb_png_20000x20000_1bit_valid.png",
      "jpeg_huge_declared.jpg", "png_side_20000000x1.png"};
  (void)state;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t file_size = 0;
    uint8_t *bytes = read_whole_file(hostile_path(names[i]), &file_size);

    assert_non_null(bytes);
    free(bytes);
    expect_status(names[i], DAGER_ERROR_IMAGE_TOO_LARGE);

    /* Only the file itself was read into memory, nothing for pixels. */
    counting_install();
    dager_image *image = NULL;
    assert_int_equal(dager_image_load_file(hostile_path(names[i]), 0, &image),
                     DAGER_ERROR_IMAGE_TOO_LARGE);
    assert_true(counting_stats_get()->peak_bytes <= file_size);
    counting_remove();
  }
}

static void zlib_bomb_inside_a_small_image_is_corrupt(void **state) {
  dager_image *image = NULL;
  double milliseconds = 0;
  (void)state;

  assert_int_equal(load("png_zlib_bomb_16x16.png", &image, &milliseconds),
                   DAGER_ERROR_CORRUPT_IMAGE);
  /* 64 MiB of inflated zeros were never held: the budget for a 16 x 16
   * image stops the decoder after a few MiB. */
  assert_true(counting_stats_get()->peak_bytes < 8u << 20);
  assert_true(milliseconds < TIME_LIMIT_MS(50));
  finish(image);
}

static void png_variants_decode_to_exact_rgb(void **state) {
  (void)state;

  for (int i = 0; i < hostile_png_variant_count; i++) {
    const hostile_png_variant *variant = &hostile_png_variants[i];
    dager_image *image = NULL;
    const uint8_t *pixels;

    if (load(variant->name, &image, NULL) != DAGER_OK) {
      fail_msg("%s: %s", variant->name, dager_last_error_message());
    }
    assert_int_equal(dager_image_width(image), HOSTILE_PNG_WIDTH);
    assert_int_equal(dager_image_height(image), HOSTILE_PNG_HEIGHT);
    assert_int_equal(dager_image_orientation(image), 1);
    pixels = dager_image_pixels(image);
    for (int y = 0; y < HOSTILE_PNG_HEIGHT; y++) {
      for (int x = 0; x < HOSTILE_PNG_WIDTH; x++) {
        uint8_t expected[3];
        const uint8_t *got = pixels + ((size_t)y * HOSTILE_PNG_WIDTH + x) * 3;

        hostile_png_expected_rgb(variant, x, y, expected);
        if (memcmp(got, expected, 3) != 0) {
          fail_msg("%s: pixel (%d, %d) is %d %d %d, expected %d %d %d",
                   variant->name, x, y, got[0], got[1], got[2], expected[0],
                   expected[1], expected[2]);
        }
      }
    }
    finish(image);
  }
}

/* Decodes a generated file without the counting allocator. */
static dager_image *decode_plain(const char *name) {
  dager_image *image = NULL;

  if (dager_image_load_file(hostile_path(name), 0, &image) != DAGER_OK) {
    fail_msg("%s: %s", name, dager_last_error_message());
  }
  return image;
}

static void baseline_jpeg_is_close_to_its_pattern(void **state) {
  dager_image *image = decode_plain("jpeg_base.jpg");
  int w = HOSTILE_BASE_WIDTH, h = HOSTILE_BASE_HEIGHT;
  uint8_t *expected = malloc((size_t)w * h * 3);
  int largest;
  double mean;
  (void)state;

  assert_int_equal(dager_image_width(image), w);
  assert_int_equal(dager_image_height(image), h);
  for (int y = 0; y < h; y++) {
    for (int x = 0; x < w; x++) {
      for (int c = 0; c < 3; c++) {
        expected[((size_t)y * w + x) * 3 + c] = hostile_pattern(x, y, c, w, h);
      }
    }
  }
  mean = mean_abs_difference(dager_image_pixels(image), expected,
                             (size_t)w * h * 3, &largest);
  if (mean > 4.0)
    fail_msg("mean difference %.2f", mean);
  free(expected);
  dager_image_destroy(image);
}

/*
 * Where displayed pixel (x, y) of an image shown with EXIF orientation
 * `value` comes from in the stored w x h picture, written case by case
 * from the EXIF specification's description of each value.
 */
static void stored_position(int value, int x, int y, int w, int h, int *sx,
                            int *sy) {
  switch (value) {
    case 2: /* mirrored left-right */
      *sx = w - 1 - x, *sy = y;
      break;
    case 3: /* upside down */
      *sx = w - 1 - x, *sy = h - 1 - y;
      break;
    case 4: /* mirrored top-bottom */
      *sx = x, *sy = h - 1 - y;
      break;
    case 5: /* transposed */
      *sx = y, *sy = x;
      break;
    case 6: /* stored turned left: shown turned 90 degrees clockwise */
      *sx = y, *sy = h - 1 - x;
      break;
    case 7: /* transversed */
      *sx = w - 1 - y, *sy = h - 1 - x;
      break;
    case 8: /* stored turned right: shown turned anticlockwise */
      *sx = w - 1 - y, *sy = x;
      break;
    default:
      *sx = x, *sy = y;
      break;
  }
}

static void exif_orientations_are_applied(void **state) {
  dager_image *stored = decode_plain("jpeg_base.jpg");
  int w = dager_image_width(stored), h = dager_image_height(stored);
  (void)state;

  for (int big_endian = 0; big_endian <= 1; big_endian++) {
    for (int value = 0; value <= 9; value++) {
      char name[64];
      int applied = value >= 1 && value <= 8 ? value : 1;
      int swapped = applied >= 5;
      dager_image *image;
      const uint8_t *pixels;

      snprintf(name, sizeof name, "exif_%s_orient%d.jpg",
               big_endian ? "be" : "le", value);
      image = decode_plain(name);
      assert_int_equal(dager_image_orientation(image), applied);
      assert_int_equal(dager_image_width(image), swapped ? h : w);
      assert_int_equal(dager_image_height(image), swapped ? w : h);
      pixels = dager_image_pixels(image);
      for (int y = 0; y < dager_image_height(image); y++) {
        for (int x = 0; x < dager_image_width(image); x++) {
          int sx, sy;

          stored_position(applied, x, y, w, h, &sx, &sy);
          if (memcmp(pixels + ((size_t)y * dager_image_width(image) + x) * 3,
                     dager_image_pixels(stored) + ((size_t)sy * w + sx) * 3,
                     3) != 0) {
            fail_msg("%s: displayed (%d, %d) is not stored (%d, %d)", name, x,
                     y, sx, sy);
          }
        }
      }
      dager_image_destroy(image);
    }
  }
  dager_image_destroy(stored);
}

static void malformed_exif_is_ignored(void **state) {
  static const char *names[] = {
      "exif_bad_ifd_count.jpg",       "exif_ifd_offset_outside.jpg",
      "exif_ifd_offset_wraps.jpg",    "exif_cut_in_header.jpg",
      "exif_cut_in_entries.jpg",      "exif_bad_byte_order.jpg",
      "exif_orientation_as_long.jpg", "exif_orientation_count2.jpg"};
  dager_image *stored = decode_plain("jpeg_base.jpg");
  (void)state;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    dager_image *image = decode_plain(names[i]);

    assert_int_equal(dager_image_orientation(image), 1);
    assert_int_equal(dager_image_width(image), HOSTILE_BASE_WIDTH);
    assert_int_equal(dager_image_height(image), HOSTILE_BASE_HEIGHT);
    assert_memory_equal(dager_image_pixels(image), dager_image_pixels(stored),
                        (size_t)HOSTILE_BASE_WIDTH * HOSTILE_BASE_HEIGHT * 3);
    dager_image_destroy(image);
  }
  dager_image_destroy(stored);
}

static void greyscale_progressive_and_cmyk_jpeg(void **state) {
  int w = HOSTILE_BASE_WIDTH, h = HOSTILE_BASE_HEIGHT;
  size_t size = (size_t)w * h * 3;
  uint8_t *pattern;
  dager_image *base, *image, *other;
  int largest;
  double mean;
  (void)state;

  if (!hostile_have_libjpeg()) {
    skip(); /* built without libjpeg: these inputs were not generated */
  }
  pattern = malloc(size);
  for (int y = 0; y < h; y++) {
    for (int x = 0; x < w; x++) {
      for (int c = 0; c < 3; c++) {
        pattern[((size_t)y * w + x) * 3 + c] = hostile_pattern(x, y, c, w, h);
      }
    }
  }

  /* Progressive from the same coefficients: identical pixels (R7/C14). */
  base = decode_plain("jpeg_base.jpg");
  image = decode_plain("jpeg_progressive.jpg");
  assert_memory_equal(dager_image_pixels(image), dager_image_pixels(base),
                      size);
  dager_image_destroy(image);
  dager_image_destroy(base);

  /* Greyscale: three equal channels, close to the red channel it was
   * made from; its progressive twin decodes identically. */
  image = decode_plain("jpeg_gray.jpg");
  other = decode_plain("jpeg_gray_progressive.jpg");
  assert_memory_equal(dager_image_pixels(image), dager_image_pixels(other),
                      size);
  for (size_t i = 0; i < (size_t)w * h; i++) {
    const uint8_t *p = dager_image_pixels(image) + i * 3;

    assert_int_equal(p[0], p[1]);
    assert_int_equal(p[1], p[2]);
    assert_true(abs((int)p[0] - (int)pattern[i * 3]) <= 12);
  }
  dager_image_destroy(image);
  dager_image_destroy(other);

  /* Adobe CMYK and YCCK: converted to the RGB they encode (R6/C13), as
   * libjpeg's own decode of the inks gives it. CMYK keeps full-resolution
   * components, so it is also close to the pattern itself. */
  for (int i = 0; i < 2; i++) {
    const char *name = i == 0 ? "jpeg_cmyk_adobe.jpg" : "jpeg_ycck_adobe.jpg";
    size_t file_size = 0;
    uint8_t *bytes = read_whole_file(hostile_path(name), &file_size);
    int reference_width = 0, reference_height = 0;
    uint8_t *reference = hostile_libjpeg_decode_rgb(
        bytes, file_size, &reference_width, &reference_height);

    assert_non_null(reference);
    assert_int_equal(reference_width, w);
    assert_int_equal(reference_height, h);
    image = decode_plain(name);
    mean = mean_abs_difference(dager_image_pixels(image), reference, size,
                               &largest);
    if (mean > 0.5 || largest > 3) {
      fail_msg("%s: against libjpeg, mean difference %.2f, largest %d", name,
               mean, largest);
    }
    if (i == 0) {
      mean = mean_abs_difference(dager_image_pixels(image), pattern, size,
                                 &largest);
      if (mean > 2.0)
        fail_msg("%s: mean difference %.2f", name, mean);
    }
    dager_image_destroy(image);
    free(reference);
    free(bytes);
  }
  free(pattern);
}

static void tolerated_structure(void **state) {
  dager_image *base = decode_plain("jpeg_base.jpg");
  dager_image *image = decode_plain("jpeg_trailing_bytes.jpg");
  (void)state;

  assert_memory_equal(dager_image_pixels(image), dager_image_pixels(base),
                      (size_t)HOSTILE_BASE_WIDTH * HOSTILE_BASE_HEIGHT * 3);
  dager_image_destroy(image);
  dager_image_destroy(base);

  base = decode_plain("png_rgb_16x16.png");
  image = decode_plain("png_split_idat.png");
  assert_memory_equal(dager_image_pixels(image), dager_image_pixels(base),
                      16 * 16 * 3);
  dager_image_destroy(image);
  dager_image_destroy(base);

  if (hostile_have_libjpeg()) {
    size_t size = 0;
    uint8_t *bytes =
        read_whole_file(hostile_path("jpeg_restart_markers.jpg"), &size);
    int width = 0, height = 0, largest;
    uint8_t *reference =
        hostile_libjpeg_decode_rgb(bytes, size, &width, &height);
    double mean;

    assert_non_null(reference);
    image = decode_plain("jpeg_restart_markers.jpg");
    assert_int_equal(dager_image_width(image), width);
    mean = mean_abs_difference(dager_image_pixels(image), reference,
                               (size_t)width * height * 3, &largest);
    if (mean > 1.0)
      fail_msg("restart markers: mean difference %.2f", mean);
    dager_image_destroy(image);
    free(reference);
    free(bytes);
  }
}

static void one_pixel_images(void **state) {
  (void)state;
  expect_status("tiny_1x1.jpg", DAGER_OK);
  expect_status("tiny_1x1.png", DAGER_OK);
}

static void max_pixels_is_honoured(void **state) {
  size_t size = 0;
  uint8_t *bytes = read_whole_file(hostile_path("jpeg_base.jpg"), &size);
  uint64_t pixels = (uint64_t)HOSTILE_BASE_WIDTH * HOSTILE_BASE_HEIGHT;
  dager_image *image = NULL;
  (void)state;

  assert_non_null(bytes);
  assert_int_equal(dager_image_load_memory(bytes, size, pixels - 1, &image),
                   DAGER_ERROR_IMAGE_TOO_LARGE);
  assert_null(image);
  assert_int_equal(dager_image_load_memory(bytes, size, pixels, &image),
                   DAGER_OK);
  dager_image_destroy(image);
  free(bytes);
}

/* Fails every allocation of a decode in turn: each failure must be
 * DAGER_ERROR_OUT_OF_MEMORY with nothing leaked. */
static void allocation_failures_are_clean(void **state) {
  static const char *names[] = {
      "jpeg_base.jpg",       "png_rgba16_adam7.png", "exif_be_orient6.jpg",
      "exif_le_orient3.jpg", "png_palette4.png",     "png_palette8_trns.png",
      "png_gray16.png",      "png_grayalpha8.png",   "png_rgb8_trns.png",
      "png_gray1_adam7.png", "jpeg_gray.jpg",        "jpeg_progressive.jpg",
      "jpeg_cmyk_adobe.jpg", "jpeg_ycck_adobe.jpg"};
  (void)state;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t size = 0;
    uint8_t *bytes = read_whole_file(hostile_path(names[i]), &size);
    size_t total;
    dager_image *image = NULL;

    if (!bytes) {
      /* Only the libjpeg-made files may be missing. */
      assert_false(hostile_have_libjpeg());
      continue;
    }
    counting_install();
    assert_int_equal(dager_image_load_memory(bytes, size, 0, &image), DAGER_OK);
    dager_image_destroy(image);
    total = counting_stats_get()->allocations;
    assert_true(total > 0);
    for (size_t n = 1; n <= total; n++) {
      counting_reset_peak();
      counting_stats_get()->fail_at = n;
      image = NULL;
      dager_status status = dager_image_load_memory(bytes, size, 0, &image);
      if (status != DAGER_ERROR_OUT_OF_MEMORY) {
        fail_msg("%s: failing allocation %zu of %zu gave status %d (%s)",
                 names[i], n, total, status, dager_last_error_message());
      }
      assert_null(image);
      if (counting_stats_get()->live_blocks != 0) {
        fail_msg("%s: failing allocation %zu of %zu leaked %zu blocks",
                 names[i], n, total, counting_stats_get()->live_blocks);
      }
    }
    counting_remove();
    free(bytes);
  }
}

static void arguments_are_checked(void **state) {
  dager_image *image = (dager_image *)state; /* any non-NULL value */
  uint8_t pixels[4 * 3 * 2] = {0};
  (void)state;

  assert_int_equal(dager_image_load_file(NULL, 0, &image),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(image);
  assert_int_equal(dager_image_load_file("x.jpg", 0, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_load_memory(NULL, 10, 0, &image),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_load_memory(pixels, 0, 0, &image),
                   DAGER_ERROR_UNSUPPORTED_FORMAT);
  assert_int_equal(
      dager_image_load_file(hostile_path("does_not_exist.jpg"), 0, &image),
      DAGER_ERROR_IO);
  assert_int_equal(dager_image_load_file(hostile_path(""), 0, &image),
                   DAGER_ERROR_IO);
  assert_null(image);

  assert_int_equal(
      dager_image_from_pixels(NULL, 2, 2, 6, DAGER_PIXEL_RGB8, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_from_pixels(pixels, 0, 2, 6, DAGER_PIXEL_RGB8, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_from_pixels(pixels, 2, -1, 6, DAGER_PIXEL_RGB8, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_from_pixels(pixels, 2, 2, 5, DAGER_PIXEL_RGB8, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_from_pixels(pixels, 2, 2, 8, (dager_pixel_format)99, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  /* Strides no buffer has would send row addresses past the address space:
   * refused before any row is read (these crashed before). */
  assert_int_equal(dager_image_from_pixels(pixels, 2, 3, SIZE_MAX / 2 + 1,
                                           DAGER_PIXEL_RGB8, &image),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(image);
  assert_int_equal(
      dager_image_from_pixels(pixels, 2, 2, SIZE_MAX, DAGER_PIXEL_RGB8, &image),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_from_pixels(pixels, 2, 2, ((size_t)1 << 32) + 1,
                                           DAGER_PIXEL_RGB8, &image),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_from_pixels(pixels, 100000, 100000, 300000,
                                           DAGER_PIXEL_RGB8, &image),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(image);

  assert_int_equal(dager_image_width(NULL), 0);
  assert_int_equal(dager_image_height(NULL), 0);
  assert_null(dager_image_pixels(NULL));
  dager_image_destroy(NULL);
}

static void from_pixels_converts_every_format(void **state) {
  /* 2 x 2 pixels with a padded stride of 10 bytes. */
  static const uint8_t bgra[2 * 10] = {1, 2,  3,  4,  5,  6,  7,  8,  0, 0,
                                       9, 10, 11, 12, 13, 14, 15, 16, 0, 0};
  static const uint8_t grey[2 * 3] = {7, 8, 0, 9, 10, 0};
  dager_image *image = NULL;
  (void)state;

  assert_int_equal(
      dager_image_from_pixels(bgra, 2, 2, 10, DAGER_PIXEL_BGRA8, &image),
      DAGER_OK);
  {
    static const uint8_t expected[12] = {3,  2,  1, 7,  6,  5,
                                         11, 10, 9, 15, 14, 13};
    assert_memory_equal(dager_image_pixels(image), expected, 12);
  }
  assert_int_equal(dager_image_orientation(image), 1);
  dager_image_destroy(image);

  assert_int_equal(
      dager_image_from_pixels(bgra, 2, 2, 10, DAGER_PIXEL_RGBA8, &image),
      DAGER_OK);
  {
    static const uint8_t expected[12] = {1, 2,  3,  5,  6,  7,
                                         9, 10, 11, 13, 14, 15};
    assert_memory_equal(dager_image_pixels(image), expected, 12);
  }
  dager_image_destroy(image);

  assert_int_equal(
      dager_image_from_pixels(bgra, 3, 2, 10, DAGER_PIXEL_BGR8, &image),
      DAGER_OK);
  {
    static const uint8_t expected[18] = {3,  2,  1, 6,  5,  4,  0, 8,  7,
                                         11, 10, 9, 14, 13, 12, 0, 16, 15};
    assert_memory_equal(dager_image_pixels(image), expected, 18);
  }
  dager_image_destroy(image);

  assert_int_equal(
      dager_image_from_pixels(grey, 2, 2, 3, DAGER_PIXEL_GRAY8, &image),
      DAGER_OK);
  {
    static const uint8_t expected[12] = {7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10};
    assert_memory_equal(dager_image_pixels(image), expected, 12);
  }
  dager_image_destroy(image);
}

static int create_folder(void **state) {
  (void)state;
  return hostile_folder_create() ? 0 : -1;
}

static int remove_folder(void **state) {
  (void)state;
  hostile_folder_remove();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(foreign_formats_are_unsupported),
      cmocka_unit_test(truncated_and_corrupt_files_are_errors),
      cmocka_unit_test(corrupt_png_message_names_png),
      cmocka_unit_test(unsupported_jpeg_variants),
      cmocka_unit_test(bombs_are_refused_from_the_header),
      cmocka_unit_test(zlib_bomb_inside_a_small_image_is_corrupt),
      cmocka_unit_test(png_variants_decode_to_exact_rgb),
      cmocka_unit_test(baseline_jpeg_is_close_to_its_pattern),
      cmocka_unit_test(exif_orientations_are_applied),
      cmocka_unit_test(malformed_exif_is_ignored),
      cmocka_unit_test(greyscale_progressive_and_cmyk_jpeg),
      cmocka_unit_test(tolerated_structure),
      cmocka_unit_test(one_pixel_images),
      cmocka_unit_test(max_pixels_is_honoured),
      cmocka_unit_test(allocation_failures_are_clean),
      cmocka_unit_test(arguments_are_checked),
      cmocka_unit_test(from_pixels_converts_every_format),
  };
  return cmocka_run_group_tests_name("image decoding", tests, create_folder,
                                     remove_folder);
}
