/*
 * The real networks on face-api's demo photos (skipped without the
 * converted models or the photos): plausible faces on every photo, the
 * rotation test of issue 5 part 8 (a face turned by 20 degrees gives the
 * same aligned crop and attributes), the tiny detector and landmark
 * network, and eight threads sharing one engine giving the single-thread
 * results bit for bit.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "dager.h"
#include "face/align.h"
#include "face/crop.h"
#include "image/image.h"
#include "support/result_access.h"
#include "support/turned_face.h"
#include "support/turned_square.h"

/* The rotation tests over every demo face turned by +-20 degrees (44
 * cases): at least this many found, and at least this many of those
 * within all of issue 5's tolerances. Measured: 39 found, 36 within. The
 * margin allows for the summation order of another instruction set
 * moving a case across a tolerance, not for a regression. */
#define TURNED_CASES_FOUND 37
#define TURNED_CASES_WITHIN 34

static char samples[1024];
static int available;

static int setup(void **state) {
  const char *root = getenv("DAGER_SOURCE_ROOT");
  const char *models = getenv("DAGER_MODELS_DIR");
  char path[1200];

  (void)state;
  if (!root || !models)
    return 0;
  snprintf(samples, sizeof samples, "%s/third_party/face-api/samples", root);
  snprintf(path, sizeof path, "%s/sample1.jpg", samples);
  if (!support_file_exists(path))
    return 0;
  snprintf(path, sizeof path, "%s/ssd_mobilenetv1.dager", models);
  available = support_file_exists(path);
  return 0;
}

static void need_models(void) {
  if (!available) {
    print_message(
        "no converted models or demo photos (tools/fetch-models.sh "
        "then reconfigure): skipped\n");
    skip();
  }
}

static dager_engine *engine_with(const char *name, const char *value) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  if (name) {
    assert_int_equal(dager_options_set_string(options, name, value), DAGER_OK);
  }
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_options_destroy(options);
  return engine;
}

static void samples_give_plausible_faces(void **state) {
  (void)state;
  /* The reference pipeline's face counts on these photos. */
  const size_t counts[7] = {0, 3, 3, 3, 4, 5, 4};
  dager_engine *engine;
  dager_session *session = NULL;

  need_models();
  engine = engine_with(NULL, NULL);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  for (int number = 1; number <= 6; number++) {
    dager_image *image = support_load_sample(samples, number);
    dager_result *result = NULL;
    int width = dager_image_width(image), height = dager_image_height(image);

    assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
    print_message("sample%d: %zu faces\n", number,
                  dager_result_face_count(result));
    assert_int_equal(dager_result_face_count(result), counts[number]);
    for (size_t i = 0; i < dager_result_face_count(result); i++) {
      dager_face face = support_face_at(result, i);
      float descriptor[DAGER_DESCRIPTOR_SIZE], other[DAGER_DESCRIPTOR_SIZE];
      float centre_x = 0.0f, centre_y = 0.0f;

      assert_true(face.score >= 0.5f && face.score <= 1.0f);
      assert_true(face.x >= 0.0f && face.y >= 0.0f && face.width > 20.0f &&
                  face.height > 20.0f);
      assert_true(face.x + face.width <= (float)width &&
                  face.y + face.height <= (float)height);
      assert_int_equal(face.has_landmarks, 1);
      assert_int_equal(face.has_attributes, 1);
      assert_true(face.age > 12.0f && face.age < 60.0f);
      /* The landmarks' centre lies in the detector box. */
      for (int p = 0; p < DAGER_LANDMARK_COUNT; p++) {
        centre_x += face.landmarks[p][0] / DAGER_LANDMARK_COUNT;
        centre_y += face.landmarks[p][1] / DAGER_LANDMARK_COUNT;
      }
      assert_true(centre_x > face.x && centre_x < face.x + face.width);
      assert_true(centre_y > face.y && centre_y < face.y + face.height);
      /* Different people in one photo have distant descriptors. */
      assert_int_equal(dager_result_descriptor(result, i, descriptor),
                       DAGER_OK);
      for (size_t j = 0; j < i; j++) {
        assert_int_equal(dager_result_descriptor(result, j, other), DAGER_OK);
        assert_true(dager_descriptor_distance(descriptor, other) > 0.4f);
      }
    }
    dager_result_destroy(result);
    dager_image_destroy(image);
  }
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

/* An engine of the default networks with "attribute_crop", "threads"
 * and, unless 0, "landmark_passes" set. */
static dager_engine *engine_of(const char *crop, int threads, int passes) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir",
                                            getenv("DAGER_MODELS_DIR")),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "attribute_crop", crop),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "threads", threads),
                   DAGER_OK);
  if (passes > 0) {
    assert_int_equal(dager_options_set_int(options, "landmark_passes", passes),
                     DAGER_OK);
  }
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_options_destroy(options);
  return engine;
}

