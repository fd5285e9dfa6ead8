/* Pure functions of the face pipeline against hand-computed values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "face/align.h"
#include "face/crop.h"
#include "face/detect.h"

static float logit(float p) {
  return logf(p / (1.0f - p));
}

static void ssd_decode_matches_hand_values(void **state) {
  (void)state;
  /* Anchor y0, x0, y1, x1 = 0.2, 0.1, 0.6, 0.5: height 0.4, width 0.4,
   * centre (x 0.3, y 0.4). Code ty=1, tx=-2, th=5*ln 2, tw=0:
   *   centre y = 1/10*0.4 + 0.4 = 0.44, centre x = -2/10*0.4 + 0.3 = 0.22
   *   height = 2*0.4 = 0.8, width = 0.4 */
  const float anchors[8] = {0.2f, 0.1f, 0.6f, 0.5f, 0.0f, 0.0f, 1.0f, 1.0f};
  const float codes[8] = {1.0f, -2.0f, 5.0f * logf(2.0f), 0.0f, 0, 0, 0, 0};
  const float classes[6] = {3.0f, logit(0.9f), -7.0f, 0.0f, logit(0.5f), 0};
  dager_face_candidate out[2];
  size_t count = dager_face_ssd_decode(anchors, codes, classes, 2, 0.5f, out);

  /* The second anchor scores exactly 0.5, not strictly above. */
  assert_int_equal(count, 1);
  assert_true(fabsf(out[0].score - 0.9f) < 1e-6f);
  assert_true(fabsf(out[0].box.x0 - (0.22f - 0.2f)) < 1e-6f);
  assert_true(fabsf(out[0].box.x1 - (0.22f + 0.2f)) < 1e-6f);
  assert_true(fabsf(out[0].box.y0 - (0.44f - 0.4f)) < 1e-6f);
  assert_true(fabsf(out[0].box.y1 - (0.44f + 0.4f)) < 1e-6f);
  assert_int_equal(out[0].order, 0);
}

static void tiny_decode_matches_hand_values(void **state) {
  (void)state;
  /* 2 x 2 cells, 2 anchors of 5 values. Only cell (row 1, col 0), anchor 1
   * fires: tx = ty = 0 (sigmoid 0.5), tw = ln 2, th = 0, anchor 3 x 1.
   *   centre x = (0 + 0.5) / 2 = 0.25, centre y = (1 + 0.5) / 2 = 0.75
   *   width = 2 * 3 / 2 = 3, height = 1 * 1 / 2 = 0.5 */
  float grid[2 * 2 * 10];
  const float anchors[4] = {1.0f, 1.0f, 3.0f, 1.0f};
  dager_face_candidate out[8];

  for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++)
    grid[i] = -9.0f;
  float *v = grid + (1 * 2 + 0) * 10 + 5;
  v[0] = 0.0f;
  v[1] = 0.0f;
  v[2] = logf(2.0f);
  v[3] = 0.0f;
  v[4] = logit(0.75f);
  size_t count = dager_face_tiny_decode(grid, 2, 2, 10, anchors, 2, 0.5f, out);
  assert_int_equal(count, 1);
  assert_true(fabsf(out[0].score - 0.75f) < 1e-6f);
  assert_true(fabsf(out[0].box.x0 - (0.25f - 1.5f)) < 1e-5f);
  assert_true(fabsf(out[0].box.x1 - (0.25f + 1.5f)) < 1e-5f);
  assert_true(fabsf(out[0].box.y0 - (0.75f - 0.25f)) < 1e-5f);
  assert_true(fabsf(out[0].box.y1 - (0.75f + 0.25f)) < 1e-5f);

  /* Fewer than five values per anchor cannot be decoded. */
  assert_int_equal(dager_face_tiny_decode(grid, 2, 2, 8, anchors, 2, 0.5f, out),
                   0);
}

static dager_face_candidate candidate(float x0, float y0, float x1, float y1,
                                      float score, uint32_t order) {
  dager_face_candidate c;
  c.box.x0 = x0;
  c.box.y0 = y0;
  c.box.x1 = x1;
  c.box.y1 = y1;
  c.score = score;
  c.order = order;
  return c;
}

static void iou_of_known_boxes(void **state) {
  (void)state;
  dager_face_box a = {0, 0, 2, 2}, b = {1, 1, 3, 3}, c = {5, 5, 6, 6};
  dager_face_box flat = {0, 0, 2, 0}, swapped = {2, 2, 0, 0};

  assert_true(fabsf(dager_face_box_iou(&a, &b) - 1.0f / 7.0f) < 1e-6f);
  assert_true(dager_face_box_iou(&a, &c) == 0.0f);
  assert_true(dager_face_box_iou(&a, &flat) == 0.0f);
  assert_true(fabsf(dager_face_box_iou(&a, &swapped) - 1.0f) < 1e-6f);
}

