#include <stdint.h>

#include "kernels/kernels.h"

/*
 * TensorFlow's rule: "same" keeps ceil(in / stride) outputs and pads just
 * enough for the last window to fit, putting the odd pixel after; "valid"
 * keeps only windows that lie entirely inside the input.
 */
int dager_window_axis(uint32_t in, uint32_t kernel, uint32_t stride,
                      int same_padding, uint32_t *out, uint32_t *pad_before,
                      uint32_t *pad_after) {
  uint64_t count;
  uint64_t needed;
  uint64_t total_pad = 0;

  if (in == 0 || kernel == 0 || stride == 0)
    return -1;

  if (same_padding) {
    count = ((uint64_t)in + stride - 1) / stride;
    needed = (count - 1) * stride + kernel;
    if (needed > in)
      total_pad = needed - in;
  } else {
    if (kernel > in)
      return -1;
    count = ((uint64_t)in - kernel + 1 + stride - 1) / stride;
  }

  *out = (uint32_t)count;
  *pad_before = (uint32_t)(total_pad / 2);
  *pad_after = (uint32_t)(total_pad - total_pad / 2);
  return 0;
}
