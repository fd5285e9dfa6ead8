/*
 * The "tiling" option: its values, what "off" leaves out (synthetic
 * models, always), and with the real networks (skipped without them or the
 * demo photos): the demo photos keep one pass and the same faces, and the
 * many-faces class of ../shared/bugcases C37 and C38, remade from the demo
 * photos by face_grids.c, is found whole by the adaptive refinement where
 * "off" (the reference's single pass) misses faces. Passes are counted
 * from the library's debug log.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dager.h"
#include "face_grids.h"
#include "support/result_access.h"
#include "synthetic_models.h"

static char synthetic_dir[256];
static char samples[1024];
static int real_models;

/* Detector passes of the last analysis, from the debug log; -1 before. */
static int last_passes = -1;

static void count_passes(void *user, dager_log_level level,
                         const char *message) {
  unsigned passes;

  (void)user;
  (void)level;
  if (sscanf(message, "detector: %u passes", &passes) == 1)
    last_passes = (int)passes;
}

static int setup(void **state) {
  const char *root = getenv("DAGER_SOURCE_ROOT");
  const char *models = getenv("DAGER_MODELS_DIR");
  char path[1200];

  (void)state;
  dager_set_log_callback(count_passes, NULL, DAGER_LOG_DEBUG);
  snprintf(synthetic_dir, sizeof synthetic_dir, "/tmp/dager-tiling-XXXXXX");
  if (!mkdtemp(synthetic_dir) || synthetic_models_write(synthetic_dir) != 0)
    return -1;
  if (root && models) {
    snprintf(samples, sizeof samples, "%s/third_party/face-api/samples", root);
    snprintf(path, sizeof path, "%s/sample1.jpg", samples);
    real_models = support_file_exists(path);
    snprintf(path, sizeof path, "%s/ssd_mobilenetv1.dager", models);
    real_models = real_models && support_file_exists(path);
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  dager_set_log_callback(NULL, NULL, DAGER_LOG_ERROR);
  synthetic_models_remove(synthetic_dir);
  return 0;
}

/* An engine with "tiling" set to tiling (NULL: left at its default), from
 * models_dir (NULL: the default folder). */
static dager_engine *engine_with(const char *models_dir, const char *tiling) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  if (models_dir) {
    assert_int_equal(
        dager_options_set_string(options, "models_dir", models_dir), DAGER_OK);
  }
  if (tiling) {
    assert_int_equal(dager_options_set_string(options, "tiling", tiling),
                     DAGER_OK);
  }
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_options_destroy(options);
  return engine;
}

/* Detects with a fresh session; returns the result, the passes in
 * *passes. */
static dager_result *detect(const dager_engine *engine,
                            const dager_image *image, int *passes) {
  dager_session *session = NULL;
  dager_result *result = NULL;

  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  last_passes = -1;
  assert_int_equal(dager_detect(session, image, &result), DAGER_OK);
  *passes = last_passes;
  dager_session_destroy(session);
  return result;
}

static void assert_same_faces(const dager_result *a, const dager_result *b) {
  assert_int_equal(dager_result_face_count(a), dager_result_face_count(b));
  for (size_t i = 0; i < dager_result_face_count(a); i++) {
    dager_face fa = support_face_at(a, i), fb = support_face_at(b, i);

    assert_true(fa.x == fb.x && fa.y == fb.y);
    assert_true(fa.width == fb.width && fa.height == fb.height);
    assert_true(fa.score == fb.score);
  }
}

static void option_values(void **state) {
  (void)state;
  dager_options *options = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "tiling", "off"),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "tiling", "auto"),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "tiling", "on"),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_non_null(strstr(dager_last_error_message(), "tiling"));
  assert_int_equal(dager_options_set_string(options, "tiling", ""),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_string(options, "tiling", NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_options_set_int(options, "tiling", 1),
                   DAGER_ERROR_UNKNOWN_OPTION);
  dager_options_destroy(options);
}

/* A 128 x 96 image (small: "auto" adds the padded pass) and a 1024 x 128
 * strip ("auto" adds 15 tiles of 128 along it), each with a white square
 * the synthetic detector finds; "off" runs one pass on both. */
