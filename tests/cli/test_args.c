/* Command-line parsing of the dager program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

static char error[256];

/* argv as main receives it: writable strings. The parser keeps pointers
 * into it, so it lives as long as the test's arguments. */
static char words_storage[64][64];
static char *argv_storage[65];

/* Parses a NULL-terminated list of words after the program name. */
static int parse(cli_arguments *arguments, const char *const *words) {
  int argc = 0;
  snprintf(words_storage[argc], sizeof(words_storage[0]), "dager");
  argv_storage[argc] = words_storage[argc];
  argc++;
  while (*words) {
    snprintf(words_storage[argc], sizeof(words_storage[0]), "%s", *words++);
    argv_storage[argc] = words_storage[argc];
    argc++;
  }
  argv_storage[argc] = NULL;
  return cli_arguments_parse(argc, argv_storage, arguments, error,
                             sizeof(error));
}

static void defaults_and_paths(void **state) {
  (void)state;
  cli_arguments arguments;
  const char *words[] = {"a.jpg", "-", "--", "-r", NULL};
  assert_int_equal(parse(&arguments, words), 0);
  assert_int_equal(arguments.path_count, 3);
  assert_string_equal(arguments.paths[0], "a.jpg");
  assert_string_equal(arguments.paths[1], "-");
  /* After "--" an option-looking word is a path. */
  assert_string_equal(arguments.paths[2], "-r");
  assert_false(arguments.recursive);
  assert_false(arguments.pretty);
  assert_null(arguments.detector);
  assert_false(arguments.has_min_score);
  assert_int_equal(arguments.max_pixels, 0);
  assert_int_equal(arguments.crop_size, 150);
  assert_int_equal(arguments.image_format, CLI_IMAGE_PNG);
  assert_int_equal(arguments.progress, CLI_PROGRESS_AUTO);
  cli_arguments_free(&arguments);
}

static void every_option_is_read(void **state) {
  (void)state;
  cli_arguments arguments;
  const char *words[] = {"-r",
                         "--pretty",
                         "--landmarks",
                         "--descriptor",
                         "--annotate",
                         "out/a",
                         "--crops=out/c",
                         "--crop-size",
                         "112",
                         "--format",
                         "jpeg",
                         "--jpeg-quality=75",
                         "--detector",
                         "tiny",
                         "--min-score",
                         "0.25",
                         "--max-faces=7",
                         "--tiling",
                         "off",
                         "--min-face-size=40",
                         "--attribute-crop",
                         "aligned",
                         "--landmark-passes=3",
                         "--threads",
                         "4",
                         "--models",
                         "m",
                         "--max-pixels",
                         "1000000",
                         "--dump-ppm",
                         "p",
                         "--no-progress",
                         "-v",
                         "-v",
                         "-v",
                         "dir",
                         NULL};
  assert_int_equal(parse(&arguments, words), 0);
  assert_true(arguments.recursive);
  assert_true(arguments.pretty);
  assert_true(arguments.landmarks);
  assert_true(arguments.descriptor);
  assert_string_equal(arguments.annotate_dir, "out/a");
  assert_string_equal(arguments.crops_dir, "out/c");
  assert_int_equal(arguments.crop_size, 112);
  assert_int_equal(arguments.image_format, CLI_IMAGE_JPEG);
  assert_int_equal(arguments.jpeg_quality, 75);
  assert_string_equal(arguments.detector, "tiny");
  assert_true(arguments.has_min_score);
  assert_true(arguments.min_score == 0.25);
  assert_true(arguments.has_max_faces);
  assert_int_equal(arguments.max_faces, 7);
  assert_string_equal(arguments.tiling, "off");
  assert_true(arguments.has_min_face_size);
  assert_int_equal(arguments.min_face_size, 40);
  assert_string_equal(arguments.attribute_crop, "aligned");
  assert_true(arguments.has_landmark_passes);
  assert_int_equal(arguments.landmark_passes, 3);
  assert_int_equal(arguments.threads, 4);
  assert_string_equal(arguments.models_dir, "m");
  assert_int_equal(arguments.max_pixels, 1000000);
  assert_string_equal(arguments.dump_ppm_dir, "p");
  assert_int_equal(arguments.progress, CLI_PROGRESS_NEVER);
  assert_int_equal(arguments.verbose, 2);
  assert_int_equal(arguments.path_count, 1);
  assert_string_equal(arguments.paths[0], "dir");
  cli_arguments_free(&arguments);
}

static void help_and_version_need_no_path(void **state) {
  (void)state;
  cli_arguments arguments;
  const char *help[] = {"--help", NULL};
  assert_int_equal(parse(&arguments, help), 0);
  assert_true(arguments.show_help);
  cli_arguments_free(&arguments);
  const char *version[] = {"-V", NULL};
  assert_int_equal(parse(&arguments, version), 0);
  assert_true(arguments.show_version);
  cli_arguments_free(&arguments);
}

