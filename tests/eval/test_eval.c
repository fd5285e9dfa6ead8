/*
 * dager-eval's arithmetic and readers, on labels and predictions made here,
 * so every expected number can be worked out by hand. No network runs.
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

#include "eval_dataset.h"
#include "eval_metrics.h"
#include "eval_report.h"

#define NEAR 1e-9

/* ---- Metrics ---- */

static void age_mae_bands_and_cumulative_score(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);
  /* truth, predicted: errors 2, 6, 5, 0, 10, 1, 3 */
  const float pairs[][2] = {{5, 7},   {12, 18}, {13, 8}, {25, 25},
                            {45, 35}, {60, 61}, {90, 87}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    eval_metrics_add_age(&metrics, pairs[i][0], pairs[i][1]);
  }
  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_int_equal(metrics.age_count, 7);
  assert_true(fabs(summary.age_mae - 27.0 / 7.0) < NEAR);
  /* within 5 years: 2, 5, 0, 1, 3 */
  assert_true(fabs(summary.age_cs - 5.0 / 7.0) < NEAR);
  /* bands: 0-12 {2, 6}, 13-19 {5}, 20-39 {0}, 40-59 {10}, 60+ {1, 3} */
  assert_int_equal(metrics.band_count[0], 2);
  assert_int_equal(metrics.band_count[1], 1);
  assert_int_equal(metrics.band_count[2], 1);
  assert_int_equal(metrics.band_count[3], 1);
  assert_int_equal(metrics.band_count[4], 2);
  assert_true(fabs(summary.band_mae[0] - 4.0) < NEAR);
  assert_true(fabs(summary.band_mae[1] - 5.0) < NEAR);
  assert_true(fabs(summary.band_mae[2] - 0.0) < NEAR);
  assert_true(fabs(summary.band_mae[3] - 10.0) < NEAR);
  assert_true(fabs(summary.band_mae[4] - 2.0) < NEAR);
  eval_metrics_free(&metrics);
}

static void age_band_edges(void **state) {
  (void)state;
  assert_int_equal(eval_age_band(0), 0);
  assert_int_equal(eval_age_band(12), 0);
  assert_int_equal(eval_age_band(12.5f), 0);
  assert_int_equal(eval_age_band(13), 1);
  assert_int_equal(eval_age_band(19), 1);
  assert_int_equal(eval_age_band(20), 2);
  assert_int_equal(eval_age_band(39), 2);
  assert_int_equal(eval_age_band(40), 3);
  assert_int_equal(eval_age_band(59), 3);
  assert_int_equal(eval_age_band(60), 4);
  assert_int_equal(eval_age_band(116), 4);
}

static void empty_metrics_are_missing_not_zero(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);
  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_true(summary.age_mae < 0);
  assert_true(summary.gender_accuracy < 0);
  assert_true(summary.emotion_accuracy < 0);
  assert_true(summary.nme_mean < 0);
  assert_true(summary.detection_rate < 0);
  for (int c = 0; c < DAGER_EMOTION_COUNT; c++) {
    assert_true(summary.emotion_recall[c] < 0);
  }
  eval_metrics_free(&metrics);
}

static void gender_accuracy(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);
  eval_metrics_add_gender(&metrics, DAGER_GENDER_MALE, DAGER_GENDER_MALE);
  eval_metrics_add_gender(&metrics, DAGER_GENDER_MALE, DAGER_GENDER_FEMALE);
  eval_metrics_add_gender(&metrics, DAGER_GENDER_FEMALE, DAGER_GENDER_FEMALE);
  eval_metrics_add_gender(&metrics, DAGER_GENDER_FEMALE, DAGER_GENDER_UNKNOWN);
  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_int_equal(metrics.gender_count, 4);
  assert_true(fabs(summary.gender_accuracy - 0.5) < NEAR);
  eval_metrics_free(&metrics);
}