static void nms_keeps_strongest_and_reports_truncation(void **state) {
  (void)state;
  dager_face_candidate c[5];
  int truncated = -1;

  /* Box 1 overlaps box 0 with IoU 0.81 (suppressed); box 2 overlaps box 0
   * with IoU exactly 1/3 (kept at threshold 0.5); box 3 is apart; box 4
   * ties box 3's score but comes later. */
  c[0] = candidate(0, 0, 10, 10, 0.7f, 0);
  c[1] = candidate(0, 0, 10, 9, 0.9f, 1);
  c[2] = candidate(5, 0, 15, 10, 0.6f, 2);
  c[3] = candidate(50, 50, 60, 60, 0.8f, 3);
  c[4] = candidate(80, 80, 90, 90, 0.8f, 4);
  size_t kept = dager_face_nms(c, 5, 0.5f, 10, &truncated);
  assert_int_equal(kept, 4);
  assert_int_equal(truncated, 0);
  assert_int_equal(c[0].order, 1);
  assert_int_equal(c[1].order, 3);
  assert_int_equal(c[2].order, 4);
  assert_int_equal(c[3].order, 2);

  /* The same with room for two: truncated, the two strongest kept. */
  c[0] = candidate(0, 0, 10, 10, 0.7f, 0);
  c[1] = candidate(0, 0, 10, 9, 0.9f, 1);
  c[2] = candidate(5, 0, 15, 10, 0.6f, 2);
  c[3] = candidate(50, 50, 60, 60, 0.8f, 3);
  c[4] = candidate(80, 80, 90, 90, 0.8f, 4);
  kept = dager_face_nms(c, 5, 0.5f, 2, &truncated);
  assert_int_equal(kept, 2);
  assert_int_equal(truncated, 1);
  assert_int_equal(c[0].order, 1);
  assert_int_equal(c[1].order, 3);

  /* Exactly max_kept survivors is not truncation. */
  c[0] = candidate(0, 0, 10, 10, 0.7f, 0);
  c[1] = candidate(0, 0, 10, 9, 0.9f, 1);
  kept = dager_face_nms(c, 2, 0.5f, 1, &truncated);
  assert_int_equal(kept, 1);
  assert_int_equal(truncated, 0);

  assert_int_equal(dager_face_nms(c, 0, 0.5f, 1, &truncated), 0);
}

static void box_maps_back_like_the_reference(void **state) {
  (void)state;
  /* 1000 x 600 image at input 512: reshaped 512 x round(307.2) = 307.
   * x factor 512/512*1000 = 1000, y factor 512/307*600 = 1000.6515 */
  dager_face_box relative = {0.1f, 0.2f, 0.3f, 0.5f};
  dager_face_box box = dager_face_box_to_region(relative, 512, 1000, 600);
  assert_true(fabsf(box.x0 - 100.0f) < 1e-3f);
  assert_true(fabsf(box.x1 - 300.0f) < 1e-3f);
  assert_true(fabsf(box.y0 - 0.2f * 512.0f / 307.0f * 600.0f) < 1e-3f);
  assert_true(fabsf(box.y1 - 0.5f * 512.0f / 307.0f * 600.0f) < 1e-3f);
}

static void rect_is_clipped_then_floored(void **state) {
  (void)state;
  dager_face_rect r;

  assert_true(dager_face_rect_from_box(10.7, 20.2, 30.9, 40.5, 100, 100, &r));
  assert_int_equal(r.x, 10);
  assert_int_equal(r.y, 20);
  assert_int_equal(r.width, 30);
  assert_int_equal(r.height, 40);

  /* Reaching past the top-left: the far edge stays where it was. */
  assert_true(dager_face_rect_from_box(-5.5, -3.0, 20.0, 10.0, 100, 100, &r));
  assert_int_equal(r.x, 0);
  assert_int_equal(r.y, 0);
  assert_int_equal(r.width, 14);
  assert_int_equal(r.height, 7);

  /* Past the bottom-right: cut at the image. */
  assert_true(dager_face_rect_from_box(90.0, 95.5, 30.0, 30.0, 100, 100, &r));
  assert_int_equal(r.x, 90);
  assert_int_equal(r.y, 95);
  assert_int_equal(r.width, 10);
  assert_int_equal(r.height, 4);

  /* Nothing left inside, or less than a pixel. */
  assert_false(dager_face_rect_from_box(-20.0, 0.0, 10.0, 10.0, 100, 100, &r));
  assert_false(dager_face_rect_from_box(5.0, 5.0, 0.5, 10.0, 100, 100, &r));
  assert_false(dager_face_rect_from_box(100.0, 5.0, 5.0, 10.0, 100, 100, &r));
  assert_false(
      dager_face_rect_from_box((double)NAN, 5.0, 5.0, 10.0, 100, 100, &r));
}

