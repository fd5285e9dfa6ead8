/* Status texts, version, error messages, log callback and allocator hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/log.h"
#include "core/memory.h"
#include "dager.h"

static void status_strings_are_distinct(void **state) {
  (void)state;
  for (int a = 0; a <= DAGER_ERROR_INTERNAL; a++) {
    const char *text_a = dager_status_string((dager_status)a);
    assert_non_null(text_a);
    assert_true(strlen(text_a) > 3);
    assert_string_not_equal(text_a, "unknown status");
    for (int b = a + 1; b <= DAGER_ERROR_INTERNAL; b++) {
      assert_string_not_equal(text_a, dager_status_string((dager_status)b));
    }
  }
  assert_string_equal(dager_status_string((dager_status)9999),
                      "unknown status");
}

static void version_matches_header(void **state) {
  (void)state;
  assert_int_equal(dager_version(), DAGER_VERSION_NUMBER);
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", DAGER_VERSION_MAJOR,
           DAGER_VERSION_MINOR, DAGER_VERSION_PATCH);
  assert_string_equal(dager_version_string(), expected);
}

static int log_calls;
static char log_text[600];

static void remember_log(void *user, dager_log_level level,
                         const char *message) {
  (void)level;
  *(int *)user += 1;
  log_calls++;
  snprintf(log_text, sizeof log_text, "%s", message);
}

static void failure_sets_message_and_logs(void **state) {
  (void)state;
  int user_count = 0;

  dager_clear_error();
  assert_string_equal(dager_last_error_message(), "");
  assert_int_equal(dager_fail(DAGER_ERROR_IO, "no file %s", "x.jpg"),
                   DAGER_ERROR_IO);
  assert_string_equal(dager_last_error_message(), "no file x.jpg");
  assert_int_equal(log_calls, 0);

  dager_set_log_callback(remember_log, &user_count, DAGER_LOG_WARNING);
  dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "bad %d", 7);
  assert_int_equal(user_count, 1);
  assert_non_null(strstr(log_text, "bad 7"));
  dager_log(DAGER_LOG_DEBUG, "quiet");
  assert_int_equal(user_count, 1);
  dager_set_log_callback(NULL, NULL, DAGER_LOG_DEBUG);
  dager_fail(DAGER_ERROR_IO, "silent");
  assert_int_equal(user_count, 1);
}

static size_t hook_allocations;

static void *counting_malloc(void *user, size_t size) {
  (void)user;
  hook_allocations++;
  return malloc(size);
}

static void *counting_realloc(void *user, void *pointer, size_t size) {
  (void)user;
  return realloc(pointer, size);
}

static void counting_free(void *user, void *pointer) {
  (void)user;
  free(pointer);
}

static void allocator_hooks_are_used(void **state) {
  (void)state;
  assert_int_equal(dager_set_allocator(counting_malloc, NULL, NULL, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_set_allocator(counting_malloc, counting_realloc,
                                       counting_free, NULL),
                   DAGER_OK);
  void *block = dager_mem_alloc_aligned(100);
  assert_non_null(block);
  assert_int_equal((uintptr_t)block % 64, 0);
  assert_int_equal(hook_allocations, 1);
  dager_mem_free_aligned(block);
  assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
}

static void size_arithmetic_detects_overflow(void **state) {
  (void)state;
  size_t out = 0;
  assert_int_equal(dager_size_multiply(SIZE_MAX / 2 + 1, 2, &out), 0);
  assert_int_equal(dager_size_multiply(1000, 1000, &out), 1);
  assert_int_equal(out, 1000000);
  assert_int_equal(dager_size_add(SIZE_MAX, 1, &out), 0);
  assert_null(dager_mem_calloc(SIZE_MAX / 4, 8));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(status_strings_are_distinct),
      cmocka_unit_test(version_matches_header),
      cmocka_unit_test(failure_sets_message_and_logs),
      cmocka_unit_test(allocator_hooks_are_used),
      cmocka_unit_test(size_arithmetic_detects_overflow),
  };
  return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
