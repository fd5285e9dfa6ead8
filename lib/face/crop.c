#include "face/crop.h"

#include <math.h>
#include <string.h>

int dager_face_rect_from_box(double x, double y, double width, double height,
                             uint32_t image_width, uint32_t image_height,
                             dager_face_rect *out) {
  double right = x + width;
  double bottom = y + height;
  double clipped_x = x > 0.0 ? x : 0.0;
  double clipped_y = y > 0.0 ? y : 0.0;
  double clipped_w = fmin(right - clipped_x, image_width - clipped_x);
  double clipped_h = fmin(bottom - clipped_y, image_height - clipped_y);
  double fx, fy, fw, fh;

  if (!isfinite(x) || !isfinite(y) || !isfinite(width) || !isfinite(height)) {
    return 0;
  }
  /* The reference floors each of the four numbers on its own, so a crop
   * can lose up to a pixel at the right edge compared with flooring the
   * corners. */
  fx = floor(clipped_x);
  fy = floor(clipped_y);
  fw = floor(clipped_w);
  fh = floor(clipped_h);
  if (fw < 1.0 || fh < 1.0)
    return 0;
  if (fx >= image_width || fy >= image_height)
    return 0;
  if (fx + fw > image_width)
    fw = image_width - fx;
  if (fy + fh > image_height)
    fh = image_height - fy;
  out->x = (int32_t)fx;
  out->y = (int32_t)fy;
  out->width = (int32_t)fw;
  out->height = (int32_t)fh;
  return 1;
}

void dager_face_rect_centred_square(const dager_face_rect *crop, int32_t *x,
                                    int32_t *y, int32_t *side) {
  int32_t difference;

  if (crop->width >= crop->height) {
    difference = crop->width - crop->height;
    *side = crop->width;
    *x = crop->x;
    *y = crop->y - difference / 2;
  } else {
    difference = crop->height - crop->width;
    *side = crop->height;
    *x = crop->x - difference / 2;
    *y = crop->y;
  }
}

void dager_face_landmarks_to_image(const float *raw, uint32_t input_size,
                                   const dager_face_rect *crop, double shift_x,
                                   double shift_y, float *points) {
  double width = crop->width;
  double height = crop->height;
  double scale = input_size / fmax(width, height);
  double scaled_w = width * scale;
  double scaled_h = height * scale;
  double pad_x = width < height ? fabs(scaled_w - scaled_h) / 2.0 : 0.0;
  double pad_y = height < width ? fabs(scaled_w - scaled_h) / 2.0 : 0.0;

  /* The reference takes the padding as exactly half the difference, not
   * the integer split used to build the input; kept for parity. */
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    double rx = ((double)raw[2 * i] * input_size - pad_x) / scaled_w;
    double ry = ((double)raw[2 * i + 1] * input_size - pad_y) / scaled_h;

    points[2 * i] = (float)(rx * width + shift_x);
    points[2 * i + 1] = (float)(ry * height + shift_y);
  }
}

void dager_face_landmark_box(const float *points, double padding,
                             double box[4]) {
  double min_x = HUGE_VAL, min_y = HUGE_VAL, max_x = 0.0, max_y = 0.0;
  double width, height;

  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    double x = (double)points[2 * i], y = (double)points[2 * i + 1];

    if (x < min_x)
      min_x = x;
    if (y < min_y)
      min_y = y;
    if (x > max_x)
      max_x = x;
    if (y > max_y)
      max_y = y;
  }
  width = max_x - min_x;
  height = max_y - min_y;
  box[0] = min_x - width * padding / 2.0;
  box[1] = min_y - height * padding / 2.0;
  box[2] = width + width * padding;
  box[3] = height + height * padding;
}

static void mean_point(const float *points, int first, int count, double *x,
                       double *y) {
  double sum_x = 0.0, sum_y = 0.0;

  for (int i = first; i < first + count; i++) {
    sum_x += (double)points[2 * i];
    sum_y += (double)points[2 * i + 1];
  }
  *x = sum_x / count;
  *y = sum_y / count;
}

void dager_face_descriptor_box(const float *points,
                               const dager_face_rect *landmark_crop,
                               double box[4]) {
  double eye_a_x, eye_a_y, eye_b_x, eye_b_y, mouth_x, mouth_y;
  double distance, size, centre_x, centre_y, x, y;

  mean_point(points, 36, 6, &eye_a_x, &eye_a_y);
  mean_point(points, 42, 6, &eye_b_x, &eye_b_y);
  mean_point(points, 48, 20, &mouth_x, &mouth_y);
  distance = (hypot(mouth_x - eye_a_x, mouth_y - eye_a_y) +
              hypot(mouth_x - eye_b_x, mouth_y - eye_b_y)) /
             2.0;
  size = floor(distance / 0.45);
  centre_x = (eye_a_x + eye_b_x + mouth_x) / 3.0;
  centre_y = (eye_a_y + eye_b_y + mouth_y) / 3.0;
  x = floor(fmax(0.0, centre_x - 0.5 * size));
  y = floor(fmax(0.0, centre_y - 0.43 * size));
  box[0] = x;
  box[1] = y;
  box[2] = fmin(size, landmark_crop->width + x);
  box[3] = fmin(size, landmark_crop->height + y);
}

int dager_face_emotion_map(const char *const *labels, uint32_t label_count,
                           uint32_t map[DAGER_EMOTION_COUNT]) {
  if (!labels || label_count != DAGER_EMOTION_COUNT)
    return 0;
  for (int e = 0; e < DAGER_EMOTION_COUNT; e++) {
    const char *name = dager_emotion_name((dager_emotion)e);
    int found = 0;

    for (uint32_t i = 0; i < label_count; i++) {
      if (labels[i] && strcmp(labels[i], name) == 0) {
        map[e] = i;
        found++;
      }
    }
    if (found != 1)
      return 0;
  }
  return 1;
}

dager_emotion dager_face_emotions_reorder(
    const float *model_probabilities, const uint32_t map[DAGER_EMOTION_COUNT],
    float emotions[DAGER_EMOTION_COUNT]) {
  int best = 0;

  for (int e = 0; e < DAGER_EMOTION_COUNT; e++) {
    emotions[e] = model_probabilities[map[e]];
    if (emotions[e] > emotions[best])
      best = e;
  }
  return (dager_emotion)best;
}

dager_gender dager_face_gender(const float probabilities[2],
                               uint32_t male_index, float *probability) {
  float male = probabilities[male_index ? 1 : 0];

  if (male > 0.5f) {
    *probability = male;
    return DAGER_GENDER_MALE;
  }
  *probability = 1.0f - male;
  return DAGER_GENDER_FEMALE;
}
