#include "throughput.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dager.h"

#define MAX_THROUGHPUT_THREADS 64

typedef struct worker {
  pthread_t thread;
  const dager_engine *engine;
  dager_image *const *images;
  size_t image_count;
  int rounds;
  unsigned index;
  size_t analysed;
  dager_status status;
} worker;

static double now_seconds(void) {
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Each worker starts at a different photo so the threads are not in step
 * on the same image. */
static void *analyse_loop(void *argument) {
  worker *w = argument;
  dager_session *session = NULL;

  w->status = dager_session_create(w->engine, &session);
  for (int round = 0; round < w->rounds && w->status == DAGER_OK; round++) {
    for (size_t i = 0; i < w->image_count && w->status == DAGER_OK; i++) {
      dager_result *result = NULL;
      size_t which = (i + w->index) % w->image_count;

      w->status = dager_analyze(session, w->images[which], &result);
      dager_result_destroy(result);
      if (w->status == DAGER_OK)
        w->analysed++;
    }
  }
  dager_session_destroy(session);
  return NULL;
}

/* Runs `threads` workers to the end; photos per second, or -1 on failure. */
static double run_workers(const dager_engine *engine,
                          dager_image *const *images, size_t image_count,
                          unsigned threads, int rounds) {
  worker workers[MAX_THROUGHPUT_THREADS];
  size_t analysed = 0;
  unsigned started = 0;
  int failed = 0;
  double start = now_seconds(), elapsed;

  for (unsigned t = 0; t < threads; t++) {
    worker *w = &workers[t];

    w->engine = engine;
    w->images = images;
    w->image_count = image_count;
    w->rounds = rounds;
    w->index = t;
    w->analysed = 0;
    w->status = DAGER_OK;
    if (pthread_create(&w->thread, NULL, analyse_loop, w) != 0) {
      failed = 1;
      break;
    }
    started++;
  }
  for (unsigned t = 0; t < started; t++) {
    pthread_join(workers[t].thread, NULL);
    if (workers[t].status != DAGER_OK) {
      fprintf(stderr, "throughput: thread %u: %s\n", t,
              dager_status_string(workers[t].status));
      failed = 1;
    }
    analysed += workers[t].analysed;
  }
  elapsed = now_seconds() - start;
  if (failed || elapsed <= 0.0)
    return -1.0;
  return (double)analysed / elapsed;
}

int bench_throughput(const char *models, const char *detector,
                     const char *const *photos, size_t photo_count,
                     unsigned threads, int rounds, int json) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_image **images = calloc(photo_count ? photo_count : 1, sizeof *images);
  double single = -1.0, many = -1.0;
  int failed = 0;

  if (!images || photo_count == 0 || threads == 0 ||
      threads > MAX_THROUGHPUT_THREADS) {
    fprintf(stderr, "throughput: needs photos and 1..%d threads\n",
            MAX_THROUGHPUT_THREADS);
    free(images);
    return 1;
  }
  if (dager_options_create(&options) != DAGER_OK ||
      dager_options_set_string(options, "models_dir", models) != DAGER_OK ||
      dager_options_set_string(options, "detector", detector) != DAGER_OK ||
      dager_engine_create(options, &engine) != DAGER_OK) {
    fprintf(stderr, "throughput: cannot load the engine: %s\n",
            dager_last_error_message());
    failed = 1;
  }
  for (size_t i = 0; i < photo_count && !failed; i++) {
    if (dager_image_load_file(photos[i], 0, &images[i]) != DAGER_OK) {
      fprintf(stderr, "throughput: %s: %s\n", photos[i],
              dager_last_error_message());
      failed = 1;
    }
  }
  if (!failed) {
    /* One pass first: page in the weights, warm the caches. */
    run_workers(engine, images, photo_count, 1, 1);
    single = run_workers(engine, images, photo_count, 1, rounds);
    many = run_workers(engine, images, photo_count, threads, rounds);
    failed = single <= 0.0 || many <= 0.0;
  }
  if (!failed) {
    if (json) {
      printf(
          "{\"threads\": %u, \"rounds\": %d, \"photos\": %zu, "
          "\"photos_per_second_1\": %.3f, \"photos_per_second_n\": %.3f, "
          "\"ratio\": %.3f}\n",
          threads, rounds, photo_count, single, many, many / single);
    } else {
      printf("throughput, %s detector, %zu photos x %d rounds per thread\n",
             detector, photo_count, rounds);
      printf("  1 session on 1 thread:     %8.2f photos/s\n", single);
      printf("  %u sessions on %u threads: %8.2f photos/s  (%.2fx)\n", threads,
             threads, many, many / single);
    }
  }
  for (size_t i = 0; i < photo_count; i++)
    dager_image_destroy(images[i]);
  free(images);
  dager_engine_destroy(engine);
  dager_options_destroy(options);
  return failed;
}
