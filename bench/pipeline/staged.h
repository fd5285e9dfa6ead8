/*
 * dager_analyze with a clock read at every boundary between the stages of
 * the analysis, through the session's internal stage hook (lib/api/api.h),
 * so the benchmark can say where a photo's time goes while running the
 * library's own code path.
 */
#ifndef DAGER_BENCH_STAGED_H
#define DAGER_BENCH_STAGED_H

#include "dager.h"

/* The stages of one analysis (decoding is timed by the caller), in the
 * order of lib/api/api.h's dager_api_stage. */
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

/*
 * Runs dager_analyze on image with the stage hook installed and adds each
 * stage's milliseconds to times. *out is dager_analyze's result.
 */
dager_status bench_staged_analyse(dager_session *session,
                                  const dager_image *image,
                                  bench_stage_times *times, dager_result **out);

/* Monotonic wall clock and process CPU time, in milliseconds. */
double bench_wall_ms(void);
double bench_cpu_ms(void);

#endif /* DAGER_BENCH_STAGED_H */