static void double_v_is_debug_verbosity(void **state) {
  (void)state;
  cli_arguments arguments;
  const char *words[] = {"-vv", "a.jpg", NULL};
  assert_int_equal(parse(&arguments, words), 0);
  assert_int_equal(arguments.verbose, 2);
  cli_arguments_free(&arguments);
}

/* Each of these must be a usage error whose message names the problem. */
static void bad_words_are_usage_errors(void **state) {
  (void)state;
  static const struct {
    const char *words[5];
    const char *expected;
  } cases[] = {
      {{NULL}, "no image"},
      {{"--frobnicate", "a.jpg", NULL}, "unknown option '--frobnicate'"},
      {{"-x", "a.jpg", NULL}, "unknown option '-x'"},
      {{"--min-score", NULL}, "needs a value"},
      {{"--min-score", "1.5", "a.jpg", NULL}, "--min-score"},
      {{"--min-score", "0.5x", "a.jpg", NULL}, "--min-score"},
      {{"--min-score=", "a.jpg", NULL}, "--min-score"},
      {{"--min-score", "nan", "a.jpg", NULL}, "--min-score"},
      {{"--max-faces", "0", "a.jpg", NULL}, "--max-faces"},
      {{"--max-faces", "100001", "a.jpg", NULL}, "--max-faces"},
      {{"--max-pixels", "268435457", "a.jpg", NULL}, "--max-pixels"},
      {{"--tiling", "on", "a.jpg", NULL}, "--tiling"},
      {{"--min-face-size", "-1", "a.jpg", NULL}, "--min-face-size"},
      {{"--attribute-crop", "tilted", "a.jpg", NULL}, "box or aligned"},
      {{"--landmark-passes", "0", "a.jpg", NULL}, "--landmark-passes"},
      {{"--landmark-passes", "9", "a.jpg", NULL}, "--landmark-passes"},
      {{"--threads", "257", "a.jpg", NULL}, "--threads"},
      {{"--threads", "+3", "a.jpg", NULL}, "--threads"},
      {{"--max-pixels", "-5", "a.jpg", NULL}, "--max-pixels"},
      {{"--max-pixels", "99999999999999999999", "a.jpg", NULL}, "--max-pixels"},
      {{"--detector", "yolo", "a.jpg", NULL}, "ssd or tiny"},
      {{"--format", "gif", "a.jpg", NULL}, "png or jpeg"},
      {{"--crop-size", "8", "a.jpg", NULL}, "--crop-size"},
      {{"--annotate", "", "a.jpg", NULL}, "needs a folder"},
      {{"--pretty=yes", "a.jpg", NULL}, "takes no value"},
      {{"-", "-", NULL}, "only once"},
      {{"", NULL}, "empty path"},
      {{"--decode-only", "--annotate", "x", "a.jpg", NULL}, "--decode-only"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cli_arguments arguments;
    error[0] = '\0';
    int parsed = parse(&arguments, cases[i].words);
    if (parsed != -1 || !strstr(error, cases[i].expected)) {
      print_error("case %zu: returned %d, message '%s', expected '%s'\n", i,
                  parsed, error, cases[i].expected);
      fail();
    }
    cli_arguments_free(&arguments);
  }
}

static void usage_mentions_every_option(void **state) {
  (void)state;
  FILE *sink = tmpfile();
  assert_non_null(sink);
  cli_print_usage("dager", sink);
  long size = ftell(sink);
  assert_true(size > 0);
  char text[8192];
  rewind(sink);
  size_t read = fread(text, 1, sizeof(text) - 1, sink);
  text[read] = '\0';
  fclose(sink);
  const char *options[] = {
      "--pretty",     "--landmarks",      "--descriptor",
      "--annotate",   "--crops",          "--crop-size",
      "--format",     "--jpeg-quality",   "--detector",
      "--min-score",  "--max-faces",      "--threads",
      "--tiling",     "--min-face-size",  "--models",
      "--max-pixels", "--attribute-crop", "--landmark-passes",
      "--recursive",  "--decode-only",    "--dump-ppm",
      "--progress",   "--no-progress",    "--verbose",
      "--help",       "--version",        "Exit status"};
  for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
    if (!strstr(text, options[i])) {
      print_error("usage lacks %s\n", options[i]);
      fail();
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_and_paths),
      cmocka_unit_test(every_option_is_read),
      cmocka_unit_test(help_and_version_need_no_path),
      cmocka_unit_test(double_v_is_debug_verbosity),
      cmocka_unit_test(bad_words_are_usage_errors),
      cmocka_unit_test(usage_mentions_every_option),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
