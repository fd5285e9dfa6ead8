/*
 * The scalar reference of the stem kernels (kernels.h): a direct
 * convolution, one output pixel and up to 16 channels at a time, and the
 * same followed by the 2x2/2 max pool of the pixels it would have stored.
 * Sums run over the taps inside the input in (ky, kx, ic) order, as the
 * scalar conv2d's; the pool starts from -FLT_MAX and keeps the larger
 * value, as the scalar max_pool does, so the fused result is the unfused
 * one bit for bit.
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/stem.h"

#define STEM_BLOCK 16

size_t dager_scalar_stem_packed_size(const dager_window *conv) {
  return (size_t)conv->kernel_h * conv->kernel_w * conv->in_c * conv->out_c *
         sizeof(float);
}

void dager_scalar_stem_pack(const dager_window *conv, const float *weights,
                            float *packed) {
  memcpy(packed, weights, dager_scalar_stem_packed_size(conv));
}

/* Sums of output pixel (y, x) for channels [first, first + count). */
static void stem_sums(const dager_window *w, const float *input,
                      const float *packed, uint32_t y, uint32_t x,
                      uint32_t first, uint32_t count, float *sums) {
  const size_t tap = (size_t)w->in_c * w->out_c;

  for (uint32_t i = 0; i < count; i++)
    sums[i] = 0.0f;
  for (uint32_t ky = 0; ky < w->kernel_h; ky++) {
    const int64_t iy = (int64_t)y * w->stride_h + ky - w->pad_top;
    if (iy < 0 || iy >= (int64_t)w->in_h)
      continue;
    for (uint32_t kx = 0; kx < w->kernel_w; kx++) {
      const int64_t ix = (int64_t)x * w->stride_w + kx - w->pad_left;
      if (ix < 0 || ix >= (int64_t)w->in_w)
        continue;
      const float *pixel =
          input + ((size_t)iy * w->in_w + (size_t)ix) * w->in_c;
      const float *taps =
          packed + ((size_t)ky * w->kernel_w + kx) * tap + first;
      for (uint32_t ic = 0; ic < w->in_c; ic++) {
        const float v = pixel[ic];
        const float *row = taps + (size_t)ic * w->out_c;
        for (uint32_t i = 0; i < count; i++)
          sums[i] += v * row[i];
      }
    }
  }
}

static const float *residual_at(const dager_window *w,
                                const dager_epilogue *epilogue, uint32_t y,
                                uint32_t x) {
  if (!epilogue->residual)
    return NULL;
  return epilogue->residual + y * epilogue->residual_row_stride +
         (size_t)x * w->out_c;
}

void dager_scalar_stem_conv2d(const dager_window *conv, const float *input,
                              const float *packed,
                              const dager_epilogue *epilogue, float *output,
                              uint32_t row_begin, uint32_t row_end) {
  float sums[STEM_BLOCK];

  for (uint32_t y = row_begin; y < row_end; y++) {
    for (uint32_t x = 0; x < conv->out_w; x++) {
      float *out = output + ((size_t)y * conv->out_w + x) * conv->out_c;
      const float *residual = residual_at(conv, epilogue, y, x);

      for (uint32_t c = 0; c < conv->out_c; c += STEM_BLOCK) {
        const uint32_t count =
            conv->out_c - c < STEM_BLOCK ? conv->out_c - c : STEM_BLOCK;
        stem_sums(conv, input, packed, y, x, c, count, sums);
        for (uint32_t i = 0; i < count; i++) {
          out[c + i] = dager_scalar_finish(epilogue, sums[i], c + i,
                                           residual ? residual[c + i] : 0.0f);
        }
      }
    }
  }
}

void dager_scalar_stem_conv2d_max_pool(const dager_window *conv,
                                       const dager_window *pool,
                                       const float *input, const float *packed,
                                       const dager_epilogue *epilogue,
                                       float *output, uint32_t row_begin,
                                       uint32_t row_end) {
  float sums[STEM_BLOCK];
  float best[STEM_BLOCK];

  for (uint32_t py = row_begin; py < row_end; py++) {
    const uint32_t y_end = 2 * py + 2 < conv->out_h ? 2 * py + 2 : conv->out_h;
    for (uint32_t px = 0; px < pool->out_w; px++) {
      const uint32_t x_end =
          2 * px + 2 < conv->out_w ? 2 * px + 2 : conv->out_w;
      float *out = output + ((size_t)py * pool->out_w + px) * pool->out_c;

      for (uint32_t c = 0; c < conv->out_c; c += STEM_BLOCK) {
        const uint32_t count =
            conv->out_c - c < STEM_BLOCK ? conv->out_c - c : STEM_BLOCK;
        for (uint32_t i = 0; i < count; i++)
          best[i] = -FLT_MAX;
        for (uint32_t y = 2 * py; y < y_end; y++) {
          for (uint32_t x = 2 * px; x < x_end; x++) {
            const float *residual = residual_at(conv, epilogue, y, x);
            stem_sums(conv, input, packed, y, x, c, count, sums);
            for (uint32_t i = 0; i < count; i++) {
              const float v = dager_scalar_finish(
                  epilogue, sums[i], c + i, residual ? residual[c + i] : 0.0f);
              if (v > best[i])
                best[i] = v;
            }
          }
        }
        memcpy(out + c, best, count * sizeof(float));
      }
    }
  }
}

/* Alone, the reference stem is slower than the reference conv2d
 * (bench_kernels, one thread, us per call, conv2d -> stem: 512x512x3->32
 * 3x3/2 16228 -> 23124, 150x150x3->32 7x7/2 4402 -> 5436); fused with the
 * pool it saves the pool's pass (416x416x3->16 3x3/1 and 2x2/2: 27818 +
 * 8336 -> 33827) and the convolution's place in the arena. */
int dager_scalar_stem_preferred(const dager_window *conv,
                                const dager_window *pool) {
  return pool != NULL && dager_stem_supports(conv, pool);
}

void dager_kernels_fill_scalar_stem(dager_kernels *table) {
  table->stem_packed_size = dager_scalar_stem_packed_size;
  table->stem_pack = dager_scalar_stem_pack;
  table->stem_preferred = dager_scalar_stem_preferred;
  table->stem_conv2d = dager_scalar_stem_conv2d;
  table->stem_conv2d_max_pool = dager_scalar_stem_conv2d_max_pool;
}