static void off_leaves_out_the_automatic_passes(void **state) {
  (void)state;
  static uint8_t pixels[1024 * 128 * 3];
  dager_engine *automatic = engine_with(synthetic_dir, NULL);
  dager_engine *off = engine_with(synthetic_dir, "off");
  const int sizes[2][2] = {{128, 96}, {1024, 128}};
  const int expected_auto[2] = {2, 1 + 15};

  for (int k = 0; k < 2; k++) {
    int width = sizes[k][0], height = sizes[k][1], passes;
    dager_image *image = NULL;
    dager_result *result;

    memset(pixels, 0, sizeof pixels);
    for (int y = 32; y < 48; y++)
      memset(pixels + ((size_t)y * width + 48) * 3, 255, 16 * 3);
    assert_int_equal(
        dager_image_from_pixels(pixels, width, height, (size_t)width * 3,
                                DAGER_PIXEL_RGB8, &image),
        DAGER_OK);
    result = detect(automatic, image, &passes);
    assert_int_equal(passes, expected_auto[k]);
    dager_result_destroy(result);
    result = detect(off, image, &passes);
    assert_int_equal(passes, 1);
    dager_result_destroy(result);
    dager_image_destroy(image);
  }
  dager_engine_destroy(automatic);
  dager_engine_destroy(off);
}

static void need_real_models(void) {
  if (!real_models) {
    print_message("no converted models or demo photos: skipped\n");
    skip();
  }
}

/* The demo photos: one pass and the same faces with either value. */
static void demo_photos_keep_one_pass(void **state) {
  (void)state;
  need_real_models();
  dager_engine *automatic = engine_with(NULL, NULL);
  dager_engine *off = engine_with(NULL, "off");

  for (int number = 1; number <= 6; number++) {
    dager_image *image = support_load_sample(samples, number);
    int passes_auto, passes_off;
    dager_result *a = detect(automatic, image, &passes_auto);
    dager_result *b = detect(off, image, &passes_off);

    assert_int_equal(passes_auto, 1);
    assert_int_equal(passes_off, 1);
    assert_same_faces(a, b);
    dager_result_destroy(a);
    dager_result_destroy(b);
    dager_image_destroy(image);
  }
  dager_engine_destroy(automatic);
  dager_engine_destroy(off);
}

/* Runs "off" and "auto" on a generated grid expecting all faces from
 * "auto", fewer from the single pass of "off". */
static void expect_refinement_finds_all(const char *what, dager_image *grid,
                                        size_t faces) {
  dager_engine *automatic = engine_with(NULL, NULL);
  dager_engine *off = engine_with(NULL, "off");
  int passes_auto, passes_off;
  dager_result *a, *b;

  assert_non_null(grid);
  a = detect(automatic, grid, &passes_auto);
  b = detect(off, grid, &passes_off);
  print_message("%s %d x %d: auto %zu faces in %d passes, off %zu in %d\n",
                what, dager_image_width(grid), dager_image_height(grid),
                dager_result_face_count(a), passes_auto,
                dager_result_face_count(b), passes_off);
  assert_int_equal(passes_off, 1);
  assert_true(passes_auto > 1 && passes_auto <= 17);
  assert_int_equal(dager_result_face_count(a), faces);
  assert_true(dager_result_face_count(b) < faces);
  dager_result_destroy(a);
  dager_result_destroy(b);
  dager_engine_destroy(automatic);
  dager_engine_destroy(off);
}

static void many_faces_in_a_large_photo(void **state) {
  (void)state;
  need_real_models();
  dager_image *photos[6];
  dager_image *grid;

  for (int i = 0; i < 6; i++)
    photos[i] = support_load_sample(samples, i + 1);
  /* Like C38: 3 + 3 + 3 + 4 + 5 + 4 faces, at 75..110 pixels in
   * 2880 x 1538. */
  grid = face_grid_of_photos((const dager_image *const *)photos);
  expect_refinement_finds_all("photos at half size", grid, 22);
  dager_image_destroy(grid);

  /* Like C37: sample1's first face (box about 414, 355, 177 x 240) cut
   * out with its surroundings in a 380-pixel square, 64 times at 150
   * pixels: faces of about 70 pixels in 1200 x 1200. */
  grid = face_grid_of_copies(photos[0], 313, 285, 380, 150, 8, 8);
  expect_refinement_finds_all("one face 64 times", grid, 64);
  dager_image_destroy(grid);
  for (int i = 0; i < 6; i++)
    dager_image_destroy(photos[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(option_values),
      cmocka_unit_test(off_leaves_out_the_automatic_passes),
      cmocka_unit_test(demo_photos_keep_one_pass),
      cmocka_unit_test(many_faces_in_a_large_photo),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
