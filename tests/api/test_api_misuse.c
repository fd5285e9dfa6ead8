/*
 * API misuse without models: NULL arguments, unknown options and values,
 * struct_size handling, out-of-range indices, names and descriptor maths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "core/memory.h"
#include "dager.h"

static void options_reject_nulls_and_unknown_names(void **state) {
  (void)state;
  dager_options *options = NULL;

  assert_int_equal(dager_options_create(NULL), DAGER_ERROR_INVALID_ARGUMENT);
  assert_true(strlen(dager_last_error_message()) > 0);
  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_string_equal(dager_last_error_message(), "");

  assert_int_equal(dager_options_set_string(NULL, "detector", "ssd"),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_options_set_string(options, NULL, "ssd"),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_options_set_string(options, "detector", NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_options_set_int(NULL, "threads", 2),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_options_set_double(options, NULL, 0.5),
                   DAGER_ERROR_INVALID_ARGUMENT);

  assert_int_equal(dager_options_set_string(options, "no_such", "x"),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_non_null(strstr(dager_last_error_message(), "no_such"));
  assert_int_equal(dager_options_set_int(options, "Threads", 2),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_double(options, "", 1.0),
                   DAGER_ERROR_UNKNOWN_OPTION);
  dager_options_destroy(options);
  dager_options_destroy(NULL);
}

static void options_check_types_and_ranges(void **state) {
  (void)state;
  dager_options *options = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);

  /* Strings. */
  assert_int_equal(dager_options_set_string(options, "detector", "tiny"),
                   DAGER_OK);
  assert_int_equal(options->detector, DAGER_API_DETECTOR_TINY);
  assert_int_equal(dager_options_set_string(options, "detector", "yolo"),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(options->detector, DAGER_API_DETECTOR_TINY);
  assert_int_equal(dager_options_set_string(options, "landmarks", "tiny"),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "landmarks", ""),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(
      dager_options_set_string(options, "attribute_crop", "aligned"), DAGER_OK);
  assert_int_equal(options->aligned_attributes, 1);
  assert_int_equal(dager_options_set_string(options, "attribute_crop", "Box"),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_string(options, "models_dir", ""),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_string(options, "models_dir", "/a/b"),
                   DAGER_OK);
  assert_string_equal(options->models_dir, "/a/b");

  /* Networks lists. */
  assert_int_equal(
      dager_options_set_string(options, "networks", "detector,landmarks"),
      DAGER_OK);
  assert_int_equal(options->networks, 3u);
  assert_int_equal(dager_options_set_string(options, "networks", "detector,"),
                   DAGER_OK);
  assert_int_equal(options->networks, 1u);
  assert_int_equal(dager_options_set_string(options, "networks", ""),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(
      dager_options_set_string(options, "networks", "detector,eyes"),
      DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(options->networks, 1u);

  /* Numbers: type, range, wholeness. */
  assert_int_equal(dager_options_set_string(options, "threads", "4"),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "detector", 1),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "threads", 0),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "threads", 257),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "threads", 8), DAGER_OK);
  assert_int_equal(options->threads, 8);
  assert_int_equal(dager_options_set_double(options, "threads", 2.5),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_double(options, "threads", 3.0), DAGER_OK);
  assert_int_equal(options->threads, 3);
  assert_int_equal(dager_options_set_int(options, "max_faces", INT64_MAX),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "max_faces", -1),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "tiny_input_size", 320),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "tiny_input_size", 330),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "tiny_input_size", 640),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(options->tiny_input_size, 320);
  /* Landmark passes and aligned views follow the attribute crop until
   * set. */
  assert_int_equal(dager_options_set_string(options, "attribute_crop", "box"),
                   DAGER_OK);
  assert_int_equal(dager_api_landmark_passes(options), 1);
  assert_int_equal(
      dager_options_set_string(options, "attribute_crop", "aligned"), DAGER_OK);
  assert_int_equal(dager_api_landmark_passes(options), 8);
  assert_int_equal(dager_api_aligned_views(options), 5);
  assert_int_equal(dager_options_set_int(options, "landmark_passes", 9),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "landmark_passes", 3),
                   DAGER_OK);
  assert_int_equal(dager_api_landmark_passes(options), 3);
  assert_int_equal(dager_options_set_int(options, "aligned_views", 0),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "aligned_views", 6),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_int(options, "aligned_views", 1),
                   DAGER_OK);
  assert_int_equal(dager_api_aligned_views(options), 1);
  assert_int_equal(dager_options_set_double(options, "min_score", 1.5),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_double(options, "min_score", (double)NAN),
                   DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(dager_options_set_double(options, "nms_iou", 0.3), DAGER_OK);
  assert_int_equal(options->nms_iou_set, 1);
  assert_int_equal(dager_options_set_int(options, "min_score", 1), DAGER_OK);
  assert_true(options->min_score == 1.0);
  assert_int_equal(dager_options_set_int(options, "max_pixels", 0),
                   DAGER_ERROR_UNKNOWN_OPTION);
  /* Above the decoder's ceiling of 2^28 is refused, not quietly capped. */
  assert_int_equal(
      dager_options_set_int(options, "max_pixels", ((int64_t)1 << 28) + 1),
      DAGER_ERROR_UNKNOWN_OPTION);
  assert_int_equal(
      dager_options_set_int(options, "max_pixels", (int64_t)1 << 28), DAGER_OK);
  dager_options_destroy(options);
}

