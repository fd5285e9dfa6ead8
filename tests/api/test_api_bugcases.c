/*
 * The face-level expectations of ../shared/bugcases (README.md there), run
 * when that folder and the converted models exist; skipped otherwise. The
 * files are never copied into the project. Each case prints what it saw,
 * so the log doubles as the report of which cases pass.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "support/result_access.h"

static char folder[1024];
static dager_engine *engine;
static dager_session *session;

/* The reference photo's face as the README gives it. */
static const float reference_box[4] = {184, 167, 209, 243};

static int setup(void **state) {
  const char *root = getenv("DAGER_SOURCE_ROOT");
  const char *models = getenv("DAGER_MODELS_DIR");
  char path[1200];

  (void)state;
  if (!root || !models)
    return 0;
  snprintf(folder, sizeof folder, "%s/../shared/bugcases/files", root);
  snprintf(path, sizeof path, "%s/ref_single_upright.jpg", folder);
  if (!support_file_exists(path)) {
    folder[0] = '\0';
    return 0;
  }
  snprintf(path, sizeof path, "%s/ssd_mobilenetv1.dager", models);
  if (!support_file_exists(path)) {
    folder[0] = '\0';
    return 0;
  }
  if (dager_engine_create(NULL, &engine) != DAGER_OK ||
      dager_session_create(engine, &session) != DAGER_OK) {
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  return 0;
}

static void need_folder(void) {
  if (folder[0] == '\0') {
    print_message("../shared/bugcases or the models are absent: skipped\n");
    skip();
  }
}

/* Analyses a case file with the shared session, or with a session of an
 * engine made with one extra int option when name is not NULL. */
static dager_status analyse(const char *file, const char *name, int64_t value,
                            dager_result **result) {
  char path[1400];
  dager_options *options = NULL;
  dager_engine *own_engine = NULL;
  dager_session *own_session = NULL;
  dager_status status;

  snprintf(path, sizeof path, "%s/%s", folder, file);
  if (!name)
    return dager_analyze_file(session, path, result);
  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_int(options, name, value), DAGER_OK);
  assert_int_equal(dager_engine_create(options, &own_engine), DAGER_OK);
  assert_int_equal(dager_session_create(own_engine, &own_session), DAGER_OK);
  status = dager_analyze_file(own_session, path, result);
  dager_session_destroy(own_session);
  dager_engine_destroy(own_engine);
  dager_options_destroy(options);
  return status;
}

static float iou(const dager_face *face, const float *box) {
  float x0 = fmaxf(face->x, box[0]), y0 = fmaxf(face->y, box[1]);
  float x1 = fminf(face->x + face->width, box[0] + box[2]);
  float y1 = fminf(face->y + face->height, box[1] + box[3]);
  float inter = fmaxf(0.0f, x1 - x0) * fmaxf(0.0f, y1 - y0);

  return inter / (face->width * face->height + box[2] * box[3] - inter);
}

static void report(const char *id, const char *file, const dager_result *r) {
  print_message("%s %s: %dx%d, %zu faces", id, file,
                dager_result_image_width(r), dager_result_image_height(r),
                dager_result_face_count(r));
  for (size_t i = 0; i < dager_result_face_count(r) && i < 4; i++) {
    dager_face face = support_face_at(r, i);
    print_message(" [%.0f %.0f %.0f %.0f cut %d age %.1f %s %s]",
                  (double)face.x, (double)face.y, (double)face.width,
                  (double)face.height, face.cut_by_border, (double)face.age,
                  dager_gender_name(face.gender),
                  dager_emotion_name(face.dominant_emotion));
  }
  print_message("\n");
}

/* One face like the reference photo: box IoU >= 0.8 with box (NULL: no
 * box check), age within tolerance of age, female. */
static void expect_reference_face(const char *id, const char *file,
                                  const float *box, float age, float tolerance,
                                  int emotion) {
  dager_result *result = NULL;

  assert_int_equal(analyse(file, NULL, 0, &result), DAGER_OK);
  report(id, file, result);
  assert_int_equal(dager_result_face_count(result), 1);
  dager_face face = support_face_at(result, 0);
  if (box)
    assert_true(iou(&face, box) >= 0.8f);
  assert_true(fabsf(face.age - age) <= tolerance);
  assert_int_equal(face.gender, DAGER_GENDER_FEMALE);
  if (emotion >= 0)
    assert_int_equal(face.dominant_emotion, emotion);
  dager_result_destroy(result);
}

static void c00_references(void **state) {
  (void)state;
  need_folder();
  expect_reference_face("C00", "ref_single_upright.jpg", reference_box, 28.1f,
                        1.0f, DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C00", "ref_single_half.png", NULL, 29.8f, 1.0f,
                        DAGER_EMOTION_NEUTRAL);

  dager_result *result = NULL;
  const float ages[3] = {29.0f, 28.0f, 38.0f};
  assert_int_equal(analyse("ref_group_sample3.jpg", NULL, 0, &result),
                   DAGER_OK);
  report("C00", "ref_group_sample3.jpg", result);
  assert_int_equal(dager_result_face_count(result), 3);
  for (size_t i = 0; i < 3; i++) {
    dager_face face = support_face_at(result, i);
    assert_true(fabsf(face.age - ages[i]) <= 1.5f);
  }
  dager_result_destroy(result);
}

