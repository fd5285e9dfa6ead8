/*
 * eval_dataset.c: readers for the dataset layouts dager-eval understands.
 * Every reader produces one eval_sample per image; datasets with one file
 * per face (300-W) or one row per face (CSV) are grouped by image path.
 */
#include "eval_dataset.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int set_error(char *error, size_t error_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int set_error(char *error, size_t error_size, const char *format, ...) {
  if (error != NULL && error_size > 0) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(error, error_size, format, arguments);
    va_end(arguments);
  }
  return -1;
}

static int equal_ignoring_case(const char *a, const char *b) {
  for (; *a != '\0' && *b != '\0'; a++, b++) {
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
      return 0;
    }
  }
  return *a == *b;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

static char *copy_string(const char *text) {
  size_t length = strlen(text);
  char *copy = malloc(length + 1);
  if (copy != NULL) {
    memcpy(copy, text, length + 1);
  }
  return copy;
}

static char *join_path(const char *folder, const char *name) {
  size_t folder_length = strlen(folder);
  size_t name_length = strlen(name);
  char *path = malloc(folder_length + name_length + 2);
  if (path == NULL) {
    return NULL;
  }
  memcpy(path, folder, folder_length);
  size_t at = folder_length;
  if (at > 0 && path[at - 1] != '/') {
    path[at++] = '/';
  }
  memcpy(path + at, name, name_length + 1);
  return path;
}

static int is_folder(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int is_file(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISREG(info.st_mode);
}

static int has_extension(const char *name, const char *extension) {
  size_t name_length = strlen(name);
  size_t extension_length = strlen(extension);
  return name_length > extension_length &&
         equal_ignoring_case(name + name_length - extension_length, extension);
}

static int is_image_name(const char *name) {
  return has_extension(name, ".jpg") || has_extension(name, ".jpeg") ||
         has_extension(name, ".png");
}

eval_layout eval_layout_from_name(const char *name) {
  if (strcmp(name, "utkface") == 0) {
    return EVAL_LAYOUT_UTKFACE;
  }
  if (strcmp(name, "fer") == 0 || strcmp(name, "folders") == 0) {
    return EVAL_LAYOUT_FOLDERS;
  }
  if (strcmp(name, "jaffe") == 0) {
    return EVAL_LAYOUT_JAFFE;
  }
  if (strcmp(name, "300w") == 0 || strcmp(name, "pts") == 0) {
    return EVAL_LAYOUT_PTS;
  }
  if (strcmp(name, "csv") == 0) {
    return EVAL_LAYOUT_CSV;
  }
  return (eval_layout)0;
}

/* ---- Parsers ---- */

/* Reads a run of decimal digits; returns the number of digits (0 when there
 * is none, or more than 9). */
static int read_digits(const char **cursor, long *value) {
  const char *start = *cursor;
  long number = 0;
  while (isdigit((unsigned char)**cursor)) {
    if (*cursor - start >= 9) {
      return 0;
    }
    number = number * 10 + (**cursor - '0');
    (*cursor)++;
  }
  *value = number;
  return (int)(*cursor - start);
}

int eval_parse_utkface_name(const char *file_name, eval_face_label *label) {
  const char *cursor = base_name(file_name);
  long age = 0;
  long gender = 0;
  long race = 0;
  /* All four fields must be there: UTKFace has a few names with one
   * missing, where the date would otherwise be read as the race. */
  if (read_digits(&cursor, &age) == 0 || age > 130 || *cursor++ != '_' ||
      read_digits(&cursor, &gender) != 1 || gender > 1 || *cursor++ != '_' ||
      read_digits(&cursor, &race) != 1 || race > 4 || *cursor != '_' ||
      !isdigit((unsigned char)cursor[1])) {
    return -1;
  }
  memset(label, 0, sizeof *label);
  label->has_age = 1;
  label->age = (float)age;
  label->has_gender = 1;
  label->gender = gender == 0 ? DAGER_GENDER_MALE : DAGER_GENDER_FEMALE;
  return 0;
}

int eval_parse_jaffe_name(const char *file_name, eval_face_label *label) {
  static const struct {
    char code[3];
    dager_emotion emotion;
  } codes[] = {
      {"AN", DAGER_EMOTION_ANGRY},     {"DI", DAGER_EMOTION_DISGUSTED},
      {"FE", DAGER_EMOTION_FEARFUL},   {"HA", DAGER_EMOTION_HAPPY},
      {"NE", DAGER_EMOTION_NEUTRAL},   {"SA", DAGER_EMOTION_SAD},
      {"SU", DAGER_EMOTION_SURPRISED},
  };
  const char *name = base_name(file_name);
  const char *dot = strchr(name, '.');
  if (dot == NULL || dot == name || dot[1] == '\0' || dot[2] == '\0' ||
      !isdigit((unsigned char)dot[3])) {
    return -1;
  }
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    if (dot[1] == codes[i].code[0] && dot[2] == codes[i].code[1]) {
      memset(label, 0, sizeof *label);
      label->has_emotion = 1;
      label->emotion = codes[i].emotion;
      return 0;
    }
  }
  return -1;
}