/* A result made by hand, as an analysis would leave it. */
static dager_result *make_result(size_t faces) {
  dager_result *result = dager_mem_calloc(1, sizeof *result);

  assert_non_null(result);
  result->image_width = 640;
  result->image_height = 480;
  result->faces = dager_mem_calloc(faces, sizeof *result->faces);
  assert_non_null(result->faces);
  result->face_count = faces;
  for (size_t i = 0; i < faces; i++) {
    dager_face *face = &result->faces[i].face;
    face->struct_size = sizeof *face;
    face->x = 10.0f * (float)(i + 1);
    face->score = 0.9f;
    face->has_landmarks = 1;
    face->landmarks[67][1] = 123.0f;
    face->age = 33.0f;
    face->has_descriptor = i == 0;
    result->faces[i].descriptor[5] = 0.25f;
  }
  return result;
}

static void result_face_honours_struct_size(void **state) {
  (void)state;
  dager_result *result = make_result(2);
  dager_face face;
  size_t first_release = offsetof(dager_face, has_descriptor) + sizeof(int);
  unsigned char bigger[sizeof(dager_face) + 32];

  assert_int_equal(dager_result_face_count(result), 2);
  assert_int_equal(dager_result_image_width(result), 640);
  assert_int_equal(dager_result_image_height(result), 480);
  assert_int_equal(dager_result_truncated(result), 0);

  /* DAGER_FACE_INIT's effect; the macro itself trips
   * -Wmissing-field-initializers in this warning-free build. */
  memset(&face, 0, sizeof face);
  face.struct_size = sizeof face;
  assert_int_equal(dager_result_face(result, 1, &face), DAGER_OK);
  assert_true(face.x == 20.0f);
  assert_true(face.landmarks[67][1] == 123.0f);
  assert_int_equal(face.struct_size, sizeof face);

  /* Too short to be a dager_face of any release. */
  memset(&face, 0, sizeof face);
  face.struct_size = first_release - 1;
  assert_int_equal(dager_result_face(result, 0, &face),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_true(face.x == 0.0f);
  face.struct_size = 0;
  assert_int_equal(dager_result_face(result, 0, &face),
                   DAGER_ERROR_INVALID_ARGUMENT);

  /* A newer, longer struct: our fields filled, its tail untouched. */
  memset(bigger, 0xAB, sizeof bigger);
  ((dager_face *)(void *)bigger)->struct_size = sizeof bigger;
  assert_int_equal(dager_result_face(result, 0, (dager_face *)(void *)bigger),
                   DAGER_OK);
  assert_true(((dager_face *)(void *)bigger)->x == 10.0f);
  assert_int_equal(((dager_face *)(void *)bigger)->struct_size, sizeof bigger);
  for (size_t i = sizeof(dager_face); i < sizeof bigger; i++) {
    assert_int_equal(bigger[i], 0xAB);
  }

  /* Out of range and NULL. */
  face.struct_size = sizeof face;
  assert_int_equal(dager_result_face(result, 2, &face),
                   DAGER_ERROR_OUT_OF_RANGE);
  assert_int_equal(dager_result_face(result, SIZE_MAX, &face),
                   DAGER_ERROR_OUT_OF_RANGE);
  assert_int_equal(dager_result_face(NULL, 0, &face),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_result_face(result, 0, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);

  /* Descriptors. */
  float descriptor[DAGER_DESCRIPTOR_SIZE];
  assert_int_equal(dager_result_descriptor(result, 0, descriptor), DAGER_OK);
  assert_true(descriptor[5] == 0.25f);
  assert_int_equal(dager_result_descriptor(result, 1, descriptor),
                   DAGER_ERROR_NOT_LOADED);
  assert_int_equal(dager_result_descriptor(result, 2, descriptor),
                   DAGER_ERROR_OUT_OF_RANGE);
  assert_int_equal(dager_result_descriptor(result, 0, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_result_descriptor(NULL, 0, descriptor),
                   DAGER_ERROR_INVALID_ARGUMENT);

  dager_result_destroy(result);
  dager_result_destroy(NULL);
  assert_int_equal(dager_result_face_count(NULL), 0);
  assert_int_equal(dager_result_truncated(NULL), 0);
  assert_int_equal(dager_result_image_width(NULL), 0);
}

static void names_and_descriptor_maths(void **state) {
  (void)state;
  float a[DAGER_DESCRIPTOR_SIZE] = {0}, b[DAGER_DESCRIPTOR_SIZE] = {0};

  assert_string_equal(dager_emotion_name(DAGER_EMOTION_ANGRY), "angry");
  assert_string_equal(dager_emotion_name(DAGER_EMOTION_SURPRISED), "surprised");
  assert_string_equal(dager_emotion_name(DAGER_EMOTION_COUNT), "unknown");
  assert_string_equal(dager_emotion_name((dager_emotion)-3), "unknown");
  assert_string_equal(dager_gender_name(DAGER_GENDER_FEMALE), "female");
  assert_string_equal(dager_gender_name(DAGER_GENDER_MALE), "male");
  assert_string_equal(dager_gender_name((dager_gender)77), "unknown");

  a[0] = 3.0f;
  b[1] = 4.0f;
  assert_true(fabsf(dager_descriptor_distance(a, b) - 5.0f) < 1e-6f);
  assert_true(dager_descriptor_distance(a, a) == 0.0f);
  assert_true(dager_descriptor_distance(NULL, b) < 0.0f);
  assert_true(fabsf(dager_descriptor_similarity(a, b)) < 1e-6f);
  b[0] = -6.0f;
  b[1] = 0.0f;
  assert_true(fabsf(dager_descriptor_similarity(a, b) + 1.0f) < 1e-6f);
  assert_true(dager_descriptor_similarity(a, NULL) == -2.0f);
  memset(b, 0, sizeof b);
  assert_true(dager_descriptor_similarity(a, b) == 0.0f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(options_reject_nulls_and_unknown_names),
      cmocka_unit_test(options_check_types_and_ranges),
      cmocka_unit_test(result_face_honours_struct_size),
      cmocka_unit_test(names_and_descriptor_maths),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