static void centred_square_puts_odd_pixel_after(void **state) {
  (void)state;
  dager_face_rect crop = {10, 20, 30, 35};
  int32_t x, y, side;

  dager_face_rect_centred_square(&crop, &x, &y, &side);
  assert_int_equal(side, 35);
  assert_int_equal(x, 10 - 2); /* 5 columns: 2 before, 3 after */
  assert_int_equal(y, 20);
}

static void landmarks_map_through_centred_padding(void **state) {
  (void)state;
  /* A 50 x 100 crop at (200, 300): scale 112 / 100, scaled width 56,
   * horizontal padding 28. Raw (0.5, 0.5) is the crop centre; raw
   * (0.25, 0) is padded-input x 28, the crop's left edge, top. */
  float raw[136];
  float points[DAGER_LANDMARK_COUNT][2];
  dager_face_rect crop = {200, 300, 50, 100};

  for (int i = 0; i < 68; i++) {
    raw[2 * i] = 0.5f;
    raw[2 * i + 1] = 0.5f;
  }
  raw[2] = 0.25f;
  raw[3] = 0.0f;
  raw[4] = 0.75f;
  raw[5] = 1.0f;
  dager_face_landmarks_to_image(raw, 112, &crop, 200.4, 300.7, &points[0][0]);
  assert_true(fabsf(points[0][0] - (200.4f + 25.0f)) < 1e-3f);
  assert_true(fabsf(points[0][1] - (300.7f + 50.0f)) < 1e-3f);
  assert_true(fabsf(points[1][0] - 200.4f) < 1e-3f);
  assert_true(fabsf(points[1][1] - 300.7f) < 1e-3f);
  assert_true(fabsf(points[2][0] - 250.4f) < 1e-3f);
  assert_true(fabsf(points[2][1] - 400.7f) < 1e-3f);
}

static void landmark_and_descriptor_boxes(void **state) {
  (void)state;
  float points[DAGER_LANDMARK_COUNT][2];
  double box[4];
  dager_face_rect crop = {0, 0, 500, 500};

  /* All points at (150, 120) except a span to (250, 220). */
  for (int i = 0; i < 68; i++) {
    points[i][0] = 150.0f;
    points[i][1] = 120.0f;
  }
  points[0][0] = 250.0f;
  points[0][1] = 220.0f;
  dager_face_landmark_box(&points[0][0], 0.2, box);
  assert_true(fabs(box[0] - 140.0) < 1e-6 && fabs(box[1] - 110.0) < 1e-6);
  assert_true(fabs(box[2] - 120.0) < 1e-6 && fabs(box[3] - 120.0) < 1e-6);

  /* Eyes at (100, 100) and (200, 100), mouth at (150, 190): eye to mouth
   * distance sqrt(50^2 + 90^2) = 102.956, size floor(228.79) = 228; centre
   * (150, 130): x = floor(150 - 114) = 36, y = floor(130 - 98.04) = 31. */
  for (int i = 36; i < 42; i++) {
    points[i][0] = 100.0f;
    points[i][1] = 100.0f;
  }
  for (int i = 42; i < 48; i++) {
    points[i][0] = 200.0f;
    points[i][1] = 100.0f;
  }
  for (int i = 48; i < 68; i++) {
    points[i][0] = 150.0f;
    points[i][1] = 190.0f;
  }
  dager_face_descriptor_box(&points[0][0], &crop, box);
  assert_true(fabs(box[0] - 36.0) < 1e-9);
  assert_true(fabs(box[1] - 31.0) < 1e-9);
  assert_true(fabs(box[2] - 228.0) < 1e-9);
  assert_true(fabs(box[3] - 228.0) < 1e-9);
}

static void similarity_recovers_known_transform(void **state) {
  (void)state;
  double from[5][2] = {{10, 20}, {40, 22}, {25, 40}, {15, 55}, {38, 57}};
  double to[5][2];
  double angle = 0.3, scale = 1.7, tx = -12.5, ty = 33.25;
  dager_face_affine fit, inverse;

  for (int i = 0; i < 5; i++) {
    to[i][0] = scale * (cos(angle) * from[i][0] - sin(angle) * from[i][1]) + tx;
    to[i][1] = scale * (sin(angle) * from[i][0] + cos(angle) * from[i][1]) + ty;
  }
  assert_true(dager_face_similarity_fit(&from[0][0], &to[0][0], 5, &fit));
  assert_true(fabs(fit.m[0] - scale * cos(angle)) < 1e-9);
  assert_true(fabs(fit.m[3] - scale * sin(angle)) < 1e-9);
  assert_true(fabs(fit.m[1] + scale * sin(angle)) < 1e-9);
  assert_true(fabs(fit.m[2] - tx) < 1e-9 && fabs(fit.m[5] - ty) < 1e-9);

  assert_true(dager_face_affine_invert(&fit, &inverse));
  for (int i = 0; i < 5; i++) {
    double x = inverse.m[0] * to[i][0] + inverse.m[1] * to[i][1] + inverse.m[2];
    double y = inverse.m[3] * to[i][0] + inverse.m[4] * to[i][1] + inverse.m[5];
    assert_true(fabs(x - from[i][0]) < 1e-9 && fabs(y - from[i][1]) < 1e-9);
  }

  /* Coincident sources have no answer. */
  double same[2][2] = {{3, 3}, {3, 3}};
  assert_false(dager_face_similarity_fit(&same[0][0], &to[0][0], 2, &fit));
}

