#include "staged.h"

#include <string.h>
#include <time.h>

#include "api/api.h"

static double clock_ms(clockid_t clock) {
  struct timespec time;

  clock_gettime(clock, &time);
  return (double)time.tv_sec * 1e3 + (double)time.tv_nsec * 1e-6;
}

double bench_wall_ms(void) {
  return clock_ms(CLOCK_MONOTONIC);
}

double bench_cpu_ms(void) {
  return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

/* What the hook needs between two calls. */
typedef struct stage_clock {
  bench_stage_times *times;
  int current; /* the stage being timed, or -1 after DONE */
  double wall, cpu;
} stage_clock;

/* Charges the time since the last boundary to the stage that was running,
 * then starts timing the one entered. */
static void on_stage(void *user, dager_api_stage stage) {
  stage_clock *clock = user;
  double wall = bench_wall_ms(), cpu = bench_cpu_ms();

  if (clock->current >= 0) {
    clock->times->wall[clock->current] += wall - clock->wall;
    clock->times->cpu[clock->current] += cpu - clock->cpu;
  }
  clock->current = stage == DAGER_API_STAGE_DONE ? -1 : (int)stage;
  clock->wall = wall;
  clock->cpu = cpu;
}

dager_status bench_staged_analyse(dager_session *session,
                                  const dager_image *image,
                                  bench_stage_times *times,
                                  dager_result **out) {
  stage_clock clock;
  dager_status status;

  /* Checks and setup before the first stage count as detection. */
  clock.times = times;
  clock.current = BENCH_STAGE_DETECT;
  clock.wall = bench_wall_ms();
  clock.cpu = bench_cpu_ms();
  session->stage_hook = on_stage;
  session->stage_hook_user = &clock;
  status = dager_analyze(session, image, out);
  session->stage_hook = NULL;
  session->stage_hook_user = NULL;
  return status;
}
