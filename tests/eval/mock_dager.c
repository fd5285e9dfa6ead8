/*
 * A stand-in for libdager with the calls dager-eval makes, so the whole
 * program can be tested with answers chosen by the test. An "image" is a
 * text file:
 *
 *   mock <width> <height>
 *   face <x> <y> <width> <height> <age> <m|f> <emotion>
 *   ...
 *
 * and analysing it reports exactly those faces. Their landmarks follow a
 * fixed pattern inside the box (see mock_landmark) that the test can
 * reproduce. Pixels are all 255, so an image dager-eval padded with black
 * shows the offset at which the original sits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dager.h"

enum { MOCK_MAX_FACES = 8 };

typedef struct mock_face {
  float x, y, width, height, age;
  dager_gender gender;
  dager_emotion emotion;
} mock_face;

struct dager_image {
  int width, height;
  uint8_t *pixels;
  size_t face_count;
  mock_face faces[MOCK_MAX_FACES];
};

struct dager_result {
  size_t face_count;
  dager_face faces[MOCK_MAX_FACES];
};

struct dager_options {
  int unused;
};
struct dager_engine {
  int unused;
};
struct dager_session {
  int unused;
};

/* The faces of the last file loaded; padded copies made from pixels take
 * them over. */
static dager_image last_loaded;
static char last_error[256];

const char *dager_last_error_message(void) {
  return last_error;
}

dager_status dager_options_create(dager_options **out) {
  *out = calloc(1, sizeof **out);
  return *out != NULL ? DAGER_OK : DAGER_ERROR_OUT_OF_MEMORY;
}

void dager_options_destroy(dager_options *options) {
  free(options);
}

dager_status dager_options_set_string(dager_options *options, const char *name,
                                      const char *value) {
  (void)options;
  static const char *const known[][3] = {
      {"detector", "ssd", "tiny"},
      {"attribute_crop", "box", "aligned"},
      {"landmarks", "full", "tiny"},
  };
  if (strcmp(name, "models_dir") == 0 || strcmp(name, "networks") == 0) {
    return DAGER_OK;
  }
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strcmp(name, known[i][0]) == 0 &&
        (strcmp(value, known[i][1]) == 0 || strcmp(value, known[i][2]) == 0)) {
      return DAGER_OK;
    }
  }
  snprintf(last_error, sizeof last_error, "mock: bad option %s=%s", name,
           value);
  return DAGER_ERROR_UNKNOWN_OPTION;
}

dager_status dager_options_set_int(dager_options *options, const char *name,
                                   int64_t value) {
  (void)options;
  (void)value;
  return strcmp(name, "threads") == 0 ? DAGER_OK : DAGER_ERROR_UNKNOWN_OPTION;
}

dager_status dager_options_set_double(dager_options *options, const char *name,
                                      double value) {
  (void)options;
  (void)value;
  return strcmp(name, "min_score") == 0 ? DAGER_OK : DAGER_ERROR_UNKNOWN_OPTION;
}

dager_status dager_engine_create(const dager_options *options,
                                 dager_engine **out) {
  (void)options;
  *out = calloc(1, sizeof **out);
  return *out != NULL ? DAGER_OK : DAGER_ERROR_OUT_OF_MEMORY;
}

void dager_engine_destroy(dager_engine *engine) {
  free(engine);
}

const char *dager_engine_isa(const dager_engine *engine) {
  (void)engine;
  return "mock";
}

dager_status dager_session_create(const dager_engine *engine,
                                  dager_session **out) {
  (void)engine;
  *out = calloc(1, sizeof **out);
  return *out != NULL ? DAGER_OK : DAGER_ERROR_OUT_OF_MEMORY;
}

void dager_session_destroy(dager_session *session) {
  free(session);
}

static int parse_emotion(const char *name, dager_emotion *emotion) {
  static const char *const names[DAGER_EMOTION_COUNT] = {
      "angry", "disgusted", "fearful", "happy", "neutral", "sad", "surprised"};
  for (int i = 0; i < DAGER_EMOTION_COUNT; i++) {
    if (strcmp(name, names[i]) == 0) {
      *emotion = (dager_emotion)i;
      return 0;
    }
  }
  return -1;
}

dager_status dager_image_load_file(const char *path, uint64_t max_pixels,
                                   dager_image **out) {
  (void)max_pixels;
  *out = NULL;
  FILE *file = fopen(path, "r");
  if (file == NULL) {
    snprintf(last_error, sizeof last_error, "mock: cannot open %s", path);
    return DAGER_ERROR_IO;
  }
  dager_image *image = calloc(1, sizeof *image);
  char line[256];
  int ok = image != NULL && fgets(line, sizeof line, file) != NULL &&
           sscanf(line, "mock %d %d", &image->width, &image->height) == 2 &&
           image->width > 0 && image->height > 0;
  while (ok && fgets(line, sizeof line, file) != NULL &&
         image->face_count < MOCK_MAX_FACES) {
    mock_face *face = &image->faces[image->face_count];
    char gender = 0;
    char emotion[32];
    ok = sscanf(line, "face %f %f %f %f %f %c %31s", &face->x, &face->y,
                &face->width, &face->height, &face->age, &gender,
                emotion) == 7 &&
         parse_emotion(emotion, &face->emotion) == 0;
    face->gender = gender == 'm' ? DAGER_GENDER_MALE : DAGER_GENDER_FEMALE;
    image->face_count++;
  }
  fclose(file);
  if (ok) {
    image->pixels = malloc((size_t)image->width * image->height * 3);
    ok = image->pixels != NULL;
  }
  if (!ok) {
    if (image != NULL) {
      free(image->pixels);
    }
    free(image);
    snprintf(last_error, sizeof last_error, "mock: %s is not a mock image",
             path);
    return DAGER_ERROR_UNSUPPORTED_FORMAT;
  }
  memset(image->pixels, 255, (size_t)image->width * image->height * 3);
  last_loaded = *image;
  *out = image;
  return DAGER_OK;
}

