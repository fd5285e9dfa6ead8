/*
 * The scalar reference of Winograd F(2x2, 3x3) convolution (see
 * kernels/winograd.h): one tile at a time, every channel of it, in the
 * order the SIMD template also follows, so both differ from the direct
 * convolution in the same way.
 */
#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/winograd.h"

size_t dager_scalar_winograd_packed_size(const dager_window *w) {
  return dager_winograd_pack(w, NULL, w->out_c ? w->out_c : 1, NULL);
}

void dager_scalar_winograd_pack(const dager_window *w, const float *weights,
                                float *packed) {
  dager_winograd_pack(w, weights, w->out_c ? w->out_c : 1, packed);
}

/* The transformed input V[16][in_c] and the products M[16][out_c] of one
 * tile. */
size_t dager_scalar_winograd_scratch_size(const dager_window *w,
                                          uint32_t max_rows) {
  (void)max_rows;
  return DAGER_WINOGRAD_POSITIONS * ((size_t)w->in_c + w->out_c) *
         sizeof(float);
}

/* V = B^T d B of one channel, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0;
 * 0 1 0 -1]. */
static void transform_input(float d[4][4], float v[16]) {
  float t[4][4];

  for (int j = 0; j < 4; j++) {
    t[0][j] = d[0][j] - d[2][j];
    t[1][j] = d[1][j] + d[2][j];
    t[2][j] = d[2][j] - d[1][j];
    t[3][j] = d[1][j] - d[3][j];
  }
  for (int i = 0; i < 4; i++) {
    v[i * 4 + 0] = t[i][0] - t[i][2];
    v[i * 4 + 1] = t[i][1] + t[i][2];
    v[i * 4 + 2] = t[i][2] - t[i][1];
    v[i * 4 + 3] = t[i][1] - t[i][3];
  }
}

/* Y = A^T m A of one channel, A^T = [1 1 1 0; 0 1 -1 -1]. */
static void transform_output(const float m[16], float y[2][2]) {
  float s[2][4];

  for (int j = 0; j < 4; j++) {
    s[0][j] = m[0 * 4 + j] + m[1 * 4 + j] + m[2 * 4 + j];
    s[1][j] = m[1 * 4 + j] - m[2 * 4 + j] - m[3 * 4 + j];
  }
  for (int i = 0; i < 2; i++) {
    y[i][0] = s[i][0] + s[i][1] + s[i][2];
    y[i][1] = s[i][1] - s[i][2] - s[i][3];
  }
}

static void winograd_tile(const dager_window *w, const float *input,
                          const float *packed, const dager_epilogue *epilogue,
                          float *output, uint32_t row_begin, uint32_t row_end,
                          uint32_t ty, uint32_t tx, float *v, float *m) {
  const size_t in_c = w->in_c;
  const size_t out_c = w->out_c;
  const int64_t y0 = (int64_t)ty * 2 - w->pad_top;
  const int64_t x0 = (int64_t)tx * 2 - w->pad_left;

  for (size_t ic = 0; ic < in_c; ic++) {
    float d[4][4];
    float tile_v[16];

    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        const int64_t iy = y0 + r;
        const int64_t ix = x0 + c;
        const int inside = iy >= 0 && iy < (int64_t)w->in_h && ix >= 0 &&
                           ix < (int64_t)w->in_w;
        d[r][c] = inside
                      ? input[((size_t)iy * w->in_w + (size_t)ix) * in_c + ic]
                      : 0.0f;
      }
    }
    transform_input(d, tile_v);
    for (int pos = 0; pos < DAGER_WINOGRAD_POSITIONS; pos++)
      v[pos * in_c + ic] = tile_v[pos];
  }

  for (int pos = 0; pos < DAGER_WINOGRAD_POSITIONS; pos++) {
    const float *u = packed + (size_t)pos * in_c * out_c;
    float *restrict sums = m + (size_t)pos * out_c;

    for (size_t oc = 0; oc < out_c; oc++)
      sums[oc] = 0.0f;
    for (size_t ic = 0; ic < in_c; ic++) {
      const float x = v[pos * in_c + ic];
      const float *restrict row = u + ic * out_c;
      for (size_t oc = 0; oc < out_c; oc++)
        sums[oc] += x * row[oc];
    }
  }

  for (size_t oc = 0; oc < out_c; oc++) {
    float tile_m[16];
    float y[2][2];

    for (int pos = 0; pos < DAGER_WINOGRAD_POSITIONS; pos++)
      tile_m[pos] = m[pos * out_c + oc];
    transform_output(tile_m, y);
    for (uint32_t r = 0; r < 2; r++) {
      const uint32_t oy = ty * 2 + r;
      if (oy < row_begin || oy >= row_end)
        continue;
      for (uint32_t c = 0; c < 2; c++) {
        const uint32_t ox = tx * 2 + c;
        const size_t at = ((size_t)oy * w->out_w + ox) * out_c + oc;
        float residual = 0.0f;

        if (ox >= w->out_w)
          continue;
        if (epilogue->residual) {
          residual = epilogue->residual[oy * epilogue->residual_row_stride +
                                        (size_t)ox * out_c + oc];
        }
        output[at] =
            dager_scalar_finish(epilogue, y[r][c], (uint32_t)oc, residual);
      }
    }
  }
}

void dager_scalar_winograd_conv2d(const dager_window *w, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t row_begin, uint32_t row_end,
                                  void *scratch) {
  const uint32_t tiles_w = (w->out_w + 1) / 2;
  float *v = scratch;
  float *m = v + DAGER_WINOGRAD_POSITIONS * (size_t)w->in_c;

  if (row_begin >= row_end)
    return;
  for (uint32_t ty = row_begin / 2; ty < (row_end + 1) / 2; ty++) {
    for (uint32_t tx = 0; tx < tiles_w; tx++) {
      winograd_tile(w, input, packed, epilogue, output, row_begin, row_end, ty,
                    tx, v, m);
    }
  }
}
