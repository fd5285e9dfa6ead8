/*
 * eval_metrics.c: matching predictions to labels and the sums behind every
 * number dager-eval prints.
 */
#include "eval_metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void eval_metrics_init(eval_metrics *metrics) {
  memset(metrics, 0, sizeof *metrics);
}

void eval_metrics_free(eval_metrics *metrics) {
  free(metrics->nme);
  memset(metrics, 0, sizeof *metrics);
}

int eval_age_band(float age) {
  if (age < 13.0f) {
    return 0;
  }
  if (age < 20.0f) {
    return 1;
  }
  if (age < 40.0f) {
    return 2;
  }
  if (age < 60.0f) {
    return 3;
  }
  return 4;
}

void eval_age_band_range(int band, int *low, int *high) {
  static const int lows[EVAL_AGE_BAND_COUNT] = {0, 13, 20, 40, 60};
  static const int highs[EVAL_AGE_BAND_COUNT] = {12, 19, 39, 59, -1};
  *low = lows[band];
  *high = highs[band];
}

void eval_metrics_add_age(eval_metrics *metrics, float truth, float predicted) {
  double error = fabs((double)predicted - (double)truth);
  int band = eval_age_band(truth);
  metrics->age_count++;
  metrics->age_error_sum += error;
  if (error <= EVAL_CS_YEARS) {
    metrics->age_within_cs++;
  }
  metrics->band_count[band]++;
  metrics->band_error_sum[band] += error;
}

void eval_metrics_add_gender(eval_metrics *metrics, dager_gender truth,
                             dager_gender predicted) {
  metrics->gender_count++;
  if (truth == predicted) {
    metrics->gender_correct++;
  }
}

void eval_metrics_add_emotion(eval_metrics *metrics, dager_emotion truth,
                              dager_emotion predicted) {
  if ((unsigned)truth < DAGER_EMOTION_COUNT &&
      (unsigned)predicted < DAGER_EMOTION_COUNT) {
    metrics->confusion[truth][predicted]++;
  }
}

double eval_landmark_error(const float *truth, const float *predicted) {
  const float *left = truth + 2 * 36;
  const float *right = truth + 2 * 45;
  double ocular = hypot((double)right[0] - (double)left[0],
                        (double)right[1] - (double)left[1]);
  if (!(ocular > 0.0)) {
    return -1.0;
  }
  double sum = 0.0;
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    sum += hypot((double)predicted[2 * i] - (double)truth[2 * i],
                 (double)predicted[2 * i + 1] - (double)truth[2 * i + 1]);
  }
  return sum / DAGER_LANDMARK_COUNT / ocular;
}

int eval_metrics_add_landmarks(eval_metrics *metrics, const float *truth,
                               const float *predicted) {
  double error = eval_landmark_error(truth, predicted);
  if (error < 0.0) {
    metrics->nme_unusable++;
    return -1;
  }
  if (metrics->nme_count == metrics->nme_capacity) {
    size_t capacity =
        metrics->nme_capacity == 0 ? 256 : metrics->nme_capacity * 2;
    double *grown = realloc(metrics->nme, capacity * sizeof *grown);
    if (grown == NULL) {
      return -2;
    }
    metrics->nme = grown;
    metrics->nme_capacity = capacity;
  }
  metrics->nme[metrics->nme_count++] = error;
  return 0;
}

double eval_box_iou(const float a[4], const float b[4]) {
  double left = fmax((double)a[0], (double)b[0]);
  double top = fmax((double)a[1], (double)b[1]);
  double right = fmin((double)a[0] + (double)a[2], (double)b[0] + (double)b[2]);
  double bottom =
      fmin((double)a[1] + (double)a[3], (double)b[1] + (double)b[3]);
  if (right <= left || bottom <= top) {
    return 0.0;
  }
  double overlap = (right - left) * (bottom - top);
  double total =
      (double)a[2] * (double)a[3] + (double)b[2] * (double)b[3] - overlap;
  return total > 0.0 ? overlap / total : 0.0;
}

size_t eval_match_faces(const eval_face_label *faces, size_t face_count,
                        const eval_prediction *predictions,
                        size_t prediction_count, long *match) {
  size_t matched = 0;
  for (size_t f = 0; f < face_count; f++) {
    match[f] = -1;
    double best_overlap = -1.0;
    for (size_t p = 0; p < prediction_count; p++) {
      int taken = 0;
      for (size_t g = 0; g < f; g++) {
        taken |= match[g] == (long)p;
      }
      if (taken) {
        continue;
      }
      if (!faces[f].has_box) {
        match[f] = (long)p;
        break;
      }
      const float *box = faces[f].box;
      const float *found = predictions[p].box;
      float centre_x = found[0] + 0.5f * found[2];
      float centre_y = found[1] + 0.5f * found[3];
      if (centre_x < box[0] || centre_x > box[0] + box[2] ||
          centre_y < box[1] || centre_y > box[1] + box[3]) {
        continue;
      }
      double overlap = eval_box_iou(box, found);
      if (overlap > best_overlap) {
        best_overlap = overlap;
        match[f] = (long)p;
      }
    }
    if (match[f] >= 0) {
      matched++;
    }
  }
  return matched;
}

