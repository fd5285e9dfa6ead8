/* Input collection of the dager program: folder order, filters, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "files.h"
#include "walk.h"

static char root[64];

static void make_file(const char *relative) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", root, relative);
  FILE *file = fopen(path, "wb");
  assert_non_null(file);
  fputs("x", file);
  fclose(file);
}

static void remove_tree(const char *path) {
  char command[300];
  snprintf(command, sizeof(command), "rm -rf '%s'", path);
  assert_int_equal(system(command), 0);
}

static int setup(void **state) {
  (void)state;
  snprintf(root, sizeof(root), "/tmp/dager-walk-XXXXXX");
  if (!mkdtemp(root)) {
    return -1;
  }
  char path[256];
  /* Created in an order unlike the expected one, so a walk that relied on
   * the file system's order would be caught on most file systems. */
  make_file("z.png");
  make_file("b.png");
  make_file("a.JPG");
  make_file("A.png");
  make_file("notes.txt");
  make_file(".hidden.png");
  make_file("photo.jpeg.bak");
  snprintf(path, sizeof(path), "%s/sub", root);
  mkdir(path, 0777);
  snprintf(path, sizeof(path), "%s/sub/deeper", root);
  mkdir(path, 0777);
  make_file("sub/z.jpeg");
  make_file("sub/a.png");
  make_file("sub/deeper/q.PNG");
  /* A link to a folder above: following it would loop. */
  snprintf(path, sizeof(path), "%s/sub/loop", root);
  if (symlink(root, path) != 0) {
    return -1;
  }
  snprintf(path, sizeof(path), "%s/link.png", root);
  if (symlink("b.png", path) != 0) {
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  remove_tree(root);
  return 0;
}

static void recursive_walk_is_sorted_and_filtered(void **state) {
  (void)state;
  const char *paths[] = {root};
  cli_input_list list;
  assert_int_equal(cli_inputs_collect(paths, 1, 1, &list), 0);
  const char *expected[] = {"A.png",      "a.JPG",     "b.png",
                            "link.png",   "sub/a.png", "sub/deeper/q.PNG",
                            "sub/z.jpeg", "z.png"};
  const char *stems[] = {"A",     "a", "b", "link", "sub_a", "sub_deeper_q",
                         "sub_z", "z"};
  assert_int_equal(list.count, sizeof(expected) / sizeof(expected[0]));
  for (size_t i = 0; i < list.count; i++) {
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, expected[i]);
    assert_string_equal(list.items[i].path, path);
    assert_string_equal(list.items[i].output_stem, stems[i]);
    assert_null(list.items[i].walk_error);
  }
  cli_inputs_free(&list);
}

static void folder_without_recursion_is_an_error(void **state) {
  (void)state;
  const char *paths[] = {root, "-", "/no/such/file.jpg"};
  cli_input_list list;
  assert_int_equal(cli_inputs_collect(paths, 3, 0, &list), 0);
  assert_int_equal(list.count, 3);
  assert_string_equal(list.items[0].path, root);
  assert_non_null(list.items[0].walk_error);
  assert_non_null(strstr(list.items[0].walk_error, "-r"));
  assert_string_equal(list.items[1].path, "-");
  assert_string_equal(list.items[1].output_stem, "stdin");
  assert_null(list.items[1].walk_error);
  /* A missing file is left for the decoder to report. */
  assert_string_equal(list.items[2].path, "/no/such/file.jpg");
  assert_string_equal(list.items[2].output_stem, "file");
  assert_null(list.items[2].walk_error);
  cli_inputs_free(&list);
}

static void clashing_names_are_numbered(void **state) {
  (void)state;
  char with_slash[80];
  snprintf(with_slash, sizeof(with_slash), "%s/sub/", root);
  const char *paths[] = {"x/b.png", "y/b.jpg", "b", with_slash, "b-2.png"};
  cli_input_list list;
  assert_int_equal(cli_inputs_collect(paths, 5, 1, &list), 0);
  const char *stems[] = {"b", "b-2", "b-3", "a", "deeper_q", "z", "b-2-2"};
  assert_int_equal(list.count, 7);
  for (size_t i = 0; i < list.count; i++) {
    assert_string_equal(list.items[i].output_stem, stems[i]);
  }
  char expected[128];
  snprintf(expected, sizeof(expected), "%s/sub/a.png", root);
  assert_string_equal(list.items[3].path, expected);
  cli_inputs_free(&list);
}

static void image_extensions(void **state) {
  (void)state;
  assert_true(cli_has_image_extension("a.jpg"));
  assert_true(cli_has_image_extension("a.b.JPEG"));
  assert_true(cli_has_image_extension(".png"));
  assert_false(cli_has_image_extension("a.gif"));
  assert_false(cli_has_image_extension("png"));
  assert_false(cli_has_image_extension("a.png.txt"));
}

static void output_paths_and_folders(void **state) {
  (void)state;
  char *path = cli_output_path("out", "photo", "-face2", "png");
  assert_string_equal(path, "out/photo-face2.png");
  free(path);
  path = cli_output_path("out/", "photo", "", "ppm");
  assert_string_equal(path, "out/photo.ppm");
  free(path);

  char nested[128];
  snprintf(nested, sizeof(nested), "%s/made/one/two", root);
  assert_int_equal(cli_make_folders(nested), 0);
  assert_int_equal(cli_make_folders(nested), 0);
  struct stat info;
  assert_int_equal(stat(nested, &info), 0);
  assert_true(S_ISDIR(info.st_mode));
  /* A file in the way is an error, not silently accepted. */
  char blocked[128];
  snprintf(blocked, sizeof(blocked), "%s/notes.txt/inner", root);
  assert_int_equal(cli_make_folders(blocked), -1);
}

static void ppm_and_stream_reading(void **state) {
  (void)state;
  char path[128];
  snprintf(path, sizeof(path), "%s/pixels.ppm", root);
  const uint8_t pixels[2 * 2 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  assert_int_equal(cli_write_ppm(path, pixels, 2, 2), 0);

  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  uint8_t *data = NULL;
  size_t size = 0;
  assert_int_equal(cli_read_stream(file, 1 << 20, &data, &size), 0);
  fclose(file);
  const char header[] = "P6\n2 2\n255\n";
  assert_int_equal(size, strlen(header) + sizeof(pixels));
  assert_memory_equal(data, header, strlen(header));
  assert_memory_equal(data + strlen(header), pixels, sizeof(pixels));
  free(data);

  /* Exactly at the limit is accepted, one byte more is refused. */
  file = fopen(path, "rb");
  assert_int_equal(cli_read_stream(file, size, &data, &size), 0);
  free(data);
  rewind(file);
  assert_int_equal(cli_read_stream(file, size - 1, &data, &size), -3);
  fclose(file);

  char missing[128];
  snprintf(missing, sizeof(missing), "%s/no/such/folder/x.ppm", root);
  assert_int_equal(cli_write_ppm(missing, pixels, 2, 2), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(recursive_walk_is_sorted_and_filtered),
      cmocka_unit_test(folder_without_recursion_is_an_error),
      cmocka_unit_test(clashing_names_are_numbered),
      cmocka_unit_test(image_extensions),
      cmocka_unit_test(output_paths_and_folders),
      cmocka_unit_test(ppm_and_stream_reading),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
