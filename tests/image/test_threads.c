/*
 * Decoding from several threads at once: 8 threads decode every generated
 * input (valid, corrupt and hostile alike) several times and must get the
 * statuses and pixels a single thread gets. The decoder's per-call state
 * (the allocation budget) is thread-local and stb_image's process-wide
 * settings are never touched; a ThreadSanitizer build of this test checks
 * that no other state is shared.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "support.h"

enum { THREADS = 8, ROUNDS = 3, MAX_FILES = 256 };

typedef struct file_result {
  char name[260];
  uint8_t *bytes;
  size_t size;
  dager_status status;
  uint64_t checksum;
} file_result;

static file_result files[MAX_FILES];
static int file_count;

static uint64_t decode_checksum(const file_result *file, dager_status *status) {
  dager_image *image = NULL;
  uint64_t checksum = 1469598103934665603u;

  *status = dager_image_load_memory(file->bytes, file->size, 0, &image);
  if (*status == DAGER_OK) {
    const uint8_t *pixels = dager_image_pixels(image);
    size_t count =
        (size_t)dager_image_width(image) * dager_image_height(image) * 3;

    for (size_t i = 0; i < count; i++) {
      checksum = (checksum ^ pixels[i]) * 1099511628211u;
    }
    checksum ^= (uint64_t)dager_image_orientation(image) << 56;
  }
  dager_image_destroy(image);
  return checksum;
}

static void *decode_all(void *argument) {
  int *mismatches = argument;

  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < file_count; i++) {
      /* Start at a different file in each thread. */
      const file_result *file = &files[(i + round * 7) % file_count];
      dager_status status;
      uint64_t checksum = decode_checksum(file, &status);

      if (status != file->status || checksum != file->checksum) {
        (*mismatches)++;
      }
    }
  }
  return NULL;
}

static void threads_agree_with_one_thread(void **state) {
  pthread_t threads[THREADS];
  int mismatches[THREADS] = {0};
  (void)state;

  for (int t = 0; t < THREADS; t++) {
    assert_int_equal(
        pthread_create(&threads[t], NULL, decode_all, &mismatches[t]), 0);
  }
  for (int t = 0; t < THREADS; t++) {
    assert_int_equal(pthread_join(threads[t], NULL), 0);
    assert_int_equal(mismatches[t], 0);
  }
}

static int load_files(void **state) {
  const char *folder = hostile_folder_create();
  DIR *directory;
  struct dirent *entry;
  (void)state;

  if (!folder || !(directory = opendir(folder)))
    return -1;
  while ((entry = readdir(directory)) != NULL && file_count < MAX_FILES) {
    file_result *file = &files[file_count];

    if (entry->d_name[0] == '.')
      continue;
    /* The big bombs are refused from their headers; leave them out to
     * keep the run short (test_decode.c covers them). */
    if (strncmp(entry->d_name, "bomb_", 5) == 0)
      continue;
    snprintf(file->name, sizeof file->name, "%s", entry->d_name);
    file->bytes = read_whole_file(hostile_path(entry->d_name), &file->size);
    if (!file->bytes && file->size == 0)
      file->bytes = malloc(1);
    if (!file->bytes)
      return -1;
    file->checksum = decode_checksum(file, &file->status);
    file_count++;
  }
  closedir(directory);
  return file_count > 0 ? 0 : -1;
}

static int free_files(void **state) {
  (void)state;
  for (int i = 0; i < file_count; i++)
    free(files[i].bytes);
  hostile_folder_remove();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(threads_agree_with_one_thread),
  };
  return cmocka_run_group_tests_name("image threads", tests, load_files,
                                     free_files);
}
