#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dager.h"
#include "hostile_inputs.h"

/* Each block carries its size in a header of 16 bytes (keeps malloc's
 * alignment for every type the library stores). */
enum { HEADER = 16 };

static counting_stats stats;

static void *counting_malloc(void *user, size_t size) {
  unsigned char *block;

  (void)user;
  stats.allocations++;
  if (size > stats.largest_request)
    stats.largest_request = size;
  if (stats.fail_at && stats.allocations == stats.fail_at) {
    stats.failures++;
    return NULL;
  }
  block = malloc(size + HEADER);
  if (!block)
    return NULL;
  memcpy(block, &size, sizeof size);
  stats.live_blocks++;
  stats.live_bytes += size;
  if (stats.live_bytes > stats.peak_bytes)
    stats.peak_bytes = stats.live_bytes;
  return block + HEADER;
}

static void counting_free(void *user, void *pointer) {
  unsigned char *block;
  size_t size;

  (void)user;
  if (!pointer)
    return;
  block = (unsigned char *)pointer - HEADER;
  memcpy(&size, block, sizeof size);
  stats.live_blocks--;
  stats.live_bytes -= size;
  free(block);
}

static void *counting_realloc(void *user, void *pointer, size_t size) {
  unsigned char *fresh;
  size_t old_size = 0;

  if (!pointer)
    return counting_malloc(user, size);
  memcpy(&old_size, (unsigned char *)pointer - HEADER, sizeof old_size);
  fresh = counting_malloc(user, size);
  if (!fresh)
    return NULL;
  memcpy(fresh, pointer, old_size < size ? old_size : size);
  counting_free(user, pointer);
  return fresh;
}

void counting_install(void) {
  memset(&stats, 0, sizeof stats);
  if (dager_set_allocator(counting_malloc, counting_realloc, counting_free,
                          NULL) != DAGER_OK) {
    abort();
  }
}

void counting_remove(void) {
  if (dager_set_allocator(NULL, NULL, NULL, NULL) != DAGER_OK)
    abort();
}

void counting_reset_peak(void) {
  stats.peak_bytes = stats.live_bytes;
  stats.largest_request = 0;
  stats.allocations = 0;
  stats.failures = 0;
  stats.fail_at = 0;
}

counting_stats *counting_stats_get(void) {
  return &stats;
}

static char folder[512];
static char path_buffer[1024];

const char *hostile_folder_create(void) {
  const char *base = getenv("TMPDIR");

  snprintf(folder, sizeof folder, "%s/dager-hostile-XXXXXX",
           base && *base ? base : "/tmp");
  if (!mkdtemp(folder))
    return NULL;
  if (hostile_write_all(folder, 0) <= 0) {
    hostile_folder_remove();
    return NULL;
  }
  return folder;
}

void hostile_folder_remove(void) {
  DIR *directory = opendir(folder);
  struct dirent *entry;

  if (!directory)
    return;
  while ((entry = readdir(directory)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    unlink(hostile_path(entry->d_name));
  }
  closedir(directory);
  rmdir(folder);
}

const char *hostile_path(const char *name) {
  snprintf(path_buffer, sizeof path_buffer, "%s/%s", folder, name);
  return path_buffer;
}

uint8_t *read_whole_file(const char *path, size_t *size) {
  FILE *file = fopen(path, "rb");
  uint8_t *bytes = NULL;
  long length;

  *size = 0;
  if (!file)
    return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
      fseek(file, 0, SEEK_SET) == 0) {
    bytes = malloc((size_t)length + 1);
    if (bytes && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
      free(bytes);
      bytes = NULL;
    }
    if (bytes)
      *size = (size_t)length;
  }
  fclose(file);
  return bytes;
}

double now_milliseconds(void) {
  struct timespec now;

  /* CPU time of this thread: the work a call does, unaffected by other
   * processes on a loaded machine (the limits are about work). */
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

double mean_abs_difference(const uint8_t *a, const uint8_t *b, size_t size,
                           int *largest) {
  double total = 0;

  *largest = 0;
  for (size_t i = 0; i < size; i++) {
    int difference = abs((int)a[i] - (int)b[i]);

    total += difference;
    if (difference > *largest)
      *largest = difference;
  }
  return size ? total / (double)size : 0.0;
}