dager_status dager_image_from_pixels(const void *pixels, int width, int height,
                                     size_t stride, dager_pixel_format format,
                                     dager_image **out) {
  if (format != DAGER_PIXEL_RGB8 || stride < (size_t)width * 3) {
    return DAGER_ERROR_INVALID_ARGUMENT;
  }
  dager_image *image = calloc(1, sizeof *image);
  if (image == NULL) {
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  image->width = width;
  image->height = height;
  image->pixels = malloc((size_t)width * height * 3);
  if (image->pixels == NULL) {
    free(image);
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  const uint8_t *rows = pixels;
  for (int y = 0; y < height; y++) {
    memcpy(image->pixels + (size_t)y * width * 3, rows + (size_t)y * stride,
           (size_t)width * 3);
  }
  /* The first white pixel is where the loaded image was placed. */
  int offset_x = -1;
  int offset_y = -1;
  for (int y = 0; y < height && offset_x < 0; y++) {
    for (int x = 0; x < width; x++) {
      if (image->pixels[((size_t)y * width + x) * 3] == 255) {
        offset_x = x;
        offset_y = y;
        break;
      }
    }
  }
  image->face_count = last_loaded.face_count;
  for (size_t i = 0; i < image->face_count; i++) {
    image->faces[i] = last_loaded.faces[i];
    image->faces[i].x += (float)offset_x;
    image->faces[i].y += (float)offset_y;
  }
  *out = image;
  return DAGER_OK;
}

void dager_image_destroy(dager_image *image) {
  if (image != NULL) {
    free(image->pixels);
    free(image);
  }
}

int dager_image_width(const dager_image *image) {
  return image != NULL ? image->width : 0;
}

int dager_image_height(const dager_image *image) {
  return image != NULL ? image->height : 0;
}

const uint8_t *dager_image_pixels(const dager_image *image) {
  return image != NULL ? image->pixels : NULL;
}

/* Landmark i of a face box: a grid over the box, with the outer eye
 * corners 36 and 45 at the box's left and right edges, 30 % down. */
static void mock_landmark(const mock_face *face, int i, float *x, float *y) {
  *x = face->x + face->width * (float)(i % 10) / 9.0f;
  *y = face->y + face->height * (float)(i / 10) / 6.0f;
  if (i == 36 || i == 45) {
    *x = face->x + (i == 45 ? face->width : 0.0f);
    *y = face->y + 0.3f * face->height;
  }
}

static void fill_face(const mock_face *source, dager_face *face) {
  memset(face, 0, sizeof *face);
  face->struct_size = sizeof *face;
  face->x = source->x;
  face->y = source->y;
  face->width = source->width;
  face->height = source->height;
  face->score = 0.9f;
  face->has_landmarks = 1;
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    mock_landmark(source, i, &face->landmarks[i][0], &face->landmarks[i][1]);
  }
  face->has_attributes = 1;
  face->age = source->age;
  face->gender = source->gender;
  face->gender_probability = 0.9f;
  face->emotions[source->emotion] = 1.0f;
  face->dominant_emotion = source->emotion;
}

dager_status dager_analyze(dager_session *session, const dager_image *image,
                           dager_result **out) {
  (void)session;
  dager_result *result = calloc(1, sizeof *result);
  if (result == NULL) {
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  result->face_count = image->face_count;
  for (size_t i = 0; i < image->face_count; i++) {
    fill_face(&image->faces[i], &result->faces[i]);
  }
  *out = result;
  return DAGER_OK;
}

/* The whole image is one face; its attributes are those of the first face
 * line. */
dager_status dager_analyze_crop(dager_session *session,
                                const dager_image *image, dager_result **out) {
  (void)session;
  dager_result *result = calloc(1, sizeof *result);
  if (result == NULL) {
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  if (image->face_count > 0) {
    mock_face whole = image->faces[0];
    whole.x = 0;
    whole.y = 0;
    whole.width = (float)image->width;
    whole.height = (float)image->height;
    fill_face(&whole, &result->faces[0]);
    result->face_count = 1;
  }
  *out = result;
  return DAGER_OK;
}

void dager_result_destroy(dager_result *result) {
  free(result);
}

size_t dager_result_face_count(const dager_result *result) {
  return result != NULL ? result->face_count : 0;
}

dager_status dager_result_face(const dager_result *result, size_t index,
                               dager_face *face) {
  if (result == NULL || face == NULL || index >= result->face_count) {
    return DAGER_ERROR_OUT_OF_RANGE;
  }
  *face = result->faces[index];
  return DAGER_OK;
}
