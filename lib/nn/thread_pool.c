#include "nn/thread_pool.h"

#include <pthread.h>
#include <stdint.h>

#include "core/error.h"
#include "core/memory.h"
#include "dager.h"

/* More threads than this is a caller's mistake, not a real machine. */
#define DAGER_THREAD_POOL_MAX_THREADS 1024

typedef struct worker_start {
  struct dager_thread_pool *pool;
  uint32_t index;
} worker_start;

/* One per worker; the start record must live as long as the thread. */
typedef struct worker_slot {
  pthread_t thread;
  worker_start start;
} worker_slot;

/*
 * The caller of dager_thread_pool_run takes chunk 0 itself and workers
 * 1..threads-1 take the others. A run is published by bumping generation
 * under the lock; each worker remembers the last generation it ran, so a
 * spurious wake-up or a late worker can never run a job twice or miss one.
 */
struct dager_thread_pool {
  uint32_t threads;
  uint32_t started; /* workers actually running, for a partial create */
  worker_slot *workers;

  pthread_mutex_t lock;
  pthread_cond_t work_ready;
  pthread_cond_t work_done;
  uint64_t generation;
  uint32_t pending;
  int stopping;

  dager_parallel_body body;
  void *context;
  uint32_t count;
};

/* The split depends only on count and the pool size, never on timing. */
static void chunk_of(uint32_t count, uint32_t threads, uint32_t index,
                     uint32_t *begin, uint32_t *end) {
  *begin = (uint32_t)((uint64_t)count * index / threads);
  *end = (uint32_t)((uint64_t)count * (index + 1) / threads);
}

static void run_chunk(dager_thread_pool *pool, uint32_t index) {
  uint32_t begin;
  uint32_t end;

  chunk_of(pool->count, pool->threads, index, &begin, &end);
  if (begin < end)
    pool->body(pool->context, begin, end, index);
}

static void *worker_main(void *argument) {
  worker_start *start = argument;
  dager_thread_pool *pool = start->pool;
  const uint32_t index = start->index;
  uint64_t seen = 0;

  for (;;) {
    pthread_mutex_lock(&pool->lock);
    while (pool->generation == seen && !pool->stopping) {
      pthread_cond_wait(&pool->work_ready, &pool->lock);
    }
    if (pool->stopping) {
      pthread_mutex_unlock(&pool->lock);
      return NULL;
    }
    seen = pool->generation;
    pthread_mutex_unlock(&pool->lock);

    run_chunk(pool, index);

    pthread_mutex_lock(&pool->lock);
    if (--pool->pending == 0)
      pthread_cond_signal(&pool->work_done);
    pthread_mutex_unlock(&pool->lock);
  }
}

/* Wakes every worker with the stop flag and waits for each to return, so
 * destroy never frees memory a worker could still touch. */
static void stop_workers(dager_thread_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  pool->stopping = 1;
  pthread_cond_broadcast(&pool->work_ready);
  pthread_mutex_unlock(&pool->lock);
  for (uint32_t i = 0; i < pool->started; i++) {
    pthread_join(pool->workers[i].thread, NULL);
  }
  pool->started = 0;
}

dager_status dager_thread_pool_create(uint32_t threads,
                                      dager_thread_pool **out) {
  dager_thread_pool *pool;
  worker_slot *blocks = NULL;
  int sync_ready = 0;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (threads == 0 || threads > DAGER_THREAD_POOL_MAX_THREADS) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "thread count %u is not in 1..%u", threads,
                      DAGER_THREAD_POOL_MAX_THREADS);
  }

  pool = dager_mem_calloc(1, sizeof *pool);
  if (!pool) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for thread pool");
  }
  pool->threads = threads;
  if (threads == 1) {
    *out = pool;
    return DAGER_OK;
  }

  blocks = dager_mem_calloc(threads - 1, sizeof *blocks);
  if (!blocks)
    goto out_of_memory;
  pool->workers = blocks;

  if (pthread_mutex_init(&pool->lock, NULL) != 0)
    goto no_threads;
  if (pthread_cond_init(&pool->work_ready, NULL) != 0) {
    pthread_mutex_destroy(&pool->lock);
    goto no_threads;
  }
  if (pthread_cond_init(&pool->work_done, NULL) != 0) {
    pthread_cond_destroy(&pool->work_ready);
    pthread_mutex_destroy(&pool->lock);
    goto no_threads;
  }
  sync_ready = 1;

  for (uint32_t i = 0; i + 1 < threads; i++) {
    blocks[i].start.pool = pool;
    blocks[i].start.index = i + 1;
    if (pthread_create(&blocks[i].thread, NULL, worker_main,
                       &blocks[i].start) != 0) {
      goto no_threads;
    }
    pool->started++;
  }
  *out = pool;
  return DAGER_OK;

no_threads:
  if (sync_ready) {
    stop_workers(pool);
    pthread_cond_destroy(&pool->work_done);
    pthread_cond_destroy(&pool->work_ready);
    pthread_mutex_destroy(&pool->lock);
  }
  dager_mem_free(blocks);
  dager_mem_free(pool);
  return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                    "could not start %u worker threads", threads - 1);

out_of_memory:
  dager_mem_free(pool);
  return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for thread pool");
}

void dager_thread_pool_destroy(dager_thread_pool *pool) {
  if (!pool)
    return;
  if (pool->threads > 1) {
    stop_workers(pool);
    pthread_cond_destroy(&pool->work_done);
    pthread_cond_destroy(&pool->work_ready);
    pthread_mutex_destroy(&pool->lock);
    dager_mem_free(pool->workers);
  }
  dager_mem_free(pool);
}

uint32_t dager_thread_pool_size(const dager_thread_pool *pool) {
  return pool ? pool->threads : 1;
}

/*
 * The job fields are written under the lock before the generation moves,
 * and not touched again until every worker has reported back, so the
 * workers can read them without holding the lock. A count of 1 is run on
 * the caller: waking threads for one row costs more than the row.
 */
void dager_thread_pool_run(dager_thread_pool *pool, uint32_t count,
                           dager_parallel_body body, void *context) {
  if (count == 0)
    return;
  if (!pool || pool->threads == 1 || count == 1) {
    body(context, 0, count, 0);
    return;
  }

  pthread_mutex_lock(&pool->lock);
  pool->body = body;
  pool->context = context;
  pool->count = count;
  pool->pending = pool->threads - 1;
  pool->generation++;
  pthread_cond_broadcast(&pool->work_ready);
  pthread_mutex_unlock(&pool->lock);

  run_chunk(pool, 0);

  pthread_mutex_lock(&pool->lock);
  while (pool->pending != 0) {
    pthread_cond_wait(&pool->work_done, &pool->lock);
  }
  pthread_mutex_unlock(&pool->lock);
}
