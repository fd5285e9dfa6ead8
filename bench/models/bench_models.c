/*
 * Times loading the seven converted models (read, validate, dequantise),
 * then building each into a network (weights packed for the best kernel
 * table), and prints the peak resident memory of the process.
 *
 *   bench_models [MODELS_DIR] [REPEATS]
 *
 * MODELS_DIR defaults to $DAGER_MODELS_DIR. Each model is loaded REPEATS
 * times (default 5); the fastest and the median are printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "model/model.h"
#include "nn/nn.h"

static const char *const model_names[] = {
    "ssd_mobilenetv1",       "tiny_face_detector", "face_landmark_68",
    "face_landmark_68_tiny", "age_gender",         "face_expression",
    "face_recognition"};
#define MODEL_COUNT (sizeof model_names / sizeof model_names[0])
#define MAX_REPEATS 100

static double clock_seconds(clockid_t clock) {
  struct timespec time;

  clock_gettime(clock, &time);
  return (double)time.tv_sec + (double)time.tv_nsec * 1e-9;
}

static double now_seconds(void) {
  return clock_seconds(CLOCK_MONOTONIC);
}

/* CPU time too, since on a loaded machine the wall clock mostly measures
 * the wait for a core. */
static double cpu_seconds(void) {
  return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

static long peak_rss_kib(void) {
  struct rusage usage;

  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss; /* KiB on Linux */
}

static long file_size(const char *path) {
  FILE *stream = fopen(path, "rb");
  long size = -1;

  if (stream && fseek(stream, 0, SEEK_END) == 0)
    size = ftell(stream);
  if (stream)
    fclose(stream);
  return size;
}

int main(int argc, char **argv) {
  const char *folder = argc > 1 ? argv[1] : getenv("DAGER_MODELS_DIR");
  int repeats = argc > 2 ? atoi(argv[2]) : 5;
  dager_model *models[MODEL_COUNT];
  dager_network *networks[MODEL_COUNT];
  double total_read = 0, total_build = 0, total_cpu = 0, start, cpu_start;
  long rss_before;

  if (!folder) {
    fprintf(stderr, "usage: bench_models [MODELS_DIR] [REPEATS]\n");
    return 2;
  }
  if (repeats < 1 || repeats > MAX_REPEATS)
    repeats = 5;
  rss_before = peak_rss_kib();
  printf("%-22s %10s %10s %10s %10s %10s\n", "model", "bytes", "read min",
         "read med", "read cpu", "build");
  for (size_t i = 0; i < MODEL_COUNT; i++) {
    char path[4096];
    double times[MAX_REPEATS];
    double cpu_times[MAX_REPEATS];
    double build;

    snprintf(path, sizeof path, "%s/%s.dager", folder, model_names[i]);
    for (int r = 0; r < repeats; r++) {
      dager_model *model;

      start = now_seconds();
      cpu_start = cpu_seconds();
      if (dager_model_read_file(path, &model) != DAGER_OK) {
        fprintf(stderr, "bench_models: %s: %s\n", path,
                dager_last_error_message());
        return 1;
      }
      times[r] = now_seconds() - start;
      cpu_times[r] = cpu_seconds() - cpu_start;
      if (r + 1 < repeats) {
        dager_model_destroy(model);
      } else {
        models[i] = model;
      }
    }
    qsort(times, (size_t)repeats, sizeof times[0], compare_doubles);
    qsort(cpu_times, (size_t)repeats, sizeof cpu_times[0], compare_doubles);
    start = now_seconds();
    if (dager_network_create(models[i], NULL, &networks[i]) != DAGER_OK) {
      fprintf(stderr, "bench_models: %s: %s\n", path,
              dager_last_error_message());
      return 1;
    }
    build = now_seconds() - start;
    total_read += times[0];
    total_cpu += cpu_times[0];
    total_build += build;
    printf("%-22s %10ld %7.2f ms %7.2f ms %7.2f ms %7.2f ms\n", model_names[i],
           file_size(path), times[0] * 1e3, times[repeats / 2] * 1e3,
           cpu_times[0] * 1e3, build * 1e3);
  }
  printf(
      "all seven: read %.2f ms wall, %.2f ms cpu (fastest of %d each), "
      "network build %.2f ms\n",
      total_read * 1e3, total_cpu * 1e3, repeats, total_build * 1e3);
  printf(
      "peak RSS %.1f MiB with all seven read and built (%.1f MiB at "
      "start)\n",
      (double)peak_rss_kib() / 1024.0, (double)rss_before / 1024.0);
  for (size_t i = 0; i < MODEL_COUNT; i++) {
    dager_network_destroy(networks[i]);
    dager_model_destroy(models[i]);
  }
  return 0;
}
