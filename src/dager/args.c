#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CROP_SIZE 150
#define DEFAULT_JPEG_QUALITY 90

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
usage_error(char *error, size_t error_size, const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(error, error_size, format, arguments);
  va_end(arguments);
  return -1;
}

/* Whole-string integer parse: "12x", "", " 3" and overflow are refused, so
 * a typo never silently becomes another number. */
static int parse_integer(const char *text, long long low, long long high,
                         long long *out) {
  if (text[0] == '\0' || text[0] == ' ' || text[0] == '+') {
    return -1;
  }
  char *end = NULL;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < low || value > high) {
    return -1;
  }
  *out = value;
  return 0;
}

static int parse_real(const char *text, double low, double high, double *out) {
  if (text[0] == '\0' || text[0] == ' ') {
    return -1;
  }
  char *end = NULL;
  errno = 0;
  double value = strtod(text, &end);
  if (errno != 0 || *end != '\0' || !isfinite(value) || value < low ||
      value > high) {
    return -1;
  }
  *out = value;
  return 0;
}

/* Options that take a value, so "--name value" can be told from a flag. */
static const char *const value_options[] = {
    "--annotate",        "--crops",         "--crop-size",
    "--format",          "--jpeg-quality",  "--detector",
    "--min-score",       "--max-faces",     "--threads",
    "--models",          "--max-pixels",    "--dump-ppm",
    "--tiling",          "--min-face-size", "--attribute-crop",
    "--landmark-passes",
};

static int takes_value(const char *name) {
  for (size_t i = 0; i < sizeof(value_options) / sizeof(value_options[0]);
       i++) {
    if (strcmp(name, value_options[i]) == 0) {
      return 1;
    }
  }
  return 0;
}

static int apply_value(cli_arguments *arguments, const char *name,
                       const char *value, char *error, size_t error_size) {
  long long integer = 0;
  if (strcmp(name, "--annotate") == 0 || strcmp(name, "--crops") == 0 ||
      strcmp(name, "--models") == 0 || strcmp(name, "--dump-ppm") == 0) {
    if (value[0] == '\0') {
      return usage_error(error, error_size, "%s needs a folder", name);
    }
    if (strcmp(name, "--annotate") == 0) {
      arguments->annotate_dir = value;
    } else if (strcmp(name, "--crops") == 0) {
      arguments->crops_dir = value;
    } else if (strcmp(name, "--models") == 0) {
      arguments->models_dir = value;
    } else {
      arguments->dump_ppm_dir = value;
    }
  } else if (strcmp(name, "--detector") == 0) {
    if (strcmp(value, "ssd") != 0 && strcmp(value, "tiny") != 0) {
      return usage_error(error, error_size,
                         "--detector must be ssd or tiny, not '%s'", value);
    }
    arguments->detector = value;
  } else if (strcmp(name, "--format") == 0) {
    if (strcmp(value, "png") == 0) {
      arguments->image_format = CLI_IMAGE_PNG;
    } else if (strcmp(value, "jpeg") == 0 || strcmp(value, "jpg") == 0) {
      arguments->image_format = CLI_IMAGE_JPEG;
    } else {
      return usage_error(error, error_size,
                         "--format must be png or jpeg, not '%s'", value);
    }
  } else if (strcmp(name, "--min-score") == 0) {
    if (parse_real(value, 0.0, 1.0, &arguments->min_score) != 0) {
      return usage_error(error, error_size,
                         "--min-score needs a number from 0 to 1, not '%s'",
                         value);
    }
    arguments->has_min_score = 1;
  } else if (strcmp(name, "--max-faces") == 0) {
    if (parse_integer(value, 1, 100000, &arguments->max_faces) != 0) {
      return usage_error(
          error, error_size,
          "--max-faces needs a whole number from 1 to 100000, not '%s'", value);
    }
    arguments->has_max_faces = 1;
  } else if (strcmp(name, "--tiling") == 0) {
    if (strcmp(value, "auto") != 0 && strcmp(value, "off") != 0) {
      return usage_error(error, error_size,
                         "--tiling must be auto or off, not '%s'", value);
    }
    arguments->tiling = value;
  } else if (strcmp(name, "--attribute-crop") == 0) {
    if (strcmp(value, "box") != 0 && strcmp(value, "aligned") != 0) {
      return usage_error(error, error_size,
                         "--attribute-crop must be box or aligned, not '%s'",
                         value);
    }
    arguments->attribute_crop = value;
  } else if (strcmp(name, "--landmark-passes") == 0) {
    if (parse_integer(value, 1, 8, &arguments->landmark_passes) != 0) {
      return usage_error(
          error, error_size,
          "--landmark-passes needs a whole number from 1 to 8, not '%s'",
          value);
    }
    arguments->has_landmark_passes = 1;
  } else if (strcmp(name, "--min-face-size") == 0) {
    if (parse_integer(value, 0, 100000, &arguments->min_face_size) != 0) {
      return usage_error(error, error_size,
                         "--min-face-size needs a whole number from 0 to "
                         "100000, not '%s'",
                         value);
    }
    arguments->has_min_face_size = 1;
  } else if (strcmp(name, "--threads") == 0) {
    if (parse_integer(value, 1, 256, &arguments->threads) != 0) {
      return usage_error(
          error, error_size,
          "--threads needs a whole number from 1 to 256, not '%s'", value);
    }
    arguments->has_threads = 1;
  } else if (strcmp(name, "--max-pixels") == 0) {
    if (parse_integer(value, 1, 268435456, &integer) != 0) {
      return usage_error(error, error_size,
                         "--max-pixels needs a whole number from 1 to "
                         "268435456, not '%s'",
                         value);
    }
    arguments->max_pixels = (uint64_t)integer;
  } else if (strcmp(name, "--crop-size") == 0) {
    if (parse_integer(value, 16, 1024, &integer) != 0) {
      return usage_error(
          error, error_size,
          "--crop-size needs a whole number from 16 to 1024, not '%s'", value);
    }
    arguments->crop_size = (int)integer;
  } else if (strcmp(name, "--jpeg-quality") == 0) {
    if (parse_integer(value, 1, 100, &integer) != 0) {
      return usage_error(
          error, error_size,
          "--jpeg-quality needs a whole number from 1 to 100, not '%s'", value);
    }
    arguments->jpeg_quality = (int)integer;
  }
  return 0;
}

