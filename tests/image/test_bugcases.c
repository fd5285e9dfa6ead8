/*
 * The decode-level expectations of ../shared/bugcases/README.md on its
 * files: statuses, sizes, orientation, pixel equalities, time for bombs,
 * and peak memory through the counting allocator. Face-level expectations
 * are tests/face's. Skipped (exit code 77) when the folder is absent: the
 * same classes are always tested on generated inputs by test_decode.c.
 *
 * The folder is $DAGER_BUGCASES_DIR, else <source>/../shared/bugcases/files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "dager.h"
#include "support.h"

static char folder[1024];

static const char *case_path(const char *name) {
  static char path[1200];

  snprintf(path, sizeof path, "%s/%s", folder, name);
  return path;
}

typedef struct outcome {
  dager_status status;
  dager_image *image;
  double milliseconds;
  size_t peak_bytes;
  size_t largest_request;
} outcome;

/*
 * Each test runs under the counting allocator (installed by setup, removed
 * by teardown once every block is back: blocks must be freed by the
 * allocator that made them). A decode's peak is measured above what was
 * live before it.
 */
static int install_counting(void **state) {
  (void)state;
  counting_install();
  return 0;
}

static int remove_counting(void **state) {
  (void)state;
  if (counting_stats_get()->live_blocks != 0) {
    fprintf(stderr, "%zu blocks leaked\n", counting_stats_get()->live_blocks);
    return -1;
  }
  return 0;
}

static outcome decode_case(const char *name) {
  outcome result = {0};
  size_t live_before = counting_stats_get()->live_bytes;
  double start;

  counting_reset_peak();
  start = now_milliseconds();
  result.status = dager_image_load_file(case_path(name), 0, &result.image);
  result.milliseconds = now_milliseconds() - start;
  result.peak_bytes = counting_stats_get()->peak_bytes - live_before;
  result.largest_request = counting_stats_get()->largest_request;
  print_message(
      "%-38s status %d  %5d x %-5d orientation %d  %8.2f ms  peak "
      "%.2f MB  %s\n",
      name, result.status, dager_image_width(result.image),
      dager_image_height(result.image), dager_image_orientation(result.image),
      result.milliseconds, (double)result.peak_bytes / 1e6,
      dager_last_error_message());
  return result;
}

static void release(outcome *result) {
  dager_image_destroy(result->image);
  result->image = NULL;
}

static void expect_failure(const char *name, dager_status status,
                           double max_milliseconds, size_t max_peak) {
  outcome result = decode_case(name);

  if (result.status != status) {
    fail_msg("%s: status %d, expected %d", name, result.status, status);
  }
  assert_null(result.image);
  if (result.milliseconds > TIME_LIMIT_MS(max_milliseconds)) {
    fail_msg("%s: %.1f ms, limit %.1f", name, result.milliseconds,
             max_milliseconds);
  }
  if (result.peak_bytes > max_peak) {
    fail_msg("%s: peak %zu bytes, limit %zu", name, result.peak_bytes,
             max_peak);
  }
  release(&result);
}