static void warp_with_identity_copies_pixels(void **state) {
  (void)state;
  uint8_t image[4 * 4 * 3], crop[5 * 5 * 3];
  dager_face_affine identity = {{1, 0, 0, 0, 1, 0}};

  for (int i = 0; i < 48; i++)
    image[i] = (uint8_t)(i * 5);
  memset(crop, 0x77, sizeof crop);
  dager_face_warp_rgb8(image, 4, 4, 12, &identity, 5, crop, 15);
  for (int y = 0; y < 4; y++) {
    for (int x = 0; x < 4; x++) {
      for (int c = 0; c < 3; c++) {
        assert_int_equal(crop[y * 15 + x * 3 + c], image[y * 12 + x * 3 + c]);
      }
    }
  }
  /* Column and row 4 lie outside the image and are black. */
  for (int y = 0; y < 5; y++)
    assert_int_equal(crop[y * 15 + 12], 0);
  for (int x = 0; x < 15; x++)
    assert_int_equal(crop[4 * 15 + x], 0);
}

/* crop_to_image for a crop turned by degrees and scaled by step (image
 * pixels per crop pixel) around the image point (x, y), which the crop
 * centre (size / 2, size / 2) shows. */
static dager_face_affine turned_crop(double degrees, double step, double x,
                                     double y, int size) {
  double angle = degrees * 3.14159265358979323846 / 180.0;
  double a = step * cos(angle), b = step * sin(angle), half = size / 2.0;
  dager_face_affine t = {
      {a, -b, x - a * half + b * half, b, a, y - b * half - a * half}};

  return t;
}

static void warp_taps_follow_the_scale(void **state) {
  (void)state;
  dager_face_affine identity = {{1, 0, 0, 0, 1, 0}};
  dager_face_affine turned = turned_crop(20.0, 1.0, 50, 50, 10);
  dager_face_affine enlarging = turned_crop(20.0, 0.4, 50, 50, 10);
  dager_face_affine halving = turned_crop(33.0, 1.6, 50, 50, 10);
  dager_face_affine shrinking = turned_crop(-70.0, 7.0, 50, 50, 10);

  assert_int_equal(dager_face_warp_taps(&identity), 1);
  assert_int_equal(dager_face_warp_taps(&turned), 1);
  assert_int_equal(dager_face_warp_taps(&enlarging), 1);
  assert_int_equal(dager_face_warp_taps(&halving), 2);
  assert_int_equal(dager_face_warp_taps(&shrinking), DAGER_FACE_WARP_MAX_TAPS);
}

/* Pixel (i, j) of a linear ramp shows the value at its centre. */
static double ramp(double x, double y) {
  return 20.0 + 1.5 * x + 0.75 * y;
}

static void warp_of_a_ramp_is_the_ramp(void **state) {
  (void)state;
  enum { SIDE = 96, CROP = 24 };
  static uint8_t image[SIDE * SIDE * 3];
  uint8_t crop[CROP * CROP * 3];
  float normalised[CROP * CROP * 3];
  const float mean[3] = {10.0f, 20.0f, 30.0f}, divisor[3] = {2.0f, 4.0f, 8.0f};
  /* One tap (enlarging), two taps (shrinking by 2.6), both turned. */
  const double steps[2] = {0.7, 2.6}, degrees[2] = {20.0, -35.0};

  for (int j = 0; j < SIDE; j++) {
    for (int i = 0; i < SIDE; i++) {
      double value = ramp(i + 0.5, j + 0.5);

      for (int c = 0; c < 3; c++)
        image[(j * SIDE + i) * 3 + c] = (uint8_t)(value + 0.5);
    }
  }
  for (int k = 0; k < 2; k++) {
    dager_face_affine t = turned_crop(degrees[k], steps[k], 48, 47, CROP);

    dager_face_warp_rgb8(image, SIDE, SIDE, SIDE * 3, &t, CROP, crop, CROP * 3);
    dager_face_warp_normalised(image, SIDE, SIDE, SIDE * 3, &t, CROP, mean,
                               divisor, normalised);
    for (int v = 0; v < CROP; v++) {
      for (int u = 0; u < CROP; u++) {
        double x = t.m[0] * (u + 0.5) + t.m[1] * (v + 0.5) + t.m[2];
        double y = t.m[3] * (u + 0.5) + t.m[4] * (v + 0.5) + t.m[5];
        /* The image holds the ramp rounded to bytes: +-0.5. */
        double expected = ramp(x, y);

        for (int c = 0; c < 3; c++) {
          size_t at = ((size_t)v * CROP + u) * 3 + c;

          assert_true(fabs(crop[at] - expected) <= 1.0);
          assert_true(fabs((double)(normalised[at] * divisor[c] + mean[c]) -
                           expected) <= 0.5 + 1e-3);
        }
      }
    }
  }
}

