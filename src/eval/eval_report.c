/*
 * eval_report.c: prints a run's numbers. Quantities that could not be
 * computed (no labels of that kind, or no predictions) are "-" in text and
 * null in JSON, never zero.
 */
#include "eval_report.h"

#include <stdlib.h>
#include <string.h>

const char *eval_emotion_name(int emotion) {
  static const char *const names[DAGER_EMOTION_COUNT] = {
      "angry", "disgusted", "fearful", "happy", "neutral", "sad", "surprised"};
  return emotion >= 0 && emotion < DAGER_EMOTION_COUNT ? names[emotion]
                                                       : "unknown";
}

/* A percentage, or "-" when the value is missing (negative). */
static void print_percent(FILE *out, const char *label, double value) {
  if (value < 0.0) {
    fprintf(out, "  %-26s -\n", label);
  } else {
    fprintf(out, "  %-26s %.2f %%\n", label, 100.0 * value);
  }
}

static void text_age(FILE *out, const eval_metrics *metrics,
                     const eval_summary *summary) {
  fprintf(out, "age (%zu faces)\n", metrics->age_count);
  if (metrics->age_count == 0) {
    fprintf(out, "  no face with an age label was analysed\n");
    return;
  }
  fprintf(out, "  %-26s %.2f years\n", "MAE", summary->age_mae);
  print_percent(out, "CS@5 (|error| <= 5)", summary->age_cs);
  for (int band = 0; band < EVAL_AGE_BAND_COUNT; band++) {
    int low = 0;
    int high = 0;
    eval_age_band_range(band, &low, &high);
    char name[32];
    if (high < 0) {
      snprintf(name, sizeof name, "MAE %d+", low);
    } else {
      snprintf(name, sizeof name, "MAE %d-%d", low, high);
    }
    if (summary->band_mae[band] < 0.0) {
      fprintf(out, "  %-26s -      (n=0)\n", name);
    } else {
      fprintf(out, "  %-26s %.2f years (n=%zu)\n", name,
              summary->band_mae[band], metrics->band_count[band]);
    }
  }
}

static void text_emotion(FILE *out, const eval_metrics *metrics,
                         const eval_summary *summary) {
  fprintf(out, "emotion (%zu faces)\n", summary->emotion_count);
  if (summary->emotion_count == 0) {
    fprintf(out, "  no face with an emotion label was analysed\n");
    return;
  }
  print_percent(out, "accuracy", summary->emotion_accuracy);
  fprintf(out, "  confusion (rows: label, columns: predicted)\n");
  fprintf(out, "  %-10s", "");
  for (int predicted = 0; predicted < DAGER_EMOTION_COUNT; predicted++) {
    fprintf(out, " %9.9s", eval_emotion_name(predicted));
  }
  fprintf(out, "  %7s\n", "recall");
  for (int truth = 0; truth < DAGER_EMOTION_COUNT; truth++) {
    fprintf(out, "  %-10s", eval_emotion_name(truth));
    for (int predicted = 0; predicted < DAGER_EMOTION_COUNT; predicted++) {
      fprintf(out, " %9zu", metrics->confusion[truth][predicted]);
    }
    if (summary->emotion_recall[truth] < 0.0) {
      fprintf(out, "  %7s\n", "-");
    } else {
      fprintf(out, "  %6.2f%%\n", 100.0 * summary->emotion_recall[truth]);
    }
  }
}

void eval_report_text(FILE *out, const eval_run_info *info,
                      const eval_metrics *metrics) {
  eval_summary summary;
  eval_metrics_summarize(metrics, &summary);
  fprintf(out, "dataset %s (%s), %s, detector %s, attribute crop %s, ",
          info->dataset_path, info->layout, info->mode, info->detector,
          info->attribute_crop);
  if (info->landmark_passes > 0)
    fprintf(out, "landmark passes %ld, ", info->landmark_passes);
  if (info->aligned_views > 0)
    fprintf(out, "aligned views %ld, ", info->aligned_views);
  fprintf(out, "%s\n", info->isa != NULL ? info->isa : "-");
  fprintf(out, "images %zu (every %zu",
          metrics->images + metrics->images_failed, info->every);
  if (info->limit > 0) {
    fprintf(out, ", limit %zu", info->limit);
  }
  fprintf(out, "), %.1f s, %.1f ms per image\n", info->seconds,
          metrics->images + metrics->images_failed > 0
              ? 1000.0 * info->seconds /
                    (double)(metrics->images + metrics->images_failed)
              : 0.0);
  fprintf(out, "  %-26s %zu\n", "labels unreadable", info->skipped);
  fprintf(out, "  %-26s %zu\n", "images failed", metrics->images_failed);
  fprintf(out, "  %-26s %zu\n", "images with no face", metrics->images_no_face);
  fprintf(out, "  %-26s %zu of %zu\n", "labelled faces found",
          metrics->faces_found, metrics->faces_labelled);
  print_percent(out, "detection rate", summary.detection_rate);
  fprintf(out, "  %-26s %zu\n", "unmatched detections",
          metrics->extra_detections);
  if (info->has_age) {
    text_age(out, metrics, &summary);
  }
  if (info->has_gender) {
    fprintf(out, "gender (%zu faces)\n", metrics->gender_count);
    print_percent(out, "accuracy", summary.gender_accuracy);
  }
  if (info->has_emotion) {
    text_emotion(out, metrics, &summary);
  }
  if (info->has_landmarks) {
    fprintf(out,
            "landmarks (%zu faces; error / outer-eye-corner distance, "
            "points 36-45)\n",
            metrics->nme_count);
    print_percent(out, "NME mean", summary.nme_mean);
    print_percent(out, "NME median", summary.nme_median);
    print_percent(out, "failures (NME > 8 %)", summary.nme_failure_rate);
    if (metrics->nme_unusable > 0) {
      fprintf(out, "  %-26s %zu\n", "labels with eyes coinciding",
              metrics->nme_unusable);
    }
  }
}

