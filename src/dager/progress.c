#include "progress.h"

#include <string.h>
#include <time.h>

#define BAR_WIDTH 24
#define REDRAW_INTERVAL_SECONDS 0.1

static double now_seconds(void) {
  struct timespec time_now;
  clock_gettime(CLOCK_MONOTONIC, &time_now);
  return (double)time_now.tv_sec + (double)time_now.tv_nsec * 1e-9;
}

static void format_duration(char *text, size_t size, double seconds) {
  if (!(seconds >= 0.0) || seconds > 359999.0) {
    snprintf(text, size, "--:--");
    return;
  }
  unsigned long whole = (unsigned long)(seconds + 0.5);
  if (whole >= 3600) {
    snprintf(text, size, "%lu:%02lu:%02lu", whole / 3600, whole / 60 % 60,
             whole % 60);
  } else {
    snprintf(text, size, "%lu:%02lu", whole / 60, whole % 60);
  }
}

void cli_progress_format(char *line, size_t line_size, size_t done,
                         size_t total, double elapsed_seconds) {
  char bar[BAR_WIDTH + 1];
  size_t filled = total ? done * BAR_WIDTH / total : 0;
  if (filled > BAR_WIDTH) {
    filled = BAR_WIDTH;
  }
  memset(bar, '#', filled);
  memset(bar + filled, '.', BAR_WIDTH - filled);
  bar[BAR_WIDTH] = '\0';

  /* Rate and time left only once there is something to measure. */
  char rate[32] = "";
  char left[32] = "--:--";
  if (done > 0 && elapsed_seconds > 0.0) {
    double per_second = (double)done / elapsed_seconds;
    snprintf(rate, sizeof(rate), "%.1f img/s", per_second);
    format_duration(
        left, sizeof(left),
        (double)(total - (done < total ? done : total)) / per_second);
  } else {
    snprintf(rate, sizeof(rate), "- img/s");
  }
  snprintf(line, line_size, "%zu/%zu [%s] %s, %s left", done, total, bar, rate,
           left);
}

static void draw(cli_progress *progress, double now) {
  char line[128];
  cli_progress_format(line, sizeof(line), progress->done, progress->total,
                      now - progress->start_seconds);
  /* \033[K erases what a longer earlier line left behind. */
  fprintf(progress->stream, "\r%s\033[K", line);
  fflush(progress->stream);
  progress->last_draw_seconds = now;
  progress->visible = 1;
}

void cli_progress_start(cli_progress *progress, FILE *stream, size_t total) {
  memset(progress, 0, sizeof(*progress));
  progress->stream = stream;
  progress->total = total;
  progress->start_seconds = now_seconds();
  /* Drawn at once: the first image, which also waits for the models to
   * load, is the slowest. */
  if (stream) {
    draw(progress, progress->start_seconds);
  }
}

void cli_progress_advance(cli_progress *progress) {
  progress->done++;
  if (!progress->stream) {
    return;
  }
  double now = now_seconds();
  if (!progress->visible || progress->done == progress->total ||
      now - progress->last_draw_seconds >= REDRAW_INTERVAL_SECONDS) {
    draw(progress, now);
  }
}

void cli_progress_erase(cli_progress *progress) {
  if (!progress->stream || !progress->visible) {
    return;
  }
  fprintf(progress->stream, "\r\033[K");
  fflush(progress->stream);
  progress->visible = 0;
}

void cli_progress_finish(cli_progress *progress) {
  cli_progress_erase(progress);
  progress->stream = NULL;
}
