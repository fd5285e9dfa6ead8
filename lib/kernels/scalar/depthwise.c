#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"

size_t dager_scalar_depthwise_packed_size(const dager_window *w) {
  return (size_t)w->kernel_h * w->kernel_w * w->in_c * sizeof(float);
}

void dager_scalar_depthwise_pack(const dager_window *w, const float *weights,
                                 float *packed) {
  memcpy(packed, weights, dager_scalar_depthwise_packed_size(w));
}

/*
 * Each channel is filtered on its own (multiplier 1, so in_c == out_c).
 * The loops run channels innermost, as the HWC layout stores them, so every
 * tap is one contiguous multiply-add over a pixel's channels; the sums of
 * one pixel are kept in the output until the epilogue finishes them.
 */
void dager_scalar_depthwise_conv2d(const dager_window *w, const float *input,
                                   const float *packed,
                                   const dager_epilogue *epilogue,
                                   float *output, uint32_t row_begin,
                                   uint32_t row_end) {
  const uint32_t channels = w->in_c;
  const size_t in_row = (size_t)w->in_w * channels;
  const size_t out_row = (size_t)w->out_w * channels;

  for (uint32_t oy = row_begin; oy < row_end; oy++) {
    for (uint32_t ox = 0; ox < w->out_w; ox++) {
      float *restrict sums = output + oy * out_row + (size_t)ox * channels;

      for (uint32_t c = 0; c < channels; c++)
        sums[c] = 0.0f;

      for (uint32_t ky = 0; ky < w->kernel_h; ky++) {
        int64_t iy = (int64_t)oy * w->stride_h + ky - w->pad_top;
        if (iy < 0 || iy >= (int64_t)w->in_h)
          continue;

        for (uint32_t kx = 0; kx < w->kernel_w; kx++) {
          int64_t ix = (int64_t)ox * w->stride_w + kx - w->pad_left;
          if (ix < 0 || ix >= (int64_t)w->in_w)
            continue;

          const float *pixel =
              input + (size_t)iy * in_row + (size_t)ix * channels;
          const float *taps =
              packed + ((size_t)ky * w->kernel_w + kx) * channels;
          for (uint32_t c = 0; c < channels; c++)
            sums[c] += pixel[c] * taps[c];
        }
      }

      const float *residual = NULL;
      if (epilogue->residual) {
        residual = epilogue->residual + oy * epilogue->residual_row_stride +
                   (size_t)ox * channels;
      }
      for (uint32_t c = 0; c < channels; c++) {
        sums[c] = dager_scalar_finish(epilogue, sums[c], c,
                                      residual ? residual[c] : 0.0f);
      }
    }
  }
}
