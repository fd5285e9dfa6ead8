/*
 * The pieces under the network: the memory plan on arbitrary lifetimes,
 * TensorFlow's window arithmetic, and the thread pool's split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/kernels.h"
#include "nn/plan.h"
#include "nn/thread_pool.h"

/* xorshift64: a fixed sequence of values in [0, 1) per seed. */
static double next_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return (double)(*state >> 11) / (double)(1ull << 53);
}

static void check_plan(const dager_nn_plan_item *items, uint32_t count,
                       size_t total) {
  for (uint32_t i = 0; i < count; i++) {
    if (items[i].size == 0)
      continue;
    assert_int_equal(items[i].offset % DAGER_NN_PLAN_ALIGNMENT, 0);
    assert_true(items[i].offset + items[i].size <= total);
    for (uint32_t j = i + 1; j < count; j++) {
      int live_together = items[i].first_step <= items[j].last_step &&
                          items[j].first_step <= items[i].last_step;
      int share = items[i].offset < items[j].offset + items[j].size &&
                  items[j].offset < items[i].offset + items[i].size;
      if (items[j].size && live_together && share) {
        fail_msg("items %u and %u are live together and overlap", i, j);
      }
    }
  }
}

static void plan_random_lifetimes(void **state) {
  uint64_t seed = 1;

  (void)state;
  for (int round = 0; round < 300; round++) {
    dager_nn_plan_item items[60];
    uint32_t count = 1 + (uint32_t)(round % 60);
    size_t total = 0;
    size_t sum = 0;

    for (uint32_t i = 0; i < count; i++) {
      uint32_t first = (uint32_t)(next_random(&seed) * 40.0);
      uint32_t length = (uint32_t)(next_random(&seed) * 8.0);
      items[i].first_step = first;
      items[i].last_step = first + length;
      items[i].size = (size_t)(next_random(&seed) * 10000.0);
      if (i % 7 == 3)
        items[i].size = 0;
      items[i].offset = 12345;
      sum += items[i].size + DAGER_NN_PLAN_ALIGNMENT;
    }
    assert_int_equal(dager_nn_plan_memory(items, count, &total), DAGER_OK);
    check_plan(items, count, total);
    assert_true(total <= sum);
  }
}

/* A chain where each value is read only by the next step reuses memory:
 * two buffers suffice however long the chain. */
static void plan_chain_reuses(void **state) {
  dager_nn_plan_item items[10];
  size_t total = 0;

  (void)state;
  for (uint32_t i = 0; i < 10; i++) {
    items[i].size = 1000;
    items[i].first_step = i;
    items[i].last_step = i + 1;
  }
  assert_int_equal(dager_nn_plan_memory(items, 10, &total), DAGER_OK);
  check_plan(items, 10, total);
  assert_int_equal(total, 2 * 1024);
}

static void plan_overflow_is_reported(void **state) {
  dager_nn_plan_item items[2] = {{SIZE_MAX / 2 + 1, 0, 1, 0},
                                 {SIZE_MAX / 2 + 1, 0, 1, 0}};
  size_t total = 0;

  (void)state;
  assert_int_equal(dager_nn_plan_memory(items, 2, &total),
                   DAGER_ERROR_MODEL_INVALID);
}

static void window_axis_matches_tensorflow(void **state) {
  /* in, kernel, stride, same -> out, before, after; worked out by hand
   * from TensorFlow's definition. */
  static const uint32_t cases[][7] = {
      {224, 3, 2, 1, 112, 0, 1}, {7, 3, 2, 1, 4, 1, 1},
      {8, 3, 1, 1, 8, 1, 1},     {5, 2, 2, 1, 3, 0, 1},
      {6, 1, 2, 1, 3, 0, 0},     {3, 7, 1, 1, 3, 3, 3},
      {15, 7, 2, 0, 5, 0, 0},    {7, 3, 1, 0, 5, 0, 0},
      {8, 3, 2, 0, 3, 0, 0},     {3, 3, 3, 0, 1, 0, 0},
      {416, 3, 1, 1, 416, 1, 1}, {13, 2, 1, 1, 13, 0, 1},
  };
  uint32_t out, before, after;

  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(dager_window_axis(cases[i][0], cases[i][1], cases[i][2],
                                       (int)cases[i][3], &out, &before, &after),
                     0);
    assert_int_equal(out, cases[i][4]);
    assert_int_equal(before, cases[i][5]);
    assert_int_equal(after, cases[i][6]);
  }
  assert_int_equal(dager_window_axis(2, 3, 1, 0, &out, &before, &after), -1);
  assert_int_equal(dager_window_axis(8, 3, 0, 1, &out, &before, &after), -1);
  assert_int_equal(dager_window_axis(8, 0, 1, 1, &out, &before, &after), -1);
  assert_int_equal(dager_window_axis(0, 1, 1, 1, &out, &before, &after), -1);
}