/* Stripes three pixels apart, finer than a crop pixel when the crop
 * shrinks the image by 2.4: a crop should show them as mid-grey. */
enum { GRATING_SIDE = 160, GRATING_CROP = 40 };

static double grating(int column) {
  return 127.5 + 100.0 * cos(2.0 * 3.14159265358979323846 * column / 3.0);
}

/* A single bilinear sample of the grating at (x, y), pixel centres at
 * integer + 0.5 (inside the image only): what a warp without averaging
 * would give. */
static double grating_point_sample(double x, double y) {
  double fx = x - 0.5;
  int left = (int)floor(fx);
  double w = fx - left;

  (void)y;
  return (1.0 - w) * (uint8_t)(grating(left) + 0.5) +
         w * (uint8_t)(grating(left + 1) + 0.5);
}

static void shrinking_warp_does_not_alias(void **state) {
  (void)state;
  static uint8_t image[GRATING_SIDE * GRATING_SIDE * 3];
  uint8_t crop[GRATING_CROP * GRATING_CROP * 3];
  const double degrees[3] = {0.0, 20.0, -45.0};

  for (int j = 0; j < GRATING_SIDE; j++) {
    for (int i = 0; i < GRATING_SIDE; i++) {
      for (int c = 0; c < 3; c++)
        image[(j * GRATING_SIDE + i) * 3 + c] = (uint8_t)(grating(i) + 0.5);
    }
  }
  for (int k = 0; k < 3; k++) {
    dager_face_affine t = turned_crop(degrees[k], 2.4, 80, 80, GRATING_CROP);
    double averaged = 0.0, plain = 0.0;

    dager_face_warp_rgb8(image, GRATING_SIDE, GRATING_SIDE, GRATING_SIDE * 3,
                         &t, GRATING_CROP, crop, GRATING_CROP * 3);
    for (int v = 0; v < GRATING_CROP; v++) {
      for (int u = 0; u < GRATING_CROP; u++) {
        double x = t.m[0] * (u + 0.5) + t.m[1] * (v + 0.5) + t.m[2];
        double y = t.m[3] * (u + 0.5) + t.m[4] * (v + 0.5) + t.m[5];

        averaged += fabs(crop[(v * GRATING_CROP + u) * 3] - 127.5);
        plain += fabs(grating_point_sample(x, y) - 127.5);
      }
    }
    averaged /= GRATING_CROP * GRATING_CROP;
    plain /= GRATING_CROP * GRATING_CROP;
    print_message(
        "3-pixel stripes shrunk by 2.4, turned by %.0f degrees: "
        "mean deviation from mid-grey %.1f (one bilinear sample "
        "per crop pixel: %.1f)\n",
        degrees[k], averaged, plain);
    assert_true(averaged < 0.5 * plain);
  }
}

static void emotions_reorder_from_model_labels(void **state) {
  (void)state;
  const char *labels[7] = {"neutral", "happy",     "sad",      "angry",
                           "fearful", "disgusted", "surprised"};
  const float model[7] = {0.10f, 0.40f, 0.05f, 0.15f, 0.02f, 0.08f, 0.20f};
  uint32_t map[7];
  float emotions[7];

  assert_true(dager_face_emotion_map(labels, 7, map));
  dager_emotion dominant = dager_face_emotions_reorder(model, map, emotions);
  assert_int_equal(dominant, DAGER_EMOTION_HAPPY);
  assert_true(emotions[DAGER_EMOTION_ANGRY] == 0.15f);
  assert_true(emotions[DAGER_EMOTION_DISGUSTED] == 0.08f);
  assert_true(emotions[DAGER_EMOTION_FEARFUL] == 0.02f);
  assert_true(emotions[DAGER_EMOTION_HAPPY] == 0.40f);
  assert_true(emotions[DAGER_EMOTION_NEUTRAL] == 0.10f);
  assert_true(emotions[DAGER_EMOTION_SAD] == 0.05f);
  assert_true(emotions[DAGER_EMOTION_SURPRISED] == 0.20f);

  const char *twice[7] = {"neutral", "happy",     "sad",    "angry",
                          "fearful", "disgusted", "neutral"};
  assert_false(dager_face_emotion_map(twice, 7, map));
  assert_false(dager_face_emotion_map(labels, 6, map));
  assert_false(dager_face_emotion_map(NULL, 7, map));
}

