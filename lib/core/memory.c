#include "core/memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dager.h"

/*
 * The hooks are process-wide and set before any other call (documented in
 * dager.h), like SQLite's configuration; they are read, never written, while
 * the library works, so no lock is needed.
 */
static dager_malloc_fn hook_malloc;
static dager_realloc_fn hook_realloc;
static dager_free_fn hook_free;
static void *hook_user;

dager_status dager_set_allocator(dager_malloc_fn malloc_fn,
                                 dager_realloc_fn realloc_fn,
                                 dager_free_fn free_fn, void *user) {
  int all = malloc_fn && realloc_fn && free_fn;
  int none = !malloc_fn && !realloc_fn && !free_fn;

  if (!all && !none)
    return DAGER_ERROR_INVALID_ARGUMENT;
  hook_malloc = malloc_fn;
  hook_realloc = realloc_fn;
  hook_free = free_fn;
  hook_user = user;
  return DAGER_OK;
}

void *dager_mem_alloc(size_t size) {
  if (size == 0)
    size = 1;
  if (hook_malloc)
    return hook_malloc(hook_user, size);
  return malloc(size);
}

void *dager_mem_calloc(size_t count, size_t size) {
  size_t total;
  void *pointer;

  if (!dager_size_multiply(count, size, &total))
    return NULL;
  pointer = dager_mem_alloc(total);
  if (pointer)
    memset(pointer, 0, total);
  return pointer;
}

void *dager_mem_realloc(void *pointer, size_t size) {
  if (size == 0)
    size = 1;
  if (hook_realloc)
    return hook_realloc(hook_user, pointer, size);
  return realloc(pointer, size);
}

void dager_mem_free(void *pointer) {
  if (!pointer)
    return;
  if (hook_free) {
    hook_free(hook_user, pointer);
    return;
  }
  free(pointer);
}

/*
 * Aligned blocks over-allocate and keep the original pointer just below the
 * aligned address, so they work with any host allocator.
 */
void *dager_mem_alloc_aligned(size_t size) {
  size_t total;
  unsigned char *raw;
  uintptr_t aligned;

  if (!dager_size_add(size, 64 + sizeof(void *), &total))
    return NULL;
  raw = dager_mem_alloc(total);
  if (!raw)
    return NULL;
  aligned = ((uintptr_t)raw + sizeof(void *) + 63) & ~(uintptr_t)63;
  memcpy((void *)(aligned - sizeof(void *)), &raw, sizeof(void *));
  return (void *)aligned;
}

void dager_mem_free_aligned(void *pointer) {
  void *raw;

  if (!pointer)
    return;
  memcpy(&raw, (unsigned char *)pointer - sizeof(void *), sizeof(void *));
  dager_mem_free(raw);
}

int dager_size_multiply(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > SIZE_MAX / b)
    return 0;
  *out = a * b;
  return 1;
}

int dager_size_add(size_t a, size_t b, size_t *out) {
  if (a > SIZE_MAX - b)
    return 0;
  *out = a + b;
  return 1;
}