/* ---- One line per face ---- */

static const char *gender_name(dager_gender gender) {
  return gender == DAGER_GENDER_MALE     ? "male"
         : gender == DAGER_GENDER_FEMALE ? "female"
                                         : "unknown";
}

void eval_report_faces_header(FILE *out) {
  fputs(
      "path,face,found,age,predicted_age,gender,predicted_gender,emotion,"
      "predicted_emotion,nme\n",
      out);
}

static void csv_path(FILE *out, const char *path) {
  if (strpbrk(path, ",\"\r\n") == NULL) {
    fputs(path, out);
    return;
  }
  fputc('"', out);
  for (const char *c = path; *c != '\0'; c++) {
    if (*c == '"') {
      fputc('"', out);
    }
    fputc(*c, out);
  }
  fputc('"', out);
}

int eval_report_faces(FILE *out, const eval_sample *sample,
                      const eval_prediction *predictions,
                      size_t prediction_count) {
  long *match = malloc((sample->face_count + 1) * sizeof *match);
  if (match == NULL) {
    return -1;
  }
  eval_match_faces(sample->faces, sample->face_count, predictions,
                   prediction_count, match);
  for (size_t f = 0; f < sample->face_count; f++) {
    const eval_face_label *label = &sample->faces[f];
    const eval_prediction *found =
        match[f] >= 0 ? &predictions[match[f]] : NULL;
    int attributes = found != NULL && found->has_attributes;
    csv_path(out, sample->path);
    fprintf(out, ",%zu,%d,", f, found != NULL);
    if (label->has_age) {
      fprintf(out, "%g", (double)label->age);
    }
    fputc(',', out);
    if (label->has_age && attributes) {
      fprintf(out, "%.2f", (double)found->age);
    }
    fprintf(out, ",%s,", label->has_gender ? gender_name(label->gender) : "");
    if (label->has_gender && attributes) {
      fputs(gender_name(found->gender), out);
    }
    fprintf(out, ",%s,",
            label->has_emotion ? eval_emotion_name(label->emotion) : "");
    if (label->has_emotion && attributes) {
      fputs(eval_emotion_name(found->emotion), out);
    }
    fputc(',', out);
    if (label->has_landmarks && found != NULL && found->has_landmarks) {
      double error =
          eval_landmark_error(&label->landmarks[0][0], &found->landmarks[0][0]);
      if (error >= 0.0) {
        fprintf(out, "%.5f", error);
      }
    }
    fputc('\n', out);
  }
  free(match);
  return 0;
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *text) {
  fputc('"', out);
  for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
    if (*c == '"' || *c == '\\') {
      fprintf(out, "\\%c", *c);
    } else if (*c < 0x20) {
      fprintf(out, "\\u%04x", *c);
    } else {
      fputc(*c, out);
    }
  }
  fputc('"', out);
}

static void json_number(FILE *out, double value) {
  if (value < 0.0) {
    fputs("null", out);
  } else {
    fprintf(out, "%.6g", value);
  }
}

