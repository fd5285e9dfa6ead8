#include <float.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"

/*
 * The part of one window that lies inside the input, as half-open ranges.
 * Pooling never reads padding: max ignores it and average leaves it out of
 * the divisor, as TensorFlow does.
 */
typedef struct pool_span {
  uint32_t y_begin, y_end, x_begin, x_end;
} pool_span;

static pool_span window_span(const dager_window *w, uint32_t oy, uint32_t ox) {
  int64_t y0 = (int64_t)oy * w->stride_h - w->pad_top;
  int64_t x0 = (int64_t)ox * w->stride_w - w->pad_left;
  int64_t y1 = y0 + w->kernel_h;
  int64_t x1 = x0 + w->kernel_w;
  pool_span span;

  if (y0 < 0)
    y0 = 0;
  if (x0 < 0)
    x0 = 0;
  if (y1 > (int64_t)w->in_h)
    y1 = w->in_h;
  if (x1 > (int64_t)w->in_w)
    x1 = w->in_w;
  if (y1 < y0)
    y1 = y0;
  if (x1 < x0)
    x1 = x0;
  span.y_begin = (uint32_t)y0;
  span.y_end = (uint32_t)y1;
  span.x_begin = (uint32_t)x0;
  span.x_end = (uint32_t)x1;
  return span;
}

void dager_scalar_max_pool(const dager_window *w, const float *input,
                           float *output, uint32_t row_begin,
                           uint32_t row_end) {
  const uint32_t channels = w->in_c;
  const size_t in_row = (size_t)w->in_w * channels;
  const size_t out_row = (size_t)w->out_w * channels;

  for (uint32_t oy = row_begin; oy < row_end; oy++) {
    for (uint32_t ox = 0; ox < w->out_w; ox++) {
      float *best = output + oy * out_row + (size_t)ox * channels;
      pool_span span = window_span(w, oy, ox);
      int empty = span.y_begin == span.y_end || span.x_begin == span.x_end;

      /* A window wholly in the padding has no maximum; TensorFlow's
       * geometry never makes one, but the result stays defined. */
      for (uint32_t c = 0; c < channels; c++) {
        best[c] = empty ? 0.0f : -FLT_MAX;
      }
      for (uint32_t y = span.y_begin; y < span.y_end; y++) {
        for (uint32_t x = span.x_begin; x < span.x_end; x++) {
          const float *pixel = input + y * in_row + (size_t)x * channels;
          for (uint32_t c = 0; c < channels; c++) {
            if (pixel[c] > best[c])
              best[c] = pixel[c];
          }
        }
      }
    }
  }
}

void dager_scalar_average_pool(const dager_window *w, const float *input,
                               float *output, uint32_t row_begin,
                               uint32_t row_end) {
  const uint32_t channels = w->in_c;
  const size_t in_row = (size_t)w->in_w * channels;
  const size_t out_row = (size_t)w->out_w * channels;

  for (uint32_t oy = row_begin; oy < row_end; oy++) {
    for (uint32_t ox = 0; ox < w->out_w; ox++) {
      float *sums = output + oy * out_row + (size_t)ox * channels;
      pool_span span = window_span(w, oy, ox);
      uint32_t cells =
          (span.y_end - span.y_begin) * (span.x_end - span.x_begin);

      for (uint32_t c = 0; c < channels; c++)
        sums[c] = 0.0f;
      for (uint32_t y = span.y_begin; y < span.y_end; y++) {
        for (uint32_t x = span.x_begin; x < span.x_end; x++) {
          const float *pixel = input + y * in_row + (size_t)x * channels;
          for (uint32_t c = 0; c < channels; c++)
            sums[c] += pixel[c];
        }
      }
      if (cells == 0)
        continue;
      const float scale = 1.0f / (float)cells;
      for (uint32_t c = 0; c < channels; c++)
        sums[c] *= scale;
    }
  }
}

/* The whole image is one window: float sums in pixel order and one
 * multiplication by the reciprocal at the end. */
void dager_scalar_global_average_pool(uint32_t pixels, uint32_t channels,
                                      const float *input, float *output) {
  for (uint32_t c = 0; c < channels; c++)
    output[c] = 0.0f;
  for (uint32_t p = 0; p < pixels; p++) {
    const float *pixel = input + (size_t)p * channels;
    for (uint32_t c = 0; c < channels; c++)
      output[c] += pixel[c];
  }
  if (pixels == 0)
    return;
  const float scale = 1.0f / (float)pixels;
  for (uint32_t c = 0; c < channels; c++)
    output[c] *= scale;
}
