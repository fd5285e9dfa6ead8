/*
 * The dager-eval program end to end, linked with mock_dager.c instead of
 * the library: the test writes "images" whose faces the mock reports, so
 * every printed number is known. argv[1] is that program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static const char *program;
static char scratch[256];

static void write_file(const char *relative, const char *content) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", scratch, relative);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fputs(content, file);
  fclose(file);
}

/* Runs the program with arguments (a shell fragment; paths in it may use
 * $D for the scratch folder); returns its output and exit code. */
static char *run(const char *arguments, int *exit_code) {
  char command[2048];
  snprintf(command, sizeof command, "D='%s'; '%s' %s 2>&1", scratch, program,
           arguments);
  FILE *pipe = popen(command, "r");
  assert_non_null(pipe);
  size_t capacity = 1 << 16;
  char *output = calloc(1, capacity);
  assert_non_null(output);
  size_t used = fread(output, 1, capacity - 1, pipe);
  output[used] = '\0';
  int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

/* The labelled landmarks of a face whose box is x, y, size, size: the
 * mock's pattern moved by (3, 4), so every point is 5 pixels off. */
static void landmark_field(char *out, size_t size, float x, float y,
                           float side) {
  size_t used = 0;
  for (int i = 0; i < 68; i++) {
    float px = x + side * (float)(i % 10) / 9.0f;
    float py = y + side * (float)(i / 10) / 6.0f;
    if (i == 36 || i == 45) {
      px = x + (i == 45 ? side : 0.0f);
      py = y + 0.3f * side;
    }
    used += (size_t)snprintf(out + used, size - used, "%s%.4f %.4f",
                             i > 0 ? " " : "", (double)(px + 3.0f),
                             (double)(py + 4.0f));
  }
}

static int make_dataset(void **state) {
  (void)state;
  snprintf(scratch, sizeof scratch, "%s/dager-eval-cli-XXXXXX",
           getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(scratch) == NULL) {
    return -1;
  }
  write_file("a.jpg", "mock 200 100\nface 10 10 100 100 34 m happy\n");
  write_file("b.jpg", "mock 50 50\n");
  write_file("c.jpg",
             "mock 400 200\nface 20 20 100 100 50 f sad\n"
             "face 300 300 10 10 1 m angry\n");
  write_file("d.jpg", "not an image\n");
  char landmarks[4096];
  landmark_field(landmarks, sizeof landmarks, 10, 10, 100);
  char csv[8192];
  snprintf(csv, sizeof csv,
           "path,age,gender,emotion,box,landmarks\n"
           "a.jpg,30,male,happy,,\"%s\"\n"
           "b.jpg,20,female,sad,,\n"
           "c.jpg,40,female,sad,\"15 15 110 110\",\n"
           "c.jpg,,,,\"200 20 50 50\",\n"
           "d.jpg,10,male,angry,,\n",
           landmarks);
  write_file("set.csv", csv);
  char path[512];
  snprintf(path, sizeof path, "%s/utk", scratch);
  if (mkdir(path, 0700) != 0) {
    return -1;
  }
  write_file("utk/30_0_0_20170101.jpg", "mock 64 64\nface 5 5 9 9 33 f sad\n");
  return 0;
}

static int remove_dataset(void **state) {
  (void)state;
  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", scratch);
  return system(command) == 0 ? 0 : -1;
}

/* The numbers of the CSV set, worked out by hand (see make_dataset). */
static void check_full_set(const char *json) {
  assert_non_null(strstr(json,
                         "\"images\": 4, \"images_failed\": 1, "
                         "\"images_no_face\": 1"));
  assert_non_null(strstr(json,
                         "\"faces_labelled\": 4, \"faces_found\": 2, "
                         "\"unmatched_detections\": 1, "
                         "\"detection_rate\": 0.5"));
  assert_non_null(strstr(json,
                         "\"age\": {\"count\": 2, \"mae\": 7, "
                         "\"cs5\": 0.5"));
  assert_non_null(strstr(json,
                         "{\"low\": 20, \"high\": 39, \"count\": 1, "
                         "\"mae\": 4}"));
  assert_non_null(strstr(json,
                         "{\"low\": 40, \"high\": 59, \"count\": 1, "
                         "\"mae\": 10}"));
  assert_non_null(strstr(json,
                         "{\"low\": 0, \"high\": 12, \"count\": 0, "
                         "\"mae\": null}"));
  assert_non_null(strstr(json, "\"gender\": {\"count\": 2, \"accuracy\": 1}"));
  assert_non_null(strstr(json, "\"emotion\": {\"count\": 2, \"accuracy\": 1"));
  assert_non_null(
      strstr(json, "\"recall\": [null, null, null, 1, null, 1, null]"));
  assert_non_null(strstr(json, "\"landmarks\": {\"count\": 1"));
  assert_non_null(strstr(json, "\"nme_mean\": 0.05,"));
}

static void whole_pipeline_on_a_csv_set(void **state) {
  (void)state;
  int code = 0;
  char *output =
      run("--dataset csv \"$D/set.csv\" --json --detector tiny "
          "--attribute-crop aligned",
          &code);
  assert_int_equal(code, 0);
  check_full_set(output);
  assert_non_null(strstr(output,
                         "\"detector\": \"tiny\", "
                         "\"attribute_crop\": \"aligned\", "
                         "\"isa\": \"mock\""));
  /* The unreadable image is named on stderr. */
  assert_non_null(strstr(output, "d.jpg: mock: "));
  free(output);
}

static void padding_keeps_coordinates(void **state) {
  (void)state;
  int code = 0;
  char *output = run("--dataset csv \"$D/set.csv\" --json --pad 0.5", &code);
  assert_int_equal(code, 0);
  check_full_set(output);
  free(output);
}

static void per_face_lines(void **state) {
  (void)state;
  int code = 0;
  char *output =
      run("--dataset csv \"$D/set.csv\" --faces \"$D/faces.csv\"", &code);
  assert_int_equal(code, 0);
  free(output);
  output =
      run("--dataset csv \"$D/set.csv\" --faces /nonexistent/x.csv", &code);
  assert_int_equal(code, 2);
  assert_non_null(strstr(output, "cannot write"));
  free(output);
  char path[512];
  snprintf(path, sizeof path, "%s/faces.csv", scratch);
  FILE *file = fopen(path, "r");
  assert_non_null(file);
  char text[4096];
  size_t length = fread(text, 1, sizeof text - 1, file);
  fclose(file);
  text[length] = '\0';
  assert_non_null(strstr(text, "path,face,found,age,predicted_age,"));
  assert_non_null(
      strstr(text, "/a.jpg,0,1,30,34.00,male,male,happy,happy,0.05000\n"));
  assert_non_null(strstr(text, "/b.jpg,0,0,20,,female,,sad,,\n"));
  assert_non_null(strstr(text, "/c.jpg,0,1,40,50.00,female,female,sad,sad,\n"));
  assert_non_null(strstr(text, "/c.jpg,1,0,,,,,,,\n"));
  /* The unreadable image has no line. */
  assert_null(strstr(text, "/d.jpg"));
}

static void subsets(void **state) {
  (void)state;
  int code = 0;
  /* Sorted a, b, c, d: every 2nd is a and c. */
  char *output = run("--dataset csv \"$D/set.csv\" --json --every 2", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "\"images\": 2, \"images_failed\": 0"));
  assert_non_null(strstr(output, "\"faces_labelled\": 3"));
  free(output);
  output = run("--dataset csv \"$D/set.csv\" --json --limit 1", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "\"images\": 1,"));
  assert_non_null(strstr(output, "\"age\": {\"count\": 1, \"mae\": 4,"));
  free(output);
  output = run("--dataset csv \"$D/set.csv\" --every 2 --list", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "a.jpg | age=30 gender=male emotion=happy"));
  assert_null(strstr(output, "b.jpg"));
  free(output);
}

