/*
 * Command-line parsing for dager. Kept apart from the library so that it
 * can be tested without models or an engine: it only fills a structure.
 */
#ifndef DAGER_CLI_ARGS_H
#define DAGER_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum cli_image_format {
  CLI_IMAGE_PNG = 0,
  CLI_IMAGE_JPEG = 1
} cli_image_format;

typedef enum cli_progress_mode {
  CLI_PROGRESS_AUTO = 0, /* only when stderr is a terminal */
  CLI_PROGRESS_ALWAYS = 1,
  CLI_PROGRESS_NEVER = 2
} cli_progress_mode;

typedef struct cli_arguments {
  int show_help;
  int show_version;

  int recursive;
  int pretty;
  int landmarks;
  int descriptor;
  /* Decode and report sizes only: no models are loaded. */
  int decode_only;
  /* Library log messages to standard error: 1 info, 2 debug. */
  int verbose;
  cli_progress_mode progress;

  /* NULL when not given, so the library's defaults apply. */
  const char *detector;
  const char *tiling;
  const char *attribute_crop;
  const char *models_dir;
  const char *annotate_dir;
  const char *crops_dir;
  const char *dump_ppm_dir;

  int has_min_score;
  double min_score;
  int has_max_faces;
  long long max_faces;
  int has_min_face_size;
  long long min_face_size;
  int has_landmark_passes;
  long long landmark_passes;
  int has_threads;
  long long threads;
  /* 0 means the library's default. */
  uint64_t max_pixels;

  int crop_size;
  cli_image_format image_format;
  int jpeg_quality;

  /* Pointers into argv; "-" stands for standard input. */
  const char **paths;
  size_t path_count;
} cli_arguments;

/*
 * Parses argv into *arguments. Returns 0 on success; on a usage error
 * returns -1 with a one-line explanation in error. arguments->paths is
 * allocated and freed by cli_arguments_free, also after a failure.
 */
int cli_arguments_parse(int argc, char **argv, cli_arguments *arguments,
                        char *error, size_t error_size);

void cli_arguments_free(cli_arguments *arguments);

/* The --help text. */
void cli_print_usage(const char *program, FILE *stream);

#endif /* DAGER_CLI_ARGS_H */
