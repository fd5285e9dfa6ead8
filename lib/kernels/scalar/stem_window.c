/*
 * Which windows the stem kernels take (kernels.h). One rule for every
 * table, so the tests and the runtime agree on it; beside
 * dager_window_axis, the other geometry every table shares.
 */
#include "kernels/kernels.h"

static int fusable_pool(const dager_window *conv, const dager_window *pool) {
  /* Pooled row y covers convolution rows 2y and 2y + 1, cut to the
   * convolution's height as max pooling cuts windows to its input; every
   * window must keep at least its first row. The same for columns. */
  return pool->kernel_h == 2 && pool->kernel_w == 2 && pool->stride_h == 2 &&
         pool->stride_w == 2 && pool->pad_top == 0 && pool->pad_left == 0 &&
         pool->in_h == conv->out_h && pool->in_w == conv->out_w &&
         pool->in_c == conv->out_c && pool->out_c == conv->out_c &&
         pool->out_h >= 1 && pool->out_w >= 1 &&
         2 * ((uint64_t)pool->out_h - 1) < pool->in_h &&
         2 * ((uint64_t)pool->out_w - 1) < pool->in_w;
}

int dager_stem_supports(const dager_window *conv, const dager_window *pool) {
  if (conv->in_c < 1 || conv->in_c > DAGER_STEM_MAX_IN_C ||
      conv->kernel_h < 1 || conv->kernel_h > DAGER_STEM_MAX_KERNEL ||
      conv->kernel_w < 1 || conv->kernel_w > DAGER_STEM_MAX_KERNEL ||
      conv->stride_w < 1 || conv->stride_w > 2 || conv->stride_h < 1 ||
      conv->out_c < 1 || conv->out_h < 1 || conv->out_w < 1) {
    return 0;
  }
  return pool == NULL || fusable_pool(conv, pool);
}
