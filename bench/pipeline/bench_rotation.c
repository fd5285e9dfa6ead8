/*
 * Issue 5 part 8: a face turned by some degrees should give the same age,
 * gender and emotion as upright, within 0.5 years and 0.01 probability.
 * This measures it over the demo photos' faces, through the public API
 * only, and prints one line per face and turn and then a summary.
 *
 *   bench_rotation [--models DIR] [--samples DIR] [--degrees D]
 *                  [--option NAME=VALUE]...
 *
 * Each face found in <samples>/sample<N>.jpg (N = 1, 2, ... while the file
 * exists) is cut out as a square around an integer centre with an even
 * side, once upright and once turned by +D and by -D degrees with the
 * Lanczos turn of tests/support/turned_square.c, and each square is
 * analysed whole. The upright square is an exact copy of the photo, so
 * every gap is the turn's effect on the library (and on the resampling,
 * which the Lanczos kernel keeps small). The engine runs with
 * "attribute_crop"="aligned" unless --option sets it. Exit status: 0 when
 * it ran, whatever the numbers; 1 for a usage error; 2 for a library
 * error.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dager.h"
#include "support/turned_square.h"

#define MAX_OPTIONS 64
#define CROP_SIZE 112

/* The tolerances of issue 5 part 8, inclusive. */
static const double age_tolerance = 0.5;     /* years */
static const double female_tolerance = 0.01; /* probability */
static const double emotion_tolerance = 0.01;

typedef struct option_setting {
  const char *name;
  const char *value;
  const char *kind; /* "int", "double" or "string": the setter used */
} option_setting;

/* Gaps between an upright face and its turned copy. */
typedef struct gaps {
  double age, female, emotion, crop;
} gaps;

typedef struct case_totals {
  int cases, found, within;
  gaps sum, worst;
} case_totals;

static void usage(FILE *out) {
  fprintf(out,
          "usage: bench_rotation [--models DIR] [--samples DIR] "
          "[--degrees D]\n"
          "                      [--option NAME=VALUE]...\n"
          "  --models DIR   converted models (default: $DAGER_MODELS_DIR, "
          "else build/models)\n"
          "  --samples DIR  folder of sample1.jpg, sample2.jpg, ... "
          "(default: third_party/face-api/samples)\n"
          "  --degrees D    turn measured as +D and -D (default: 20)\n"
          "  --option NAME=VALUE  an engine option, set as an int, else a "
          "double, else a string\n");
}

/* Prints what the library said about a failed call and exits with 2. */
static void check(dager_status status, const char *what) {
  if (status == DAGER_OK)
    return;
  fprintf(stderr, "bench_rotation: %s: %s (%s)\n", what,
          dager_status_string(status), dager_last_error_message());
  exit(2);
}

static int parses_as_int(const char *text, int64_t *value) {
  char *end;
  long long parsed;

  errno = 0;
  parsed = strtoll(text, &end, 10);
  if (end == text || *end != '\0' || errno == ERANGE)
    return 0;
  *value = parsed;
  return 1;
}

static int parses_as_double(const char *text, double *value) {
  char *end;
  double parsed;

  errno = 0;
  parsed = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE)
    return 0;
  *value = parsed;
  return 1;
}

static void set_option(dager_options *options, option_setting *setting) {
  int64_t whole;
  double number;
  dager_status status;
  char what[256];

  if (parses_as_int(setting->value, &whole)) {
    setting->kind = "int";
    status = dager_options_set_int(options, setting->name, whole);
  } else if (parses_as_double(setting->value, &number)) {
    setting->kind = "double";
    status = dager_options_set_double(options, setting->name, number);
  } else {
    setting->kind = "string";
    status = dager_options_set_string(options, setting->name, setting->value);
  }
  snprintf(what, sizeof what, "option %s=%s (as %s)", setting->name,
           setting->value, setting->kind);
  check(status, what);
}

