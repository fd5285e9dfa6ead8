/*
 * dager: finds faces in images and prints what the library says about
 * them, one line per image. This file runs the steps; parsing, walking,
 * output and pictures live in their own files.
 */
#include <dager.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annotate.h"
#include "args.h"
#include "files.h"
#include "json.h"
#include "progress.h"
#include "report.h"
#include "walk.h"

/* Exit statuses, documented in --help and dager(1). */
enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

/* Standard input larger than this is refused: far above any photo, and it
 * keeps a runaway pipe from taking all memory. */
#define STDIN_LIMIT_BYTES ((size_t)1 << 30)

typedef struct run {
  const cli_arguments *arguments;
  dager_session *session;
  cli_json json;
  cli_image_report report;
  /* The reason for the current image's failure. */
  char error[1024];
} run;

static void print_log(void *user, dager_log_level level, const char *message) {
  (void)user;
  static const char *const names[] = {"", "error", "warning", "info", "debug"};
  unsigned index = (unsigned)level <= 4 ? (unsigned)level : 0;
  fprintf(stderr, "dager: %s: %s\n", names[index], message);
}

/* The library's detail for the failure that just happened, or the status's
 * generic sentence when it left none. */
static const char *failure_message(dager_status status) {
  const char *message = dager_last_error_message();
  return message[0] ? message : dager_status_string(status);
}

static const char *image_extension(cli_image_format format) {
  return format == CLI_IMAGE_JPEG ? "jpg" : "png";
}

static dager_status set_string(dager_options *options, const char *name,
                               const char *value) {
  return value ? dager_options_set_string(options, name, value) : DAGER_OK;
}

/* Returns an exit status: EXIT_ALL_OK when the engine and session exist. */
static int open_session(const cli_arguments *arguments,
                        dager_engine **engine_out,
                        dager_session **session_out) {
  dager_options *options = NULL;
  dager_status status = dager_options_create(&options);
  if (status != DAGER_OK) {
    fprintf(stderr, "dager: %s\n", failure_message(status));
    return EXIT_FATAL;
  }

  /* The descriptor network is the slowest to load and run; skip it unless
   * asked for. */
  const char *networks = arguments->descriptor
                             ? "detector,landmarks,age_gender,expression,"
                               "descriptor"
                             : "detector,landmarks,age_gender,expression";
  status = dager_options_set_string(options, "networks", networks);
  if (status == DAGER_OK) {
    status = set_string(options, "models_dir", arguments->models_dir);
  }
  if (status == DAGER_OK) {
    status = set_string(options, "detector", arguments->detector);
  }
  if (status == DAGER_OK && arguments->has_min_score) {
    status =
        dager_options_set_double(options, "min_score", arguments->min_score);
  }
  if (status == DAGER_OK) {
    status = set_string(options, "tiling", arguments->tiling);
  }
  if (status == DAGER_OK) {
    status = set_string(options, "attribute_crop", arguments->attribute_crop);
  }
  if (status == DAGER_OK && arguments->has_landmark_passes) {
    status = dager_options_set_int(options, "landmark_passes",
                                   arguments->landmark_passes);
  }
  if (status == DAGER_OK && arguments->has_min_face_size) {
    status = dager_options_set_int(options, "min_face_size",
                                   arguments->min_face_size);
  }
  if (status == DAGER_OK && arguments->has_max_faces) {
    status = dager_options_set_int(options, "max_faces", arguments->max_faces);
  }
  if (status == DAGER_OK && arguments->has_threads) {
    status = dager_options_set_int(options, "threads", arguments->threads);
  }
  if (status == DAGER_OK && arguments->max_pixels > 0) {
    status = dager_options_set_int(options, "max_pixels",
                                   (int64_t)arguments->max_pixels);
  }
  if (status != DAGER_OK) {
    fprintf(stderr, "dager: %s\n", failure_message(status));
    dager_options_destroy(options);
    return status == DAGER_ERROR_UNKNOWN_OPTION ? EXIT_USAGE : EXIT_FATAL;
  }

  dager_engine *engine = NULL;
  status = dager_engine_create(options, &engine);
  dager_options_destroy(options);
  if (status != DAGER_OK) {
    fprintf(stderr, "dager: cannot load the models: %s\n",
            failure_message(status));
    if (status == DAGER_ERROR_IO) {
      fprintf(stderr,
              "dager: give the folder of the converted models with "
              "--models DIR or DAGER_MODELS_DIR\n");
    }
    return status == DAGER_ERROR_UNKNOWN_OPTION ? EXIT_USAGE : EXIT_FATAL;
  }

  dager_session *session = NULL;
  status = dager_session_create(engine, &session);
  if (status != DAGER_OK) {
    fprintf(stderr, "dager: %s\n", failure_message(status));
    dager_engine_destroy(engine);
    return EXIT_FATAL;
  }
  *engine_out = engine;
  *session_out = session;
  return EXIT_ALL_OK;
}

