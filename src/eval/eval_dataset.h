/*
 * eval_dataset.h: labelled face datasets in their native layouts, read into
 * one common list of images with the labels of the faces in each.
 *
 * This part of dager-eval does not call libdager (it only uses the enums of
 * dager.h), so its tests run without the networks.
 */
#ifndef DAGER_EVAL_DATASET_H
#define DAGER_EVAL_DATASET_H

#include <stddef.h>

#include "dager.h"

/* What is known about one face of a labelled image. */
typedef struct eval_face_label {
  int has_age;
  float age;
  int has_gender;
  dager_gender gender;
  int has_emotion;
  dager_emotion emotion;
  int has_landmarks;
  float landmarks[DAGER_LANDMARK_COUNT][2];
  /* x, y, width, height in pixels. Set from the labels when given,
   * otherwise derived from the landmarks (their tight box). */
  int has_box;
  float box[4];
} eval_face_label;

/* One image and its labelled faces. */
typedef struct eval_sample {
  char *path;
  size_t face_count;
  eval_face_label *faces;
} eval_sample;

typedef struct eval_dataset {
  eval_sample *samples;
  size_t count;
  size_t capacity;
  /* Files or rows that looked like data but whose labels could not be
   * read; they are left out and counted here. */
  size_t skipped;
} eval_dataset;

typedef enum eval_layout {
  EVAL_LAYOUT_UTKFACE = 1,
  EVAL_LAYOUT_FOLDERS = 2, /* one folder per class, FER-2013 style */
  EVAL_LAYOUT_JAFFE = 3,
  EVAL_LAYOUT_PTS = 4, /* 300-W: <name>.pts beside <name>.jpg */
  EVAL_LAYOUT_CSV = 5
} eval_layout;

/* "utkface", "fer" or "folders", "jaffe", "300w" or "pts", "csv"; 0 when
 * the name is not one of them. */
eval_layout eval_layout_from_name(const char *name);

/*
 * Reads the dataset at path (a folder, or a CSV file) into *dataset, sorted
 * by image path so that --every and --limit pick the same images on every
 * machine. Returns 0, or -1 with a sentence in error.
 */
int eval_dataset_read(eval_layout layout, const char *path,
                      eval_dataset *dataset, char *error, size_t error_size);

void eval_dataset_free(eval_dataset *dataset);

/* Keeps every k-th sample (from the first), then at most limit of them
 * (0: no limit). */
void eval_dataset_subsample(eval_dataset *dataset, size_t every, size_t limit);

/* ---- The parsers, public for the tests. Each returns 0 or -1. ---- */

/* UTKFace: "<age>_<gender>_<race>_<datetime>..." with gender 0 male, 1
 * female, race 0..4. Only the base name is looked at. */
int eval_parse_utkface_name(const char *file_name, eval_face_label *label);

/* JAFFE: "<subject>.<CODE><n>.<id>.<ext>", CODE one of AN DI FE HA NE SA
 * SU. */
int eval_parse_jaffe_name(const char *file_name, eval_face_label *label);

/* An emotion class name: the library's ("fearful") or FER-2013's ("fear"),
 * in any case. */
int eval_parse_emotion_name(const char *name, dager_emotion *emotion);

/* "male"/"female" or "m"/"f", in any case. Digits are refused, because
 * datasets disagree on which of 0 and 1 is which. */
int eval_parse_gender_name(const char *name, dager_gender *gender);

/*
 * A 300-W .pts file: either the headed form ("version: 1", "n_points: 68",
 * "{", 68 lines "x y", "}") or bare "x y" lines. Exactly 68 points.
 */
int eval_parse_pts(const char *text, size_t length,
                   float points[DAGER_LANDMARK_COUNT][2], char *error,
                   size_t error_size);

/*
 * Splits CSV text (RFC 4180: commas, double quotes, "" for a quote inside
 * quotes, LF or CRLF line ends, line breaks allowed inside quotes) into
 * records. For each record, callback receives its fields (NUL-terminated,
 * unquoted) and returns 0 to go on, nonzero to stop. Returns 0, or -1 for
 * malformed text (a quote that never closes, text after a closing quote).
 */
typedef int (*eval_csv_record_fn)(void *user, size_t line, char **fields,
                                  size_t field_count);
int eval_csv_parse(const char *text, size_t length, eval_csv_record_fn callback,
                   void *user, char *error, size_t error_size);

/* Up to max numbers separated by spaces, commas or semicolons; returns how
 * many were read, or -1 when something else is in the text. */
int eval_parse_numbers(const char *text, float *out, int max);

/* Sets label->box to the tight box of its landmarks. */
void eval_label_box_from_landmarks(eval_face_label *label);

#endif /* DAGER_EVAL_DATASET_H */