int eval_parse_emotion_name(const char *name, dager_emotion *emotion) {
  static const struct {
    const char *name;
    dager_emotion emotion;
  } names[] = {
      {"angry", DAGER_EMOTION_ANGRY},
      {"anger", DAGER_EMOTION_ANGRY},
      {"disgusted", DAGER_EMOTION_DISGUSTED},
      {"disgust", DAGER_EMOTION_DISGUSTED},
      {"fearful", DAGER_EMOTION_FEARFUL},
      {"fear", DAGER_EMOTION_FEARFUL},
      {"happy", DAGER_EMOTION_HAPPY},
      {"neutral", DAGER_EMOTION_NEUTRAL},
      {"sad", DAGER_EMOTION_SAD},
      {"surprised", DAGER_EMOTION_SURPRISED},
      {"surprise", DAGER_EMOTION_SURPRISED},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (equal_ignoring_case(name, names[i].name)) {
      *emotion = names[i].emotion;
      return 0;
    }
  }
  return -1;
}

int eval_parse_gender_name(const char *name, dager_gender *gender) {
  if (equal_ignoring_case(name, "male") || equal_ignoring_case(name, "m")) {
    *gender = DAGER_GENDER_MALE;
    return 0;
  }
  if (equal_ignoring_case(name, "female") || equal_ignoring_case(name, "f")) {
    *gender = DAGER_GENDER_FEMALE;
    return 0;
  }
  return -1;
}

int eval_parse_numbers(const char *text, float *out, int max) {
  int count = 0;
  const char *cursor = text;
  for (;;) {
    while (*cursor == ' ' || *cursor == '\t' || *cursor == ',' ||
           *cursor == ';') {
      cursor++;
    }
    if (*cursor == '\0') {
      return count;
    }
    char *end = NULL;
    errno = 0;
    double value = strtod(cursor, &end);
    if (end == cursor || errno != 0 || !isfinite(value) || count == max) {
      return -1;
    }
    out[count++] = (float)value;
    cursor = end;
    if (*cursor != '\0' && *cursor != ' ' && *cursor != '\t' &&
        *cursor != ',' && *cursor != ';') {
      return -1;
    }
  }
}

void eval_label_box_from_landmarks(eval_face_label *label) {
  float min_x = label->landmarks[0][0];
  float max_x = min_x;
  float min_y = label->landmarks[0][1];
  float max_y = min_y;
  for (int i = 1; i < DAGER_LANDMARK_COUNT; i++) {
    min_x = fminf(min_x, label->landmarks[i][0]);
    max_x = fmaxf(max_x, label->landmarks[i][0]);
    min_y = fminf(min_y, label->landmarks[i][1]);
    max_y = fmaxf(max_y, label->landmarks[i][1]);
  }
  label->has_box = 1;
  label->box[0] = min_x;
  label->box[1] = min_y;
  label->box[2] = max_x - min_x;
  label->box[3] = max_y - min_y;
}

/* Copies the next line (without its line end) into line; returns 0 at the
 * end of the text. */
static int next_line(const char **cursor, const char *end, char *line,
                     size_t line_size, size_t *line_number) {
  if (*cursor >= end) {
    return 0;
  }
  const char *start = *cursor;
  while (*cursor < end && **cursor != '\n') {
    (*cursor)++;
  }
  size_t length = (size_t)(*cursor - start);
  if (*cursor < end) {
    (*cursor)++;
  }
  if (length > 0 && start[length - 1] == '\r') {
    length--;
  }
  if (length >= line_size) {
    length = line_size - 1; /* too long to be a point: fails to parse */
  }
  memcpy(line, start, length);
  line[length] = '\0';
  (*line_number)++;
  return 1;
}