/* Reads a whole stream (standard input, a pipe) and decodes it. */
static dager_status load_stream(run *state, FILE *stream, const char *what,
                                dager_image **image) {
  uint64_t max_pixels = state->arguments->max_pixels;
  uint8_t *data = NULL;
  size_t size = 0;
  int read = cli_read_stream(stream, STDIN_LIMIT_BYTES, &data, &size);
  if (read != 0) {
    snprintf(state->error, sizeof(state->error), "%s %s",
             read == -2   ? "out of memory reading"
             : read == -3 ? "larger than 1 GiB:"
                          : "cannot read",
             what);
    return read == -2 ? DAGER_ERROR_OUT_OF_MEMORY : DAGER_ERROR_IO;
  }
  dager_status status = dager_image_load_memory(data, size, max_pixels, image);
  if (status != DAGER_OK) {
    snprintf(state->error, sizeof(state->error), "%s", failure_message(status));
  }
  free(data);
  return status;
}

static dager_status load_input(run *state, const cli_input *input,
                               dager_image **image) {
  uint64_t max_pixels = state->arguments->max_pixels;
  struct stat information;

  if (strcmp(input->path, "-") == 0)
    return load_stream(state, stdin, "standard input", image);
  /* A named pipe or device (a shell's <(...), /dev/stdin) is read as a
   * stream, as standard input is; the library reads regular files only. */
  if (stat(input->path, &information) == 0 &&
      (S_ISFIFO(information.st_mode) || S_ISCHR(information.st_mode))) {
    FILE *stream = fopen(input->path, "rb");
    if (!stream) {
      snprintf(state->error, sizeof(state->error), "cannot open %s: %s",
               input->path, strerror(errno));
      return DAGER_ERROR_IO;
    }
    dager_status status = load_stream(state, stream, input->path, image);
    fclose(stream);
    return status;
  }
  dager_status status = dager_image_load_file(input->path, max_pixels, image);
  if (status != DAGER_OK) {
    snprintf(state->error, sizeof(state->error), "%s", failure_message(status));
  }
  return status;
}