/*
 * The landmark passes must not carry the landmarks away from a face. On
 * sample2's third face (a profile, a finger at the mouth) they once shrank
 * pass after pass onto a patch of cheek: the 68 points ended 9 pixels wide
 * with the chin above the eyes, and the aligned answers with them (age 9.6
 * against 18.5 from one pass). On every demo face, in both crops with 8
 * passes: the points span at least half the detector box's width, and the
 * chin (point 8) lies below the eyes (points 36-47).
 */
static void landmark_passes_stay_on_the_face(void **state) {
  static const char *const crops[2] = {"aligned", "box"};
  (void)state;

  need_models();
  for (int c = 0; c < 2; c++) {
    dager_engine *engine = engine_of(crops[c], 1, 8);
    dager_session *session = NULL;

    assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
    for (int number = 1; number <= 6; number++) {
      dager_image *image = support_load_sample(samples, number);
      dager_result *result = NULL;

      assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
      for (size_t i = 0; i < dager_result_face_count(result); i++) {
        dager_face face = support_face_at(result, i);
        float left = face.landmarks[0][0], right = left, eyes = 0.0f;

        for (int p = 0; p < DAGER_LANDMARK_COUNT; p++) {
          left = fminf(left, face.landmarks[p][0]);
          right = fmaxf(right, face.landmarks[p][0]);
        }
        for (int p = 36; p < 48; p++)
          eyes += face.landmarks[p][1] / 12.0f;
        if (right - left < 0.5f * face.width || face.landmarks[8][1] <= eyes) {
          fail_msg(
              "sample%d face %zu, %s crop: landmarks %.0f px wide in a "
              "%.0f px box, chin at y %.0f, eyes at %.0f",
              number, i, crops[c], (double)(right - left), (double)face.width,
              (double)face.landmarks[8][1], (double)eyes);
        }
      }
      dager_result_destroy(result);
      dager_image_destroy(image);
    }
    dager_session_destroy(session);
    dager_engine_destroy(engine);
  }
}

typedef struct attributes {
  double age;
  double female; /* probability */
  float emotions[DAGER_EMOTION_COUNT];
} attributes;

/* Age, gender and emotion of the face that image_to_crop (to a 112 x 112
 * crop) frames, run as the "aligned" attribute crop runs them but with a
 * transform of the test's choice. */