static int is_blank(const char *line) {
  while (*line == ' ' || *line == '\t') {
    line++;
  }
  return *line == '\0';
}

static const char *skip_spaces(const char *text) {
  while (*text == ' ' || *text == '\t') {
    text++;
  }
  return text;
}

int eval_parse_pts(const char *text, size_t length,
                   float points[DAGER_LANDMARK_COUNT][2], char *error,
                   size_t error_size) {
  const char *cursor = text;
  const char *end = text + length;
  char line[256];
  size_t line_number = 0;
  int count = 0;
  int headed = 0;
  int inside = 0;
  int closed = 0;
  while (next_line(&cursor, end, line, sizeof line, &line_number)) {
    const char *content = skip_spaces(line);
    if (is_blank(content)) {
      continue;
    }
    if (closed) {
      return set_error(error, error_size, "line %zu: text after '}'",
                       line_number);
    }
    if (!inside && count == 0 && strncmp(content, "version:", 8) == 0) {
      headed = 1;
      continue;
    }
    if (!inside && count == 0 && strncmp(content, "n_points:", 9) == 0) {
      float declared = 0;
      if (eval_parse_numbers(content + 9, &declared, 1) != 1 ||
          declared != (float)DAGER_LANDMARK_COUNT) {
        return set_error(error, error_size, "line %zu: n_points is not %d",
                         line_number, DAGER_LANDMARK_COUNT);
      }
      headed = 1;
      continue;
    }
    if (strcmp(content, "{") == 0) {
      if (inside || count > 0) {
        return set_error(error, error_size, "line %zu: unexpected '{'",
                         line_number);
      }
      inside = 1;
      continue;
    }
    if (strcmp(content, "}") == 0) {
      if (!inside) {
        return set_error(error, error_size, "line %zu: '}' without '{'",
                         line_number);
      }
      inside = 0;
      closed = 1;
      continue;
    }
    if (headed && !inside) {
      return set_error(error, error_size,
                       "line %zu: point outside the '{ }' block", line_number);
    }
    float xy[2];
    if (eval_parse_numbers(content, xy, 2) != 2) {
      return set_error(error, error_size, "line %zu: not an 'x y' pair",
                       line_number);
    }
    if (count == DAGER_LANDMARK_COUNT) {
      return set_error(error, error_size, "more than %d points",
                       DAGER_LANDMARK_COUNT);
    }
    points[count][0] = xy[0];
    points[count][1] = xy[1];
    count++;
  }
  if (inside) {
    return set_error(error, error_size, "'{' never closed");
  }
  if (count != DAGER_LANDMARK_COUNT) {
    return set_error(error, error_size, "%d points instead of %d", count,
                     DAGER_LANDMARK_COUNT);
  }
  return 0;
}

int eval_csv_parse(const char *text, size_t length, eval_csv_record_fn callback,
                   void *user, char *error, size_t error_size) {
  /* Fields are unquoted into one buffer as long as the text, so no field
   * can overflow it. */
  char *buffer = malloc(length + 1);
  size_t field_capacity = 16;
  char **fields = malloc(field_capacity * sizeof *fields);
  if (buffer == NULL || fields == NULL) {
    free(buffer);
    free(fields);
    return set_error(error, error_size, "out of memory");
  }
  size_t at = 0;
  size_t line = 1;
  int status = 0;
  while (at < length && status == 0) {
    size_t record_line = line;
    size_t field_count = 0;
    size_t written = 0;
    int record_done = 0;
    while (!record_done) {
      if (field_count == field_capacity) {
        char **grown = realloc(fields, 2 * field_capacity * sizeof *fields);
        if (grown == NULL) {
          status = set_error(error, error_size, "out of memory");
          break;
        }
        fields = grown;
        field_capacity *= 2;
      }
      fields[field_count++] = buffer + written;
      if (at < length && text[at] == '"') {
        at++;
        for (;;) {
          if (at >= length) {
            status =
                set_error(error, error_size,
                          "line %zu: quoted field never closes", record_line);
            break;
          }
          if (text[at] == '"') {
            if (at + 1 < length && text[at + 1] == '"') {
              buffer[written++] = '"';
              at += 2;
              continue;
            }
            at++;
            break;
          }
          if (text[at] == '\n') {
            line++;
          }
          buffer[written++] = text[at++];
        }
        if (status != 0) {
          break;
        }
        if (at < length && text[at] != ',' && text[at] != '\n' &&
            !(text[at] == '\r' && at + 1 < length && text[at + 1] == '\n') &&
            !(text[at] == '\r' && at + 1 == length)) {
          status = set_error(error, error_size,
                             "line %zu: text after a closing quote", line);
          break;
        }
      } else {
        while (at < length && text[at] != ',' && text[at] != '\n') {
          if (text[at] == '"') {
            status =
                set_error(error, error_size,
                          "line %zu: quote inside an unquoted field", line);
            break;
          }
          buffer[written++] = text[at++];
        }
        if (status != 0) {
          break;
        }
        if (written > 0 && buffer[written - 1] == '\r' &&
            (at >= length || text[at] == '\n')) {
          written--;
        }
      }
      buffer[written++] = '\0';
      if (at < length && text[at] == ',') {
        at++;
      } else {
        if (at < length && text[at] == '\r') {
          at++;
        }
        if (at < length && text[at] == '\n') {
          at++;
          line++;
        }
        record_done = 1;
      }
    }
    if (status != 0) {
      break;
    }
    /* A line with nothing on it is not a record. */
    if (field_count == 1 && fields[0][0] == '\0') {
      continue;
    }
    if (callback(user, record_line, fields, field_count) != 0) {
      break;
    }
  }
  free(buffer);
  free(fields);
  return status;
}

