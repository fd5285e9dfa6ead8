/*
 * Engine, session and the whole analysis on synthetic models (written by
 * synthetic_models.c into a temporary folder), so these run everywhere:
 * loading and its failures (missing folder, wrong task, impossible network
 * sets), exact boxes on a synthetic image, border flags, the face cap,
 * attributes and descriptors, alignment, misuse of every analysis call,
 * eight threads sharing one engine, and allocation failure at every step.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dager.h"
#include "synthetic_models.h"

static char models_dir[256];

/* Image width 128 x 96 pads to a 128 square, so one synthetic detector
 * cell is 16 x 16 image pixels. */
#define IMAGE_W 128
#define IMAGE_H 96
#define CELL 16

static int make_models(void **state) {
  (void)state;
  snprintf(models_dir, sizeof models_dir, "/tmp/dager-api-test-XXXXXX");
  if (!mkdtemp(models_dir))
    return -1;
  return synthetic_models_write(models_dir);
}

static int mkdir_for_test(const char *path) {
  return mkdir(path, 0700);
}

static int remove_models(void **state) {
  (void)state;
  synthetic_models_remove(models_dir);
  return 0;
}

/* Black image with white detector cells at the given (column, row). */
static dager_image *cells_image(const int (*cells)[2], int count) {
  static uint8_t pixels[IMAGE_W * IMAGE_H * 3];
  dager_image *image = NULL;

  memset(pixels, 0, sizeof pixels);
  for (int i = 0; i < count; i++) {
    for (int y = cells[i][1] * CELL; y < (cells[i][1] + 1) * CELL; y++) {
      memset(pixels + ((size_t)y * IMAGE_W + (size_t)cells[i][0] * CELL) * 3,
             255, CELL * 3);
    }
  }
  if (dager_image_from_pixels(pixels, IMAGE_W, IMAGE_H, IMAGE_W * 3,
                              DAGER_PIXEL_RGB8, &image) != DAGER_OK) {
    return NULL;
  }
  return image;
}

static dager_engine *engine_with(const char *name, const char *value) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir", models_dir),
                   DAGER_OK);
  if (name) {
    assert_int_equal(dager_options_set_string(options, name, value), DAGER_OK);
  }
  if (dager_engine_create(options, &engine) != DAGER_OK) {
    print_error("engine: %s\n", dager_last_error_message());
    fail();
  }
  dager_options_destroy(options);
  return engine;
}

static dager_face face_of(const dager_result *result, size_t index) {
  dager_face face;

  memset(&face, 0, sizeof face);
  face.struct_size = sizeof face;
  assert_int_equal(dager_result_face(result, index, &face), DAGER_OK);
  return face;
}

static void engine_loading_and_its_failures(void **state) {
  (void)state;
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  char other[300], path[600], source[600];

  assert_int_equal(dager_engine_create(NULL, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);

  engine = engine_with(NULL, NULL);
  assert_true(strlen(dager_engine_isa(engine)) > 0);
  dager_engine_destroy(engine);
  dager_engine_destroy(NULL);
  assert_string_equal(dager_engine_isa(NULL), "none");

  /* A folder without the files. */
  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir",
                                            "/nonexistent/dager-models"),
                   DAGER_OK);
  engine = (dager_engine *)options; /* must be overwritten with NULL */
  assert_int_equal(dager_engine_create(options, &engine), DAGER_ERROR_IO);
  assert_null(engine);
  assert_non_null(strstr(dager_last_error_message(), "dager-models"));

  /* A valid model of the wrong task under a fixed name. */
  snprintf(other, sizeof other, "%s/wrong", models_dir);
  assert_int_equal(mkdir_for_test(other), 0);
  assert_int_equal(synthetic_models_write(other), 0);
  snprintf(path, sizeof path, "%s/age_gender.dager", other);
  snprintf(source, sizeof source, "%s/face_expression.dager", other);
  assert_int_equal(rename(source, path), 0);
  assert_int_equal(dager_options_set_string(options, "models_dir", other),
                   DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine),
                   DAGER_ERROR_MODEL_WRONG_TASK);
  assert_null(engine);
  assert_non_null(strstr(dager_last_error_message(), "age_gender"));
  /* Without that network the folder loads. */
  assert_int_equal(dager_options_set_string(options, "networks",
                                            "detector,landmarks,descriptor"),
                   DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_engine_destroy(engine);
  unlink(path);
  synthetic_models_remove(other);

  /* Attributes without landmarks cannot place their crops. */
  assert_int_equal(dager_options_set_string(options, "models_dir", models_dir),
                   DAGER_OK);
  assert_int_equal(
      dager_options_set_string(options, "networks", "detector,age_gender"),
      DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine),
                   DAGER_ERROR_UNKNOWN_OPTION);
  dager_options_destroy(options);
}