static attributes attributes_through(dager_session *session,
                                     const dager_image *image,
                                     const dager_face_affine *image_to_crop) {
  const dager_engine *engine = session->engine;
  const dager_api_network which[2] = {DAGER_API_AGE_GENDER,
                                      DAGER_API_EXPRESSION};
  attributes found;
  float probability;

  /* A session's networks share one arena (lib/api/session.c), so each
   * network's outputs are read right after its own run. */
  for (int k = 0; k < 2; k++) {
    dager_network_workspace *workspace = session->workspaces[which[k]];
    const dager_model *model = engine->models[which[k]];
    dager_tensor_shape input =
        dager_network_input_shape(engine->networks[which[k]]);
    dager_face_affine crop_to_image;

    assert_int_equal(input.w, 112);
    assert_true(dager_face_affine_invert(image_to_crop, &crop_to_image));
    dager_face_warp_normalised(
        image->pixels, (uint32_t)image->width, (uint32_t)image->height,
        (size_t)image->width * 3, &crop_to_image, 112, model->mean,
        model->divisor, dager_network_input(workspace));
    assert_int_equal(dager_network_run(engine->networks[which[k]], workspace),
                     DAGER_OK);
    if (which[k] == DAGER_API_AGE_GENDER) {
      found.age = (double)dager_network_output(workspace,
                                               (uint32_t)engine->age_output)[0];
      found.female =
          dager_face_gender(
              dager_network_output(workspace, (uint32_t)engine->gender_output),
              engine->male_index, &probability) == DAGER_GENDER_FEMALE
              ? (double)probability
              : 1.0 - (double)probability;
    } else {
      dager_face_emotions_reorder(
          dager_network_output(workspace, (uint32_t)engine->expressions_output),
          engine->emotion_map, found.emotions);
    }
  }
  return found;
}

static double worst_emotion_gap(const float *a, const float *b) {
  double worst = 0.0;

  for (int e = 0; e < DAGER_EMOTION_COUNT; e++)
    worst = fmax(worst, fabs((double)a[e] - (double)b[e]));
  return worst;
}

/* Mean absolute difference of two RGB8 crops of the same size. */
static double crop_gap(const dager_image *image_a,
                       const dager_face_affine *to_crop_a,
                       const dager_image *image_b,
                       const dager_face_affine *to_crop_b) {
  static uint8_t crop_a[112 * 112 * 3], crop_b[112 * 112 * 3];
  dager_face_affine from_a, from_b;
  double gap = 0.0;

  assert_true(dager_face_affine_invert(to_crop_a, &from_a));
  assert_true(dager_face_affine_invert(to_crop_b, &from_b));
  dager_face_warp_rgb8(image_a->pixels, (uint32_t)image_a->width,
                       (uint32_t)image_a->height, (size_t)image_a->width * 3,
                       &from_a, 112, crop_a, 336);
  dager_face_warp_rgb8(image_b->pixels, (uint32_t)image_b->width,
                       (uint32_t)image_b->height, (size_t)image_b->width * 3,
                       &from_b, 112, crop_b, 336);
  for (size_t i = 0; i < sizeof crop_a; i++)
    gap += abs((int)crop_a[i] - (int)crop_b[i]);
  return gap / (double)sizeof crop_a;
}

/*
 * At a threshold of 0 the detector keeps thousands of boxes, many of them
 * wholly in the padding below the photo. "max_faces" must count only boxes
 * that become faces: asking for N gives exactly N, the strongest, and
 * says the list was cut (it gave 911 of 1000 when the cap came before
 * those boxes were dropped).
 */
static void max_faces_counts_only_reported_faces(void **state) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_image *image;
  dager_result *capped = NULL, *all = NULL;
  (void)state;

  need_models();
  image = support_load_sample(samples, 1);
  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir",
                                            getenv("DAGER_MODELS_DIR")),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "tiling", "off"),
                   DAGER_OK);
  assert_int_equal(dager_options_set_double(options, "min_score", 0.0),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "max_faces", 100000),
                   DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_detect(session, image, &all), DAGER_OK);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  assert_true(dager_result_face_count(all) > 1000);
  assert_int_equal(dager_result_truncated(all), 0);

  assert_int_equal(dager_options_set_int(options, "max_faces", 1000), DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  assert_int_equal(dager_detect(session, image, &capped), DAGER_OK);
  assert_int_equal(dager_result_face_count(capped), 1000);
  assert_int_equal(dager_result_truncated(capped), 1);
  for (size_t i = 0; i < 1000; i++) {
    dager_face one = support_face_at(capped, i);
    dager_face two = support_face_at(all, i);

    assert_memory_equal(&one, &two, sizeof one);
  }
  dager_result_destroy(capped);
  dager_result_destroy(all);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  dager_options_destroy(options);
  dager_image_destroy(image);
}