static void gender_reports_more_probable(void **state) {
  (void)state;
  float probability;
  const float male[2] = {0.8f, 0.2f}, female[2] = {0.3f, 0.7f};

  assert_int_equal(dager_face_gender(male, 0, &probability), DAGER_GENDER_MALE);
  assert_true(fabsf(probability - 0.8f) < 1e-6f);
  assert_int_equal(dager_face_gender(female, 0, &probability),
                   DAGER_GENDER_FEMALE);
  assert_true(fabsf(probability - 0.7f) < 1e-6f);
  assert_int_equal(dager_face_gender(female, 1, &probability),
                   DAGER_GENDER_MALE);
}

static void passes_for_ordinary_strip_and_small_images(void **state) {
  (void)state;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];

  /* An ordinary photo: one pass, as the reference. */
  assert_int_equal(dager_face_plan_passes(1920, 1280, 512, 0,
                                          DAGER_FACE_TILING_AUTO, passes),
                   1);
  assert_int_equal(passes[0].width, 1920);
  assert_int_equal(passes[0].tile, 0);

  /* 8000 x 560: the whole strip, then 560-pixel squares half a tile apart
   * (ceil(7440 / 280) + 1 = 28), the last flush with the end. */
  size_t count =
      dager_face_plan_passes(8000, 560, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  assert_int_equal(count, 1 + 28);
  assert_int_equal(passes[1].x, 0);
  assert_int_equal(passes[1].width, 560);
  assert_int_equal(passes[1].height, 560);
  assert_int_equal(passes[count - 1].x + 560, 8000);
  for (size_t i = 2; i < count; i++) {
    assert_true(passes[i].x - passes[i - 1].x <= 280);
    assert_true(passes[i].x > passes[i - 1].x);
  }

  /* A 48 x 48 image also gets a pass with black around it; 300 x 200
   * too (centred on the long side's square); 400 x 400 does not. */
  count =
      dager_face_plan_passes(48, 48, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  assert_int_equal(count, 2);
  assert_int_equal(passes[1].x, -24);
  assert_int_equal(passes[1].width, 96);
  count =
      dager_face_plan_passes(300, 200, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  assert_int_equal(count, 2);
  assert_int_equal(passes[1].x, -150);
  assert_int_equal(passes[1].y, -200);
  assert_int_equal(passes[1].height, 600);
  assert_int_equal(
      dager_face_plan_passes(400, 400, 512, 0, DAGER_FACE_TILING_AUTO, passes),
      1);

  /* A minimum face size adds finer tiles, never more than the cap. */
  count = dager_face_plan_passes(1920, 1080, 512, 40, DAGER_FACE_TILING_AUTO,
                                 passes);
  assert_true(count > 1 && count <= DAGER_FACE_MAX_PASSES);
  assert_true(passes[count - 1].width <= 640);
  /* Levels are whole or absent: 30000 (9), 15000 (49) fit, 7500 does
   * not; every tile grid ends flush with the image. */
  count = dager_face_plan_passes(60000, 60000, 512, 16, DAGER_FACE_TILING_AUTO,
                                 passes);
  assert_int_equal(count, 1 + 9 + 49);
  assert_int_equal(passes[count - 1].x + passes[count - 1].width, 60000);
  assert_int_equal(passes[count - 1].y + passes[count - 1].height, 60000);

  /* A strip too long for square tiles gets longer ones, still covering
   * it: 100000 x 100 would need 1999 squares. */
  count = dager_face_plan_passes(100000, 100, 512, 0, DAGER_FACE_TILING_AUTO,
                                 passes);
  assert_true(count > 2 && count <= DAGER_FACE_MAX_PASSES);
  assert_int_equal(passes[1].x, 0);
  assert_int_equal(passes[count - 1].x + passes[count - 1].width, 100000);
  for (size_t i = 2; i < count; i++) {
    assert_true(passes[i].x <=
                passes[i - 1].x + (int32_t)(passes[i - 1].width / 2) + 1);
  }
}

/* A strip thinner than 40 pixels gets only the whole-image pass: 10000 x 20
 * took 64 passes and seconds for faces no network could read. */
static void thin_strips_get_no_tiles(void **state) {
  (void)state;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];

  assert_int_equal(
      dager_face_plan_passes(10000, 20, 512, 0, DAGER_FACE_TILING_AUTO, passes),
      1);
  assert_int_equal(
      dager_face_plan_passes(39, 4000, 512, 0, DAGER_FACE_TILING_AUTO, passes),
      1);
  assert_true(dager_face_plan_passes(4000, 40, 512, 0, DAGER_FACE_TILING_AUTO,
                                     passes) > 2);
}

static void tiling_off_keeps_only_the_whole_image_pass(void **state) {
  (void)state;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];
  dager_face_pass automatic[DAGER_FACE_MAX_PASSES];
  size_t count;

  /* No strip tiles, no padded pass. */
  assert_int_equal(
      dager_face_plan_passes(8000, 560, 512, 0, DAGER_FACE_TILING_OFF, passes),
      1);
  assert_int_equal(passes[0].width, 8000);
  assert_int_equal(passes[0].height, 560);
  assert_int_equal(passes[0].tile, 0);
  assert_int_equal(
      dager_face_plan_passes(48, 48, 512, 0, DAGER_FACE_TILING_OFF, passes), 1);
  assert_int_equal(passes[0].x, 0);
  assert_int_equal(passes[0].width, 48);

  /* min_face_size still asks for its tiles, the same ones. */
  count = dager_face_plan_passes(1920, 1080, 512, 40, DAGER_FACE_TILING_OFF,
                                 passes);
  assert_int_equal(
      count, dager_face_plan_passes(1920, 1080, 512, 40, DAGER_FACE_TILING_AUTO,
                                    automatic));
  assert_true(count > 1);
  assert_memory_equal(passes, automatic, count * sizeof *passes);
}

