#include "report.h"

#include <stdlib.h>
#include <string.h>

void cli_image_report_clear(cli_image_report *report) {
  for (size_t i = 0; i < report->face_count; i++) {
    free(report->faces[i].crop_path);
  }
  free(report->faces);
  free(report->annotated_path);
  free(report->ppm_path);
  memset(report, 0, sizeof(*report));
}

const char *cli_status_name(dager_status status) {
  /* The enum's names, lower-cased, without the DAGER_ERROR_ prefix; the
   * codes are fixed forever, so this table only grows. */
  static const char *const names[] = {
      "ok",                 /* DAGER_OK */
      "invalid_argument",   /* DAGER_ERROR_INVALID_ARGUMENT */
      "out_of_memory",      /* DAGER_ERROR_OUT_OF_MEMORY */
      "io",                 /* DAGER_ERROR_IO */
      "unsupported_format", /* DAGER_ERROR_UNSUPPORTED_FORMAT */
      "corrupt_image",      /* DAGER_ERROR_CORRUPT_IMAGE */
      "image_too_large",    /* DAGER_ERROR_IMAGE_TOO_LARGE */
      "model_invalid",      /* DAGER_ERROR_MODEL_INVALID */
      "model_version",      /* DAGER_ERROR_MODEL_VERSION */
      "model_wrong_task",   /* DAGER_ERROR_MODEL_WRONG_TASK */
      "unknown_option",     /* DAGER_ERROR_UNKNOWN_OPTION */
      "out_of_range",       /* DAGER_ERROR_OUT_OF_RANGE */
      "not_loaded",         /* DAGER_ERROR_NOT_LOADED */
      "internal",           /* DAGER_ERROR_INTERNAL */
  };
  if ((unsigned)status < sizeof(names) / sizeof(names[0])) {
    return names[status];
  }
  return "unknown";
}

static void json_face(cli_json *json, const cli_face_report *report,
                      cli_report_fields fields) {
  const dager_face *face = &report->face;
  cli_json_begin_object(json);
  cli_json_key(json, "box");
  cli_json_begin_object(json);
  cli_json_key(json, "x");
  cli_json_float(json, face->x);
  cli_json_key(json, "y");
  cli_json_float(json, face->y);
  cli_json_key(json, "width");
  cli_json_float(json, face->width);
  cli_json_key(json, "height");
  cli_json_float(json, face->height);
  cli_json_end_object(json);
  cli_json_key(json, "score");
  cli_json_float(json, face->score);
  cli_json_key(json, "cut_by_border");
  cli_json_boolean(json, face->cut_by_border);

  if (face->has_attributes) {
    cli_json_key(json, "age");
    cli_json_float(json, face->age);
    cli_json_key(json, "gender");
    cli_json_string(json, dager_gender_name(face->gender));
    cli_json_key(json, "gender_probability");
    cli_json_float(json, face->gender_probability);
    cli_json_key(json, "emotion");
    cli_json_string(json, dager_emotion_name(face->dominant_emotion));
    cli_json_key(json, "emotions");
    cli_json_begin_object(json);
    for (int i = 0; i < DAGER_EMOTION_COUNT; i++) {
      cli_json_key(json, dager_emotion_name((dager_emotion)i));
      cli_json_float(json, face->emotions[i]);
    }
    cli_json_end_object(json);
  }

  if (fields.landmarks && face->has_landmarks) {
    cli_json_key(json, "landmarks");
    cli_json_begin_array(json);
    for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
      cli_json_begin_array(json);
      cli_json_float(json, face->landmarks[i][0]);
      cli_json_float(json, face->landmarks[i][1]);
      cli_json_end_array(json);
    }
    cli_json_end_array(json);
  }

  if (fields.descriptor && report->has_descriptor) {
    cli_json_key(json, "descriptor");
    cli_json_begin_array(json);
    for (int i = 0; i < DAGER_DESCRIPTOR_SIZE; i++) {
      cli_json_float(json, report->descriptor[i]);
    }
    cli_json_end_array(json);
  }

  if (report->crop_path) {
    cli_json_key(json, "crop");
    cli_json_string(json, report->crop_path);
  }
  cli_json_end_object(json);
}

void cli_json_image(cli_json *json, const cli_image_report *report,
                    cli_report_fields fields) {
  cli_json_reset(json);
  cli_json_begin_object(json);
  cli_json_key(json, "path");
  cli_json_string(json, report->path);
  cli_json_key(json, "status");
  cli_json_string(json, "ok");
  cli_json_key(json, "width");
  cli_json_integer(json, report->width);
  cli_json_key(json, "height");
  cli_json_integer(json, report->height);
  cli_json_key(json, "orientation");
  cli_json_integer(json, report->orientation);
  if (report->analysed) {
    cli_json_key(json, "truncated");
    cli_json_boolean(json, report->truncated);
    cli_json_key(json, "faces");
    cli_json_begin_array(json);
    for (size_t i = 0; i < report->face_count; i++) {
      json_face(json, &report->faces[i], fields);
    }
    cli_json_end_array(json);
  }
  if (report->annotated_path) {
    cli_json_key(json, "annotated");
    cli_json_string(json, report->annotated_path);
  }
  if (report->ppm_path) {
    cli_json_key(json, "ppm");
    cli_json_string(json, report->ppm_path);
  }
  cli_json_end_object(json);
}

void cli_json_failure(cli_json *json, const char *path, const char *status,
                      const char *message) {
  cli_json_reset(json);
  cli_json_begin_object(json);
  cli_json_key(json, "path");
  cli_json_string(json, path);
  cli_json_key(json, "status");
  cli_json_string(json, status);
  cli_json_key(json, "message");
  cli_json_string(json, message);
  cli_json_end_object(json);
}
