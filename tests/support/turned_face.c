/* One face upright and turned: see turned_face.h. */
#include "support/turned_face.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "support/turned_square.h"

int support_turn_within(const support_turn_gaps *gaps) {
  return gaps->outcome == SUPPORT_TURN_MEASURED &&
         gaps->age <= SUPPORT_TURN_AGE_TOLERANCE &&
         gaps->female <= SUPPORT_TURN_FEMALE_TOLERANCE &&
         gaps->emotion <= SUPPORT_TURN_EMOTION_TOLERANCE;
}

/* Index of the face whose box centre is nearest the centre of a side x
 * side square, or -1 when the result has none. */
static long nearest_face(const dager_result *result, int side,
                         dager_face *nearest) {
  const double half = side / 2.0;
  double best = HUGE_VAL;
  long index = -1;

  for (size_t i = 0; i < dager_result_face_count(result); i++) {
    dager_face face = DAGER_FACE_INIT;
    double dx, dy;

    if (dager_result_face(result, i, &face) != DAGER_OK)
      continue;
    dx = (double)face.x + (double)face.width / 2.0 - half;
    dy = (double)face.y + (double)face.height / 2.0 - half;
    if (dx * dx + dy * dy < best) {
      best = dx * dx + dy * dy;
      index = (long)i;
      *nearest = face;
    }
  }
  return index;
}

static double female_probability(const dager_face *face) {
  return face->gender == DAGER_GENDER_FEMALE
             ? (double)face->gender_probability
             : 1.0 - (double)face->gender_probability;
}

static double worst_emotion_gap(const dager_face *a, const dager_face *b) {
  double worst = 0.0;

  for (int i = 0; i < DAGER_EMOTION_COUNT; i++)
    worst = fmax(worst, fabs((double)a->emotions[i] - (double)b->emotions[i]));
  return worst;
}

/* Mean absolute difference, in grey levels, of two faces' aligned crops. */
static dager_status crop_gap(dager_session *session, const dager_image *a_image,
                             const dager_result *a, long a_index,
                             const dager_image *b_image, const dager_result *b,
                             long b_index, double *gap) {
  enum { SIDE = SUPPORT_TURN_CROP_SIZE, BYTES = SIDE * SIDE * 3 };
  uint8_t *crops = malloc(2 * (size_t)BYTES);
  dager_status status;
  double sum = 0.0;

  if (!crops)
    return DAGER_ERROR_OUT_OF_MEMORY;
  status = dager_align_face(session, a_image, a, (size_t)a_index, SIDE, crops,
                            SIDE * 3);
  if (status == DAGER_OK) {
    status = dager_align_face(session, b_image, b, (size_t)b_index, SIDE,
                              crops + BYTES, SIDE * 3);
  }
  for (size_t i = 0; status == DAGER_OK && i < BYTES; i++)
    sum += abs((int)crops[i] - (int)crops[BYTES + i]);
  free(crops);
  *gap = sum / (double)BYTES;
  return status;
}

/* The turned square at one angle against the upright face. */
static dager_status measure_turn(
    dager_session *session, const dager_image *photo, double centre_x,
    double centre_y, int side, double degrees, const dager_image *upright,
    const dager_result *upright_result, long upright_index,
    const dager_face *upright_face, support_turn_gaps *out) {
  dager_image *turned =
      support_turned_square(photo, centre_x, centre_y, side, degrees);
  dager_result *result = NULL;
  dager_face face = DAGER_FACE_INIT;
  dager_status status;
  long index;

  if (!turned)
    return DAGER_ERROR_OUT_OF_MEMORY;
  status = dager_analyze(session, turned, &result);
  if (status == DAGER_OK) {
    index = nearest_face(result, side, &face);
    if (index < 0) {
      out->outcome = SUPPORT_TURN_NOT_FOUND_TURNED;
    } else {
      out->outcome = SUPPORT_TURN_MEASURED;
      out->age = fabs((double)upright_face->age - (double)face.age);
      out->female =
          fabs(female_probability(upright_face) - female_probability(&face));
      out->emotion = worst_emotion_gap(upright_face, &face);
      status = crop_gap(session, upright, upright_result, upright_index, turned,
                        result, index, &out->crop);
    }
  }
  dager_result_destroy(result);
  dager_image_destroy(turned);
  return status;
}

dager_status support_turn_face(dager_session *session, const dager_image *photo,
                               const dager_face *face, double degrees,
                               support_turn_gaps out[2]) {
  /* An integer centre and an even side: the upright square is a copy. */
  const double centre_x =
      floor((double)face->x + (double)face->width / 2.0 + 0.5);
  const double centre_y =
      floor((double)face->y + (double)face->height / 2.0 + 0.5);
  const int side = 2 * (int)(1.25f * fmaxf(face->width, face->height));
  dager_image *upright =
      support_turned_square(photo, centre_x, centre_y, side, 0.0);
  dager_result *result = NULL;
  dager_face upright_face = DAGER_FACE_INIT;
  dager_status status;
  long index;

  out[0] = out[1] =
      (support_turn_gaps){SUPPORT_TURN_NOT_FOUND_UPRIGHT, 0.0, 0.0, 0.0, 0.0};
  if (!upright)
    return DAGER_ERROR_OUT_OF_MEMORY;
  status = dager_analyze(session, upright, &result);
  index = status == DAGER_OK ? nearest_face(result, side, &upright_face) : -1;
  for (int turn = 0; turn < 2 && index >= 0 && status == DAGER_OK; turn++) {
    status = measure_turn(session, photo, centre_x, centre_y, side,
                          turn == 0 ? degrees : -degrees, upright, result,
                          index, &upright_face, &out[turn]);
  }
  dager_result_destroy(result);
  dager_image_destroy(upright);
  return status;
}
