#include "nn/thread_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

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
 * 1..threads-1 take the others. A run is published by bumping generation;
 * each worker remembers the last generation it ran, so a spurious wake-up
 * or a late worker can never run a job twice or miss one.
 *
 * A network runs dozens of nodes of a few to a few hundred microseconds
 * each, and waking a thread blocked on a condition variable costs tens of
 * microseconds on a virtual machine: as much as a small node. So both
 * sides first spin for a bounded time on the atomics and only then block.
 * The sleeper counts make the blocking path safe without taking the lock
 * on every run: a side that is about to block announces it before its last
 * check of the condition, and the other side checks the announcement after
 * changing the condition (both sequentially consistent), so at least one
 * of them sees the other.
 */
struct dager_thread_pool {
  uint32_t threads;
  uint32_t started; /* workers actually running, for a partial create */
  worker_slot *workers;

  pthread_mutex_t lock;
  pthread_cond_t work_ready;
  pthread_cond_t work_done;
  _Atomic uint64_t generation;
  _Atomic uint32_t pending;
  _Atomic uint32_t sleeping_workers;
  _Atomic int caller_sleeping;
  _Atomic int stopping;

  dager_parallel_body body;
  void *context;
  uint32_t count;
};

/* How long a side spins before it blocks. Long enough to bridge the gap
 * between two nodes of a network, short enough that an idle session gives
 * its core back almost at once. */
#define DAGER_THREAD_POOL_SPIN_NANOSECONDS 200000

static uint64_t monotonic_nanoseconds(void) {
  struct timespec now;

  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* One side's bounded spin: rounds so far, and when to give up. */
typedef struct spin_budget {
  uint32_t rounds;
  uint64_t deadline; /* 0 until the first round reads the clock */
} spin_budget;

/*
 * Waits a moment and says whether to keep spinning (0 once the budget is
 * spent). The clock is read every 64 rounds. Every 64th round also yields
 * the core: when the machine has more runnable threads than cores, the
 * thread being waited for may be the one this spin keeps off the core.
 */
static int spin_again(spin_budget *budget) {
  uint32_t round = budget->rounds++;

  if ((round & 63) == 0) {
    uint64_t now = monotonic_nanoseconds();

    if (budget->deadline == 0)
      budget->deadline = now + DAGER_THREAD_POOL_SPIN_NANOSECONDS;
    else if (now > budget->deadline)
      return 0;
  }
  if ((round & 63) == 63) {
    sched_yield();
    return 1;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
  return 1;
}

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

/* Spins until generation moves past seen or the pool stops; 0 on timeout. */
static int spin_for_work(dager_thread_pool *pool, uint64_t seen) {
  spin_budget budget = {0, 0};

  do {
    if (atomic_load_explicit(&pool->generation, memory_order_acquire) != seen ||
        atomic_load_explicit(&pool->stopping, memory_order_relaxed))
      return 1;
  } while (spin_again(&budget));
  return 0;
}

static void *worker_main(void *argument) {
  worker_start *start = argument;
  dager_thread_pool *pool = start->pool;
  const uint32_t index = start->index;
  uint64_t seen = 0;

  for (;;) {
    if (!spin_for_work(pool, seen)) {
      pthread_mutex_lock(&pool->lock);
      atomic_fetch_add(&pool->sleeping_workers, 1);
      while (atomic_load(&pool->generation) == seen &&
             !atomic_load(&pool->stopping)) {
        pthread_cond_wait(&pool->work_ready, &pool->lock);
      }
      atomic_fetch_sub(&pool->sleeping_workers, 1);
      pthread_mutex_unlock(&pool->lock);
    }
    if (atomic_load(&pool->stopping))
      return NULL;
    seen = atomic_load_explicit(&pool->generation, memory_order_acquire);

    run_chunk(pool, index);

    if (atomic_fetch_sub(&pool->pending, 1) == 1 &&
        atomic_load(&pool->caller_sleeping)) {
      pthread_mutex_lock(&pool->lock);
      pthread_cond_signal(&pool->work_done);
      pthread_mutex_unlock(&pool->lock);
    }
  }
}

/* Wakes every worker with the stop flag and waits for each to return, so
 * destroy never frees memory a worker could still touch. */
static void stop_workers(dager_thread_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  atomic_store(&pool->stopping, 1);
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
 * The job fields are written before the generation moves (a release) and
 * not touched again until every worker has reported back, so the workers
 * read them after their acquire of the generation without the lock. A
 * count of 1 is run on the caller: waking threads for one row costs more
 * than the row.
 */
void dager_thread_pool_run(dager_thread_pool *pool, uint32_t count,
                           dager_parallel_body body, void *context) {
  spin_budget budget = {0, 0};

  if (count == 0)
    return;
  if (!pool || pool->threads == 1 || count == 1) {
    body(context, 0, count, 0);
    return;
  }

  pool->body = body;
  pool->context = context;
  pool->count = count;
  atomic_store(&pool->pending, pool->threads - 1);
  atomic_fetch_add(&pool->generation, 1);
  if (atomic_load(&pool->sleeping_workers) != 0) {
    pthread_mutex_lock(&pool->lock);
    pthread_cond_broadcast(&pool->work_ready);
    pthread_mutex_unlock(&pool->lock);
  }

  run_chunk(pool, 0);

  do {
    if (atomic_load_explicit(&pool->pending, memory_order_acquire) == 0)
      return;
  } while (spin_again(&budget));
  pthread_mutex_lock(&pool->lock);
  atomic_store(&pool->caller_sleeping, 1);
  while (atomic_load(&pool->pending) != 0) {
    pthread_cond_wait(&pool->work_done, &pool->lock);
  }
  atomic_store(&pool->caller_sleeping, 0);
  pthread_mutex_unlock(&pool->lock);
}
