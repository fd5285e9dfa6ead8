/*
 * The analysis of lib/api/analyze.c, step for step, with a clock read at
 * every boundary between stages, so the benchmark can say where a photo's
 * time goes. The public API has no timing hook; until it has one, this
 * file must follow analyze.c. bench_pipeline checks on every photo that it
 * finds exactly what dager_analyze finds, and says so when it does not.
 */
#ifndef DAGER_BENCH_STAGED_H
#define DAGER_BENCH_STAGED_H

#include <stddef.h>

#include "dager.h"
#include "image/image.h"

/* The stages of one analysis (decoding is timed by the caller). align is
 * the preparation of every attribute network's input (crop, pad and
 * resize, or the aligned warp); attributes is the attribute and descriptor
 * networks themselves. */
typedef enum bench_stage {
  BENCH_STAGE_DETECT = 0,
  BENCH_STAGE_LANDMARKS = 1,
  BENCH_STAGE_ALIGN = 2,
  BENCH_STAGE_ATTRIBUTES = 3,
  BENCH_STAGE_COUNT = 4
} bench_stage;

/* Milliseconds per stage: wall clock, and CPU time of the whole process
 * (the session's worker threads included). */
typedef struct bench_stage_times {
  double wall[BENCH_STAGE_COUNT];
  double cpu[BENCH_STAGE_COUNT];
} bench_stage_times;

/* What the benchmark compares with dager_analyze's result. */
typedef struct bench_face_outcome {
  float x, y, width, height;
  float landmarks[2 * DAGER_LANDMARK_COUNT];
  int has_landmarks;
  float age;
  int has_age;
  float descriptor[DAGER_DESCRIPTOR_SIZE];
  int has_descriptor;
} bench_face_outcome;

/*
 * Analyses image with the session's engine the way dager_analyze does and
 * adds each stage's milliseconds to times. Writes at most max_faces faces
 * to faces (may be NULL) and their total number to *face_count.
 */
dager_status bench_staged_analyse(dager_session *session,
                                  const dager_image *image,
                                  bench_stage_times *times,
                                  bench_face_outcome *faces, size_t max_faces,
                                  size_t *face_count);

/* Monotonic wall clock and process CPU time, in milliseconds. */
double bench_wall_ms(void);
double bench_cpu_ms(void);

#endif /* DAGER_BENCH_STAGED_H */