static void turned_face_aligns_the_same(void **state) {
  (void)state;
  dager_engine *engine;
  dager_session *session = NULL;
  dager_image *photo, *upright, *turned;
  dager_result *found = NULL, *a = NULL, *b = NULL;
  static uint8_t crop_a[112 * 112 * 3], crop_b[112 * 112 * 3];
  double difference = 0.0;
  float descriptor_a[DAGER_DESCRIPTOR_SIZE],
      descriptor_b[DAGER_DESCRIPTOR_SIZE];
  const double degrees = 20.0;

  need_models();
  engine = engine_with("attribute_crop", "aligned");
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  photo = support_load_sample(samples, 3);
  assert_int_equal(dager_detect(session, photo, &found), DAGER_OK);
  dager_face first = support_face_at(found, 0);
  /* An integer centre and an even side: the upright square is a copy. */
  double centre_x = floor((double)first.x + (double)first.width / 2.0 + 0.5);
  double centre_y = floor((double)first.y + (double)first.height / 2.0 + 0.5);
  int side = 2 * (int)(1.25f * fmaxf(first.width, first.height));
  double half = side / 2.0;

  upright = support_turned_square(photo, centre_x, centre_y, side, 0.0);
  turned = support_turned_square(photo, centre_x, centre_y, side, degrees);
  assert_non_null(upright);
  assert_non_null(turned);
  assert_int_equal(dager_analyze(session, upright, &a), DAGER_OK);
  assert_int_equal(dager_analyze(session, turned, &b), DAGER_OK);
  assert_int_equal(dager_result_face_count(a), 1);
  assert_int_equal(dager_result_face_count(b), 1);
  assert_int_equal(dager_align_face(session, upright, a, 0, 112, crop_a, 336),
                   DAGER_OK);
  assert_int_equal(dager_align_face(session, turned, b, 0, 112, crop_b, 336),
                   DAGER_OK);
  for (size_t i = 0; i < sizeof crop_a; i++) {
    difference += abs((int)crop_a[i] - (int)crop_b[i]);
  }
  difference /= (double)sizeof crop_a;

  dager_face fa = support_face_at(a, 0), fb = support_face_at(b, 0);
  double female_a = fa.gender == DAGER_GENDER_FEMALE
                        ? (double)fa.gender_probability
                        : 1.0 - (double)fa.gender_probability;
  double female_b = fb.gender == DAGER_GENDER_FEMALE
                        ? (double)fb.gender_probability
                        : 1.0 - (double)fb.gender_probability;
  double worst_emotion = worst_emotion_gap(fa.emotions, fb.emotions);
  assert_int_equal(dager_result_descriptor(a, 0, descriptor_a), DAGER_OK);
  assert_int_equal(dager_result_descriptor(b, 0, descriptor_b), DAGER_OK);

  /* The same with the upright face's alignment carried over to the turned
   * image through the known turn, so that only the warp's resampling
   * differs, not the landmarks the alignment is fitted to. */
  double angle = degrees * 3.14159265358979323846 / 180.0;
  double c = cos(angle), s = sin(angle);
  dager_face_affine turned_to_upright = {
      {c, s, half - c * half - s * half, -s, c, half + s * half - c * half}};
  dager_face_affine upright_to_crop, turned_to_crop, landmark_turned_to_crop;
  assert_true(dager_face_alignment_transform(&fa.landmarks[0][0], 112,
                                             &upright_to_crop));
  assert_true(dager_face_alignment_transform(&fb.landmarks[0][0], 112,
                                             &landmark_turned_to_crop));
  const double *p = upright_to_crop.m, *q = turned_to_upright.m;
  for (int row = 0; row < 2; row++) {
    const double *r = p + 3 * row;
    turned_to_crop.m[3 * row] = r[0] * q[0] + r[1] * q[3];
    turned_to_crop.m[3 * row + 1] = r[0] * q[1] + r[1] * q[4];
    turned_to_crop.m[3 * row + 2] = r[0] * q[2] + r[1] * q[5] + r[2];
  }
  attributes carried_a = attributes_through(session, upright, &upright_to_crop);
  attributes carried_b = attributes_through(session, turned, &turned_to_crop);
  double carried_difference =
      crop_gap(upright, &upright_to_crop, turned, &turned_to_crop);
  double carried_emotion =
      worst_emotion_gap(carried_a.emotions, carried_b.emotions);
  /* How far the turned face's own alignment puts the crop: the mean
   * distance (crop pixels) between where the two transforms send the
   * same point of the face, over the crop. */
  dager_face_affine crop_to_turned;
  double shift = 0.0;
  assert_true(dager_face_affine_invert(&turned_to_crop, &crop_to_turned));
  for (int v = 0; v < 112; v += 4) {
    for (int u = 0; u < 112; u += 4) {
      const double *t = crop_to_turned.m, *l = landmark_turned_to_crop.m;
      double x = t[0] * (u + 0.5) + t[1] * (v + 0.5) + t[2];
      double y = t[3] * (u + 0.5) + t[4] * (v + 0.5) + t[5];
      shift += hypot(l[0] * x + l[1] * y + l[2] - (u + 0.5),
                     l[3] * x + l[4] * y + l[5] - (v + 0.5));
    }
  }
  shift /= 28.0 * 28.0;

  print_message(
      "turned by 20 degrees, sample3 face 0, attribute crop aligned:\n"
      "  end to end: aligned crops differ by %.2f levels on average; age "
      "%.2f vs %.2f (%.2f apart), female probability %.4f vs %.4f (%.4f "
      "apart), emotions within %.4f, %s vs %s, descriptor cosine %.4f; the "
      "turned face's landmarks move its crop by %.2f crop pixels\n"
      "  upright face's alignment carried over (resampling only): crops "
      "differ by %.2f levels; age %.2f vs %.2f (%.3f apart), female "
      "probability %.4f apart, emotions within %.4f\n",
      difference, (double)fa.age, (double)fb.age,
      fabs((double)fa.age - (double)fb.age), female_a, female_b,
      fabs(female_a - female_b), worst_emotion,
      dager_emotion_name(fa.dominant_emotion),
      dager_emotion_name(fb.dominant_emotion),
      (double)dager_descriptor_similarity(descriptor_a, descriptor_b), shift,
      carried_difference, carried_a.age, carried_b.age,
      fabs(carried_a.age - carried_b.age),
      fabs(carried_a.female - carried_b.female), carried_emotion);

  /* Resampling alone meets issue 5's tolerances (0.5 years, 0.01). */
  assert_true(carried_difference < 0.5);
  assert_true(fabs(carried_a.age - carried_b.age) <= 0.5);
  assert_true(fabs(carried_a.female - carried_b.female) <= 0.01);
  assert_true(carried_emotion <= 0.01);
  /* End to end, each face aligned by its own landmarks: the landmark
   * passes on the upright crop place both crops within a few hundredths
   * of a pixel, and the averaged views keep the answers within issue 5's
   * tolerances (measured: crops 0.12 levels, 0.01 crop pixels, age 0.05
   * years, female probability 0.0003, emotions 0.0071; docs/parity.md,
   * "Rotated faces"). */
  assert_true(difference < 0.5);
  assert_true(shift < 0.1);
  assert_true(fabs((double)fa.age - (double)fb.age) <= 0.5);
  assert_int_equal(fa.gender, fb.gender);
  assert_true(fabs(female_a - female_b) <= 0.01);
  assert_true(worst_emotion <= 0.01);

  dager_result_destroy(found);
  dager_result_destroy(a);
  dager_result_destroy(b);
  dager_image_destroy(photo);
  dager_image_destroy(upright);
  dager_image_destroy(turned);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

/*
 * Every demo face, turned by +20 and by -20 degrees, in aligned mode: the
 * same measurement as bench/pipeline/bench_rotation prints. The cases
 * outside the tolerances are a face whose landmark passes settle on two
 * different placements (sample1's second face) and emotions a little past
 * 0.01 (see docs/parity.md, "Rotated faces").
 */
static void turned_demo_faces_agree(void **state) {
  dager_engine *engine;
  dager_session *session = NULL;
  int cases = 0, found = 0, within = 0;
  double age = 0.0, female = 0.0, emotion = 0.0;
  (void)state;

#if defined(__SANITIZE_THREAD__)
  /* One thread throughout, and minutes under ThreadSanitizer. */
  print_message("single-threaded; not run under ThreadSanitizer\n");
  skip();
#endif
  need_models();
  engine = engine_with("attribute_crop", "aligned");
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  for (int number = 1; number <= 6; number++) {
    dager_image *photo = support_load_sample(samples, number);
    dager_result *faces = NULL;

    assert_int_equal(dager_detect(session, photo, &faces), DAGER_OK);
    for (size_t i = 0; i < dager_result_face_count(faces); i++) {
      dager_face face = support_face_at(faces, i);
      support_turn_gaps turns[2];

      assert_int_equal(support_turn_face(session, photo, &face, 20.0, turns),
                       DAGER_OK);
      for (int turn = 0; turn < 2; turn++) {
        cases++;
        if (turns[turn].outcome != SUPPORT_TURN_MEASURED)
          continue;
        found++;
        within += support_turn_within(&turns[turn]);
        age += turns[turn].age;
        female += turns[turn].female;
        emotion += turns[turn].emotion;
      }
    }
    dager_result_destroy(faces);
    dager_image_destroy(photo);
  }
  print_message(
      "demo faces turned by +-20 degrees: %d cases, %d found, %d "
      "within all tolerances; mean gaps: age %.3f years, female "
      "probability %.4f, emotions %.4f\n",
      cases, found, within, age / found, female / found, emotion / found);
  assert_int_equal(cases, 44);
  assert_true(found >= TURNED_CASES_FOUND);
  assert_true(within >= TURNED_CASES_WITHIN);
  assert_true(age / found <= SUPPORT_TURN_AGE_TOLERANCE);
  assert_true(female / found <= SUPPORT_TURN_FEMALE_TOLERANCE);
  assert_true(emotion / found <= SUPPORT_TURN_EMOTION_TOLERANCE);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

static void tiny_networks_find_the_faces(void **state) {
  (void)state;
  dager_engine *engine;
  dager_options *options = NULL;
  dager_session *session = NULL;
  dager_image *photo;
  dager_result *result = NULL;

  need_models();
  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "detector", "tiny"),
                   DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "landmarks", "tiny"),
                   DAGER_OK);
  assert_int_equal(dager_engine_create(options, &engine), DAGER_OK);
  dager_options_destroy(options);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  photo = support_load_sample(samples, 1);
  assert_int_equal(dager_analyze(session, photo, &result), DAGER_OK);
  print_message("tiny detector on sample1: %zu faces\n",
                dager_result_face_count(result));
  assert_int_equal(dager_result_face_count(result), 3);
  for (size_t i = 0; i < 3; i++) {
    dager_face face = support_face_at(result, i);
    assert_int_equal(face.has_landmarks, 1);
    assert_true(face.landmarks[30][0] > face.x &&
                face.landmarks[30][0] < face.x + face.width);
  }
  dager_result_destroy(result);
  dager_image_destroy(photo);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