static void json_age(FILE *out, const eval_metrics *metrics,
                     const eval_summary *summary) {
  fprintf(out, ",\n  \"age\": {\"count\": %zu, \"mae\": ", metrics->age_count);
  json_number(out, summary->age_mae);
  fputs(", \"cs5\": ", out);
  json_number(out, summary->age_cs);
  fputs(", \"bands\": [", out);
  for (int band = 0; band < EVAL_AGE_BAND_COUNT; band++) {
    int low = 0;
    int high = 0;
    eval_age_band_range(band, &low, &high);
    fprintf(out, "%s{\"low\": %d, \"high\": ", band > 0 ? ", " : "", low);
    if (high < 0) {
      fputs("null", out);
    } else {
      fprintf(out, "%d", high);
    }
    fprintf(out, ", \"count\": %zu, \"mae\": ", metrics->band_count[band]);
    json_number(out, summary->band_mae[band]);
    fputc('}', out);
  }
  fputs("]}", out);
}

static void json_emotion(FILE *out, const eval_metrics *metrics,
                         const eval_summary *summary) {
  fprintf(out, ",\n  \"emotion\": {\"count\": %zu, \"accuracy\": ",
          summary->emotion_count);
  json_number(out, summary->emotion_accuracy);
  fputs(", \"classes\": [", out);
  for (int c = 0; c < DAGER_EMOTION_COUNT; c++) {
    fprintf(out, "%s\"%s\"", c > 0 ? ", " : "", eval_emotion_name(c));
  }
  fputs("],\n    \"recall\": [", out);
  for (int c = 0; c < DAGER_EMOTION_COUNT; c++) {
    fputs(c > 0 ? ", " : "", out);
    json_number(out, summary->emotion_recall[c]);
  }
  fputs("],\n    \"confusion\": [", out);
  for (int truth = 0; truth < DAGER_EMOTION_COUNT; truth++) {
    fputs(truth > 0 ? ",\n                  [" : "[", out);
    for (int predicted = 0; predicted < DAGER_EMOTION_COUNT; predicted++) {
      fprintf(out, "%s%zu", predicted > 0 ? ", " : "",
              metrics->confusion[truth][predicted]);
    }
    fputc(']', out);
  }
  fputs("]}", out);
}

void eval_report_json(FILE *out, const eval_run_info *info,
                      const eval_metrics *metrics) {
  eval_summary summary;
  eval_metrics_summarize(metrics, &summary);
  fputs("{\n  \"dataset\": ", out);
  json_string(out, info->dataset_path);
  fputs(", \"layout\": ", out);
  json_string(out, info->layout);
  fputs(", \"mode\": ", out);
  json_string(out, info->mode);
  fputs(",\n  \"detector\": ", out);
  json_string(out, info->detector);
  fputs(", \"attribute_crop\": ", out);
  json_string(out, info->attribute_crop);
  fputs(", \"isa\": ", out);
  json_string(out, info->isa != NULL ? info->isa : "");
  /* null: not given, so the library's default for the crop. */
  fputs(", \"landmark_passes\": ", out);
  if (info->landmark_passes > 0)
    fprintf(out, "%ld", info->landmark_passes);
  else
    fputs("null", out);
  fputs(", \"aligned_views\": ", out);
  if (info->aligned_views > 0)
    fprintf(out, "%ld", info->aligned_views);
  else
    fputs("null", out);
  fprintf(out, ", \"every\": %zu, \"limit\": %zu, \"seconds\": %.3f,\n",
          info->every, info->limit, info->seconds);
  fprintf(out,
          "  \"images\": %zu, \"images_failed\": %zu, "
          "\"images_no_face\": %zu, \"labels_unreadable\": %zu,\n",
          metrics->images + metrics->images_failed, metrics->images_failed,
          metrics->images_no_face, info->skipped);
  fprintf(out,
          "  \"faces_labelled\": %zu, \"faces_found\": %zu, "
          "\"unmatched_detections\": %zu, \"detection_rate\": ",
          metrics->faces_labelled, metrics->faces_found,
          metrics->extra_detections);
  json_number(out, summary.detection_rate);
  if (info->has_age) {
    json_age(out, metrics, &summary);
  }
  if (info->has_gender) {
    fprintf(out, ",\n  \"gender\": {\"count\": %zu, \"accuracy\": ",
            metrics->gender_count);
    json_number(out, summary.gender_accuracy);
    fputc('}', out);
  }
  if (info->has_emotion) {
    json_emotion(out, metrics, &summary);
  }
  if (info->has_landmarks) {
    fprintf(out,
            ",\n  \"landmarks\": {\"count\": %zu, \"normalisation\": "
            "\"outer eye corners 36-45\", \"nme_mean\": ",
            metrics->nme_count);
    json_number(out, summary.nme_mean);
    fputs(", \"nme_median\": ", out);
    json_number(out, summary.nme_median);
    fputs(", \"failure_rate_0.08\": ", out);
    json_number(out, summary.nme_failure_rate);
    fprintf(out, ", \"unusable\": %zu}", metrics->nme_unusable);
  }
  fputs("\n}\n", out);
}
