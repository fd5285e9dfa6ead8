/*
 * dager-eval: measures libdager on a labelled dataset and prints age MAE,
 * gender and emotion accuracy, landmark error and detection rate. It uses
 * the library through dager.h only, as any user would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dager.h"
#include "eval_dataset.h"
#include "eval_metrics.h"
#include "eval_report.h"

typedef struct eval_options {
  eval_layout layout;
  const char *layout_name;
  const char *dataset_path;
  const char *models_dir;
  const char *detector;
  const char *attribute_crop;
  const char *landmarks;
  const char *faces_path;
  long threads;
  long landmark_passes; /* 0: the library's default */
  long aligned_views;   /* 0: the library's default */
  double min_score;
  double pad;
  size_t every;
  size_t limit;
  int crop_given;
  int json;
  int progress;
  int list_only;
} eval_options;

static void usage(FILE *out) {
  fputs(
      "usage: dager-eval --dataset KIND PATH [options]\n"
      "\n"
      "KIND and PATH:\n"
      "  utkface DIR    images named <age>_<gender>_<race>_<date>*.jpg\n"
      "                 (gender 0 male, 1 female)\n"
      "  fer DIR        one folder per emotion class (FER-2013 test/):\n"
      "                 angry disgust fear happy neutral sad surprise\n"
      "  jaffe DIR      images named <subject>.<AN|DI|FE|HA|NE|SA|SU><n>.*\n"
      "  300w DIR       <name>.pts (68 points, with or without the\n"
      "                 version/n_points/{ } header) beside <name>.jpg\n"
      "  csv FILE       header row with path and any of age, gender\n"
      "                 (male/female), emotion, landmarks (136 numbers),\n"
      "                 box (x y width height); paths relative to FILE\n"
      "\n"
      "options:\n"
      "  --crop-given           each image is one face: run the attribute\n"
      "                         networks on it directly, no detection\n"
      "  --detector ssd|tiny    engine option \"detector\"\n"
      "  --attribute-crop box|aligned  engine option \"attribute_crop\"\n"
      "  --landmarks full|tiny  engine option \"landmarks\"\n"
      "  --landmark-passes N    engine option \"landmark_passes\", 1..8\n"
      "  --aligned-views N      engine option \"aligned_views\", 1..5\n"
      "  --models DIR           engine option \"models_dir\"\n"
      "  --threads N            engine option \"threads\"\n"
      "  --min-score X          engine option \"min_score\"\n"
      "  --pad F                add a black border of F times the image\n"
      "                         size on every side before detection\n"
      "  --every K              use every K-th image (sorted by path)\n"
      "  --limit N              use at most N images (after --every)\n"
      "  --json                 print JSON instead of text\n"
      "  --progress             report progress on stderr\n"
      "  --faces FILE           also write one CSV line per labelled face\n"
      "  --list                 print the selected images and labels only\n",
      out);
}

static int parse_size(const char *text, size_t *value) {
  char *end = NULL;
  errno = 0;
  unsigned long long number = strtoull(text, &end, 10);
  if (text[0] == '-' || end == text || *end != '\0' || errno != 0) {
    return -1;
  }
  *value = (size_t)number;
  return 0;
}

/* A whole number from 1 to most for option `name`; says why on stderr
 * when it is not one. */
static int parse_count(const char *name, const char *text, size_t most,
                       long *value) {
  size_t number = 0;

  if (parse_size(text, &number) != 0 || number < 1 || number > most) {
    fprintf(stderr, "dager-eval: %s wants 1..%zu\n", name, most);
    return -1;
  }
  *value = (long)number;
  return 0;
}

static int parse_double(const char *text, double *value) {
  char *end = NULL;
  errno = 0;
  *value = strtod(text, &end);
  return end == text || *end != '\0' || errno != 0 ? -1 : 0;
}