/* Copies what the result says into state->report, and writes the crops. */
static dager_status gather_faces(run *state, const cli_input *input,
                                 const dager_image *image,
                                 const dager_result *result) {
  const cli_arguments *arguments = state->arguments;
  cli_image_report *report = &state->report;
  report->analysed = 1;
  report->truncated = dager_result_truncated(result);
  size_t count = dager_result_face_count(result);
  if (count == 0) {
    return DAGER_OK;
  }
  report->faces = calloc(count, sizeof(report->faces[0]));
  if (!report->faces) {
    snprintf(state->error, sizeof(state->error), "out of memory");
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  report->face_count = count;

  for (size_t i = 0; i < count; i++) {
    cli_face_report *face = &report->faces[i];
    face->face.struct_size = sizeof(face->face);
    dager_status status = dager_result_face(result, i, &face->face);
    if (status == DAGER_OK && arguments->descriptor &&
        face->face.has_descriptor) {
      status = dager_result_descriptor(result, i, face->descriptor);
      face->has_descriptor = status == DAGER_OK;
    }
    if (status != DAGER_OK) {
      snprintf(state->error, sizeof(state->error), "reading face %zu: %s",
               i + 1, failure_message(status));
      return status;
    }
    if (arguments->crops_dir) {
      char suffix[32];
      snprintf(suffix, sizeof(suffix), "-face%zu", i + 1);
      face->crop_path =
          cli_output_path(arguments->crops_dir, input->output_stem, suffix,
                          image_extension(arguments->image_format));
      if (!face->crop_path) {
        snprintf(state->error, sizeof(state->error), "out of memory");
        return DAGER_ERROR_OUT_OF_MEMORY;
      }
      status = cli_write_crop(state->session, image, result, i,
                              arguments->crop_size, face->crop_path,
                              arguments->image_format, arguments->jpeg_quality,
                              state->error, sizeof(state->error));
      if (status != DAGER_OK) {
        return status;
      }
    }
  }
  return DAGER_OK;
}

/* Everything done to one image. On failure, state->error says why and the
 * status is returned; the caller prints the failure line. */
static dager_status process_image(run *state, const cli_input *input) {
  const cli_arguments *arguments = state->arguments;
  cli_image_report *report = &state->report;
  state->error[0] = '\0';
  if (input->walk_error) {
    snprintf(state->error, sizeof(state->error), "%s", input->walk_error);
    return DAGER_ERROR_IO;
  }

  dager_image *image = NULL;
  dager_status status = load_input(state, input, &image);
  if (status != DAGER_OK) {
    return status;
  }
  report->width = dager_image_width(image);
  report->height = dager_image_height(image);
  report->orientation = dager_image_orientation(image);

  if (arguments->dump_ppm_dir) {
    report->ppm_path =
        cli_output_path(arguments->dump_ppm_dir, input->output_stem, "", "ppm");
    if (!report->ppm_path) {
      status = DAGER_ERROR_OUT_OF_MEMORY;
      snprintf(state->error, sizeof(state->error), "out of memory");
    } else if (cli_write_ppm(report->ppm_path, dager_image_pixels(image),
                             report->width, report->height) != 0) {
      status = DAGER_ERROR_IO;
      snprintf(state->error, sizeof(state->error), "cannot write %s: %s",
               report->ppm_path, strerror(errno));
    }
  }

  dager_result *result = NULL;
  if (status == DAGER_OK && !arguments->decode_only) {
    status = dager_analyze(state->session, image, &result);
    if (status != DAGER_OK) {
      snprintf(state->error, sizeof(state->error), "%s",
               failure_message(status));
    } else {
      status = gather_faces(state, input, image, result);
    }
  }

  if (status == DAGER_OK && arguments->annotate_dir) {
    report->annotated_path =
        cli_output_path(arguments->annotate_dir, input->output_stem, "",
                        image_extension(arguments->image_format));
    if (!report->annotated_path) {
      status = DAGER_ERROR_OUT_OF_MEMORY;
      snprintf(state->error, sizeof(state->error), "out of memory");
    } else if (cli_write_annotated(image, report, report->annotated_path,
                                   arguments->image_format,
                                   arguments->jpeg_quality, state->error,
                                   sizeof(state->error)) != 0) {
      status = DAGER_ERROR_IO;
    }
  }

  dager_result_destroy(result);
  dager_image_destroy(image);
  return status;
}

/* Prints the line of one image. Returns 0, or -1 when stdout failed. */
static int print_outcome(run *state, const cli_input *input,
                         dager_status status) {
  const cli_arguments *arguments = state->arguments;
  if (status != DAGER_OK) {
    const char *name = cli_status_name(status);
    if (arguments->pretty) {
      int written = cli_table_failure(stdout, input->path, name, state->error);
      return written == 0 && fflush(stdout) == 0 ? 0 : -1;
    }
    cli_json_failure(&state->json, input->path, name, state->error);
    return cli_json_write_line(&state->json, stdout);
  }
  if (arguments->pretty) {
    int written = cli_table_image(stdout, &state->report);
    return written == 0 && fflush(stdout) == 0 ? 0 : -1;
  }
  cli_report_fields fields = {arguments->landmarks, arguments->descriptor};
  cli_json_image(&state->json, &state->report, fields);
  return cli_json_write_line(&state->json, stdout);
}

static int make_output_folders(const cli_arguments *arguments) {
  const char *folders[] = {arguments->annotate_dir, arguments->crops_dir,
                           arguments->dump_ppm_dir};
  for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
    if (folders[i] && cli_make_folders(folders[i]) != 0) {
      fprintf(stderr, "dager: cannot create folder %s: %s\n", folders[i],
              strerror(errno));
      return -1;
    }
  }
  return 0;
}

