/*
 * Helpers shared by the image suites: a counting allocator installed with
 * dager_set_allocator (live blocks, peak bytes, largest request, and
 * failure of the N-th allocation), a temporary folder filled by the
 * hostile-input generator, file reading and a monotonic clock.
 */
#ifndef DAGER_TESTS_IMAGE_SUPPORT_H
#define DAGER_TESTS_IMAGE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct counting_stats {
  size_t live_blocks;
  size_t live_bytes;
  size_t peak_bytes;
  size_t largest_request;
  size_t allocations;
  /* When nonzero, the allocation with this 1-based number fails. */
  size_t fail_at;
  size_t failures;
} counting_stats;

/* Installs the counting allocator with zeroed statistics. */
void counting_install(void);
/* Restores the C library allocator. */
void counting_remove(void);
/* Resets peak, largest and counters (keeps live counts). */
void counting_reset_peak(void);
counting_stats *counting_stats_get(void);

/* Makes a temporary folder holding every generated hostile input; returns
 * its path (static storage) or NULL. */
const char *hostile_folder_create(void);
/* Removes it and its files. */
void hostile_folder_remove(void);
/* folder/name into a static buffer. */
const char *hostile_path(const char *name);

/* Reads a whole file with malloc; NULL on failure. */
uint8_t *read_whole_file(const char *path, size_t *size);

/* CPU time of the calling thread, in milliseconds. */
double now_milliseconds(void);

/* A time limit of a release build, stretched for sanitizer builds. */
#ifndef IMAGE_TEST_TIME_FACTOR
#define IMAGE_TEST_TIME_FACTOR 1
#endif
#define TIME_LIMIT_MS(milliseconds) \
  ((double)(milliseconds)*IMAGE_TEST_TIME_FACTOR)

/* Mean and largest absolute difference of two byte arrays. */
double mean_abs_difference(const uint8_t *a, const uint8_t *b, size_t size,
                           int *largest);

#endif /* DAGER_TESTS_IMAGE_SUPPORT_H */