static void c13_c27_decoding_and_exif_keep_the_face(void **state) {
  (void)state;
  need_folder();
  /* Displayed frame 560 x 720 for every EXIF case, same face as ref. */
  expect_reference_face("C22", "exif_orient6.jpg", reference_box, 28.1f, 3.0f,
                        DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C23", "exif_orient8.jpg", reference_box, 28.1f, 3.0f,
                        DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C24", "exif_orient3.jpg", reference_box, 28.1f, 3.0f,
                        DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C26", "exif_orient9_invalid.jpg", reference_box, 28.1f,
                        3.0f, DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C27", "exif_bad_ifd_count.jpg", reference_box, 28.1f,
                        3.0f, DAGER_EMOTION_NEUTRAL);
  expect_reference_face("C13", "cmyk_adobe.jpg", reference_box, 28.1f, 3.0f,
                        -1);
  expect_reference_face("C14", "progressive.jpg", reference_box, 28.1f, 3.0f,
                        -1);
  expect_reference_face("C15", "gray.jpg", reference_box, 28.1f, 3.0f, -1);
  expect_reference_face("C16", "gray.png", NULL, 29.8f, 3.0f, -1);
  expect_reference_face("C16", "gray16.png", NULL, 29.8f, 3.0f, -1);
  expect_reference_face("C17", "rgb16.png", NULL, 29.8f, 3.0f, -1);
  expect_reference_face("C18", "palette.png", NULL, 29.8f, 3.0f, -1);
  expect_reference_face("C19", "palette_trns.png", NULL, 29.8f, 3.0f, -1);
  expect_reference_face("C20", "rgba.png", NULL, 29.8f, 3.0f, -1);
}