/* ---- The dataset list ---- */

static int add_sample(eval_dataset *dataset, char *path,
                      const eval_face_label *face) {
  eval_face_label *faces = malloc(sizeof *faces);
  if (faces == NULL) {
    free(path);
    return -1;
  }
  if (dataset->count == dataset->capacity) {
    size_t capacity = dataset->capacity == 0 ? 256 : dataset->capacity * 2;
    eval_sample *grown = realloc(dataset->samples, capacity * sizeof *grown);
    if (grown == NULL) {
      free(path);
      free(faces);
      return -1;
    }
    dataset->samples = grown;
    dataset->capacity = capacity;
  }
  *faces = *face;
  eval_sample *sample = &dataset->samples[dataset->count++];
  sample->path = path;
  sample->face_count = 1;
  sample->faces = faces;
  return 0;
}

void eval_dataset_free(eval_dataset *dataset) {
  for (size_t i = 0; i < dataset->count; i++) {
    free(dataset->samples[i].path);
    free(dataset->samples[i].faces);
  }
  free(dataset->samples);
  memset(dataset, 0, sizeof *dataset);
}

static int compare_samples(const void *a, const void *b) {
  return strcmp(((const eval_sample *)a)->path, ((const eval_sample *)b)->path);
}

/* Sorts by path and merges samples of the same image into one with all
 * their faces. */
static int sort_and_group(eval_dataset *dataset) {
  if (dataset->count == 0) {
    return 0;
  }
  qsort(dataset->samples, dataset->count, sizeof *dataset->samples,
        compare_samples);
  size_t kept = 0;
  for (size_t i = 1; i < dataset->count; i++) {
    eval_sample *last = &dataset->samples[kept];
    eval_sample *next = &dataset->samples[i];
    if (strcmp(last->path, next->path) != 0) {
      dataset->samples[++kept] = *next;
      continue;
    }
    eval_face_label *faces = realloc(
        last->faces, (last->face_count + next->face_count) * sizeof *faces);
    if (faces == NULL) {
      return -1;
    }
    memcpy(faces + last->face_count, next->faces,
           next->face_count * sizeof *faces);
    last->faces = faces;
    last->face_count += next->face_count;
    free(next->path);
    free(next->faces);
  }
  dataset->count = kept + 1;
  return 0;
}

void eval_dataset_subsample(eval_dataset *dataset, size_t every, size_t limit) {
  if (every < 1) {
    every = 1;
  }
  size_t kept = 0;
  for (size_t i = 0; i < dataset->count; i++) {
    int keep = i % every == 0 && (limit == 0 || kept < limit);
    if (keep) {
      dataset->samples[kept++] = dataset->samples[i];
    } else {
      free(dataset->samples[i].path);
      free(dataset->samples[i].faces);
    }
  }
  dataset->count = kept;
}

typedef int (*file_label_fn)(const char *name, eval_face_label *label);

