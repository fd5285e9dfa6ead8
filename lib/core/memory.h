/*
 * Every allocation of the library goes through these, so a host can install
 * its own allocator (dager_set_allocator) and tests can fail the N-th
 * allocation. Sizes are checked for overflow here, once, rather than at
 * every call site.
 */
#ifndef DAGER_MEMORY_H
#define DAGER_MEMORY_H

#include <stddef.h>

void *dager_mem_alloc(size_t size);
/* count * size bytes, zeroed; NULL when the product overflows. */
void *dager_mem_calloc(size_t count, size_t size);
void *dager_mem_realloc(void *pointer, size_t size);
void dager_mem_free(void *pointer);

/* 64-byte aligned block; free with dager_mem_free_aligned. */
void *dager_mem_alloc_aligned(size_t size);
void dager_mem_free_aligned(void *pointer);

/* a * b into *out; returns 0 on overflow, 1 otherwise. */
int dager_size_multiply(size_t a, size_t b, size_t *out);
/* a + b into *out; returns 0 on overflow, 1 otherwise. */
int dager_size_add(size_t a, size_t b, size_t *out);

#endif /* DAGER_MEMORY_H */
