/*
 * eval_report.h: dager-eval's output, as aligned text or as JSON.
 */
#ifndef DAGER_EVAL_REPORT_H
#define DAGER_EVAL_REPORT_H

#include <stdio.h>

#include "eval_metrics.h"

/* How the numbers were made, printed with them so a table can be
 * reproduced. */
typedef struct eval_run_info {
  const char *layout; /* "utkface", ... */
  const char *dataset_path;
  const char *mode;           /* "pipeline" or "crop-given" */
  const char *detector;       /* "ssd", "tiny" or "default" */
  const char *attribute_crop; /* "box", "aligned" or "default" */
  long landmark_passes;       /* 0: the library's default */
  long aligned_views;         /* 0: the library's default */
  const char *isa;            /* the kernels' instruction set */
  size_t every;
  size_t limit;   /* 0: none */
  size_t skipped; /* unreadable labels */
  double seconds; /* wall time of the analysis */
  /* Which labels the dataset has, so a section with no predictions is
   * reported as such instead of left out. */
  int has_age, has_gender, has_emotion, has_landmarks;
} eval_run_info;

/* The library's lower-case name of an emotion (no library call). */
const char *eval_emotion_name(int emotion);

void eval_report_text(FILE *out, const eval_run_info *info,
                      const eval_metrics *metrics);
void eval_report_json(FILE *out, const eval_run_info *info,
                      const eval_metrics *metrics);

/*
 * One CSV line per labelled face of sample: path, face index, whether it
 * was found, each label next to its prediction (empty when either is
 * missing), and the face's landmark error. The header comes first.
 */
void eval_report_faces_header(FILE *out);
int eval_report_faces(FILE *out, const eval_sample *sample,
                      const eval_prediction *predictions,
                      size_t prediction_count);

#endif /* DAGER_EVAL_REPORT_H */