int eval_metrics_add_image(eval_metrics *metrics, const eval_sample *sample,
                           const eval_prediction *predictions,
                           size_t prediction_count) {
  long *match = malloc((sample->face_count + 1) * sizeof *match);
  if (match == NULL) {
    return -1;
  }
  size_t matched = eval_match_faces(sample->faces, sample->face_count,
                                    predictions, prediction_count, match);
  metrics->images++;
  if (prediction_count == 0) {
    metrics->images_no_face++;
  }
  metrics->faces_labelled += sample->face_count;
  metrics->faces_found += matched;
  metrics->extra_detections += prediction_count - matched;
  int status = 0;
  for (size_t f = 0; f < sample->face_count; f++) {
    if (match[f] < 0) {
      continue;
    }
    const eval_face_label *label = &sample->faces[f];
    const eval_prediction *prediction = &predictions[match[f]];
    if (prediction->has_attributes) {
      if (label->has_age) {
        eval_metrics_add_age(metrics, label->age, prediction->age);
      }
      if (label->has_gender) {
        eval_metrics_add_gender(metrics, label->gender, prediction->gender);
      }
      if (label->has_emotion) {
        eval_metrics_add_emotion(metrics, label->emotion, prediction->emotion);
      }
    }
    if (label->has_landmarks && prediction->has_landmarks &&
        eval_metrics_add_landmarks(metrics, &label->landmarks[0][0],
                                   &prediction->landmarks[0][0]) == -2) {
      status = -1;
    }
  }
  free(match);
  return status;
}

void eval_metrics_add_failure(eval_metrics *metrics) {
  metrics->images_failed++;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a;
  double y = *(const double *)b;
  return (x > y) - (x < y);
}

static double ratio(double part, size_t whole) {
  return whole > 0 ? part / (double)whole : -1.0;
}

void eval_metrics_summarize(const eval_metrics *metrics,
                            eval_summary *summary) {
  summary->detection_rate =
      ratio((double)metrics->faces_found, metrics->faces_labelled);
  summary->age_mae = ratio(metrics->age_error_sum, metrics->age_count);
  summary->age_cs = ratio((double)metrics->age_within_cs, metrics->age_count);
  for (int band = 0; band < EVAL_AGE_BAND_COUNT; band++) {
    summary->band_mae[band] =
        ratio(metrics->band_error_sum[band], metrics->band_count[band]);
  }
  summary->gender_accuracy =
      ratio((double)metrics->gender_correct, metrics->gender_count);

  size_t total = 0;
  size_t correct = 0;
  for (int truth = 0; truth < DAGER_EMOTION_COUNT; truth++) {
    size_t row = 0;
    for (int predicted = 0; predicted < DAGER_EMOTION_COUNT; predicted++) {
      row += metrics->confusion[truth][predicted];
    }
    summary->emotion_recall[truth] =
        ratio((double)metrics->confusion[truth][truth], row);
    total += row;
    correct += metrics->confusion[truth][truth];
  }
  summary->emotion_count = total;
  summary->emotion_accuracy = ratio((double)correct, total);

  summary->nme_mean = -1.0;
  summary->nme_median = -1.0;
  summary->nme_failure_rate = -1.0;
  if (metrics->nme_count > 0) {
    double *sorted = malloc(metrics->nme_count * sizeof *sorted);
    double sum = 0.0;
    size_t failures = 0;
    for (size_t i = 0; i < metrics->nme_count; i++) {
      sum += metrics->nme[i];
      failures += metrics->nme[i] > EVAL_NME_FAILURE;
    }
    summary->nme_mean = sum / (double)metrics->nme_count;
    summary->nme_failure_rate = ratio((double)failures, metrics->nme_count);
    if (sorted != NULL) {
      size_t n = metrics->nme_count;
      memcpy(sorted, metrics->nme, n * sizeof *sorted);
      qsort(sorted, n, sizeof *sorted, compare_doubles);
      summary->nme_median = n % 2 == 1
                                ? sorted[n / 2]
                                : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
      free(sorted);
    }
  }
}