static void emotion_confusion_accuracy_and_recall(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);
  /* angry: 3 right, 1 called sad; happy: 2 right; surprised: 1 called
   * fearful; no disgusted, fearful, neutral or sad labels. */
  for (int i = 0; i < 3; i++) {
    eval_metrics_add_emotion(&metrics, DAGER_EMOTION_ANGRY,
                             DAGER_EMOTION_ANGRY);
  }
  eval_metrics_add_emotion(&metrics, DAGER_EMOTION_ANGRY, DAGER_EMOTION_SAD);
  eval_metrics_add_emotion(&metrics, DAGER_EMOTION_HAPPY, DAGER_EMOTION_HAPPY);
  eval_metrics_add_emotion(&metrics, DAGER_EMOTION_HAPPY, DAGER_EMOTION_HAPPY);
  eval_metrics_add_emotion(&metrics, DAGER_EMOTION_SURPRISED,
                           DAGER_EMOTION_FEARFUL);
  /* Out-of-range values are not counted anywhere. */
  eval_metrics_add_emotion(&metrics, (dager_emotion)7, DAGER_EMOTION_HAPPY);
  eval_metrics_add_emotion(&metrics, DAGER_EMOTION_HAPPY, (dager_emotion)-1);

  assert_int_equal(metrics.confusion[DAGER_EMOTION_ANGRY][DAGER_EMOTION_ANGRY],
                   3);
  assert_int_equal(metrics.confusion[DAGER_EMOTION_ANGRY][DAGER_EMOTION_SAD],
                   1);
  assert_int_equal(
      metrics.confusion[DAGER_EMOTION_SURPRISED][DAGER_EMOTION_FEARFUL], 1);
  assert_int_equal(metrics.confusion[DAGER_EMOTION_SAD][DAGER_EMOTION_ANGRY],
                   0);
  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_int_equal(summary.emotion_count, 7);
  assert_true(fabs(summary.emotion_accuracy - 5.0 / 7.0) < NEAR);
  assert_true(fabs(summary.emotion_recall[DAGER_EMOTION_ANGRY] - 0.75) < NEAR);
  assert_true(fabs(summary.emotion_recall[DAGER_EMOTION_HAPPY] - 1.0) < NEAR);
  assert_true(fabs(summary.emotion_recall[DAGER_EMOTION_SURPRISED]) < NEAR);
  assert_true(summary.emotion_recall[DAGER_EMOTION_SAD] < 0);
  assert_true(summary.emotion_recall[DAGER_EMOTION_DISGUSTED] < 0);
  eval_metrics_free(&metrics);
}

/* A face whose outer eye corners (36, 45) are distance apart on a line,
 * every other point somewhere off it. */
static void make_landmarks(float points[DAGER_LANDMARK_COUNT][2], float left,
                           float top, float distance) {
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    points[i][0] = left + (float)(i % 10) * distance / 9.0f;
    points[i][1] = top + (float)(i / 10) * distance / 6.0f;
  }
  points[36][0] = left;
  points[36][1] = top + 0.3f * distance;
  points[45][0] = left + distance;
  points[45][1] = top + 0.3f * distance;
}

static void landmark_error_normalised_by_outer_eye_corners(void **state) {
  (void)state;
  float truth[DAGER_LANDMARK_COUNT][2];
  float predicted[DAGER_LANDMARK_COUNT][2];
  make_landmarks(truth, 100, 50, 100);
  /* Every point 5 pixels off (a 3-4-5 shift): 5 / 100. */
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    predicted[i][0] = truth[i][0] + 3;
    predicted[i][1] = truth[i][1] - 4;
  }
  assert_true(fabs(eval_landmark_error(&truth[0][0], &predicted[0][0]) - 0.05) <
              1e-6);
  /* One point 68 pixels off, the others exact: mean 1 pixel, 1 %. */
  memcpy(predicted, truth, sizeof predicted);
  predicted[30][0] += 68;
  assert_true(fabs(eval_landmark_error(&truth[0][0], &predicted[0][0]) - 0.01) <
              1e-6);

  eval_metrics metrics;
  eval_metrics_init(&metrics);
  /* Errors 1 %, 5 %, 10 %, 20 %: mean 9 %, median 7.5 %, 2 of 4 above 8 %. */
  const float shifts[] = {1, 5, 10, 20};
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
      predicted[i][0] = truth[i][0];
      predicted[i][1] = truth[i][1] + shifts[k];
    }
    assert_int_equal(
        eval_metrics_add_landmarks(&metrics, &truth[0][0], &predicted[0][0]),
        0);
  }
  /* Coinciding eye corners cannot normalise anything. */
  float degenerate[DAGER_LANDMARK_COUNT][2];
  memcpy(degenerate, truth, sizeof degenerate);
  degenerate[45][0] = degenerate[36][0];
  degenerate[45][1] = degenerate[36][1];
  assert_true(eval_landmark_error(&degenerate[0][0], &predicted[0][0]) < 0);
  assert_int_equal(
      eval_metrics_add_landmarks(&metrics, &degenerate[0][0], &predicted[0][0]),
      -1);
  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_int_equal(metrics.nme_count, 4);
  assert_int_equal(metrics.nme_unusable, 1);
  assert_true(fabs(summary.nme_mean - 0.09) < 1e-6);
  assert_true(fabs(summary.nme_median - 0.075) < 1e-6);
  assert_true(fabs(summary.nme_failure_rate - 0.5) < NEAR);
  /* An odd count takes the middle value. */
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    predicted[i][1] = truth[i][1] + 2;
  }
  eval_metrics_add_landmarks(&metrics, &truth[0][0], &predicted[0][0]);
  eval_metrics_summarize(&metrics, &summary);
  assert_true(fabs(summary.nme_median - 0.05) < 1e-6);
  eval_metrics_free(&metrics);
}

static void box_overlap(void **state) {
  (void)state;
  const float a[4] = {0, 0, 10, 10};
  const float b[4] = {5, 0, 10, 10};
  const float c[4] = {20, 20, 5, 5};
  assert_true(fabs(eval_box_iou(a, a) - 1.0) < NEAR);
  assert_true(fabs(eval_box_iou(a, b) - 50.0 / 150.0) < NEAR);
  assert_true(eval_box_iou(a, c) == 0.0);
}