/* C01, C02, C10, C11: not JPEG or PNG, decided from the first bytes. */
static void foreign_and_empty_files(void **state) {
  (void)state;
  expect_failure("empty_0byte.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT, 50, 0);
  expect_failure("text_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT, 50, 1 << 20);
  expect_failure("tga_header_23040sq_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT,
                 50, 1 << 20);
  expect_failure("psd_header_20000sq_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT,
                 50, 1 << 20);
}

/* C03, C04, C06: errors, never images; fast; the PNG error says PNG. */
static void truncated_and_corrupt(void **state) {
  (void)state;
  expect_failure("trunc_before_sos.jpg", DAGER_ERROR_CORRUPT_IMAGE, 50,
                 1 << 20);
  expect_failure("trunc_half.jpg", DAGER_ERROR_CORRUPT_IMAGE, 50, 1 << 20);
  expect_failure("corrupt_zlib_png.png", DAGER_ERROR_CORRUPT_IMAGE, 50,
                 16 << 20);
  {
    dager_image *image = NULL;
    assert_int_equal(
        dager_image_load_file(case_path("corrupt_zlib_png.png"), 0, &image),
        DAGER_ERROR_CORRUPT_IMAGE);
    assert_non_null(strstr(dager_last_error_message(), "PNG"));
    assert_null(strstr(dager_last_error_message(), "JPEG"));
  }
}

/* C07, C08: refused from the header in milliseconds, little memory. */
static void decompression_bombs(void **state) {
  (void)state;
  expect_failure("bomb_png_20000x20000_4rows.png", DAGER_ERROR_IMAGE_TOO_LARGE,
                 50, 1 << 20);
  expect_failure("bomb_png_20000x20000_1bit_valid.png",
                 DAGER_ERROR_IMAGE_TOO_LARGE, 50, 1 << 20);
}

static outcome decode_ok(const char *name, int width, int height,
                         int orientation) {
  outcome result = decode_case(name);

  if (result.status != DAGER_OK) {
    fail_msg("%s: status %d (%s)", name, result.status,
             dager_last_error_message());
  }
  assert_int_equal(dager_image_width(result.image), width);
  assert_int_equal(dager_image_height(result.image), height);
  assert_int_equal(dager_image_orientation(result.image), orientation);
  return result;
}

static size_t pixel_bytes(const dager_image *image) {
  return (size_t)dager_image_width(image) * dager_image_height(image) * 3;
}

static void assert_grey(const dager_image *image) {
  const uint8_t *p = dager_image_pixels(image);

  for (size_t i = 0; i < pixel_bytes(image); i += 3) {
    if (p[i] != p[i + 1] || p[i + 1] != p[i + 2]) {
      fail_msg("pixel %zu is not grey", i / 3);
    }
  }
}

/* Compares two decoded images; returns the mean absolute difference. */
static double compare(const outcome *a, const outcome *b, int *largest) {
  assert_int_equal(dager_image_width(a->image), dager_image_width(b->image));
  assert_int_equal(dager_image_height(a->image), dager_image_height(b->image));
  return mean_abs_difference(dager_image_pixels(a->image),
                             dager_image_pixels(b->image),
                             pixel_bytes(a->image), largest);
}

/* C13-C20: every channel layout becomes RGB8, with the stated equalities. */
static void colour_layouts(void **state) {
  outcome reference, half, other;
  int largest;
  double mean;
  (void)state;

  reference = decode_ok("ref_single_upright.jpg", 560, 720, 1);

  other = decode_ok("cmyk_adobe.jpg", 560, 720, 1);
  mean = compare(&other, &reference, &largest);
  print_message("C13 cmyk_adobe vs ref: mean %.3f, largest %d\n", mean,
                largest);
  assert_true(mean <= 2.0);
  release(&other);

  other = decode_ok("progressive.jpg", 560, 720, 1);
  assert_memory_equal(dager_image_pixels(other.image),
                      dager_image_pixels(reference.image),
                      pixel_bytes(reference.image));
  release(&other);

  other = decode_ok("gray.jpg", 560, 720, 1);
  assert_grey(other.image);
  release(&other);
  dager_image_destroy(reference.image);

  half = decode_ok("ref_single_half.png", 280, 360, 1);
  other = decode_ok("rgb16.png", 280, 360, 1);
  assert_memory_equal(dager_image_pixels(other.image),
                      dager_image_pixels(half.image), pixel_bytes(half.image));
  release(&other);

  {
    outcome grey8 = decode_ok("gray.png", 280, 360, 1);
    other = decode_ok("gray16.png", 280, 360, 1);
    assert_grey(grey8.image);
    assert_memory_equal(dager_image_pixels(other.image),
                        dager_image_pixels(grey8.image),
                        pixel_bytes(grey8.image));
    release(&other);
    dager_image_destroy(grey8.image);
  }

  static const char *with_colour[] = {"palette.png", "palette_trns.png",
                                      "rgba.png"};
  for (size_t i = 0; i < 3; i++) {
    other = decode_ok(with_colour[i], 280, 360, 1);
    mean = compare(&other, &half, &largest);
    print_message("%s vs ref_single_half: mean %.3f\n", with_colour[i], mean);
    release(&other);
  }
  dager_image_destroy(half.image);
}

/* C22-C27: EXIF applied so the displayed frame is the reference's. */
static void exif_orientation(void **state) {
  static const struct {
    const char *name;
    int orientation;
  } cases[] = {{"exif_orient6.jpg", 6},
               {"exif_orient8.jpg", 8},
               {"exif_orient3.jpg", 3},
               {"exif_orient9_invalid.jpg", 1},
               {"exif_bad_ifd_count.jpg", 1}};
  outcome reference = decode_ok("ref_single_upright.jpg", 560, 720, 1);
  (void)state;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    outcome other = decode_ok(cases[i].name, 560, 720, cases[i].orientation);
    int largest;
    double mean = compare(&other, &reference, &largest);

    print_message("%s vs ref: mean %.3f, largest %d\n", cases[i].name, mean,
                  largest);
    /* Re-encoded rotated pixels differ by JPEG loss only; a wrong
     * rotation would differ by tens of levels. */
    if (mean > 3.0)
      fail_msg("%s: mean difference %.2f", cases[i].name, mean);
    release(&other);
  }
  dager_image_destroy(reference.image);
}

/* C29: 1 x 1 images decode. */
static void one_pixel(void **state) {
  outcome result;
  (void)state;

  result = decode_ok("tiny_1x1.jpg", 1, 1, 1);
  release(&result);
  result = decode_ok("tiny_1x1.png", 1, 1, 1);
  release(&result);
}

/*
 * C36: 41 MP decodes within about 1.5 times its pixel buffer: the RGB
 * result (3 bytes per pixel) plus stb_image's 4:2:0 component planes
 * (1.5 bytes per pixel) plus the encoded file, which is read whole.
 */
static void large_photo_memory(void **state) {
  outcome result;
  double pixels_size = 7680.0 * 5400.0 * 3.0;
  struct stat file_status;
  (void)state;

  assert_int_equal(stat(case_path("large_7680x5400.jpg"), &file_status), 0);
  result = decode_ok("large_7680x5400.jpg", 7680, 5400, 1);
  print_message("C36 peak %.1f MB = %.3f x the pixel buffer\n",
                (double)result.peak_bytes / 1e6,
                (double)result.peak_bytes / pixels_size);
  assert_true((double)result.peak_bytes <=
              1.5 * pixels_size + (double)file_status.st_size + (1 << 20));
  release(&result);
}

/* Every other file decodes (faces are tests/face's business). */
static void remaining_photos_decode(void **state) {
  static const struct {
    const char *name;
    int width, height;
  } cases[] = {{"ref_group_sample3.jpg", 1920, 1350},
               {"small_48x48_face.jpg", 48, 48},
               {"tiny_face_20px_1920x1080.jpg", 1920, 1080},
               {"tiny_face_40px_1920x1080.jpg", 1920, 1080},
               {"many_faces_8x8.jpg", 960, 1200},
               {"many_faces_samples_grid.jpg", 2880, 1452},
               {"no_face_synthetic.jpg", 1280, 960},
               {"no_face_scene_strip.jpg", 320, 1398},
               {"panorama_8000x560.jpg", 8000, 560},
               {"border_cut_left.jpg", 300, 720},
               {"border_corner_topleft.jpg", 310, 500}};
  (void)state;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    outcome result =
        decode_ok(cases[i].name, cases[i].width, cases[i].height, 1);
    release(&result);
  }
}

int main(void) {
  const char *override = getenv("DAGER_BUGCASES_DIR");
  const char *root = getenv("DAGER_SOURCE_ROOT");
  struct stat folder_status;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(foreign_and_empty_files, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(truncated_and_corrupt, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(decompression_bombs, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(colour_layouts, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(exif_orientation, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(one_pixel, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(large_photo_memory, install_counting,
                                      remove_counting),
      cmocka_unit_test_setup_teardown(remaining_photos_decode, install_counting,
                                      remove_counting),
  };

  if (override && *override) {
    snprintf(folder, sizeof folder, "%s", override);
  } else {
    snprintf(folder, sizeof folder, "%s/../shared/bugcases/files",
             root && *root ? root : ".");
  }
  if (stat(folder, &folder_status) != 0 || !S_ISDIR(folder_status.st_mode)) {
    printf("SKIP: no bug-case folder at %s (set DAGER_BUGCASES_DIR)\n", folder);
    return 77;
  }
  return cmocka_run_group_tests_name("image bug cases", tests, NULL, NULL);
}