static double seconds_now(void) {
  struct timespec now;

  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static int file_exists(const char *path) {
  FILE *file = fopen(path, "rb");

  if (file)
    fclose(file);
  return file != NULL;
}

static dager_face face_of(const dager_result *result, size_t index) {
  dager_face face = DAGER_FACE_INIT;

  check(dager_result_face(result, index, &face), "dager_result_face");
  return face;
}

/* Index of the face whose box centre is nearest the square's centre (a
 * turned square may show parts of other faces at its edge), or -1 when
 * there is none. */
static long nearest_face(const dager_result *result, int side) {
  double half = side / 2.0, best = INFINITY;
  long nearest = -1;

  for (size_t i = 0; i < dager_result_face_count(result); i++) {
    dager_face face = face_of(result, i);
    double dx = (double)face.x + (double)face.width / 2.0 - half;
    double dy = (double)face.y + (double)face.height / 2.0 - half;
    double distance = dx * dx + dy * dy;

    if (distance < best) {
      best = distance;
      nearest = (long)i;
    }
  }
  return nearest;
}

static double female_probability(const dager_face *face) {
  return face->gender == DAGER_GENDER_FEMALE
             ? (double)face->gender_probability
             : 1.0 - (double)face->gender_probability;
}

static double worst_emotion_gap(const dager_face *a, const dager_face *b) {
  double worst = 0.0;

  for (int i = 0; i < DAGER_EMOTION_COUNT; i++) {
    double gap = fabs((double)a->emotions[i] - (double)b->emotions[i]);

    if (gap > worst)
      worst = gap;
  }
  return worst;
}

/* Mean absolute difference, in grey levels, of the aligned crops. */
static double crop_gap(dager_session *session, const dager_image *a_image,
                       const dager_result *a, long a_index,
                       const dager_image *b_image, const dager_result *b,
                       long b_index) {
  static uint8_t crop_a[CROP_SIZE * CROP_SIZE * 3];
  static uint8_t crop_b[CROP_SIZE * CROP_SIZE * 3];
  double sum = 0.0;

  check(dager_align_face(session, a_image, a, (size_t)a_index, CROP_SIZE,
                         crop_a, CROP_SIZE * 3),
        "dager_align_face (upright)");
  check(dager_align_face(session, b_image, b, (size_t)b_index, CROP_SIZE,
                         crop_b, CROP_SIZE * 3),
        "dager_align_face (turned)");
  for (size_t i = 0; i < sizeof crop_a; i++)
    sum += abs((int)crop_a[i] - (int)crop_b[i]);
  return sum / (double)sizeof crop_a;
}

static void add_case(case_totals *totals, const gaps *gap) {
  const double values[4] = {gap->age, gap->female, gap->emotion, gap->crop};
  double *sums[4] = {&totals->sum.age, &totals->sum.female,
                     &totals->sum.emotion, &totals->sum.crop};
  double *worsts[4] = {&totals->worst.age, &totals->worst.female,
                       &totals->worst.emotion, &totals->worst.crop};

  totals->found++;
  for (int i = 0; i < 4; i++) {
    *sums[i] += values[i];
    if (values[i] > *worsts[i])
      *worsts[i] = values[i];
  }
  if (gap->age <= age_tolerance && gap->female <= female_tolerance &&
      gap->emotion <= emotion_tolerance)
    totals->within++;
}

/* Both turns of one face of a photo, each printed as one case. */
static void measure_face(dager_session *session, const dager_image *photo,
                         const char *name, size_t index, const dager_face *face,
                         double degrees, case_totals *totals) {
  /* As the rotation test in tests/api/test_api_models.c: an integer centre
   * and an even side, so that the upright square is an exact copy. */
  double centre_x = floor((double)face->x + (double)face->width / 2.0 + 0.5);
  double centre_y = floor((double)face->y + (double)face->height / 2.0 + 0.5);
  int side = 2 * (int)(1.25f * fmaxf(face->width, face->height));
  const double angles[2] = {degrees, -degrees};
  dager_image *upright;
  dager_result *upright_result = NULL;
  long upright_index;
  dager_face upright_face = DAGER_FACE_INIT;

  upright = support_turned_square(photo, centre_x, centre_y, side, 0.0);
  if (!upright)
    check(DAGER_ERROR_OUT_OF_MEMORY, "support_turned_square");
  check(dager_analyze(session, upright, &upright_result),
        "dager_analyze (upright)");
  upright_index = nearest_face(upright_result, side);
  if (upright_index >= 0)
    upright_face = face_of(upright_result, (size_t)upright_index);

  for (int a = 0; a < 2; a++) {
    dager_image *turned;
    dager_result *turned_result = NULL;
    long turned_index;
    dager_face turned_face;
    gaps gap;

    totals->cases++;
    if (upright_index < 0) {
      printf("%-12s %4zu %+7.1f  not found (upright)\n", name, index,
             angles[a]);
      continue;
    }
    turned = support_turned_square(photo, centre_x, centre_y, side, angles[a]);
    if (!turned)
      check(DAGER_ERROR_OUT_OF_MEMORY, "support_turned_square");
    check(dager_analyze(session, turned, &turned_result),
          "dager_analyze (turned)");
    turned_index = nearest_face(turned_result, side);
    if (turned_index < 0) {
      printf("%-12s %4zu %+7.1f  not found (turned)\n", name, index, angles[a]);
    } else {
      turned_face = face_of(turned_result, (size_t)turned_index);
      gap.age = fabs((double)upright_face.age - (double)turned_face.age);
      gap.female = fabs(female_probability(&upright_face) -
                        female_probability(&turned_face));
      gap.emotion = worst_emotion_gap(&upright_face, &turned_face);
      gap.crop = crop_gap(session, upright, upright_result, upright_index,
                          turned, turned_result, turned_index);
      add_case(totals, &gap);
      printf("%-12s %4zu %+7.1f %8.3f %8.4f %8.4f %8.2f  %s\n", name, index,
             angles[a], gap.age, gap.female, gap.emotion, gap.crop,
             gap.age <= age_tolerance && gap.female <= female_tolerance &&
                     gap.emotion <= emotion_tolerance
                 ? "yes"
                 : "no");
    }
    dager_result_destroy(turned_result);
    dager_image_destroy(turned);
  }
  dager_result_destroy(upright_result);
  dager_image_destroy(upright);
}

int main(int argc, char **argv) {
  const char *models = getenv("DAGER_MODELS_DIR");
  const char *samples = "third_party/face-api/samples";
  double degrees = 20.0, started = seconds_now();
  option_setting settings[MAX_OPTIONS];
  int setting_count = 0, crop_given = 0, photos = 0;
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  case_totals totals;

  if (!models || !*models)
    models = "build/models";
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];

    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      usage(stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "bench_rotation: %s needs a value\n", arg);
      usage(stderr);
      return 1;
    }
    if (!strcmp(arg, "--models")) {
      models = argv[++i];
    } else if (!strcmp(arg, "--samples")) {
      samples = argv[++i];
    } else if (!strcmp(arg, "--degrees")) {
      if (!parses_as_double(argv[++i], &degrees) || !isfinite(degrees)) {
        fprintf(stderr, "bench_rotation: --degrees %s is not a number\n",
                argv[i]);
        return 1;
      }
    } else if (!strcmp(arg, "--option")) {
      char *pair = argv[++i], *equals = strchr(pair, '=');

      if (!equals || equals == pair) {
        fprintf(stderr, "bench_rotation: --option %s is not NAME=VALUE\n",
                pair);
        return 1;
      }
      if (setting_count == MAX_OPTIONS) {
        fprintf(stderr, "bench_rotation: more than %d options\n", MAX_OPTIONS);
        return 1;
      }
      *equals = '\0';
      settings[setting_count].name = pair;
      settings[setting_count].value = equals + 1;
      crop_given |= !strcmp(pair, "attribute_crop");
      setting_count++;
    } else {
      fprintf(stderr, "bench_rotation: unknown argument %s\n", arg);
      usage(stderr);
      return 1;
    }
  }

  {
    char first[4096];

    snprintf(first, sizeof first, "%s/sample1.jpg", samples);
    if (!file_exists(first)) {
      fprintf(stderr, "bench_rotation: no %s\n", first);
      return 1;
    }
  }

  /* The defaults go first, so that a user's --option of the same name
   * overrides them. */
  if (setting_count + 2 > MAX_OPTIONS) {
    fprintf(stderr, "bench_rotation: more than %d options\n", MAX_OPTIONS - 2);
    return 1;
  }
  memmove(settings + 1 + !crop_given, settings,
          (size_t)setting_count * sizeof settings[0]);
  settings[0] = (option_setting){"models_dir", models, NULL};
  if (!crop_given)
    settings[1] = (option_setting){"attribute_crop", "aligned", NULL};
  setting_count += 1 + !crop_given;

  check(dager_options_create(&options), "dager_options_create");
  for (int i = 0; i < setting_count; i++)
    set_option(options, &settings[i]);
  check(dager_engine_create(options, &engine), "dager_engine_create");
  dager_options_destroy(options);
  check(dager_session_create(engine, &session), "dager_session_create");

  memset(&totals, 0, sizeof totals);
  printf("%-12s %4s %7s %8s %8s %8s %8s  %s\n", "photo", "face", "degrees",
         "age", "female", "emotion", "crop", "within");
  for (int number = 1;; number++) {
    char path[4096], name[32];
    dager_image *photo = NULL;
    dager_result *found = NULL;

    snprintf(path, sizeof path, "%s/sample%d.jpg", samples, number);
    if (!file_exists(path))
      break;
    snprintf(name, sizeof name, "sample%d.jpg", number);
    check(dager_image_load_file(path, 0, &photo), path);
    check(dager_detect(session, photo, &found), "dager_detect");
    for (size_t i = 0; i < dager_result_face_count(found); i++) {
      dager_face face = face_of(found, i);

      measure_face(session, photo, name, i, &face, degrees, &totals);
    }
    dager_result_destroy(found);
    dager_image_destroy(photo);
    photos++;
  }
  printf("\nphotos: %d, cases: %d (faces x 2 turns), found: %d\n", photos,
         totals.cases, totals.found);
  if (totals.found > 0) {
    double n = (double)totals.found;

    printf("age gap (years):      mean %.3f, worst %.3f\n", totals.sum.age / n,
           totals.worst.age);
    printf("female gap:           mean %.4f, worst %.4f\n",
           totals.sum.female / n, totals.worst.female);
    printf("worst emotion gap:    mean %.4f, worst %.4f\n",
           totals.sum.emotion / n, totals.worst.emotion);
    printf("aligned crop (grey):  mean %.2f, worst %.2f\n", totals.sum.crop / n,
           totals.worst.crop);
  }
  printf(
      "within all tolerances (age <= %.2f, female <= %.2f, emotions <= "
      "%.2f): %d of %d\n",
      age_tolerance, female_tolerance, emotion_tolerance, totals.within,
      totals.cases);
  printf("turn: +-%g degrees; options:", degrees);
  for (int i = 0; i < setting_count; i++)
    printf(" %s=%s (%s)", settings[i].name, settings[i].value,
           settings[i].kind);
  printf("\nisa: %s; wall time: %.1f s\n", dager_engine_isa(engine),
         seconds_now() - started);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  return 0;
}
