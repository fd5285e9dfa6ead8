/*
 * The progress bar on standard error: images done, a bar, the rate and the
 * time left. Drawn in place with a carriage return, at most ten times a
 * second, and erased at the end so it never mixes with the output proper.
 */
#ifndef DAGER_CLI_PROGRESS_H
#define DAGER_CLI_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_progress {
  FILE *stream; /* NULL when disabled */
  size_t total;
  size_t done;
  double start_seconds;
  double last_draw_seconds;
  int visible; /* a bar is on the screen now */
} cli_progress;

void cli_progress_start(cli_progress *progress, FILE *stream, size_t total);
void cli_progress_advance(cli_progress *progress);
/* Erases the bar before other text goes to the same terminal; the next
 * cli_progress_advance draws it again. */
void cli_progress_erase(cli_progress *progress);
void cli_progress_finish(cli_progress *progress);

/*
 * The bar's text for done of total after elapsed_seconds, into line (at
 * least 96 bytes). Separate from the drawing so it can be tested.
 */
void cli_progress_format(char *line, size_t line_size, size_t done,
                         size_t total, double elapsed_seconds);

#endif /* DAGER_CLI_PROGRESS_H */