/* Returns 0 to run, 1 after --help, -1 for a usage error. */
static int parse_arguments(int argc, char **argv, eval_options *options) {
  memset(options, 0, sizeof *options);
  options->every = 1;
  options->min_score = -1.0;
  for (int i = 1; i < argc; i++) {
    const char *argument = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    int takes_value = 1;
    if (strcmp(argument, "--help") == 0 || strcmp(argument, "-h") == 0) {
      usage(stdout);
      return 1;
    } else if (strcmp(argument, "--crop-given") == 0) {
      options->crop_given = 1;
      takes_value = 0;
    } else if (strcmp(argument, "--json") == 0) {
      options->json = 1;
      takes_value = 0;
    } else if (strcmp(argument, "--progress") == 0) {
      options->progress = 1;
      takes_value = 0;
    } else if (strcmp(argument, "--list") == 0) {
      options->list_only = 1;
      takes_value = 0;
    } else if (value == NULL) {
      fprintf(stderr, "dager-eval: %s needs a value\n", argument);
      return -1;
    } else if (strcmp(argument, "--dataset") == 0) {
      options->layout_name = value;
      options->layout = eval_layout_from_name(value);
      if (options->layout == 0 || i + 2 >= argc) {
        fprintf(stderr,
                "dager-eval: --dataset needs a kind (utkface, fer, jaffe, "
                "300w, csv) and a path\n");
        return -1;
      }
      options->dataset_path = argv[i + 2];
      i++;
    } else if (strcmp(argument, "--detector") == 0) {
      options->detector = value;
    } else if (strcmp(argument, "--attribute-crop") == 0) {
      options->attribute_crop = value;
    } else if (strcmp(argument, "--landmarks") == 0) {
      options->landmarks = value;
    } else if (strcmp(argument, "--faces") == 0) {
      options->faces_path = value;
    } else if (strcmp(argument, "--models") == 0) {
      options->models_dir = value;
    } else if (strcmp(argument, "--threads") == 0) {
      if (parse_count(argument, value, 256, &options->threads) != 0)
        return -1;
    } else if (strcmp(argument, "--landmark-passes") == 0) {
      if (parse_count(argument, value, 8, &options->landmark_passes) != 0)
        return -1;
    } else if (strcmp(argument, "--aligned-views") == 0) {
      if (parse_count(argument, value, 5, &options->aligned_views) != 0)
        return -1;
    } else if (strcmp(argument, "--min-score") == 0) {
      if (parse_double(value, &options->min_score) != 0) {
        fprintf(stderr, "dager-eval: --min-score wants a number\n");
        return -1;
      }
    } else if (strcmp(argument, "--pad") == 0) {
      if (parse_double(value, &options->pad) != 0 || options->pad < 0.0 ||
          options->pad > 4.0) {
        fprintf(stderr, "dager-eval: --pad wants a number from 0 to 4\n");
        return -1;
      }
    } else if (strcmp(argument, "--every") == 0) {
      if (parse_size(value, &options->every) != 0 || options->every < 1) {
        fprintf(stderr, "dager-eval: --every wants a positive number\n");
        return -1;
      }
    } else if (strcmp(argument, "--limit") == 0) {
      if (parse_size(value, &options->limit) != 0 || options->limit < 1) {
        fprintf(stderr, "dager-eval: --limit wants a positive number\n");
        return -1;
      }
    } else {
      fprintf(stderr, "dager-eval: unknown argument %s\n", argument);
      return -1;
    }
    if (takes_value) {
      i++;
    }
  }
  if (options->dataset_path == NULL) {
    fprintf(stderr, "dager-eval: --dataset KIND PATH is required\n");
    return -1;
  }
  if (options->crop_given && options->pad > 0.0) {
    fprintf(stderr,
            "dager-eval: --pad is for detection; --crop-given "
            "does not detect\n");
    return -1;
  }
  return 0;
}

static double seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

static void list_samples(const eval_dataset *dataset) {
  for (size_t i = 0; i < dataset->count; i++) {
    const eval_sample *sample = &dataset->samples[i];
    printf("%s", sample->path);
    for (size_t f = 0; f < sample->face_count; f++) {
      const eval_face_label *face = &sample->faces[f];
      printf(" |");
      if (face->has_age) {
        printf(" age=%g", (double)face->age);
      }
      if (face->has_gender) {
        printf(" gender=%s",
               face->gender == DAGER_GENDER_MALE ? "male" : "female");
      }
      if (face->has_emotion) {
        printf(" emotion=%s", eval_emotion_name(face->emotion));
      }
      if (face->has_box) {
        printf(" box=%.1f,%.1f,%.1f,%.1f", (double)face->box[0],
               (double)face->box[1], (double)face->box[2],
               (double)face->box[3]);
      }
      if (face->has_landmarks) {
        printf(" landmarks=68");
      }
    }
    printf("\n");
  }
}

static int fail(const char *what) {
  fprintf(stderr, "dager-eval: %s: %s\n", what, dager_last_error_message());
  return -1;
}