typedef struct job {
  const dager_engine *engine;
  dager_image *const *images;
  dager_result *const *expected;
  int mismatches;
} job;

static int same_result(const dager_result *a, const dager_result *b) {
  if (dager_result_face_count(a) != dager_result_face_count(b))
    return 0;
  for (size_t i = 0; i < dager_result_face_count(a); i++) {
    dager_face fa, fb;
    float da[DAGER_DESCRIPTOR_SIZE], db[DAGER_DESCRIPTOR_SIZE];

    memset(&fa, 0, sizeof fa);
    memset(&fb, 0, sizeof fb);
    fa.struct_size = fb.struct_size = sizeof fa;
    if (dager_result_face(a, i, &fa) != DAGER_OK ||
        dager_result_face(b, i, &fb) != DAGER_OK ||
        memcmp(&fa, &fb, sizeof fa) != 0 ||
        dager_result_descriptor(a, i, da) != DAGER_OK ||
        dager_result_descriptor(b, i, db) != DAGER_OK ||
        memcmp(da, db, sizeof da) != 0) {
      return 0;
    }
  }
  return 1;
}

static void *run_job(void *argument) {
  job *work = argument;
  dager_session *session = NULL;

  if (dager_session_create(work->engine, &session) != DAGER_OK) {
    work->mismatches++;
    return NULL;
  }
  for (int i = 0; i < 2; i++) {
    dager_result *result = NULL;

    if (dager_analyze(session, work->images[i], &result) != DAGER_OK ||
        !same_result(result, work->expected[i])) {
      work->mismatches++;
    }
    dager_result_destroy(result);
  }
  dager_session_destroy(session);
  return NULL;
}