static void detect_finds_exact_boxes_and_flags_borders(void **state) {
  (void)state;
  /* Cell (3, 2) is inside; cell (6, 0) touches the top edge, and its box,
   * 1.5 cells tall, reaches 4 pixels above the image. */
  const int cells[2][2] = {{3, 2}, {6, 0}};
  dager_engine *engine = engine_with(NULL, NULL);
  dager_session *session = NULL;
  dager_image *image = cells_image(cells, 2);
  dager_result *result = NULL;
  float score = 1.0f / (1.0f + expf(-6.0f));

  assert_non_null(image);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_detect(session, image, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 2);
  assert_int_equal(dager_result_truncated(result), 0);
  assert_int_equal(dager_result_image_width(result), IMAGE_W);
  assert_int_equal(dager_result_image_height(result), IMAGE_H);

  for (size_t i = 0; i < 2; i++) {
    dager_face face = face_of(result, i);
    int column = face.x > 80.0f ? 6 : 3;
    int row = column == 6 ? 0 : 2;
    float top = (float)(row * CELL) - 0.25f * CELL;

    assert_true(fabsf(face.score - score) < 1e-4f);
    assert_true(fabsf(face.x - (float)(column * CELL)) < 1e-3f);
    assert_true(fabsf(face.width - (float)CELL) < 1e-3f);
    assert_true(fabsf(face.y - fmaxf(top, 0.0f)) < 1e-3f);
    assert_true(fabsf(face.y + face.height - (top + 1.5f * CELL)) < 1e-3f);
    assert_int_equal(face.cut_by_border, column == 6);
    assert_int_equal(face.has_landmarks, 1);
    assert_int_equal(face.has_attributes, 0);
    assert_int_equal(face.has_descriptor, 0);
    /* The synthetic landmark net places its mean shape over the crop. */
    assert_true(face.landmarks[30][0] > face.x &&
                face.landmarks[30][0] < face.x + face.width);
  }
  dager_result_destroy(result);

  /* A black image has no face, which is success. */
  dager_image *black = cells_image(cells, 0);
  assert_int_equal(dager_analyze(session, black, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 0);
  dager_result_destroy(result);
  dager_image_destroy(black);

  dager_image_destroy(image);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

static void max_faces_caps_and_reports(void **state) {
  (void)state;
  const int cells[3][2] = {{1, 1}, {3, 3}, {6, 4}};
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_image *image = cells_image(cells, 3);
  dager_result *result = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir", models_dir),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "max_faces", 2), DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_detect(session, image, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 2);
  assert_int_equal(dager_result_truncated(result), 1);
  dager_result_destroy(result);
  dager_session_destroy(session);
  dager_engine_destroy(engine);

  assert_int_equal(dager_options_set_int(options, "max_faces", 3), DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_detect(session, image, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 3);
  assert_int_equal(dager_result_truncated(result), 0);
  dager_result_destroy(result);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  dager_options_destroy(options);
  dager_image_destroy(image);
}

static void analyze_fills_attributes_and_descriptor(void **state) {
  (void)state;
  const int cells[1][2] = {{3, 2}};
  const char *crops[2] = {"box", "aligned"};

  for (int mode = 0; mode < 2; mode++) {
    dager_engine *engine = engine_with("attribute_crop", crops[mode]);
    dager_session *session = NULL;
    dager_image *image = cells_image(cells, 1);
    dager_result *result = NULL;
    float descriptor[DAGER_DESCRIPTOR_SIZE];
    double sum = 0.0;

    assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
    assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
    assert_int_equal(dager_result_face_count(result), 1);
    dager_face face = face_of(result, 0);
    assert_int_equal(face.has_attributes, 1);
    assert_true(face.age > 20.0f && face.age < 40.0f);
    assert_true(face.gender == DAGER_GENDER_MALE ||
                face.gender == DAGER_GENDER_FEMALE);
    assert_true(face.gender_probability >= 0.5f &&
                face.gender_probability <= 1.0f);
    for (int e = 0; e < DAGER_EMOTION_COUNT; e++)
      sum += (double)face.emotions[e];
    assert_true(fabs(sum - 1.0) < 1e-4);
    /* The synthetic model favours "happy" by its bias. */
    assert_int_equal(face.dominant_emotion, DAGER_EMOTION_HAPPY);
    assert_int_equal(face.has_descriptor, 1);
    assert_int_equal(dager_result_descriptor(result, 0, descriptor), DAGER_OK);
    assert_true(dager_descriptor_distance(descriptor, descriptor) == 0.0f);
    dager_result_destroy(result);
    dager_image_destroy(image);
    dager_session_destroy(session);
    dager_engine_destroy(engine);
  }
}

/* A given face: one face over the whole image, no detector needed, and the
 * same attributes as dager_analyze computes; misuse is refused. */
static void analyze_crop_treats_the_image_as_one_face(void **state) {
  (void)state;
  const int cells[1][2] = {{3, 2}};
  dager_engine *engine =
      engine_with("networks", "landmarks,age_gender,expression");
  dager_engine *no_landmarks = engine_with("networks", "detector");
  dager_session *session = NULL, *other = NULL;
  dager_image *image = cells_image(cells, 1);
  dager_result *result = NULL;

  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_analyze_crop(session, image, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 1);
  assert_int_equal(dager_result_truncated(result), 0);
  dager_face face = face_of(result, 0);
  assert_true(face.x == 0.0f && face.y == 0.0f);
  assert_true(face.width == (float)IMAGE_W && face.height == (float)IMAGE_H);
  assert_true(face.score == 1.0f);
  assert_int_equal(face.has_landmarks, 1);
  assert_int_equal(face.has_attributes, 1);
  assert_int_equal(face.dominant_emotion, DAGER_EMOTION_HAPPY);
  assert_int_equal(face.has_descriptor, 0);
  dager_result_destroy(result);

  result = (dager_result *)image; /* must be overwritten with NULL */
  assert_int_equal(dager_analyze_crop(session, image, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_analyze_crop(NULL, image, &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(result);
  assert_int_equal(dager_analyze_crop(session, NULL, &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_session_create(no_landmarks, &other), DAGER_OK);
  assert_int_equal(dager_analyze_crop(other, image, &result),
                   DAGER_ERROR_NOT_LOADED);
  assert_null(result);

  dager_session_destroy(other);
  dager_session_destroy(session);
  dager_image_destroy(image);
  dager_engine_destroy(no_landmarks);
  dager_engine_destroy(engine);
}

static void other_detector_networks_and_passes(void **state) {
  (void)state;
  const int cells[4][2] = {{2, 2}, {3, 2}, {2, 3}, {3, 3}};
  dager_image *image = cells_image(cells, 4);
  const char *settings[4][2] = {{"detector", "tiny"},
                                {"landmarks", "tiny"},
                                {"networks", "detector"},
                                {NULL, NULL}};

  for (int i = 0; i < 4; i++) {
    dager_engine *engine = engine_with(settings[i][0], settings[i][1]);
    dager_session *session = NULL;
    dager_result *result = NULL;

    assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
    assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
    assert_true(dager_result_face_count(result) >= 1);
    dager_face face = face_of(result, 0);
    assert_int_equal(face.has_landmarks, i != 2);
    if (i == 2) {
      uint8_t crop[32 * 32 * 3];
      float descriptor[DAGER_DESCRIPTOR_SIZE];
      assert_int_equal(
          dager_align_face(session, image, result, 0, 32, crop, 32 * 3),
          DAGER_ERROR_INVALID_ARGUMENT);
      assert_int_equal(dager_result_descriptor(result, 0, descriptor),
                       DAGER_ERROR_NOT_LOADED);
    }
    dager_result_destroy(result);
    dager_session_destroy(session);
    dager_engine_destroy(engine);
  }

  /* Extra tiled passes find the same faces as the single pass. */
  {
    dager_engine *plain = engine_with(NULL, NULL);
    dager_options *options = NULL;
    dager_engine *tiled = NULL;
    dager_session *a = NULL, *b = NULL;
    dager_result *ra = NULL, *rb = NULL;

    assert_int_equal(dager_options_create(&options), DAGER_OK);
    assert_int_equal(
        dager_options_set_string(options, "models_dir", models_dir), DAGER_OK);
    assert_int_equal(dager_options_set_int(options, "min_face_size", 60),
                     DAGER_OK);
    assert_int_equal(dager_engine_create(options, &tiled), DAGER_OK);
    dager_options_destroy(options);
    assert_int_equal(dager_session_create(plain, &a), DAGER_OK);
    assert_int_equal(dager_session_create(tiled, &b), DAGER_OK);
    assert_int_equal(dager_detect(a, image, &ra), DAGER_OK);
    assert_int_equal(dager_detect(b, image, &rb), DAGER_OK);
    assert_int_equal(dager_result_face_count(ra), 4);
    assert_true(dager_result_face_count(rb) >= 4);
    dager_result_destroy(ra);
    dager_result_destroy(rb);
    dager_session_destroy(a);
    dager_session_destroy(b);
    dager_engine_destroy(plain);
    dager_engine_destroy(tiled);
  }
  dager_image_destroy(image);
}

static void analysis_calls_reject_misuse(void **state) {
  (void)state;
  const int cells[1][2] = {{3, 2}};
  dager_engine *engine = engine_with(NULL, NULL);
  dager_session *session = NULL;
  dager_image *image = cells_image(cells, 1);
  dager_image *other = NULL;
  dager_result *result = (dager_result *)image;
  uint8_t crop[64 * 64 * 3];
  uint8_t small[4 * 4 * 3] = {0};

  assert_int_equal(dager_session_create(NULL, &session),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_session_create(engine, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  dager_session_destroy(NULL);

  assert_int_equal(dager_detect(NULL, image, &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(result);
  assert_int_equal(dager_detect(session, NULL, &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_analyze(session, image, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_analyze_file(session, NULL, &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_analyze_file(NULL, "x.jpg", &result),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_analyze_file(session, "/nonexistent/photo.jpg", &result),
      DAGER_ERROR_IO);
  assert_null(result);

  assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
  assert_int_equal(dager_align_face(session, image, result, 0, 64, crop, 192),
                   DAGER_OK);
  assert_int_equal(dager_align_face(NULL, image, result, 0, 64, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, NULL, result, 0, 64, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, image, NULL, 0, 64, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, image, result, 0, 64, NULL, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, image, result, 0, 15, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_align_face(session, image, result, 0, 1025, crop, 1025 * 3),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, image, result, 0, -5, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_align_face(session, image, result, 0, 64, crop, 191),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_non_null(strstr(dager_last_error_message(), "stride"));
  assert_int_equal(
      dager_align_face(session, image, result, 0, 64, crop, SIZE_MAX / 2 + 1),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_non_null(strstr(dager_last_error_message(), "stride"));
  assert_int_equal(dager_align_face(session, image, result, 1, 64, crop, 192),
                   DAGER_ERROR_OUT_OF_RANGE);
  assert_int_equal(
      dager_image_from_pixels(small, 4, 4, 12, DAGER_PIXEL_RGB8, &other),
      DAGER_OK);
  assert_int_equal(dager_align_face(session, other, result, 0, 64, crop, 192),
                   DAGER_ERROR_INVALID_ARGUMENT);
  /* Success clears the last message. */
  assert_int_equal(dager_align_face(session, image, result, 0, 64, crop, 192),
                   DAGER_OK);
  assert_string_equal(dager_last_error_message(), "");

  dager_image_destroy(other);
  dager_result_destroy(result);
  dager_image_destroy(image);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

/* Eight threads, one shared engine, a session each. */
typedef struct thread_job {
  const dager_engine *engine;
  const dager_image *image;
  const dager_face *expected;
  size_t expected_count;
  float expected_descriptor[DAGER_DESCRIPTOR_SIZE];
  int mismatches;
  int failures;
} thread_job;

static void *analyse_in_loop(void *argument) {
  thread_job *job = argument;
  dager_session *session = NULL;

  if (dager_session_create(job->engine, &session) != DAGER_OK) {
    job->failures++;
    return NULL;
  }
  for (int loop = 0; loop < 20; loop++) {
    dager_result *result = NULL;
    float descriptor[DAGER_DESCRIPTOR_SIZE];

    if (dager_analyze(session, job->image, &result) != DAGER_OK) {
      job->failures++;
      continue;
    }
    if (dager_result_face_count(result) != job->expected_count) {
      job->mismatches++;
    }
    for (size_t i = 0;
         i < job->expected_count && i < dager_result_face_count(result); i++) {
      dager_face face;
      memset(&face, 0, sizeof face);
      face.struct_size = sizeof face;
      if (dager_result_face(result, i, &face) != DAGER_OK ||
          memcmp(&face, &job->expected[i], sizeof face) != 0) {
        job->mismatches++;
      }
    }
    if (dager_result_descriptor(result, 0, descriptor) != DAGER_OK ||
        memcmp(descriptor, job->expected_descriptor, sizeof descriptor) != 0) {
      job->mismatches++;
    }
    dager_result_destroy(result);
  }
  dager_session_destroy(session);
  return NULL;
}

static void eight_threads_match_one(void **state) {
  (void)state;
  const int cells[3][2] = {{1, 1}, {3, 2}, {6, 4}};
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_image *image = cells_image(cells, 3);
  dager_result *result = NULL;
  dager_face expected[3];
  thread_job jobs[8];
  pthread_t threads[8];

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir", models_dir),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "threads", 2), DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_options_destroy(options);

  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
  assert_int_equal(dager_result_face_count(result), 3);
  for (size_t i = 0; i < 3; i++)
    expected[i] = face_of(result, i);

  for (int t = 0; t < 8; t++) {
    memset(&jobs[t], 0, sizeof jobs[t]);
    jobs[t].engine = engine;
    jobs[t].image = image;
    jobs[t].expected = expected;
    jobs[t].expected_count = 3;
    assert_int_equal(
        dager_result_descriptor(result, 0, jobs[t].expected_descriptor),
        DAGER_OK);
    assert_int_equal(
        pthread_create(&threads[t], NULL, analyse_in_loop, &jobs[t]), 0);
  }
  for (int t = 0; t < 8; t++) {
    pthread_join(threads[t], NULL);
    assert_int_equal(jobs[t].failures, 0);
    assert_int_equal(jobs[t].mismatches, 0);
  }
  dager_result_destroy(result);
  dager_session_destroy(session);
  dager_image_destroy(image);
  dager_engine_destroy(engine);
}

/* Allocation hook that fails the fail_at-th allocation (1-based). Atomic:
 * with two faces and two threads, the faces allocate their crops on both
 * threads at once. */
static _Atomic size_t allocation_count;
static _Atomic size_t fail_at;

static void *failing_malloc(void *user, size_t size) {
  (void)user;
  if (atomic_fetch_add(&allocation_count, 1) + 1 == atomic_load(&fail_at))
    return NULL;
  return malloc(size);
}

static void *failing_realloc(void *user, void *pointer, size_t size) {
  (void)user;
  if (atomic_fetch_add(&allocation_count, 1) + 1 == atomic_load(&fail_at))
    return NULL;
  return realloc(pointer, size);
}

static void plain_free(void *user, void *pointer) {
  (void)user;
  free(pointer);
}

/* Options, engine, session, image, analysis and alignment in a row; the
 * first failure's status, or DAGER_OK. Everything is freed either way. */
static dager_status full_analysis(const char *crop_mode) {
  static uint8_t pixels[IMAGE_W * IMAGE_H * 3];
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_image *image = NULL;
  dager_result *result = NULL;
  uint8_t crop[32 * 32 * 3];
  dager_status status;

  /* Two faces, so that the session's two threads analyse them side by
   * side and a failure on a worker thread is reported too. */
  memset(pixels, 0, sizeof pixels);
  for (int y = 2 * CELL; y < 3 * CELL; y++) {
    memset(pixels + ((size_t)y * IMAGE_W + 3 * CELL) * 3, 255, CELL * 3);
    memset(pixels + ((size_t)y * IMAGE_W + 6 * CELL) * 3, 255, CELL * 3);
  }
  status = dager_options_create(&options);
  if (!status)
    status = dager_options_set_string(options, "models_dir", models_dir);
  if (!status) {
    status = dager_options_set_string(options, "attribute_crop", crop_mode);
  }
  if (!status)
    status = dager_options_set_int(options, "threads", 2);
  if (!status)
    status = dager_engine_create(options, &engine);
  if (!status)
    status = dager_session_create(engine, &session);
  if (!status) {
    status = dager_image_from_pixels(pixels, IMAGE_W, IMAGE_H, IMAGE_W * 3,
                                     DAGER_PIXEL_RGB8, &image);
  }
  if (!status)
    status = dager_analyze(session, image, &result);
  if (!status && dager_result_face_count(result) != 2) {
    status = DAGER_ERROR_INTERNAL;
  }
  if (!status) {
    status = dager_align_face(session, image, result, 0, 32, crop, 96);
  }
  dager_result_destroy(result);
  dager_image_destroy(image);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  dager_options_destroy(options);
  return status;
}

static void every_allocation_failure_is_reported(void **state) {
  (void)state;
  const char *modes[2] = {"box", "aligned"};

  for (int m = 0; m < 2; m++) {
    size_t total;

    /* Count the allocations of a clean run, after one that may take
     * one-time allocations. */
    fail_at = 0;
    assert_int_equal(
        dager_set_allocator(failing_malloc, failing_realloc, plain_free, NULL),
        DAGER_OK);
    assert_int_equal(full_analysis(modes[m]), DAGER_OK);
    allocation_count = 0;
    assert_int_equal(full_analysis(modes[m]), DAGER_OK);
    total = allocation_count;
    assert_true(total > 10);
    print_message("failing each of %zu allocations (%s crops)\n", total,
                  modes[m]);

    for (fail_at = 1; fail_at <= total; fail_at++) {
      dager_status status;

      allocation_count = 0;
      status = full_analysis(modes[m]);
      if (status != DAGER_ERROR_OUT_OF_MEMORY) {
        print_error("allocation %zu of %zu (%s): status %d, %s\n", fail_at,
                    total, modes[m], (int)status, dager_last_error_message());
      }
      assert_int_equal(status, DAGER_ERROR_OUT_OF_MEMORY);
    }
    assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(engine_loading_and_its_failures),
      cmocka_unit_test(detect_finds_exact_boxes_and_flags_borders),
      cmocka_unit_test(max_faces_caps_and_reports),
      cmocka_unit_test(analyze_fills_attributes_and_descriptor),
      cmocka_unit_test(analyze_crop_treats_the_image_as_one_face),
      cmocka_unit_test(other_detector_networks_and_passes),
      cmocka_unit_test(analysis_calls_reject_misuse),
      cmocka_unit_test(eight_threads_match_one),
      cmocka_unit_test(every_allocation_failure_is_reported),
  };
  return cmocka_run_group_tests(tests, make_models, remove_models);
}