static int make_engine(const eval_options *options, dager_engine **engine) {
  dager_options *settings = NULL;
  if (dager_options_create(&settings) != DAGER_OK) {
    return fail("options");
  }
  /* The descriptor is not evaluated; not loading it saves its time. */
  dager_status status = dager_options_set_string(
      settings, "networks", "detector,landmarks,age_gender,expression");
  if (status == DAGER_OK && options->models_dir != NULL) {
    status =
        dager_options_set_string(settings, "models_dir", options->models_dir);
  }
  if (status == DAGER_OK && options->detector != NULL) {
    status = dager_options_set_string(settings, "detector", options->detector);
  }
  if (status == DAGER_OK && options->attribute_crop != NULL) {
    status = dager_options_set_string(settings, "attribute_crop",
                                      options->attribute_crop);
  }
  if (status == DAGER_OK && options->landmark_passes > 0) {
    status = dager_options_set_int(settings, "landmark_passes",
                                   options->landmark_passes);
  }
  if (status == DAGER_OK && options->aligned_views > 0) {
    status = dager_options_set_int(settings, "aligned_views",
                                   options->aligned_views);
  }
  if (status == DAGER_OK && options->landmarks != NULL) {
    status =
        dager_options_set_string(settings, "landmarks", options->landmarks);
  }
  if (status == DAGER_OK && options->threads > 0) {
    status = dager_options_set_int(settings, "threads", options->threads);
  }
  if (status == DAGER_OK && options->min_score >= 0.0) {
    status =
        dager_options_set_double(settings, "min_score", options->min_score);
  }
  if (status != DAGER_OK) {
    dager_options_destroy(settings);
    return fail("engine option");
  }
  status = dager_engine_create(settings, engine);
  dager_options_destroy(settings);
  return status == DAGER_OK ? 0 : fail("loading the models");
}

/* A copy of image with a black border of pad times its size on each side;
 * *offset_x and *offset_y receive the border widths. */
static dager_image *pad_image(const dager_image *image, double pad,
                              int *offset_x, int *offset_y) {
  int width = dager_image_width(image);
  int height = dager_image_height(image);
  *offset_x = (int)(pad * width + 0.5);
  *offset_y = (int)(pad * height + 0.5);
  int padded_width = width + 2 * *offset_x;
  int padded_height = height + 2 * *offset_y;
  size_t stride = (size_t)padded_width * 3;
  uint8_t *pixels = calloc((size_t)padded_height, stride);
  if (pixels == NULL) {
    return NULL;
  }
  const uint8_t *source = dager_image_pixels(image);
  for (int y = 0; y < height; y++) {
    memcpy(pixels + (size_t)(y + *offset_y) * stride + (size_t)*offset_x * 3,
           source + (size_t)y * width * 3, (size_t)width * 3);
  }
  dager_image *padded = NULL;
  if (dager_image_from_pixels(pixels, padded_width, padded_height, stride,
                              DAGER_PIXEL_RGB8, &padded) != DAGER_OK) {
    padded = NULL;
  }
  free(pixels);
  return padded;
}

static int analyse_image(dager_session *session, const eval_options *options,
                         const dager_image *image, dager_result **result) {
  if (options->crop_given)
    return dager_analyze_crop(session, image, result) == DAGER_OK ? 0 : -1;
  return dager_analyze(session, image, result) == DAGER_OK ? 0 : -1;
}

/* Converts the faces of result into predictions in the coordinates of the
 * unpadded image. */
static size_t read_predictions(const dager_result *result, int offset_x,
                               int offset_y, eval_prediction **predictions) {
  size_t count = dager_result_face_count(result);
  *predictions = calloc(count + 1, sizeof **predictions);
  if (*predictions == NULL) {
    return 0;
  }
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    dager_face face = DAGER_FACE_INIT;
    if (dager_result_face(result, i, &face) != DAGER_OK) {
      continue;
    }
    eval_prediction *prediction = &(*predictions)[kept++];
    prediction->box[0] = face.x - (float)offset_x;
    prediction->box[1] = face.y - (float)offset_y;
    prediction->box[2] = face.width;
    prediction->box[3] = face.height;
    prediction->has_landmarks = face.has_landmarks;
    for (int p = 0; p < DAGER_LANDMARK_COUNT; p++) {
      prediction->landmarks[p][0] = face.landmarks[p][0] - (float)offset_x;
      prediction->landmarks[p][1] = face.landmarks[p][1] - (float)offset_y;
    }
    prediction->has_attributes = face.has_attributes;
    prediction->age = face.age;
    prediction->gender = face.gender;
    prediction->emotion = face.dominant_emotion;
  }
  return kept;
}