static void eight_threads_match_one_on_photos(void **state) {
  (void)state;
  dager_engine *engine;
  dager_session *session = NULL;
  dager_image *images[2];
  dager_result *expected[2];
  pthread_t threads[8];
  job jobs[8];

  need_models();
  engine = engine_with(NULL, NULL);
  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  images[0] = support_load_sample(samples, 2);
  images[1] = support_load_sample(samples, 5);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(dager_analyze(session, images[i], &expected[i]), DAGER_OK);
  }
  for (int t = 0; t < 8; t++) {
    jobs[t].engine = engine;
    jobs[t].images = images;
    jobs[t].expected = expected;
    jobs[t].mismatches = 0;
    assert_int_equal(pthread_create(&threads[t], NULL, run_job, &jobs[t]), 0);
  }
  for (int t = 0; t < 8; t++) {
    pthread_join(threads[t], NULL);
    assert_int_equal(jobs[t].mismatches, 0);
  }
  for (int i = 0; i < 2; i++) {
    dager_result_destroy(expected[i]);
    dager_image_destroy(images[i]);
  }
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

/*
 * With worker threads a session analyses the faces of a photo side by side
 * (and splits the detector's rows): every demo photo, both crops, must give
 * exactly what one thread gives.
 */
static void worker_threads_give_the_same_faces(void **state) {
  static const char *const crops[2] = {"box", "aligned"};
  (void)state;

  need_models();
  for (int c = 0; c < 2; c++) {
    dager_engine *engines[3];
    dager_session *sessions[3];

    for (int e = 0; e < 3; e++) {
      engines[e] = engine_of(crops[c], e + 1, 0);
      assert_int_equal(dager_session_create(engines[e], &sessions[e]),
                       DAGER_OK);
    }
    for (int number = 1; number <= 6; number++) {
      dager_image *image = support_load_sample(samples, number);
      dager_result *one = NULL;

      assert_int_equal(dager_analyze(sessions[0], image, &one), DAGER_OK);
      assert_true(dager_result_face_count(one) >= 3);
      for (int e = 1; e < 3; e++) {
        dager_result *more = NULL;

        assert_int_equal(dager_analyze(sessions[e], image, &more), DAGER_OK);
        if (!same_result(one, more)) {
          fail_msg("sample%d, %s crop: %d threads differ from one", number,
                   crops[c], e + 1);
        }
        dager_result_destroy(more);
      }
      dager_result_destroy(one);
      dager_image_destroy(image);
    }
    for (int e = 0; e < 3; e++) {
      dager_session_destroy(sessions[e]);
      dager_engine_destroy(engines[e]);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(samples_give_plausible_faces),
      cmocka_unit_test(max_faces_counts_only_reported_faces),
      cmocka_unit_test(landmark_passes_stay_on_the_face),
      cmocka_unit_test(turned_face_aligns_the_same),
      cmocka_unit_test(turned_demo_faces_agree),
      cmocka_unit_test(tiny_networks_find_the_faces),
      cmocka_unit_test(eight_threads_match_one_on_photos),
      cmocka_unit_test(worker_threads_give_the_same_faces),
  };
  int failures = cmocka_run_group_tests(tests, setup, NULL);

  return failures == 0 && !available ? 77 : failures;
}
