/* MAP_ANONYMOUS is outside POSIX 2008; glibc shows it with this. */
#define _DEFAULT_SOURCE 1

#include "core/memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#if defined(MAP_ANONYMOUS)
#define DAGER_MEM_HAVE_MMAP 1
#endif
#endif

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
/*
 * Blocks this large (network arenas, packed weights, model tensors) are
 * mapped from the system directly when no allocator hook is installed.
 * Through malloc, freeing a 21 MiB block of model floats raises glibc's
 * mapping threshold to 21 MiB, after which the image buffers of every
 * later decode come from the heap and their pages stay resident after
 * they are freed: measured, about 5 MiB more resident memory for one photo.
 */
#define DAGER_MEM_MAP_THRESHOLD ((size_t)1 << 20)

/* Stored just below every aligned block: how to give it back. */
typedef struct aligned_header {
  void *raw;
  size_t mapped; /* bytes mapped at raw, or 0 for a malloc'ed block */
} aligned_header;

#define ALIGNED_SLACK (64 + sizeof(aligned_header))

static void *align_block(unsigned char *raw, size_t mapped) {
  uintptr_t aligned =
      ((uintptr_t)raw + sizeof(aligned_header) + 63) & ~(uintptr_t)63;
  aligned_header header = {raw, mapped};

  memcpy((void *)(aligned - sizeof header), &header, sizeof header);
  return (void *)aligned;
}

void *dager_mem_alloc_aligned(size_t size) {
  size_t total;
  unsigned char *raw;

  if (!dager_size_add(size, ALIGNED_SLACK, &total))
    return NULL;
#ifdef DAGER_MEM_HAVE_MMAP
  if (!hook_malloc && total >= DAGER_MEM_MAP_THRESHOLD) {
    void *mapped = mmap(NULL, total, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (mapped == MAP_FAILED)
      return NULL;
    return align_block(mapped, total);
  }
#endif
  raw = dager_mem_alloc(total);
  if (!raw)
    return NULL;
  return align_block(raw, 0);
}

void dager_mem_free_aligned(void *pointer) {
  aligned_header header;

  if (!pointer)
    return;
  memcpy(&header, (unsigned char *)pointer - sizeof header, sizeof header);
#ifdef DAGER_MEM_HAVE_MMAP
  if (header.mapped) {
    munmap(header.raw, header.mapped);
    return;
  }
#endif
  dager_mem_free(header.raw);
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