static int evaluate(const eval_options *options, const eval_dataset *dataset,
                    eval_metrics *metrics, eval_run_info *info, FILE *faces) {
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  if (make_engine(options, &engine) != 0) {
    return -1;
  }
  if (dager_session_create(engine, &session) != DAGER_OK) {
    dager_engine_destroy(engine);
    return fail("session");
  }
  info->isa = dager_engine_isa(engine);
  double start = seconds_now();
  int status = 0;
  for (size_t i = 0; i < dataset->count && status == 0; i++) {
    const eval_sample *sample = &dataset->samples[i];
    dager_image *image = NULL;
    dager_image *padded = NULL;
    dager_result *result = NULL;
    int offset_x = 0;
    int offset_y = 0;
    if (dager_image_load_file(sample->path, 0, &image) != DAGER_OK) {
      fprintf(stderr, "dager-eval: %s: %s\n", sample->path,
              dager_last_error_message());
      eval_metrics_add_failure(metrics);
      continue;
    }
    if (options->pad > 0.0) {
      padded = pad_image(image, options->pad, &offset_x, &offset_y);
      if (padded == NULL) {
        fprintf(stderr, "dager-eval: out of memory padding %s\n", sample->path);
        status = -1;
      }
    }
    if (status == 0 &&
        analyse_image(session, options, padded != NULL ? padded : image,
                      &result) != 0) {
      fprintf(stderr, "dager-eval: %s: %s\n", sample->path,
              dager_last_error_message());
      eval_metrics_add_failure(metrics);
    } else if (status == 0) {
      eval_prediction *predictions = NULL;
      size_t count = read_predictions(result, offset_x, offset_y, &predictions);
      if (predictions == NULL ||
          eval_metrics_add_image(metrics, sample, predictions, count) != 0 ||
          (faces != NULL &&
           eval_report_faces(faces, sample, predictions, count) != 0)) {
        fprintf(stderr, "dager-eval: out of memory\n");
        status = -1;
      }
      free(predictions);
    }
    dager_result_destroy(result);
    dager_image_destroy(padded);
    dager_image_destroy(image);
    if (options->progress && (i + 1) % 200 == 0) {
      fprintf(stderr, "dager-eval: %zu of %zu images, %.1f s\n", i + 1,
              dataset->count, seconds_now() - start);
    }
  }
  info->seconds = seconds_now() - start;
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  return status;
}

int main(int argc, char **argv) {
  eval_options options;
  int parsed = parse_arguments(argc, argv, &options);
  if (parsed != 0) {
    if (parsed < 0) {
      usage(stderr);
    }
    return parsed < 0 ? 2 : 0;
  }

  eval_dataset dataset;
  char error[512];
  if (eval_dataset_read(options.layout, options.dataset_path, &dataset, error,
                        sizeof error) != 0) {
    fprintf(stderr, "dager-eval: %s\n", error);
    return 2;
  }
  eval_dataset_subsample(&dataset, options.every, options.limit);
  if (options.list_only) {
    list_samples(&dataset);
    eval_dataset_free(&dataset);
    return 0;
  }

  eval_run_info info;
  memset(&info, 0, sizeof info);
  info.layout = options.layout_name;
  info.dataset_path = options.dataset_path;
  info.mode = options.crop_given ? "crop-given" : "pipeline";
  info.detector = options.crop_given         ? "none"
                  : options.detector != NULL ? options.detector
                                             : "default";
  info.attribute_crop =
      options.attribute_crop != NULL ? options.attribute_crop : "default";
  info.landmark_passes = options.landmark_passes;
  info.aligned_views = options.aligned_views;
  info.every = options.every;
  info.limit = options.limit;
  info.skipped = dataset.skipped;
  for (size_t i = 0; i < dataset.count; i++) {
    for (size_t f = 0; f < dataset.samples[i].face_count; f++) {
      const eval_face_label *face = &dataset.samples[i].faces[f];
      info.has_age |= face->has_age;
      info.has_gender |= face->has_gender;
      info.has_emotion |= face->has_emotion;
      info.has_landmarks |= face->has_landmarks;
    }
  }

  eval_metrics metrics;
  eval_metrics_init(&metrics);
  FILE *faces = NULL;
  if (options.faces_path != NULL) {
    faces = fopen(options.faces_path, "w");
    if (faces == NULL) {
      fprintf(stderr, "dager-eval: cannot write %s\n", options.faces_path);
      eval_dataset_free(&dataset);
      return 2;
    }
    eval_report_faces_header(faces);
  }
  int status = evaluate(&options, &dataset, &metrics, &info, faces);
  if (faces != NULL && fclose(faces) != 0) {
    fprintf(stderr, "dager-eval: writing %s failed\n", options.faces_path);
    status = -1;
  }
  if (status == 0) {
    if (options.json) {
      eval_report_json(stdout, &info, &metrics);
    } else {
      eval_report_text(stdout, &info, &metrics);
    }
  }
  eval_metrics_free(&metrics);
  eval_dataset_free(&dataset);
  return status == 0 ? 0 : 1;
}
