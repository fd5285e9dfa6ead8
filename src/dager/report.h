/*
 * What dager prints about one image, gathered from the library first and
 * formatted afterwards, so the JSON and table writers never call into the
 * library halfway through a line.
 */
#ifndef DAGER_CLI_REPORT_H
#define DAGER_CLI_REPORT_H

#include <dager.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"

typedef struct cli_face_report {
  dager_face face;
  int has_descriptor;
  float descriptor[DAGER_DESCRIPTOR_SIZE];
  /* The aligned crop written for this face, or NULL. */
  char *crop_path;
} cli_face_report;

typedef struct cli_image_report {
  const char *path;
  int width;
  int height;
  int orientation;
  /* 0 with --decode-only: no faces were looked for. */
  int analysed;
  int truncated;
  size_t face_count;
  cli_face_report *faces;
  /* Files written for this image, or NULL. */
  char *annotated_path;
  char *ppm_path;
} cli_image_report;

typedef struct cli_report_fields {
  int landmarks;
  int descriptor;
} cli_report_fields;

/* Frees the faces and the paths; the report can then be reused. */
void cli_image_report_clear(cli_image_report *report);

/* Lower-case name of a status for the "status" field: "ok", "io",
 * "corrupt_image", ...; "unknown" for codes this program does not know. */
const char *cli_status_name(dager_status status);

/* One JSON object for an analysed image, into json (reset first). */
void cli_json_image(cli_json *json, const cli_image_report *report,
                    cli_report_fields fields);

/* One JSON object for an image that failed: path, status, message. */
void cli_json_failure(cli_json *json, const char *path, const char *status,
                      const char *message);

/* The --pretty form of the same. Return 0, or -1 when writing failed. */
int cli_table_image(FILE *stream, const cli_image_report *report);
int cli_table_failure(FILE *stream, const char *path, const char *status,
                      const char *message);

#endif /* DAGER_CLI_REPORT_H */
