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
 * Lanczos turn of tests/support/turned_square.c (through
 * tests/support/turned_face.c, which the rotation test uses too), and
 * each square is
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
#include "support/turned_face.h"

#define MAX_OPTIONS 64

typedef struct option_setting {
  const char *name;
  const char *value;
  const char *kind; /* "int", "double" or "string": the setter used */
} option_setting;

/* Gaps between an upright face and its turned copy. */
typedef struct gap_sums {
  double age, female, emotion, crop;
} gap_sums;

typedef struct case_totals {
  int cases, found, within;
  gap_sums sum, worst;
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

static void add_case(case_totals *totals, const support_turn_gaps *gap) {
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
  if (support_turn_within(gap))
    totals->within++;
}

/* Both turns of one face of a photo, each printed as one case. */
static void measure_face(dager_session *session, const dager_image *photo,
                         const char *name, size_t index, const dager_face *face,
                         double degrees, case_totals *totals) {
  support_turn_gaps turns[2];

  check(support_turn_face(session, photo, face, degrees, turns),
        "support_turn_face");
  for (int turn = 0; turn < 2; turn++) {
    const double angle = turn == 0 ? degrees : -degrees;
    const support_turn_gaps *gap = &turns[turn];

    totals->cases++;
    if (gap->outcome != SUPPORT_TURN_MEASURED) {
      printf("%-12s %4zu %+7.1f  not found (%s)\n", name, index, angle,
             gap->outcome == SUPPORT_TURN_NOT_FOUND_UPRIGHT ? "upright"
                                                            : "turned");
      continue;
    }
    add_case(totals, gap);
    printf("%-12s %4zu %+7.1f %8.3f %8.4f %8.4f %8.2f  %s\n", name, index,
           angle, gap->age, gap->female, gap->emotion, gap->crop,
           support_turn_within(gap) ? "yes" : "no");
  }
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
      "%.2f): %d of the %d found (%d cases)\n",
      SUPPORT_TURN_AGE_TOLERANCE, SUPPORT_TURN_FEMALE_TOLERANCE,
      SUPPORT_TURN_EMOTION_TOLERANCE, totals.within, totals.found,
      totals.cases);
  printf("turn: +-%g degrees; options:", fabs(degrees));
  for (int i = 0; i < setting_count; i++)
    printf(" %s=%s (%s)", settings[i].name, settings[i].value,
           settings[i].kind);
  printf("\nisa: %s; wall time: %.1f s\n", dager_engine_isa(engine),
         seconds_now() - started);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  return 0;
}
