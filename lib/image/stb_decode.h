/*
 * The one doorway into stb_image, kept apart so that stb's own code is
 * compiled in a single file with its own flags and configuration.
 */
#ifndef DAGER_IMAGE_STB_DECODE_H
#define DAGER_IMAGE_STB_DECODE_H

#include <stddef.h>
#include <stdint.h>

typedef enum dager_stb_outcome {
  DAGER_STB_DECODED = 0,
  /* stb_image refused or could not decode the data. */
  DAGER_STB_FAILED = 1,
  /* An allocation within the budget failed. */
  DAGER_STB_OUT_OF_MEMORY = 2,
  /* stb_image asked for a single block larger than the budget: the data
   * inflates past what the header declares. */
  DAGER_STB_OVER_BUDGET = 3
} dager_stb_outcome;

/*
 * Decodes JPEG or PNG bytes into RGB8 (3 bytes per pixel, no row padding);
 * sixteen_bit (a 16-bit PNG) keeps the high byte of each sample.
 * No single allocation of the decoder may exceed largest_allocation bytes.
 * On DAGER_STB_DECODED, *pixels is a block from dager_mem_alloc that the
 * caller frees with dager_mem_free; otherwise *pixels is NULL.
 */
dager_stb_outcome dager_image_stb_decode(const uint8_t *data, size_t size,
                                         int sixteen_bit,
                                         size_t largest_allocation,
                                         uint8_t **pixels, int *width,
                                         int *height);

#endif /* DAGER_IMAGE_STB_DECODE_H */