static void text_report(void **state) {
  (void)state;
  int code = 0;
  char *output = run("--dataset csv \"$D/set.csv\"", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "MAE                        7.00 years"));
  assert_non_null(strstr(output, "CS@5 (|error| <= 5)        50.00 %"));
  assert_non_null(strstr(output, "2 of 4"));
  assert_non_null(strstr(output, "NME mean                   5.00 %"));
  free(output);
}

static void crop_given(void **state) {
  (void)state;
  int code = 0;
  char *output = run("--dataset utkface \"$D/utk\" --json --crop-given", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "\"mode\": \"crop-given\""));
  assert_non_null(strstr(output, "\"age\": {\"count\": 1, \"mae\": 3,"));
  assert_non_null(
      strstr(output, "\"gender\": {\"count\": 1, \"accuracy\": 0}"));
  free(output);
}

static void refusals(void **state) {
  (void)state;
  int code = 0;
  char *output = run("--dataset utkface \"$D/absent\"", &code);
  assert_int_equal(code, 2);
  assert_non_null(strstr(output, "does not exist"));
  free(output);
  output = run("--dataset csv \"$D/set.csv\" --detector huge", &code);
  assert_int_equal(code, 1);
  assert_non_null(strstr(output, "engine option"));
  free(output);
  static const char *const bad[] = {
      "",
      "--dataset",
      "--dataset nonsense \"$D\"",
      "--dataset csv \"$D/set.csv\" --every 0",
      "--dataset csv \"$D/set.csv\" --limit -3",
      "--dataset csv \"$D/set.csv\" --pad -1",
      "--dataset csv \"$D/set.csv\" --threads 0",
      "--dataset csv \"$D/set.csv\" --min-score x",
      "--dataset csv \"$D/set.csv\" --frobnicate",
      "--dataset csv \"$D/set.csv\" --limit",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    output = run(bad[i], &code);
    if (code != 2 || strstr(output, "usage:") == NULL) {
      fail_msg("arguments '%s' gave code %d:\n%s", bad[i], code, output);
    }
    free(output);
  }
  output = run("--help", &code);
  assert_int_equal(code, 0);
  assert_non_null(strstr(output, "--attribute-crop box|aligned"));
  free(output);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_eval_cli <dager-eval built with the mock>\n");
    return 1;
  }
  program = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(whole_pipeline_on_a_csv_set),
      cmocka_unit_test(padding_keeps_coordinates),
      cmocka_unit_test(per_face_lines),
      cmocka_unit_test(subsets),
      cmocka_unit_test(text_report),
      cmocka_unit_test(crop_given),
      cmocka_unit_test(refusals),
  };
  return cmocka_run_group_tests_name("eval program", tests, make_dataset,
                                     remove_dataset);
}