static int apply_flag(cli_arguments *arguments, const char *name, char *error,
                      size_t error_size) {
  if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
    arguments->show_help = 1;
  } else if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
    arguments->show_version = 1;
  } else if (strcmp(name, "-r") == 0 || strcmp(name, "--recursive") == 0) {
    arguments->recursive = 1;
  } else if (strcmp(name, "--pretty") == 0) {
    arguments->pretty = 1;
  } else if (strcmp(name, "--landmarks") == 0) {
    arguments->landmarks = 1;
  } else if (strcmp(name, "--descriptor") == 0) {
    arguments->descriptor = 1;
  } else if (strcmp(name, "--decode-only") == 0) {
    arguments->decode_only = 1;
  } else if (strcmp(name, "-v") == 0 || strcmp(name, "--verbose") == 0) {
    if (arguments->verbose < 2) {
      arguments->verbose++;
    }
  } else if (strcmp(name, "-vv") == 0) {
    arguments->verbose = 2;
  } else if (strcmp(name, "--progress") == 0) {
    arguments->progress = CLI_PROGRESS_ALWAYS;
  } else if (strcmp(name, "--no-progress") == 0) {
    arguments->progress = CLI_PROGRESS_NEVER;
  } else {
    return usage_error(error, error_size, "unknown option '%s'", name);
  }
  return 0;
}

static int add_path(cli_arguments *arguments, const char *path, size_t capacity,
                    char *error, size_t error_size) {
  if (path[0] == '\0') {
    return usage_error(error, error_size, "an empty path was given");
  }
  if (strcmp(path, "-") == 0) {
    for (size_t i = 0; i < arguments->path_count; i++) {
      if (strcmp(arguments->paths[i], "-") == 0) {
        return usage_error(error, error_size,
                           "standard input ('-') may be given only once");
      }
    }
  }
  if (arguments->path_count >= capacity) {
    return usage_error(error, error_size, "too many paths");
  }
  arguments->paths[arguments->path_count++] = path;
  return 0;
}

