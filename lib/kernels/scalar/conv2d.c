#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"

size_t dager_scalar_conv2d_packed_size(const dager_window *w) {
  return (size_t)w->kernel_h * w->kernel_w * w->in_c * w->out_c * sizeof(float);
}

void dager_scalar_conv2d_pack(const dager_window *w, const float *weights,
                              float *packed) {
  memcpy(packed, weights, dager_scalar_conv2d_packed_size(w));
}

size_t dager_scalar_conv2d_scratch_size(const dager_window *w,
                                        uint32_t max_rows) {
  (void)w;
  (void)max_rows;
  return 0;
}

/*
 * Direct convolution. Each output pixel's out_c sums are accumulated in
 * place in the output, input channel by input channel, so the innermost
 * loop walks one contiguous row of the [kh][kw][in_c][out_c] filter.
 * Padded input positions are skipped, which is the same as reading zeros.
 * The restrict qualifiers (the output never overlaps input or weights) let
 * the compiler vectorise that loop; each sum still adds its products in
 * the same order, so the result does not change.
 */
void dager_scalar_conv2d(const dager_window *w, const float *input,
                         const float *packed, const dager_epilogue *epilogue,
                         float *output, uint32_t row_begin, uint32_t row_end,
                         void *scratch) {
  const size_t in_row = (size_t)w->in_w * w->in_c;
  const size_t out_row = (size_t)w->out_w * w->out_c;
  const size_t tap = (size_t)w->in_c * w->out_c;

  (void)scratch;
  for (uint32_t oy = row_begin; oy < row_end; oy++) {
    for (uint32_t ox = 0; ox < w->out_w; ox++) {
      float *restrict sums = output + oy * out_row + (size_t)ox * w->out_c;

      for (uint32_t oc = 0; oc < w->out_c; oc++)
        sums[oc] = 0.0f;

      for (uint32_t ky = 0; ky < w->kernel_h; ky++) {
        int64_t iy = (int64_t)oy * w->stride_h + ky - w->pad_top;
        if (iy < 0 || iy >= (int64_t)w->in_h)
          continue;

        for (uint32_t kx = 0; kx < w->kernel_w; kx++) {
          int64_t ix = (int64_t)ox * w->stride_w + kx - w->pad_left;
          if (ix < 0 || ix >= (int64_t)w->in_w)
            continue;

          const float *pixel =
              input + (size_t)iy * in_row + (size_t)ix * w->in_c;
          const float *taps = packed + ((size_t)ky * w->kernel_w + kx) * tap;
          for (uint32_t ic = 0; ic < w->in_c; ic++) {
            const float x = pixel[ic];
            const float *restrict row = taps + (size_t)ic * w->out_c;
            for (uint32_t oc = 0; oc < w->out_c; oc++)
              sums[oc] += x * row[oc];
          }
        }
      }

      const float *residual = NULL;
      if (epilogue->residual) {
        residual = epilogue->residual + oy * epilogue->residual_row_stride +
                   (size_t)ox * w->out_c;
      }
      for (uint32_t oc = 0; oc < w->out_c; oc++) {
        sums[oc] = dager_scalar_finish(epilogue, sums[oc], oc,
                                       residual ? residual[oc] : 0.0f);
      }
    }
  }
}
