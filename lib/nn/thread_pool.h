/*
 * A fixed set of worker threads that splits one loop of work.
 *
 * The pool is owned by one session and used by one thread at a time; the
 * workers only ever run the body handed to dager_thread_pool_run. A pool of
 * one thread runs everything on the caller, so single-threaded use costs
 * nothing.
 */
#ifndef DAGER_THREAD_POOL_H
#define DAGER_THREAD_POOL_H

#include <stdint.h>

#include "dager.h"

typedef struct dager_thread_pool dager_thread_pool;

/* Called for the half-open range [begin, end) by worker thread_index. */
typedef void (*dager_parallel_body)(void *context, uint32_t begin, uint32_t end,
                                    uint32_t thread_index);

dager_status dager_thread_pool_create(uint32_t threads,
                                      dager_thread_pool **out);
void dager_thread_pool_destroy(dager_thread_pool *pool);
uint32_t dager_thread_pool_size(const dager_thread_pool *pool);

/*
 * Splits [0, count) into contiguous chunks, one per thread, and returns when
 * all are done. The split depends only on count and the pool size. pool may
 * be NULL (runs body(context, 0, count, 0) on the caller).
 */
void dager_thread_pool_run(dager_thread_pool *pool, uint32_t count,
                           dager_parallel_body body, void *context);

#endif /* DAGER_THREAD_POOL_H */