static void c01_c11_bad_files_are_errors_not_empty_results(void **state) {
  (void)state;
  static const struct {
    const char *id, *file;
    dager_status status;
  } cases[] = {
      {"C01", "empty_0byte.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT},
      {"C02", "text_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT},
      {"C03", "trunc_before_sos.jpg", DAGER_ERROR_CORRUPT_IMAGE},
      {"C04", "trunc_half.jpg", DAGER_ERROR_CORRUPT_IMAGE},
      {"C06", "corrupt_zlib_png.png", DAGER_ERROR_CORRUPT_IMAGE},
      {"C07", "bomb_png_20000x20000_4rows.png", DAGER_ERROR_IMAGE_TOO_LARGE},
      {"C08", "bomb_png_20000x20000_1bit_valid.png",
       DAGER_ERROR_IMAGE_TOO_LARGE},
      {"C10", "tga_header_23040sq_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT},
      {"C11", "psd_header_20000sq_named.jpg", DAGER_ERROR_UNSUPPORTED_FORMAT},
  };
  need_folder();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    static int sentinel;
    dager_result *result = (dager_result *)(void *)&sentinel;
    dager_status status = analyse(cases[i].file, NULL, 0, &result);

    print_message("%s %s: %s (%s)\n", cases[i].id, cases[i].file,
                  dager_status_string(status), dager_last_error_message());
    assert_int_equal(status, cases[i].status);
    assert_null(result);
  }
}

static void c29_c40_no_face_is_success(void **state) {
  (void)state;
  static const char *const files[] = {"tiny_1x1.jpg", "tiny_1x1.png",
                                      "no_face_synthetic.jpg",
                                      "no_face_scene_strip.jpg"};
  need_folder();
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    dager_result *result = NULL;

    assert_int_equal(analyse(files[i], NULL, 0, &result), DAGER_OK);
    report(i < 2 ? "C29" : (i == 2 ? "C39" : "C40"), files[i], result);
    assert_int_equal(dager_result_face_count(result), 0);
    dager_result_destroy(result);
  }
}

static void c30_c32_small_images_and_faces(void **state) {
  (void)state;
  const float box_20[4] = {1205, 409, 21, 24}, box_40[4] = {1211, 418, 42, 49};
  dager_result *result = NULL;
  need_folder();

  /* A face filling a 48 x 48 image: found by the padded pass. */
  assert_int_equal(analyse("small_48x48_face.jpg", NULL, 0, &result), DAGER_OK);
  report("C30", "small_48x48_face.jpg", result);
  assert_int_equal(dager_result_face_count(result), 1);
  dager_result_destroy(result);

  /* Default settings: below the documented minimum, no false positive. */
  assert_int_equal(analyse("tiny_face_40px_1920x1080.jpg", NULL, 0, &result),
                   DAGER_OK);
  report("C32", "tiny_face_40px_1920x1080.jpg", result);
  assert_int_equal(dager_result_face_count(result), 0);
  dager_result_destroy(result);

  /* With min_face_size, finer tiles find both, at their boxes. */
  assert_int_equal(
      analyse("tiny_face_20px_1920x1080.jpg", "min_face_size", 20, &result),
      DAGER_OK);
  report("C31 min_face_size 20", "tiny_face_20px_1920x1080.jpg", result);
  assert_int_equal(dager_result_face_count(result), 1);
  dager_face face = support_face_at(result, 0);
  assert_true(iou(&face, box_20) >= 0.4f);
  dager_result_destroy(result);
  assert_int_equal(
      analyse("tiny_face_40px_1920x1080.jpg", "min_face_size", 40, &result),
      DAGER_OK);
  report("C32 min_face_size 40", "tiny_face_40px_1920x1080.jpg", result);
  assert_int_equal(dager_result_face_count(result), 1);
  face = support_face_at(result, 0);
  assert_true(iou(&face, box_40) >= 0.5f);
  dager_result_destroy(result);
}

static void c33_c34_cut_faces_are_flagged(void **state) {
  (void)state;
  static const char *const files[] = {"border_cut_left.jpg",
                                      "border_corner_topleft.jpg"};
  need_folder();
  for (size_t i = 0; i < 2; i++) {
    dager_result *result = NULL;

    assert_int_equal(analyse(files[i], NULL, 0, &result), DAGER_OK);
    report(i == 0 ? "C33" : "C34", files[i], result);
    assert_int_equal(dager_result_face_count(result), 1);
    dager_face face = support_face_at(result, 0);
    assert_int_equal(face.cut_by_border, 1);
    assert_true(face.x >= 0.0f && face.y >= 0.0f);
    dager_result_destroy(result);
  }
}

static void c36_large_photo(void **state) {
  (void)state;
  dager_result *group = NULL, *large = NULL;
  need_folder();

  assert_int_equal(analyse("ref_group_sample3.jpg", NULL, 0, &group), DAGER_OK);
  assert_int_equal(analyse("large_7680x5400.jpg", NULL, 0, &large), DAGER_OK);
  report("C36", "large_7680x5400.jpg", large);
  assert_int_equal(dager_result_face_count(large), 3);
  for (size_t i = 0; i < 3; i++) {
    dager_face small = support_face_at(group, i);
    float box[4] = {4 * small.x, 4 * small.y, 4 * small.width,
                    4 * small.height};
    float best = 0.0f;
    for (size_t j = 0; j < 3; j++) {
      dager_face face = support_face_at(large, j);
      best = fmaxf(best, iou(&face, box));
    }
    assert_true(best >= 0.8f);
  }
  dager_result_destroy(group);
  dager_result_destroy(large);
}

static void c37_c38_c41_many_faces_and_strips(void **state) {
  (void)state;
  const float panorama_box[4] = {5143, 130, 163, 189};
  dager_result *result = NULL;
  need_folder();

  /* The reference's single pass ("tiling" "off") finds 63 of 64 and 15
   * of 22; by default the adaptive refinement finds them all, and so do
   * the finer tiles of min_face_size. */
  assert_int_equal(analyse("many_faces_8x8.jpg", NULL, 0, &result), DAGER_OK);
  report("C37", "many_faces_8x8.jpg", result);
  assert_int_equal(dager_result_face_count(result), 64);
  dager_result_destroy(result);
  assert_int_equal(analyse("many_faces_8x8.jpg", "min_face_size", 60, &result),
                   DAGER_OK);
  report("C37 min_face_size 60", "many_faces_8x8.jpg", result);
  assert_int_equal(dager_result_face_count(result), 64);
  dager_result_destroy(result);

  assert_int_equal(analyse("many_faces_samples_grid.jpg", NULL, 0, &result),
                   DAGER_OK);
  report("C38", "many_faces_samples_grid.jpg", result);
  assert_int_equal(dager_result_face_count(result), 22);
  dager_result_destroy(result);
  assert_int_equal(
      analyse("many_faces_samples_grid.jpg", "min_face_size", 80, &result),
      DAGER_OK);
  report("C38 min_face_size 80", "many_faces_samples_grid.jpg", result);
  assert_int_equal(dager_result_face_count(result), 22);
  dager_result_destroy(result);

  /* A 14:1 strip: square tiles along it find the face. */
  assert_int_equal(analyse("panorama_8000x560.jpg", NULL, 0, &result),
                   DAGER_OK);
  report("C41", "panorama_8000x560.jpg", result);
  assert_int_equal(dager_result_face_count(result), 1);
  dager_face face = support_face_at(result, 0);
  assert_true(iou(&face, panorama_box) >= 0.8f);
  dager_result_destroy(result);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(c00_references),
      cmocka_unit_test(c13_c27_decoding_and_exif_keep_the_face),
      cmocka_unit_test(c01_c11_bad_files_are_errors_not_empty_results),
      cmocka_unit_test(c29_c40_no_face_is_success),
      cmocka_unit_test(c30_c32_small_images_and_faces),
      cmocka_unit_test(c33_c34_cut_faces_are_flagged),
      cmocka_unit_test(c36_large_photo),
      cmocka_unit_test(c37_c38_c41_many_faces_and_strips),
  };
  int failures = cmocka_run_group_tests(tests, setup, teardown);

  return failures == 0 && folder[0] == '\0' ? 77 : failures;
}