static int process_all(const cli_arguments *arguments, dager_session *session,
                       const cli_input_list *inputs) {
  run state;
  memset(&state, 0, sizeof(state));
  state.arguments = arguments;
  state.session = session;
  cli_json_init(&state.json);

  int show_progress =
      arguments->progress == CLI_PROGRESS_ALWAYS ||
      (arguments->progress == CLI_PROGRESS_AUTO && isatty(STDERR_FILENO));
  /* With both streams on one terminal the bar is erased before each
   * line, so output and bar never share a line. */
  int output_on_terminal = show_progress && isatty(STDOUT_FILENO);
  cli_progress progress;
  cli_progress_start(&progress, show_progress ? stderr : NULL, inputs->count);

  int exit_status = EXIT_ALL_OK;
  for (size_t i = 0; i < inputs->count; i++) {
    const cli_input *input = &inputs->items[i];
    state.report.path = input->path;
    dager_status status = process_image(&state, input);
    if (output_on_terminal) {
      cli_progress_erase(&progress);
    }
    if (print_outcome(&state, input, status) != 0) {
      cli_progress_finish(&progress);
      fprintf(stderr, "dager: cannot write the output: %s\n", strerror(errno));
      exit_status = EXIT_FATAL;
      break;
    }
    if (status != DAGER_OK) {
      exit_status = EXIT_SOME_FAILED;
    }
    cli_image_report_clear(&state.report);
    cli_progress_advance(&progress);
  }
  cli_progress_finish(&progress);
  cli_image_report_clear(&state.report);
  cli_json_free(&state.json);
  return exit_status;
}

int main(int argc, char **argv) {
  cli_arguments arguments;
  char error[512];
  if (cli_arguments_parse(argc, argv, &arguments, error, sizeof(error)) != 0) {
    fprintf(stderr, "dager: %s\nTry 'dager --help' for the options.\n", error);
    cli_arguments_free(&arguments);
    return EXIT_USAGE;
  }
  if (arguments.show_help) {
    cli_print_usage("dager", stdout);
    cli_arguments_free(&arguments);
    return EXIT_ALL_OK;
  }
  if (arguments.show_version) {
    printf("dager %d.%d.%d (libdager %s)\n", DAGER_VERSION_MAJOR,
           DAGER_VERSION_MINOR, DAGER_VERSION_PATCH, dager_version_string());
    cli_arguments_free(&arguments);
    return EXIT_ALL_OK;
  }
  if (arguments.verbose > 0) {
    dager_set_log_callback(
        print_log, NULL,
        arguments.verbose > 1 ? DAGER_LOG_DEBUG : DAGER_LOG_INFO);
  }
  if (make_output_folders(&arguments) != 0) {
    cli_arguments_free(&arguments);
    return EXIT_USAGE;
  }

  cli_input_list inputs;
  if (cli_inputs_collect(arguments.paths, arguments.path_count,
                         arguments.recursive, &inputs) != 0) {
    fprintf(stderr, "dager: out of memory listing the inputs\n");
    cli_arguments_free(&arguments);
    return EXIT_FATAL;
  }

  dager_engine *engine = NULL;
  dager_session *session = NULL;
  int exit_status = EXIT_ALL_OK;
  if (!arguments.decode_only) {
    exit_status = open_session(&arguments, &engine, &session);
  }
  if (exit_status == EXIT_ALL_OK) {
    exit_status = process_all(&arguments, session, &inputs);
  }

  dager_session_destroy(session);
  dager_engine_destroy(engine);
  cli_inputs_free(&inputs);
  cli_arguments_free(&arguments);
  return exit_status;
}