/* One image per file in folder, labelled from its name; with fixed, every
 * image gets that label instead. */
static int read_named_files(const char *folder, file_label_fn parse,
                            const eval_face_label *fixed, eval_dataset *dataset,
                            char *error, size_t error_size) {
  DIR *directory = opendir(folder);
  if (directory == NULL) {
    return set_error(error, error_size, "cannot open folder %s: %s", folder,
                     strerror(errno));
  }
  int status = 0;
  struct dirent *entry;
  while (status == 0 && (entry = readdir(directory)) != NULL) {
    if (entry->d_name[0] == '.' || !is_image_name(entry->d_name)) {
      continue;
    }
    eval_face_label label;
    if (fixed != NULL) {
      label = *fixed;
    } else if (parse(entry->d_name, &label) != 0) {
      dataset->skipped++;
      continue;
    }
    char *path = join_path(folder, entry->d_name);
    if (path == NULL || add_sample(dataset, path, &label) != 0) {
      status = set_error(error, error_size, "out of memory");
    }
  }
  closedir(directory);
  return status;
}

static int read_class_folders(const char *root, eval_dataset *dataset,
                              char *error, size_t error_size) {
  DIR *directory = opendir(root);
  if (directory == NULL) {
    return set_error(error, error_size, "cannot open folder %s: %s", root,
                     strerror(errno));
  }
  int status = 0;
  int classes = 0;
  struct dirent *entry;
  while (status == 0 && (entry = readdir(directory)) != NULL) {
    eval_face_label label;
    memset(&label, 0, sizeof label);
    if (entry->d_name[0] == '.' ||
        eval_parse_emotion_name(entry->d_name, &label.emotion) != 0) {
      continue;
    }
    char *folder = join_path(root, entry->d_name);
    if (folder == NULL) {
      status = set_error(error, error_size, "out of memory");
      break;
    }
    if (is_folder(folder)) {
      label.has_emotion = 1;
      classes++;
      status =
          read_named_files(folder, NULL, &label, dataset, error, error_size);
    }
    free(folder);
  }
  closedir(directory);
  if (status == 0 && classes == 0) {
    return set_error(error, error_size,
                     "%s has no emotion class folders (angry, disgust, "
                     "fear, happy, neutral, sad, surprise)",
                     root);
  }
  return status;
}

static int read_whole_file(const char *path, char **text, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    return -1;
  }
  size_t capacity = 4096;
  size_t used = 0;
  char *buffer = malloc(capacity);
  while (buffer != NULL) {
    used += fread(buffer + used, 1, capacity - used, file);
    if (used < capacity) {
      break;
    }
    char *grown = realloc(buffer, capacity * 2);
    if (grown == NULL) {
      free(buffer);
      buffer = NULL;
      break;
    }
    buffer = grown;
    capacity *= 2;
  }
  int failed = buffer == NULL || ferror(file);
  fclose(file);
  if (failed) {
    free(buffer);
    return -1;
  }
  buffer[used < capacity ? used : capacity - 1] = '\0';
  *text = buffer;
  *length = used;
  return 0;
}

/* The image of a .pts file: the same name with an image extension, or, for
 * AFW, where several faces share one photo and only "<id>_1.jpg" is kept,
 * the lowest-numbered "<id>_<k>" image that exists. */
static char *find_pts_image(const char *folder, const char *pts_name) {
  static const char *const extensions[] = {".jpg", ".png", ".jpeg", ".JPG",
                                           ".PNG"};
  size_t stem_length = strlen(pts_name) - 4;
  char name[1100];
  if (stem_length + 8 > sizeof name) {
    return NULL;
  }
  for (int attempt = 0; attempt < 2; attempt++) {
    char stem[1024];
    memcpy(stem, pts_name, stem_length);
    stem[stem_length] = '\0';
    if (attempt == 1) {
      char *underscore = strrchr(stem, '_');
      if (underscore == NULL) {
        return NULL;
      }
      underscore[1] = '\0';
    }
    for (int k = attempt == 0 ? 0 : 1; k <= (attempt == 0 ? 0 : 32); k++) {
      for (size_t e = 0; e < sizeof extensions / sizeof extensions[0]; e++) {
        int written =
            attempt == 0
                ? snprintf(name, sizeof name, "%s%s", stem, extensions[e])
                : snprintf(name, sizeof name, "%s%d%s", stem, k, extensions[e]);
        if (written < 0 || (size_t)written >= sizeof name) {
          return NULL;
        }
        char *path = join_path(folder, name);
        if (path == NULL || is_file(path)) {
          return path;
        }
        free(path);
      }
    }
  }
  return NULL;
}

