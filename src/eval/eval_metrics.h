/*
 * eval_metrics.h: the arithmetic of dager-eval. Predictions for an image
 * are matched to its labelled faces and accumulated; a summary turns the
 * sums into the published kinds of numbers (MAE, CS@5, accuracy, recall,
 * NME). Nothing here calls libdager, so a test can feed known answers.
 */
#ifndef DAGER_EVAL_METRICS_H
#define DAGER_EVAL_METRICS_H

#include <stddef.h>

#include "dager.h"
#include "eval_dataset.h"

/* Age bands, by the labelled age: 0-12, 13-19, 20-39, 40-59, 60+. */
enum { EVAL_AGE_BAND_COUNT = 5 };

/* The cumulative score counts ages within this many years. */
#define EVAL_CS_YEARS 5.0

/* A normalised landmark error above this counts as a failure (the 300-W
 * literature's usual 8 %). */
#define EVAL_NME_FAILURE 0.08

/* What the pipeline said about one face. */
typedef struct eval_prediction {
  float box[4]; /* x, y, width, height */
  int has_landmarks;
  float landmarks[DAGER_LANDMARK_COUNT][2];
  int has_attributes;
  float age;
  dager_gender gender;
  dager_emotion emotion;
} eval_prediction;

typedef struct eval_metrics {
  size_t images;           /* images scored */
  size_t images_failed;    /* images that could not be read or analysed */
  size_t images_no_face;   /* images where no face was found */
  size_t faces_labelled;   /* labelled faces in scored images */
  size_t faces_found;      /* labelled faces matched by a prediction */
  size_t extra_detections; /* predictions matched to no labelled face */

  size_t age_count;
  double age_error_sum;
  size_t age_within_cs;
  size_t band_count[EVAL_AGE_BAND_COUNT];
  double band_error_sum[EVAL_AGE_BAND_COUNT];

  size_t gender_count;
  size_t gender_correct;

  /* confusion[labelled][predicted], in dager_emotion order */
  size_t confusion[DAGER_EMOTION_COUNT][DAGER_EMOTION_COUNT];

  /* One normalised error per face; kept for the median. */
  double *nme;
  size_t nme_count;
  size_t nme_capacity;
  size_t nme_unusable; /* labelled eye corners coincide */
} eval_metrics;

typedef struct eval_summary {
  double detection_rate; /* faces_found / faces_labelled; -1 when none */
  double age_mae;        /* -1 when there were no ages */
  double age_cs;         /* fraction within EVAL_CS_YEARS */
  double band_mae[EVAL_AGE_BAND_COUNT];
  double gender_accuracy;
  size_t emotion_count;
  double emotion_accuracy;
  double emotion_recall[DAGER_EMOTION_COUNT]; /* -1 for an empty class */
  double nme_mean;
  double nme_median;
  double nme_failure_rate; /* fraction above EVAL_NME_FAILURE */
} eval_summary;

void eval_metrics_init(eval_metrics *metrics);
void eval_metrics_free(eval_metrics *metrics);

/* The band index of a labelled age. */
int eval_age_band(float age);

/* Lower bound and (inclusive) upper bound of a band, for printing; the last
 * band's upper bound is -1. */
void eval_age_band_range(int band, int *low, int *high);

void eval_metrics_add_age(eval_metrics *metrics, float truth, float predicted);
void eval_metrics_add_gender(eval_metrics *metrics, dager_gender truth,
                             dager_gender predicted);
void eval_metrics_add_emotion(eval_metrics *metrics, dager_emotion truth,
                              dager_emotion predicted);

/*
 * The mean distance between predicted and labelled points divided by the
 * distance between the labelled outer eye corners (points 36 and 45, the
 * 300-W convention). Both hold DAGER_LANDMARK_COUNT x, y pairs. Negative
 * when those corners coincide.
 */
double eval_landmark_error(const float *truth, const float *predicted);

/* Adds a face's eval_landmark_error. Returns 0, -1 when the error is
 * unusable (counted in nme_unusable), -2 when memory ran out. */
int eval_metrics_add_landmarks(eval_metrics *metrics, const float *truth,
                               const float *predicted);

/* Intersection over union of two x, y, width, height boxes. */
double eval_box_iou(const float a[4], const float b[4]);

/*
 * Pairs labelled faces with predictions, each used at most once. A face
 * with a box takes, among the free predictions whose box centre lies inside
 * its box, the one of highest overlap. Faces without a box (pre-cropped or
 * single-face sets) take the strongest free prediction, which is the first
 * (results are strongest first). match[i] receives the prediction index for
 * face i, or -1. Returns the number of faces matched.
 */
size_t eval_match_faces(const eval_face_label *faces, size_t face_count,
                        const eval_prediction *predictions,
                        size_t prediction_count, long *match);

/*
 * Scores one image: matches, then adds every label that has a matched
 * prediction carrying that quantity. Returns -1 only when memory ran out.
 */
int eval_metrics_add_image(eval_metrics *metrics, const eval_sample *sample,
                           const eval_prediction *predictions,
                           size_t prediction_count);

/* An image that could not be read or analysed: counted, not scored. */
void eval_metrics_add_failure(eval_metrics *metrics);

void eval_metrics_summarize(const eval_metrics *metrics, eval_summary *summary);

#endif /* DAGER_EVAL_METRICS_H */
