/*
 * Issue 5 part 8 for one face: how far apart the library's answers on the
 * face upright and on the same face turned are. Shared by the rotation
 * test (tests/api/test_api_models.c) and bench/pipeline/bench_rotation.c;
 * uses only the public API and no test framework.
 */
#ifndef DAGER_TESTS_TURNED_FACE_H
#define DAGER_TESTS_TURNED_FACE_H

#include "dager.h"

/* The tolerances of issue 5 part 8, inclusive. */
#define SUPPORT_TURN_AGE_TOLERANCE 0.5     /* years */
#define SUPPORT_TURN_FEMALE_TOLERANCE 0.01 /* probability */
#define SUPPORT_TURN_EMOTION_TOLERANCE 0.01

/* Side of the aligned crops compared. */
#define SUPPORT_TURN_CROP_SIZE 112

typedef enum support_turn_outcome {
  SUPPORT_TURN_MEASURED = 0,
  SUPPORT_TURN_NOT_FOUND_UPRIGHT = 1, /* no face in the upright square */
  SUPPORT_TURN_NOT_FOUND_TURNED = 2   /* no face in the turned square */
} support_turn_outcome;

/* Gaps between the upright face and its turned copy, when measured. */
typedef struct support_turn_gaps {
  support_turn_outcome outcome;
  double age;     /* years */
  double female;  /* probability of "female" */
  double emotion; /* the largest gap of the 7 emotion probabilities */
  double crop;    /* mean absolute difference of the aligned crops, levels */
} support_turn_gaps;

/* Whether measured gaps are all within the tolerances. */
int support_turn_within(const support_turn_gaps *gaps);

/*
 * Cuts a square around face (found in photo) with an integer centre and
 * an even side, 2.5 times the face's larger side, once upright (an exact
 * copy of the photo) and turned by +degrees and -degrees with
 * support_turned_square, analyses each square whole with session, and
 * fills out[0] (+degrees) and out[1] (-degrees). In each square the face
 * nearest its centre is taken, as a turned square may show parts of other
 * faces at its edge. Returns DAGER_OK, or the first failing status
 * (DAGER_ERROR_OUT_OF_MEMORY when a square cannot be made).
 */
dager_status support_turn_face(dager_session *session, const dager_image *photo,
                               const dager_face *face, double degrees,
                               support_turn_gaps out[2]);

#endif /* DAGER_TESTS_TURNED_FACE_H */