typedef struct pool_record {
  uint32_t count;
  uint32_t *hits;      /* per index: how many times it was covered */
  uint32_t *thread_of; /* per index: which thread covered it */
} pool_record;

static void record_body(void *context, uint32_t begin, uint32_t end,
                        uint32_t thread) {
  pool_record *record = context;
  assert_true(begin < end);
  assert_true(end <= record->count);
  for (uint32_t i = begin; i < end; i++) {
    /* Each index belongs to exactly one chunk, so no two threads write the
     * same element. */
    record->hits[i]++;
    record->thread_of[i] = thread;
  }
}

static void thread_pool_covers_every_index_once(void **state) {
  static const uint32_t counts[] = {1, 2, 3, 5, 7, 64, 1000};

  (void)state;
  for (uint32_t threads = 1; threads <= 5; threads++) {
    dager_thread_pool *pool = NULL;
    assert_int_equal(dager_thread_pool_create(threads, &pool), DAGER_OK);
    assert_int_equal(dager_thread_pool_size(pool), threads);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
      uint32_t count = counts[c];
      uint32_t *first_split = calloc(count, sizeof(uint32_t));
      pool_record record = {count, calloc(count, sizeof(uint32_t)),
                            calloc(count, sizeof(uint32_t))};
      assert_non_null(first_split);
      assert_non_null(record.hits);
      assert_non_null(record.thread_of);
      /* Many runs: the split must be the same every time. */
      for (int run = 0; run < 50; run++) {
        memset(record.hits, 0, count * sizeof(uint32_t));
        dager_thread_pool_run(pool, count, record_body, &record);
        for (uint32_t i = 0; i < count; i++) {
          assert_int_equal(record.hits[i], 1);
          assert_true(record.thread_of[i] < threads);
        }
        if (run == 0) {
          memcpy(first_split, record.thread_of, count * sizeof(uint32_t));
        } else if (count > 1) {
          assert_memory_equal(first_split, record.thread_of,
                              count * sizeof(uint32_t));
        }
      }
      free(first_split);
      free(record.hits);
      free(record.thread_of);
    }
    dager_thread_pool_run(pool, 0, record_body, NULL);
    dager_thread_pool_destroy(pool);
  }
}

static void thread_pool_without_pool_runs_on_caller(void **state) {
  uint32_t hits[9] = {0};
  uint32_t thread_of[9] = {0};
  pool_record record = {9, hits, thread_of};

  (void)state;
  dager_thread_pool_run(NULL, 9, record_body, &record);
  for (int i = 0; i < 9; i++)
    assert_int_equal(hits[i], 1);
  assert_int_equal(dager_thread_pool_size(NULL), 1);
  dager_thread_pool_destroy(NULL);
}

static void thread_pool_rejects_bad_sizes(void **state) {
  dager_thread_pool *pool = (dager_thread_pool *)&pool;

  (void)state;
  assert_int_equal(dager_thread_pool_create(0, &pool),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(pool);
  assert_int_equal(dager_thread_pool_create(100000, &pool),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_thread_pool_create(2, NULL),
                   DAGER_ERROR_INVALID_ARGUMENT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plan_random_lifetimes),
      cmocka_unit_test(plan_chain_reuses),
      cmocka_unit_test(plan_overflow_is_reported),
      cmocka_unit_test(window_axis_matches_tensorflow),
      cmocka_unit_test(thread_pool_covers_every_index_once),
      cmocka_unit_test(thread_pool_without_pool_runs_on_caller),
      cmocka_unit_test(thread_pool_rejects_bad_sizes),
  };
  return cmocka_run_group_tests_name("nn plan and pool", tests, NULL, NULL);
}