static int read_pts_folder(const char *folder, eval_dataset *dataset,
                           char *error, size_t error_size) {
  DIR *directory = opendir(folder);
  if (directory == NULL) {
    return set_error(error, error_size, "cannot open folder %s: %s", folder,
                     strerror(errno));
  }
  int status = 0;
  struct dirent *entry;
  while (status == 0 && (entry = readdir(directory)) != NULL) {
    if (entry->d_name[0] == '.' || !has_extension(entry->d_name, ".pts")) {
      continue;
    }
    char *pts_path = join_path(folder, entry->d_name);
    char *text = NULL;
    size_t length = 0;
    eval_face_label label;
    memset(&label, 0, sizeof label);
    char parse_error[128];
    if (pts_path == NULL) {
      status = set_error(error, error_size, "out of memory");
    } else if (read_whole_file(pts_path, &text, &length) != 0 ||
               eval_parse_pts(text, length, label.landmarks, parse_error,
                              sizeof parse_error) != 0) {
      dataset->skipped++;
    } else {
      char *image_path = find_pts_image(folder, entry->d_name);
      if (image_path == NULL) {
        dataset->skipped++;
      } else {
        label.has_landmarks = 1;
        eval_label_box_from_landmarks(&label);
        if (add_sample(dataset, image_path, &label) != 0) {
          status = set_error(error, error_size, "out of memory");
        }
      }
    }
    free(text);
    free(pts_path);
  }
  closedir(directory);
  return status;
}

/* ---- CSV datasets ---- */

enum {
  CSV_PATH,
  CSV_AGE,
  CSV_GENDER,
  CSV_EMOTION,
  CSV_LANDMARKS,
  CSV_BOX,
  CSV_COLUMN_COUNT
};

typedef struct csv_state {
  eval_dataset *dataset;
  char *folder; /* the CSV file's folder, for relative paths */
  long columns[CSV_COLUMN_COUNT];
  int header_done;
  int failed;
  char *error;
  size_t error_size;
} csv_state;

static int csv_header(csv_state *state, char **fields, size_t field_count) {
  static const struct {
    const char *name;
    int column;
  } names[] = {
      {"path", CSV_PATH},           {"file", CSV_PATH},
      {"image", CSV_PATH},          {"age", CSV_AGE},
      {"gender", CSV_GENDER},       {"emotion", CSV_EMOTION},
      {"landmarks", CSV_LANDMARKS}, {"box", CSV_BOX},
  };
  for (int c = 0; c < CSV_COLUMN_COUNT; c++) {
    state->columns[c] = -1;
  }
  for (size_t f = 0; f < field_count; f++) {
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
      if (equal_ignoring_case(fields[f], names[n].name) &&
          state->columns[names[n].column] < 0) {
        state->columns[names[n].column] = (long)f;
      }
    }
  }
  if (state->columns[CSV_PATH] < 0) {
    state->failed = 1;
    set_error(state->error, state->error_size,
              "the CSV header has no path column (path, file or image)");
    return 1;
  }
  state->header_done = 1;
  return 0;
}

static const char *csv_field(const csv_state *state, int column, char **fields,
                             size_t field_count) {
  long index = state->columns[column];
  if (index < 0 || (size_t)index >= field_count || fields[index][0] == '\0') {
    return NULL;
  }
  return fields[index];
}