int cli_arguments_parse(int argc, char **argv, cli_arguments *arguments,
                        char *error, size_t error_size) {
  memset(arguments, 0, sizeof(*arguments));
  arguments->crop_size = DEFAULT_CROP_SIZE;
  arguments->jpeg_quality = DEFAULT_JPEG_QUALITY;
  arguments->image_format = CLI_IMAGE_PNG;
  error[0] = '\0';

  size_t capacity = argc > 0 ? (size_t)argc : 1;
  arguments->paths = calloc(capacity, sizeof(arguments->paths[0]));
  if (!arguments->paths) {
    return usage_error(error, error_size, "out of memory");
  }

  int options_ended = 0;
  for (int i = 1; i < argc; i++) {
    const char *word = argv[i];
    if (options_ended || word[0] != '-' || strcmp(word, "-") == 0) {
      if (add_path(arguments, word, capacity, error, error_size) != 0) {
        return -1;
      }
      continue;
    }
    if (strcmp(word, "--") == 0) {
      options_ended = 1;
      continue;
    }

    /* "--name=value" is split at the first '='; the name part is copied
     * so argv stays untouched. */
    char name[32];
    const char *value = NULL;
    const char *equals = word[1] == '-' ? strchr(word, '=') : NULL;
    size_t name_length = equals ? (size_t)(equals - word) : strlen(word);
    if (name_length >= sizeof(name)) {
      return usage_error(error, error_size, "unknown option '%s'", word);
    }
    memcpy(name, word, name_length);
    name[name_length] = '\0';

    if (takes_value(name)) {
      if (equals) {
        value = equals + 1;
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return usage_error(error, error_size, "%s needs a value", name);
      }
      if (apply_value(arguments, name, value, error, error_size) != 0) {
        return -1;
      }
    } else if (equals) {
      return usage_error(error, error_size, "%s takes no value", name);
    } else if (apply_flag(arguments, name, error, error_size) != 0) {
      return -1;
    }
  }

  if (arguments->show_help || arguments->show_version) {
    return 0;
  }
  if (arguments->path_count == 0) {
    return usage_error(error, error_size,
                       "no image given (a file, a folder with -r, or -)");
  }
  if (arguments->decode_only &&
      (arguments->annotate_dir || arguments->crops_dir ||
       arguments->landmarks || arguments->descriptor)) {
    return usage_error(error, error_size,
                       "--decode-only cannot be combined with --annotate, "
                       "--crops, --landmarks or --descriptor");
  }
  return 0;
}

void cli_arguments_free(cli_arguments *arguments) {
  free(arguments->paths);
  arguments->paths = NULL;
  arguments->path_count = 0;
}

void cli_print_usage(const char *program, FILE *stream) {
  fprintf(stream,
          "Usage: %s [options] PATH...\n"
          "Finds faces in JPEG and PNG images and estimates age, gender and\n"
          "emotion. PATH is an image file, a folder (with -r), or - for\n"
          "standard input. Prints one JSON object per image per line.\n"
          "\n"
          "Output:\n"
          "  --pretty            a readable table instead of JSON Lines\n"
          "  --landmarks         add the 68 landmarks of each face\n"
          "  --descriptor        add the 128-value descriptor of each face\n"
          "  --annotate DIR      write each image with boxes, landmarks and\n"
          "                      labels into DIR\n"
          "  --crops DIR         write the aligned crop of each face into "
          "DIR\n"
          "  --crop-size N       side of the aligned crops, 16..1024 "
          "(150)\n"
          "  --format png|jpeg   file type for --annotate and --crops "
          "(png)\n"
          "  --jpeg-quality N    1..100 (90)\n"
          "  --progress          show the progress bar even when stderr is\n"
          "                      not a terminal\n"
          "  --no-progress       never show it\n"
          "\n"
          "Analysis:\n"
          "  --detector ssd|tiny face detector (ssd: accurate; tiny: fast)\n"
          "  --min-score X       detection threshold, 0..1 (0.5)\n"
          "  --max-faces N       most faces per image (1000)\n"
          "  --tiling auto|off   extra detector passes over tiles when the\n"
          "                      first pass finds small faces (auto)\n"
          "  --attribute-crop box|aligned\n"
          "                      age, gender and emotion from the\n"
          "                      reference's box around the landmarks\n"
          "                      (box) or from the face turned upright\n"
          "                      (aligned)\n"
          "  --landmark-passes N landmark runs per face, 1..8 (1 with box,\n"
          "                      8 with aligned); see dager(1)\n"
          "  --min-face-size N   also search tiles for faces down to N\n"
          "                      pixels wide (0: only what --tiling does)\n"
          "  --threads N         worker threads, 1..256 (1)\n"
          "  --models DIR        folder with the converted model files\n"
          "  --max-pixels N      largest image accepted, in pixels,\n"
          "                      1..268435456 (50000000)\n"
          "\n"
          "Input:\n"
          "  -r, --recursive     walk folders (sorted byte-wise; only .jpg,\n"
          "                      .jpeg and .png files, hidden ones "
          "skipped)\n"
          "  --decode-only       decode and report sizes; load no models\n"
          "  --dump-ppm DIR      also write the decoded pixels as PPM files\n"
          "\n"
          "  -v, --verbose       print the library's log on stderr; twice "
          "for\n"
          "                      debugging detail\n"
          "  -h, --help          this text\n"
          "  -V, --version       program and library versions\n"
          "\n"
          "Exit status: 0 every image succeeded; 1 some image failed (its\n"
          "line says why; an image whose crop or annotation cannot be\n"
          "written counts as failed); 2 usage error, or an output folder\n"
          "that cannot be made; 3 the models could not be loaded, or the\n"
          "output could not be written (the run stops).\n",
          program);
}