static void refinement_rule(void **state) {
  (void)state;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];
  size_t count;

  memset(passes, 0, sizeof passes);

  /* One pass over 1920 x 1280: faces narrower than 0.068 * 1920 = 130.56
   * pixels were seen under 34.8 pixels of the 512 input. */
  assert_int_equal(dager_face_finest_side(passes, 0), 0);
  count = dager_face_plan_passes(1920, 1280, 512, 0, DAGER_FACE_TILING_AUTO,
                                 passes);
  assert_int_equal(dager_face_finest_side(passes, count), 1920);
  assert_true(fabsf(dager_face_small_width(passes, count) - 130.56f) < 1e-3f);
  /* No face, the demo photos' narrowest (146 pixels), and the threshold
   * itself: nothing added. */
  assert_int_equal(
      dager_face_plan_refinement(1920, 1280, 512, 0.0f, passes, count), 1);
  assert_int_equal(
      dager_face_plan_refinement(1920, 1280, 512, 146.0f, passes, count), 1);
  assert_int_equal(
      dager_face_plan_refinement(1920, 1280, 512, 130.6f, passes, count), 1);
  /* Just under it: tiles of 130.5 / 0.07 = 1864 pixels, 1920 / 1864 and
   * 1280 / 1864 -> 2 x 1, the second flush with the right edge. */
  count = dager_face_plan_refinement(1920, 1280, 512, 130.5f, passes, 1);
  assert_int_equal(count, 3);
  assert_int_equal(passes[1].x, 0);
  assert_int_equal(passes[1].width, 1864);
  assert_int_equal(passes[1].height, 1280);
  assert_int_equal(passes[1].tile, 1);
  assert_int_equal(passes[2].x + (int32_t)passes[2].width, 1920);

  /* Like ../shared/bugcases C37: 960 x 1200, narrowest face 73 pixels:
   * tiles of 1042, one across, two down. */
  count =
      dager_face_plan_passes(960, 1200, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  count = dager_face_plan_refinement(960, 1200, 512, 73.0f, passes, count);
  assert_int_equal(count, 1 + 2);
  assert_int_equal(passes[1].width, 960);
  assert_int_equal(passes[1].height, 1042);
  assert_int_equal(passes[1].y, 0);
  assert_int_equal(passes[2].y, 1200 - 1042);

  /* Like C38: 2880 x 1452, narrowest 74: tiles of 1057, 5 x 2. */
  count = dager_face_plan_passes(2880, 1452, 512, 0, DAGER_FACE_TILING_AUTO,
                                 passes);
  count = dager_face_plan_refinement(2880, 1452, 512, 74.0f, passes, count);
  assert_int_equal(count, 1 + 10);
  for (size_t i = 1; i < count; i++) {
    assert_int_equal(passes[i].width, 1057);
    assert_int_equal(passes[i].tile, 1);
  }
  assert_int_equal(passes[count - 1].x + 1057, 2880);
  assert_int_equal(passes[count - 1].y + 1057, 1452);

  /* A 16-pixel face in 600 x 900 would want 228-pixel tiles (7 x 7):
   * they grow until at most 16 cover the image, still finer than 900. */
  count =
      dager_face_plan_passes(600, 900, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  count = dager_face_plan_refinement(600, 900, 512, 16.0f, passes, count);
  assert_true(count > 1 && count <= 1 + DAGER_FACE_REFINE_MAX_PASSES);
  assert_true(passes[1].width > 228 && passes[1].width < 900);
  assert_int_equal(passes[count - 1].x + passes[count - 1].width, 600);
  assert_int_equal(passes[count - 1].y + passes[count - 1].height, 900);

  /* The finest planned pass decides: strip tiles of 560 see a 30-pixel
   * face at 27 pixels (refine: 0.068 * 560 = 38.08), a 40-pixel one at 37
   * (do not), although the whole-strip pass saw both at about 2. */
  count =
      dager_face_plan_passes(8000, 560, 512, 0, DAGER_FACE_TILING_AUTO, passes);
  assert_int_equal(dager_face_finest_side(passes, count), 560);
  assert_int_equal(
      dager_face_plan_refinement(8000, 560, 512, 40.0f, passes, count), count);
  /* 30 / 0.07 = 428-pixel tiles would need 37 x 2; even 559-pixel ones
   * need 28 x 2, more than 16, so nothing is added. */
  assert_int_equal(
      dager_face_plan_refinement(8000, 560, 512, 30.0f, passes, count), count);

  /* With min_face_size's tiles the finest side is theirs. */
  count = dager_face_plan_passes(1920, 1080, 512, 60, DAGER_FACE_TILING_AUTO,
                                 passes);
  assert_int_equal(dager_face_finest_side(passes, count), 960);
  assert_int_equal(
      dager_face_plan_refinement(1920, 1080, 512, 66.0f, passes, count), count);
}

static dager_face_candidate seen_candidate(float x0, float y0, float x1,
                                           float y1, float input_width,
                                           uint32_t order) {
  dager_face_candidate found;

  memset(&found, 0, sizeof found);
  found.box.x0 = x0;
  found.box.y0 = y0;
  found.box.x1 = x1;
  found.box.y1 = y1;
  found.score = 0.9f;
  found.order = order;
  found.input_width = input_width;
  return found;
}

static void refinement_supersedes_only_loose_covered_boxes(void **state) {
  (void)state;
  /* input 512: loose means seen under 0.068 * 512 = 34.816 pixels. */
  dager_face_candidate list[6];

  /* 0: loose, half covered by 4 (IoU 0.44, below the NMS threshold). */
  list[0] = seen_candidate(659, 770, 742, 899, 12.0f, 0);
  /* 1: loose, nothing from the tiles near it: kept. */
  list[1] = seen_candidate(100, 100, 180, 220, 14.0f, 1);
  /* 2: seen wide enough (40 pixels): kept although 5 covers it. */
  list[2] = seen_candidate(1000, 100, 1100, 240, 40.0f, 2);
  /* 3: loose, touched by 4 on less than half its area: kept. */
  list[3] = seen_candidate(700, 880, 780, 1000, 12.0f, 3);
  /* 4, 5: from the refinement tiles. */
  list[4] = seen_candidate(638, 755, 714, 881, 36.0f, 4);
  list[5] = seen_candidate(1010, 110, 1090, 230, 36.0f, 5);

  assert_int_equal(dager_face_drop_superseded(list, 4, 6, 512), 5);
  assert_int_equal(list[0].order, 1);
  assert_int_equal(list[1].order, 2);
  assert_int_equal(list[2].order, 3);
  assert_int_equal(list[3].order, 4);
  assert_int_equal(list[4].order, 5);

  /* No refinement boxes: nothing dropped. */
  list[0] = seen_candidate(659, 770, 742, 899, 12.0f, 0);
  assert_int_equal(dager_face_drop_superseded(list, 1, 1, 512), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ssd_decode_matches_hand_values),
      cmocka_unit_test(tiny_decode_matches_hand_values),
      cmocka_unit_test(iou_of_known_boxes),
      cmocka_unit_test(nms_keeps_strongest_and_reports_truncation),
      cmocka_unit_test(box_maps_back_like_the_reference),
      cmocka_unit_test(rect_is_clipped_then_floored),
      cmocka_unit_test(centred_square_puts_odd_pixel_after),
      cmocka_unit_test(landmarks_map_through_centred_padding),
      cmocka_unit_test(landmark_and_descriptor_boxes),
      cmocka_unit_test(similarity_recovers_known_transform),
      cmocka_unit_test(warp_with_identity_copies_pixels),
      cmocka_unit_test(warp_taps_follow_the_scale),
      cmocka_unit_test(warp_of_a_ramp_is_the_ramp),
      cmocka_unit_test(shrinking_warp_does_not_alias),
      cmocka_unit_test(emotions_reorder_from_model_labels),
      cmocka_unit_test(gender_reports_more_probable),
      cmocka_unit_test(passes_for_ordinary_strip_and_small_images),
      cmocka_unit_test(thin_strips_get_no_tiles),
      cmocka_unit_test(tiling_off_keeps_only_the_whole_image_pass),
      cmocka_unit_test(refinement_rule),
      cmocka_unit_test(refinement_supersedes_only_loose_covered_boxes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
