/*
 * stb_image, configured for libdager: JPEG and PNG only, no stdio (files
 * are read by image.c), every allocation through lib/core/memory.h under a
 * per-call budget, no failure strings (we never show stb's reasons: they
 * can name the wrong format), and none of stb's process-wide setters (flip,
 * unpremultiply, iphone) is ever called.
 *
 * This is the only file that includes the stb implementation; meson
 * builds it into its own static library with warnings off, because the
 * header is third-party code we do not edit.
 */
#include "image/stb_decode.h"

#include <stdint.h>

#include "core/memory.h"

/*
 * The budget and what happened to it, per thread, for the decode running
 * on this thread; stb's allocation macros take no context argument.
 */
typedef struct stb_budget {
  size_t largest_allocation;
  int over_budget;
  int out_of_memory;
} stb_budget;

static _Thread_local stb_budget budget;

static void *budget_alloc(size_t size) {
  void *block;

  if (size > budget.largest_allocation) {
    budget.over_budget = 1;
    return NULL;
  }
  block = dager_mem_alloc(size);
  if (!block)
    budget.out_of_memory = 1;
  return block;
}

static void *budget_realloc(void *pointer, size_t size) {
  void *block;

  if (size > budget.largest_allocation) {
    budget.over_budget = 1;
    return NULL;
  }
  block = dager_mem_realloc(pointer, size);
  if (!block)
    budget.out_of_memory = 1;
  return block;
}

#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_NO_FAILURE_STRINGS
#define STBI_MAX_DIMENSIONS (1 << 24)
#define STBI_ASSERT(condition) ((void)0)
#define STBI_MALLOC(size) budget_alloc(size)
#define STBI_REALLOC(pointer, size) budget_realloc(pointer, size)
#define STBI_FREE(pointer) dager_mem_free(pointer)
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include "stb_image.h"

/* Keeps the high byte of each 16-bit sample in a new block; stb's own
 * conversion leaks its input when that block cannot be allocated, so we
 * ask stb for 16-bit samples and narrow them here. */
static stbi_uc *narrow_to_8_bit(stbi_us *wide, int width, int height) {
  size_t count = (size_t)width * (size_t)height * 3;
  stbi_uc *narrow = budget_alloc(count);

  if (narrow) {
    for (size_t i = 0; i < count; i++)
      narrow[i] = (stbi_uc)(wide[i] >> 8);
  }
  dager_mem_free(wide);
  return narrow;
}

dager_stb_outcome dager_image_stb_decode(const uint8_t *data, size_t size,
                                         int sixteen_bit,
                                         size_t largest_allocation,
                                         uint8_t **pixels, int *width,
                                         int *height) {
  int channels_in_file = 0;
  stbi_uc *decoded;

  *pixels = NULL;
  if (size > INT32_MAX)
    return DAGER_STB_FAILED;
  budget.largest_allocation = largest_allocation;
  budget.over_budget = 0;
  budget.out_of_memory = 0;
  if (sixteen_bit) {
    stbi_us *wide = stbi_load_16_from_memory(data, (int)size, width, height,
                                             &channels_in_file, 3);

    decoded = wide ? narrow_to_8_bit(wide, *width, *height) : NULL;
  } else {
    decoded = stbi_load_from_memory(data, (int)size, width, height,
                                    &channels_in_file, 3);
  }
  if (decoded) {
    *pixels = decoded;
    return DAGER_STB_DECODED;
  }
  if (budget.over_budget)
    return DAGER_STB_OVER_BUDGET;
  if (budget.out_of_memory)
    return DAGER_STB_OUT_OF_MEMORY;
  return DAGER_STB_FAILED;
}