static eval_prediction predicted_box(float x, float y, float width,
                                     float height) {
  eval_prediction prediction;
  memset(&prediction, 0, sizeof prediction);
  prediction.box[0] = x;
  prediction.box[1] = y;
  prediction.box[2] = width;
  prediction.box[3] = height;
  return prediction;
}

static void matching_by_centre_and_overlap(void **state) {
  (void)state;
  eval_face_label faces[2];
  memset(faces, 0, sizeof faces);
  faces[0].has_box = 1;
  faces[0].box[0] = 100;
  faces[0].box[1] = 100;
  faces[0].box[2] = 50;
  faces[0].box[3] = 50;
  faces[1].has_box = 1;
  faces[1].box[0] = 300;
  faces[1].box[1] = 100;
  faces[1].box[2] = 50;
  faces[1].box[3] = 50;
  eval_prediction predictions[4] = {
      predicted_box(500, 500, 40, 40), /* far from both */
      predicted_box(90, 95, 80, 80),   /* centre inside face 0, loose */
      predicted_box(98, 96, 55, 58),   /* centre inside face 0, tight */
      predicted_box(280, 60, 60, 60),  /* centre (310, 90) above face 1 */
  };
  long match[2];
  assert_int_equal(eval_match_faces(faces, 2, predictions, 4, match), 1);
  assert_int_equal(match[0], 2);
  assert_int_equal(match[1], -1);

  /* Faces without a box take the strongest free prediction. */
  eval_face_label loose[2];
  memset(loose, 0, sizeof loose);
  assert_int_equal(eval_match_faces(loose, 2, predictions, 4, match), 2);
  assert_int_equal(match[0], 0);
  assert_int_equal(match[1], 1);
  assert_int_equal(eval_match_faces(loose, 2, predictions, 0, match), 0);
  assert_int_equal(match[0], -1);
}

static void image_scoring_with_a_fake_predictor(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);

  /* Image 1: one face, age 30 male happy, predicted 34 male happy, plus a
   * second detection that matches nothing. */
  eval_face_label face;
  memset(&face, 0, sizeof face);
  face.has_age = 1;
  face.age = 30;
  face.has_gender = 1;
  face.gender = DAGER_GENDER_MALE;
  face.has_emotion = 1;
  face.emotion = DAGER_EMOTION_HAPPY;
  char name[] = "one.jpg";
  eval_sample sample = {name, 1, &face};
  eval_prediction found[2] = {predicted_box(0, 0, 10, 10),
                              predicted_box(20, 0, 10, 10)};
  found[0].has_attributes = 1;
  found[0].age = 34;
  found[0].gender = DAGER_GENDER_MALE;
  found[0].emotion = DAGER_EMOTION_HAPPY;
  assert_int_equal(eval_metrics_add_image(&metrics, &sample, found, 2), 0);

  /* Image 2: no face found. */
  assert_int_equal(eval_metrics_add_image(&metrics, &sample, NULL, 0), 0);

  /* Image 3: found, but without attributes (networks not loaded): counts
   * as found, adds no attribute numbers. */
  found[1].has_attributes = 0;
  assert_int_equal(eval_metrics_add_image(&metrics, &sample, &found[1], 1), 0);

  /* Image 4: a face with landmarks, predicted 10 % off. */
  eval_face_label marked;
  memset(&marked, 0, sizeof marked);
  make_landmarks(marked.landmarks, 10, 10, 50);
  marked.has_landmarks = 1;
  eval_label_box_from_landmarks(&marked);
  eval_prediction near = predicted_box(8, 5, 55, 60);
  near.has_landmarks = 1;
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    near.landmarks[i][0] = marked.landmarks[i][0] + 5;
    near.landmarks[i][1] = marked.landmarks[i][1];
  }
  char marked_name[] = "marked.jpg";
  eval_sample marked_sample = {marked_name, 1, &marked};
  assert_int_equal(eval_metrics_add_image(&metrics, &marked_sample, &near, 1),
                   0);
  eval_metrics_add_failure(&metrics);

  eval_summary summary;
  eval_metrics_summarize(&metrics, &summary);
  assert_int_equal(metrics.images, 4);
  assert_int_equal(metrics.images_failed, 1);
  assert_int_equal(metrics.images_no_face, 1);
  assert_int_equal(metrics.faces_labelled, 4);
  assert_int_equal(metrics.faces_found, 3);
  assert_int_equal(metrics.extra_detections, 1);
  assert_true(fabs(summary.detection_rate - 0.75) < NEAR);
  assert_int_equal(metrics.age_count, 1);
  assert_true(fabs(summary.age_mae - 4.0) < NEAR);
  assert_true(fabs(summary.age_cs - 1.0) < NEAR);
  assert_true(fabs(summary.gender_accuracy - 1.0) < NEAR);
  assert_int_equal(summary.emotion_count, 1);
  assert_int_equal(metrics.nme_count, 1);
  assert_true(fabs(summary.nme_mean - 0.1) < 1e-6);
  eval_metrics_free(&metrics);
}

/* ---- Name parsers ---- */