/* Reads the labels of one row; -1 when one of them is malformed. */
static int csv_row_label(const csv_state *state, char **fields,
                         size_t field_count, eval_face_label *label) {
  memset(label, 0, sizeof *label);
  const char *age = csv_field(state, CSV_AGE, fields, field_count);
  const char *gender = csv_field(state, CSV_GENDER, fields, field_count);
  const char *emotion = csv_field(state, CSV_EMOTION, fields, field_count);
  const char *landmarks = csv_field(state, CSV_LANDMARKS, fields, field_count);
  const char *box = csv_field(state, CSV_BOX, fields, field_count);
  if (age != NULL) {
    if (eval_parse_numbers(age, &label->age, 1) != 1 || label->age < 0) {
      return -1;
    }
    label->has_age = 1;
  }
  if (gender != NULL) {
    if (eval_parse_gender_name(gender, &label->gender) != 0) {
      return -1;
    }
    label->has_gender = 1;
  }
  if (emotion != NULL) {
    if (eval_parse_emotion_name(emotion, &label->emotion) != 0) {
      return -1;
    }
    label->has_emotion = 1;
  }
  if (landmarks != NULL) {
    if (eval_parse_numbers(landmarks, &label->landmarks[0][0],
                           2 * DAGER_LANDMARK_COUNT) !=
        2 * DAGER_LANDMARK_COUNT) {
      return -1;
    }
    label->has_landmarks = 1;
    eval_label_box_from_landmarks(label);
  }
  if (box != NULL) {
    if (eval_parse_numbers(box, label->box, 4) != 4 || label->box[2] <= 0 ||
        label->box[3] <= 0) {
      return -1;
    }
    label->has_box = 1;
  }
  return 0;
}

static int csv_record(void *user, size_t line, char **fields,
                      size_t field_count) {
  (void)line;
  csv_state *state = user;
  if (!state->header_done) {
    return csv_header(state, fields, field_count);
  }
  const char *path = csv_field(state, CSV_PATH, fields, field_count);
  eval_face_label label;
  if (path == NULL || csv_row_label(state, fields, field_count, &label) != 0) {
    state->dataset->skipped++;
    return 0;
  }
  char *full =
      path[0] == '/' ? copy_string(path) : join_path(state->folder, path);
  if (full == NULL || add_sample(state->dataset, full, &label) != 0) {
    state->failed = 1;
    set_error(state->error, state->error_size, "out of memory");
    return 1;
  }
  return 0;
}

static int read_csv(const char *path, eval_dataset *dataset, char *error,
                    size_t error_size) {
  char *text = NULL;
  size_t length = 0;
  if (read_whole_file(path, &text, &length) != 0) {
    return set_error(error, error_size, "cannot read %s: %s", path,
                     strerror(errno));
  }
  csv_state state;
  memset(&state, 0, sizeof state);
  state.dataset = dataset;
  state.error = error;
  state.error_size = error_size;
  state.folder = copy_string(path);
  if (state.folder == NULL) {
    free(text);
    return set_error(error, error_size, "out of memory");
  }
  char *slash = strrchr(state.folder, '/');
  if (slash != NULL) {
    slash[1] = '\0';
  } else {
    state.folder[0] = '\0';
  }
  int status =
      eval_csv_parse(text, length, csv_record, &state, error, error_size);
  if (status == 0 && state.failed) {
    status = -1;
  }
  if (status == 0 && !state.header_done) {
    status = set_error(error, error_size, "%s is empty", path);
  }
  free(state.folder);
  free(text);
  return status;
}

int eval_dataset_read(eval_layout layout, const char *path,
                      eval_dataset *dataset, char *error, size_t error_size) {
  memset(dataset, 0, sizeof *dataset);
  int status;
  if (layout == EVAL_LAYOUT_CSV) {
    if (!is_file(path)) {
      return set_error(error, error_size, "dataset file %s does not exist",
                       path);
    }
    status = read_csv(path, dataset, error, error_size);
  } else {
    if (!is_folder(path)) {
      return set_error(error, error_size, "dataset folder %s does not exist",
                       path);
    }
    switch (layout) {
      case EVAL_LAYOUT_UTKFACE:
        status = read_named_files(path, eval_parse_utkface_name, NULL, dataset,
                                  error, error_size);
        break;
      case EVAL_LAYOUT_FOLDERS:
        status = read_class_folders(path, dataset, error, error_size);
        break;
      case EVAL_LAYOUT_JAFFE:
        status = read_named_files(path, eval_parse_jaffe_name, NULL, dataset,
                                  error, error_size);
        break;
      case EVAL_LAYOUT_PTS:
        status = read_pts_folder(path, dataset, error, error_size);
        break;
      default:
        status = set_error(error, error_size, "unknown dataset layout");
        break;
    }
  }
  if (status == 0 && sort_and_group(dataset) != 0) {
    status = set_error(error, error_size, "out of memory");
  }
  if (status == 0 && dataset->count == 0) {
    status =
        set_error(error, error_size, "no labelled images found in %s", path);
  }
  if (status != 0) {
    eval_dataset_free(dataset);
  }
  return status;
}