static void utkface_names(void **state) {
  (void)state;
  eval_face_label label;
  assert_int_equal(eval_parse_utkface_name(
                       "/x/y/26_1_2_20170116174525125.jpg.chip.jpg", &label),
                   0);
  assert_true(label.has_age && label.age == 26.0f);
  assert_true(label.has_gender && label.gender == DAGER_GENDER_FEMALE);
  assert_false(label.has_emotion || label.has_landmarks || label.has_box);
  assert_int_equal(
      eval_parse_utkface_name("1_0_0_20161219140623097.jpg", &label), 0);
  assert_true(label.age == 1.0f && label.gender == DAGER_GENDER_MALE);
  assert_int_equal(eval_parse_utkface_name("116_0_4_2017.jpg", &label), 0);
  assert_true(label.age == 116.0f);
  /* UTKFace's own malformed names: a field is missing. */
  assert_int_equal(
      eval_parse_utkface_name("61_1_20170109142408075.jpg.chip.jpg", &label),
      -1);
  assert_int_equal(
      eval_parse_utkface_name("39_1_20170116174525125.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("20_2_0_2017.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("20_0_5_2017.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("x_0_0_2017.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("200_0_0_2017.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("20_0_0.jpg", &label), -1);
  assert_int_equal(eval_parse_utkface_name("", &label), -1);
}

static void jaffe_names(void **state) {
  (void)state;
  static const struct {
    const char *name;
    dager_emotion emotion;
  } good[] = {
      {"KA.AN1.39.png", DAGER_EMOTION_ANGRY},
      {"dir/KL.DI2.42.tiff", DAGER_EMOTION_DISGUSTED},
      {"KM.FE3.55.png", DAGER_EMOTION_FEARFUL},
      {"NA.HA1.202.png", DAGER_EMOTION_HAPPY},
      {"TM.NE2.178.png", DAGER_EMOTION_NEUTRAL},
      {"UY.SA1.141.png", DAGER_EMOTION_SAD},
      {"YM.SU3.60.png", DAGER_EMOTION_SURPRISED},
  };
  eval_face_label label;
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    assert_int_equal(eval_parse_jaffe_name(good[i].name, &label), 0);
    assert_true(label.has_emotion);
    assert_int_equal(label.emotion, good[i].emotion);
    assert_false(label.has_age);
  }
  assert_int_equal(eval_parse_jaffe_name("KA.XX1.39.png", &label), -1);
  assert_int_equal(eval_parse_jaffe_name("KA.AN.39.png", &label), -1);
  assert_int_equal(eval_parse_jaffe_name("KAAN1.png", &label), -1);
  assert_int_equal(eval_parse_jaffe_name(".AN1.png", &label), -1);
  assert_int_equal(eval_parse_jaffe_name("KA.A", &label), -1);
}

static void emotion_and_gender_names(void **state) {
  (void)state;
  dager_emotion emotion;
  assert_int_equal(eval_parse_emotion_name("disgust", &emotion), 0);
  assert_int_equal(emotion, DAGER_EMOTION_DISGUSTED);
  assert_int_equal(eval_parse_emotion_name("Fear", &emotion), 0);
  assert_int_equal(emotion, DAGER_EMOTION_FEARFUL);
  assert_int_equal(eval_parse_emotion_name("SURPRISE", &emotion), 0);
  assert_int_equal(emotion, DAGER_EMOTION_SURPRISED);
  assert_int_equal(eval_parse_emotion_name("surprised", &emotion), 0);
  assert_int_equal(emotion, DAGER_EMOTION_SURPRISED);
  assert_int_equal(eval_parse_emotion_name("neutral", &emotion), 0);
  assert_int_equal(emotion, DAGER_EMOTION_NEUTRAL);
  assert_int_equal(eval_parse_emotion_name("contempt", &emotion), -1);
  assert_int_equal(eval_parse_emotion_name("", &emotion), -1);
  assert_int_equal(eval_parse_emotion_name("happyx", &emotion), -1);
  for (int c = 0; c < DAGER_EMOTION_COUNT; c++) {
    assert_int_equal(eval_parse_emotion_name(eval_emotion_name(c), &emotion),
                     0);
    assert_int_equal(emotion, c);
  }
  dager_gender gender;
  assert_int_equal(eval_parse_gender_name("Female", &gender), 0);
  assert_int_equal(gender, DAGER_GENDER_FEMALE);
  assert_int_equal(eval_parse_gender_name("m", &gender), 0);
  assert_int_equal(gender, DAGER_GENDER_MALE);
  assert_int_equal(eval_parse_gender_name("0", &gender), -1);
  assert_int_equal(eval_parse_gender_name("1", &gender), -1);
  assert_int_equal(eval_parse_gender_name("", &gender), -1);
}

static void numbers(void **state) {
  (void)state;
  float out[4];
  assert_int_equal(eval_parse_numbers("1 2.5;-3,4e1", out, 4), 4);
  assert_true(out[1] == 2.5f && out[2] == -3.0f && out[3] == 40.0f);
  assert_int_equal(eval_parse_numbers("  ", out, 4), 0);
  assert_int_equal(eval_parse_numbers("1 2 3 4 5", out, 4), -1);
  assert_int_equal(eval_parse_numbers("1 x", out, 4), -1);
  assert_int_equal(eval_parse_numbers("1x", out, 4), -1);
  assert_int_equal(eval_parse_numbers("nan", out, 4), -1);
  assert_int_equal(eval_parse_numbers("1e999", out, 4), -1);
}

/* ---- .pts ---- */

/* 68 lines "x y" with x = i, y = 2 i + 0.5, into text. */
static void write_points(char *text, size_t size, int count,
                         const char *line_end) {
  size_t used = strlen(text);
  for (int i = 0; i < count; i++) {
    used += (size_t)snprintf(text + used, size - used, "%d.25 %g%s", i,
                             2.0 * i + 0.5, line_end);
  }
}

static int parse_pts_text(const char *text, float points[68][2]) {
  char error[128];
  return eval_parse_pts(text, strlen(text), points, error, sizeof error);
}

static void pts_files(void **state) {
  (void)state;
  char text[8192];
  float points[68][2];

  strcpy(text, "version: 1\nn_points:  68\n{\n");
  write_points(text, sizeof text, 68, "\n");
  strcat(text, "}\n");
  assert_int_equal(parse_pts_text(text, points), 0);
  assert_true(points[0][0] == 0.25f && points[0][1] == 0.5f);
  assert_true(points[67][0] == 67.25f && points[67][1] == 134.5f);

  /* Headerless, CRLF, blank lines around. */
  strcpy(text, "\r\n");
  write_points(text, sizeof text, 68, "\r\n");
  strcat(text, "\r\n\r\n");
  assert_int_equal(parse_pts_text(text, points), 0);
  assert_true(points[36][0] == 36.25f && points[36][1] == 72.5f);

  /* No newline after the last point. */
  text[0] = '\0';
  write_points(text, sizeof text, 68, "\n");
  text[strlen(text) - 1] = '\0';
  assert_int_equal(parse_pts_text(text, points), 0);

  text[0] = '\0';
  write_points(text, sizeof text, 67, "\n");
  assert_int_equal(parse_pts_text(text, points), -1);
  text[0] = '\0';
  write_points(text, sizeof text, 69, "\n");
  assert_int_equal(parse_pts_text(text, points), -1);

  strcpy(text, "version: 1\nn_points: 5\n{\n");
  write_points(text, sizeof text, 68, "\n");
  strcat(text, "}\n");
  assert_int_equal(parse_pts_text(text, points), -1);

  strcpy(text, "version: 1\nn_points: 68\n{\n");
  write_points(text, sizeof text, 68, "\n");
  assert_int_equal(parse_pts_text(text, points), -1); /* never closed */
  strcat(text, "}\n1 2\n");
  assert_int_equal(parse_pts_text(text, points), -1); /* after '}' */

  strcpy(text, "version: 1\nn_points: 68\n");
  write_points(text, sizeof text, 68, "\n");
  assert_int_equal(parse_pts_text(text, points), -1); /* no braces */

  text[0] = '\0';
  write_points(text, sizeof text, 68, "\n");
  memcpy(strstr(text, "10.25"), "1O.25", 5);
  assert_int_equal(parse_pts_text(text, points), -1);
  text[0] = '\0';
  write_points(text, sizeof text, 68, "\n");
  memcpy(strstr(text, "10.25 20.5"), "10.25 20 5", 10);
  assert_int_equal(parse_pts_text(text, points), -1); /* three numbers */
  assert_int_equal(parse_pts_text("", points), -1);
  assert_int_equal(parse_pts_text("}\n", points), -1);
}

/* ---- CSV ---- */

typedef struct csv_capture {
  size_t records;
  char rows[8][4][64];
  size_t counts[8];
  size_t lines[8];
} csv_capture;

static int capture_record(void *user, size_t line, char **fields,
                          size_t field_count) {
  csv_capture *capture = user;
  if (capture->records < 8) {
    capture->counts[capture->records] = field_count;
    capture->lines[capture->records] = line;
    for (size_t f = 0; f < field_count && f < 4; f++) {
      snprintf(capture->rows[capture->records][f], 64, "%s", fields[f]);
    }
  }
  capture->records++;
  return 0;
}

static int parse_csv_text(const char *text, csv_capture *capture) {
  memset(capture, 0, sizeof *capture);
  char error[128];
  return eval_csv_parse(text, strlen(text), capture_record, capture, error,
                        sizeof error);
}

static void csv_quotes_and_line_ends(void **state) {
  (void)state;
  csv_capture capture;
  const char *text =
      "path,emotion,box\r\n"
      "\"a, b.jpg\",happy,\"1 2 3 4\"\r\n"
      "\"say \"\"hi\"\".png\",,\n"
      "\n"
      "\"two\nlines.jpg\",sad,\n"
      "last.jpg,\"\",x";
  assert_int_equal(parse_csv_text(text, &capture), 0);
  assert_int_equal(capture.records, 5);
  assert_int_equal(capture.counts[0], 3);
  assert_string_equal(capture.rows[1][0], "a, b.jpg");
  assert_string_equal(capture.rows[1][1], "happy");
  assert_string_equal(capture.rows[1][2], "1 2 3 4");
  assert_string_equal(capture.rows[2][0], "say \"hi\".png");
  assert_string_equal(capture.rows[2][1], "");
  assert_int_equal(capture.counts[2], 3);
  assert_string_equal(capture.rows[3][0], "two\nlines.jpg");
  assert_int_equal(capture.lines[3], 5);
  assert_int_equal(capture.lines[4], 7);
  assert_string_equal(capture.rows[4][2], "x");
  assert_string_equal(capture.rows[4][1], "");

  assert_int_equal(parse_csv_text("a,\"never closed\n", &capture), -1);
  assert_int_equal(parse_csv_text("a,\"b\"c\n", &capture), -1);
  assert_int_equal(parse_csv_text("a,b\"c\n", &capture), -1);
  assert_int_equal(parse_csv_text("", &capture), 0);
  assert_int_equal(capture.records, 0);
}

/* ---- Datasets on disk ---- */

static char scratch[256];

static void touch(const char *relative, const char *content) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", scratch, relative);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fputs(content, file);
  fclose(file);
}

static void folder(const char *relative) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", scratch, relative);
  assert_int_equal(mkdir(path, 0700), 0);
}

static void remove_tree(const char *path) {
  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", path);
  assert_int_equal(system(command), 0);
}

static int make_scratch(void **state) {
  (void)state;
  snprintf(scratch, sizeof scratch, "%s/dager-eval-test-XXXXXX",
           getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(scratch) == NULL ? -1 : 0;
}

static int remove_scratch(void **state) {
  (void)state;
  remove_tree(scratch);
  return 0;
}

static int read_dataset(eval_layout layout, const char *relative,
                        eval_dataset *dataset, char *error) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", scratch, relative);
  return eval_dataset_read(layout, path, dataset, error, 256);
}

static void utkface_and_jaffe_folders(void **state) {
  (void)state;
  char error[256];
  eval_dataset dataset;
  folder("utk");
  touch("utk/30_0_1_20170101.jpg.chip.jpg", "");
  touch("utk/4_1_0_20170102.jpg.chip.jpg", "");
  touch("utk/61_1_20170109142408075.jpg.chip.jpg", ""); /* malformed */
  touch("utk/notes.txt", "");                           /* not an image */
  assert_int_equal(read_dataset(EVAL_LAYOUT_UTKFACE, "utk", &dataset, error),
                   0);
  assert_int_equal(dataset.count, 2);
  assert_int_equal(dataset.skipped, 1);
  /* Sorted by path: "30_..." before "4_...". */
  assert_non_null(strstr(dataset.samples[0].path, "/utk/30_0_1"));
  assert_true(dataset.samples[0].faces[0].age == 30.0f);
  assert_int_equal(dataset.samples[0].faces[0].gender, DAGER_GENDER_MALE);
  assert_int_equal(dataset.samples[1].faces[0].gender, DAGER_GENDER_FEMALE);
  eval_dataset_free(&dataset);

  folder("jaffe");
  touch("jaffe/KA.AN1.39.png", "");
  touch("jaffe/KA.SU2.45.png", "");
  touch("jaffe/KA.XX2.45.png", "");
  assert_int_equal(read_dataset(EVAL_LAYOUT_JAFFE, "jaffe", &dataset, error),
                   0);
  assert_int_equal(dataset.count, 2);
  assert_int_equal(dataset.skipped, 1);
  assert_int_equal(dataset.samples[1].faces[0].emotion,
                   DAGER_EMOTION_SURPRISED);
  eval_dataset_free(&dataset);
}

static void class_folders(void **state) {
  (void)state;
  char error[256];
  eval_dataset dataset;
  folder("fer");
  folder("fer/disgust");
  folder("fer/happy");
  folder("fer/contempt"); /* not one of the 7: ignored */
  touch("fer/disgust/PublicTest_1.jpg", "");
  touch("fer/disgust/PrivateTest_2.jpg", "");
  touch("fer/happy/PublicTest_3.jpg", "");
  touch("fer/contempt/x.jpg", "");
  touch("fer/fear", ""); /* a file with a class name: ignored */
  assert_int_equal(read_dataset(EVAL_LAYOUT_FOLDERS, "fer", &dataset, error),
                   0);
  assert_int_equal(dataset.count, 3);
  assert_int_equal(dataset.samples[0].faces[0].emotion,
                   DAGER_EMOTION_DISGUSTED);
  assert_int_equal(dataset.samples[2].faces[0].emotion, DAGER_EMOTION_HAPPY);

  /* --every 2 keeps samples 0 and 2; --limit 1 then keeps the first. */
  eval_dataset_subsample(&dataset, 2, 0);
  assert_int_equal(dataset.count, 2);
  assert_non_null(strstr(dataset.samples[1].path, "happy/PublicTest_3"));
  eval_dataset_subsample(&dataset, 1, 1);
  assert_int_equal(dataset.count, 1);
  eval_dataset_free(&dataset);

  folder("nothing");
  assert_int_equal(
      read_dataset(EVAL_LAYOUT_FOLDERS, "nothing", &dataset, error), -1);
  assert_non_null(strstr(error, "no emotion class folders"));
  assert_int_equal(read_dataset(EVAL_LAYOUT_UTKFACE, "absent", &dataset, error),
                   -1);
  assert_non_null(strstr(error, "does not exist"));
  assert_int_equal(
      read_dataset(EVAL_LAYOUT_UTKFACE, "nothing", &dataset, error), -1);
  assert_non_null(strstr(error, "no labelled images"));
}

static void pts_folders_group_faces_by_photo(void **state) {
  (void)state;
  char error[256];
  char text[4096] = "";
  eval_dataset dataset;
  write_points(text, sizeof text, 68, "\n");
  folder("w");
  /* HELEN style: one .pts per image. AFW style: only <id>_1.jpg kept,
   * faces <id>_1.pts and <id>_2.pts. */
  touch("w/helen_1.jpg", "");
  touch("w/helen_1.pts", text);
  touch("w/afw_1.jpg", "");
  touch("w/afw_1.pts", text);
  touch("w/afw_2.pts", text);
  touch("w/orphan_3.pts", text); /* no image at all */
  touch("w/broken.jpg", "");
  touch("w/broken.pts", "1 2\n"); /* one point */
  assert_int_equal(read_dataset(EVAL_LAYOUT_PTS, "w", &dataset, error), 0);
  assert_int_equal(dataset.count, 2);
  assert_int_equal(dataset.skipped, 2);
  assert_non_null(strstr(dataset.samples[0].path, "/w/afw_1.jpg"));
  assert_int_equal(dataset.samples[0].face_count, 2);
  assert_int_equal(dataset.samples[1].face_count, 1);
  const eval_face_label *face = &dataset.samples[1].faces[0];
  assert_true(face->has_landmarks && face->has_box);
  /* Tight box of x = i + 0.25, y = 2 i + 0.5 for i = 0..67. */
  assert_true(face->box[0] == 0.25f && face->box[1] == 0.5f);
  assert_true(face->box[2] == 67.0f && face->box[3] == 134.0f);
  eval_dataset_free(&dataset);
}

static void csv_dataset(void **state) {
  (void)state;
  char error[256];
  eval_dataset dataset;
  char landmarks[4096] = "";
  for (int i = 0; i < 68; i++) {
    size_t used = strlen(landmarks);
    snprintf(landmarks + used, sizeof landmarks - used, "%s%d %d",
             i > 0 ? " " : "", i, i);
  }
  char text[8192];
  snprintf(text, sizeof text,
           "Emotion,Age,PATH,gender,box,landmarks,extra\n"
           "happy,31,\"photos/a, 1.jpg\",female,\"10 20 30 40\",,ignored\n"
           "sad,,\"photos/a, 1.jpg\",M,,\"%s\",\n"
           ",,/absolute/b.jpg,,,,\n"
           "angry,x,bad_age.jpg,,,,\n"
           "angry,,bad_gender.jpg,1,,,\n"
           "joy,,bad_emotion.jpg,,,,\n"
           ",,bad_box.jpg,,\"1 2 3\",,\n"
           ",,bad_box2.jpg,,\"1 2 0 4\",,\n"
           ",,bad_marks.jpg,,,\"1 2 3\",\n"
           "happy,,,,,,\n",
           landmarks);
  touch("set.csv", text);
  assert_int_equal(read_dataset(EVAL_LAYOUT_CSV, "set.csv", &dataset, error),
                   0);
  assert_int_equal(dataset.skipped, 7);
  assert_int_equal(dataset.count, 2);
  assert_string_equal(dataset.samples[0].path, "/absolute/b.jpg");
  assert_int_equal(dataset.samples[0].face_count, 1);
  const eval_face_label *empty = &dataset.samples[0].faces[0];
  assert_false(empty->has_age || empty->has_gender || empty->has_emotion ||
               empty->has_landmarks || empty->has_box);
  const eval_sample *photo = &dataset.samples[1];
  assert_non_null(strstr(photo->path, "/photos/a, 1.jpg"));
  assert_int_equal(photo->face_count, 2);
  assert_true(photo->faces[0].has_age && photo->faces[0].age == 31.0f);
  assert_int_equal(photo->faces[0].gender, DAGER_GENDER_FEMALE);
  assert_int_equal(photo->faces[0].emotion, DAGER_EMOTION_HAPPY);
  assert_true(photo->faces[0].has_box && photo->faces[0].box[3] == 40.0f);
  assert_false(photo->faces[0].has_landmarks);
  assert_int_equal(photo->faces[1].gender, DAGER_GENDER_MALE);
  assert_true(photo->faces[1].has_landmarks);
  assert_true(photo->faces[1].landmarks[67][0] == 67.0f);
  assert_true(photo->faces[1].has_box && photo->faces[1].box[2] == 67.0f);
  eval_dataset_free(&dataset);

  touch("nopath.csv", "age,gender\n3,male\n");
  assert_int_equal(read_dataset(EVAL_LAYOUT_CSV, "nopath.csv", &dataset, error),
                   -1);
  assert_non_null(strstr(error, "no path column"));
  touch("empty.csv", "");
  assert_int_equal(read_dataset(EVAL_LAYOUT_CSV, "empty.csv", &dataset, error),
                   -1);
  touch("quote.csv", "path\n\"a.jpg\n");
  assert_int_equal(read_dataset(EVAL_LAYOUT_CSV, "quote.csv", &dataset, error),
                   -1);
  assert_non_null(strstr(error, "never closes"));
  assert_int_equal(
      read_dataset(EVAL_LAYOUT_CSV, "missing.csv", &dataset, error), -1);
  assert_non_null(strstr(error, "does not exist"));
}

/* ---- Reports ---- */

static void reports_show_numbers_and_missing_values(void **state) {
  (void)state;
  eval_metrics metrics;
  eval_metrics_init(&metrics);
  eval_face_label face;
  memset(&face, 0, sizeof face);
  face.has_emotion = 1;
  face.emotion = DAGER_EMOTION_SAD;
  char name[] = "a.jpg";
  eval_sample sample = {name, 1, &face};
  eval_prediction found = predicted_box(0, 0, 1, 1);
  found.has_attributes = 1;
  found.emotion = DAGER_EMOTION_NEUTRAL;
  assert_int_equal(eval_metrics_add_image(&metrics, &sample, &found, 1), 0);
  face.emotion = DAGER_EMOTION_NEUTRAL;
  assert_int_equal(eval_metrics_add_image(&metrics, &sample, &found, 1), 0);

  eval_run_info info;
  memset(&info, 0, sizeof info);
  info.layout = "jaffe";
  info.dataset_path = "dir/\"quoted\"";
  info.mode = "pipeline";
  info.detector = "tiny";
  info.attribute_crop = "box";
  info.every = 1;
  info.has_emotion = 1;
  info.has_age = 1;

  char *json = NULL;
  size_t json_size = 0;
  FILE *out = open_memstream(&json, &json_size);
  assert_non_null(out);
  eval_report_json(out, &info, &metrics);
  fclose(out);
  assert_non_null(strstr(json, "\"dataset\": \"dir/\\\"quoted\\\"\""));
  assert_non_null(strstr(json, "\"detection_rate\": 1,"));
  assert_non_null(strstr(json, "\"age\": {\"count\": 0, \"mae\": null"));
  assert_non_null(strstr(json, "\"accuracy\": 0.5,"));
  assert_non_null(
      strstr(json, "\"recall\": [null, null, null, null, 1, 0, null]"));
  assert_non_null(strstr(json, "[0, 0, 0, 0, 1, 0, 0]"));
  assert_null(strstr(json, "\"gender\""));
  assert_null(strstr(json, "\"landmarks\""));
  free(json);

  char *text = NULL;
  size_t text_size = 0;
  out = open_memstream(&text, &text_size);
  assert_non_null(out);
  eval_report_text(out, &info, &metrics);
  fclose(out);
  assert_non_null(strstr(text, "accuracy                   50.00 %"));
  assert_non_null(strstr(text, "no face with an age label was analysed"));
  assert_non_null(strstr(text, "100.00%"));
  free(text);
  eval_metrics_free(&metrics);
}

int main(void) {
  const struct CMUnitTest metric_tests[] = {
      cmocka_unit_test(age_mae_bands_and_cumulative_score),
      cmocka_unit_test(age_band_edges),
      cmocka_unit_test(empty_metrics_are_missing_not_zero),
      cmocka_unit_test(gender_accuracy),
      cmocka_unit_test(emotion_confusion_accuracy_and_recall),
      cmocka_unit_test(landmark_error_normalised_by_outer_eye_corners),
      cmocka_unit_test(box_overlap),
      cmocka_unit_test(matching_by_centre_and_overlap),
      cmocka_unit_test(image_scoring_with_a_fake_predictor),
      cmocka_unit_test(reports_show_numbers_and_missing_values),
  };
  const struct CMUnitTest parser_tests[] = {
      cmocka_unit_test(utkface_names),
      cmocka_unit_test(jaffe_names),
      cmocka_unit_test(emotion_and_gender_names),
      cmocka_unit_test(numbers),
      cmocka_unit_test(pts_files),
      cmocka_unit_test(csv_quotes_and_line_ends),
  };
  const struct CMUnitTest dataset_tests[] = {
      cmocka_unit_test(utkface_and_jaffe_folders),
      cmocka_unit_test(class_folders),
      cmocka_unit_test(pts_folders_group_faces_by_photo),
      cmocka_unit_test(csv_dataset),
  };
  int failures =
      cmocka_run_group_tests_name("eval metrics", metric_tests, NULL, NULL);
  failures +=
      cmocka_run_group_tests_name("eval parsers", parser_tests, NULL, NULL);
  failures += cmocka_run_group_tests_name("eval datasets", dataset_tests,
                                          make_scratch, remove_scratch);
  return failures == 0 ? 0 : 1;
}
