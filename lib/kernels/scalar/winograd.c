/*
 * The scalar reference of Winograd convolution (see kernels/winograd.h):
 * one tile at a time, every channel of it, with the transforms written as
 * the plain matrix products B^T d B and A^T m A so they can be checked
 * against the published matrices by eye.
 */
#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/winograd.h"

/* B^T and A^T of F(2x2, 3x3) and F(4x4, 3x3). */
static const float BT2[4][4] = {
    {1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
static const float AT2[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
static const float BT4[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0},
                                {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                                {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
static const float AT4[4][6] = {{1, 1, 1, 1, 1, 0},
                                {0, 1, -1, 2, -2, 0},
                                {0, 1, 1, 4, 4, 0},
                                {0, 1, -1, 8, -8, 1}};

static float bt(size_t side, size_t i, size_t j) {
  return side == 4 ? BT2[i][j] : BT4[i][j];
}

static float at(size_t side, size_t i, size_t j) {
  return side == 4 ? AT2[i][j] : AT4[i][j];
}

size_t dager_scalar_winograd_packed_size(const dager_window *w) {
  return dager_winograd_pack(w, NULL, w->out_c ? w->out_c : 1, NULL);
}

void dager_scalar_winograd_pack(const dager_window *w, const float *weights,
                                float *packed) {
  dager_winograd_pack(w, weights, w->out_c ? w->out_c : 1, packed);
}

/* The transformed input V[pos][in_c] and the products M[pos][out_c] of
 * one tile. */
size_t dager_scalar_winograd_scratch_size(const dager_window *w,
                                          uint32_t max_rows) {
  (void)max_rows;
  return dager_winograd_positions(w) * ((size_t)w->in_c + w->out_c) *
         sizeof(float);
}

static void winograd_tile(const dager_window *w, const float *input,
                          const float *packed, const dager_epilogue *epilogue,
                          float *output, uint32_t row_begin, uint32_t row_end,
                          uint32_t ty, uint32_t tx, float *v, float *m) {
  const size_t tile = dager_winograd_tile(w);
  const size_t side = tile + 2;
  const size_t positions = side * side;
  const size_t in_c = w->in_c;
  const size_t out_c = w->out_c;
  const int64_t y0 = (int64_t)(ty * tile) - w->pad_top;
  const int64_t x0 = (int64_t)(tx * tile) - w->pad_left;

  for (size_t ic = 0; ic < in_c; ic++) {
    float d[6][6];
    float t[6][6];

    for (size_t r = 0; r < side; r++) {
      for (size_t c = 0; c < side; c++) {
        const int64_t iy = y0 + (int64_t)r;
        const int64_t ix = x0 + (int64_t)c;
        const int inside = iy >= 0 && iy < (int64_t)w->in_h && ix >= 0 &&
                           ix < (int64_t)w->in_w;
        d[r][c] = inside
                      ? input[((size_t)iy * w->in_w + (size_t)ix) * in_c + ic]
                      : 0.0f;
      }
    }
    /* t = B^T d, then V = t B. */
    for (size_t i = 0; i < side; i++) {
      for (size_t c = 0; c < side; c++) {
        float sum = 0.0f;
        for (size_t k = 0; k < side; k++)
          sum += bt(side, i, k) * d[k][c];
        t[i][c] = sum;
      }
    }
    for (size_t i = 0; i < side; i++) {
      for (size_t j = 0; j < side; j++) {
        float sum = 0.0f;
        for (size_t k = 0; k < side; k++)
          sum += t[i][k] * bt(side, j, k);
        v[(i * side + j) * in_c + ic] = sum;
      }
    }
  }

  for (size_t pos = 0; pos < positions; pos++) {
    const float *u = packed + pos * in_c * out_c;
    float *restrict sums = m + pos * out_c;

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
    float s[4][6];

    /* s = A^T M, then Y = s A. */
    for (size_t i = 0; i < tile; i++) {
      for (size_t c = 0; c < side; c++) {
        float sum = 0.0f;
        for (size_t k = 0; k < side; k++)
          sum += at(side, i, k) * m[(k * side + c) * out_c + oc];
        s[i][c] = sum;
      }
    }
    for (size_t r = 0; r < tile; r++) {
      const size_t oy = ty * tile + r;
      if (oy < row_begin || oy >= row_end)
        continue;
      for (size_t c = 0; c < tile; c++) {
        const size_t ox = tx * tile + c;
        float y = 0.0f;
        float residual = 0.0f;

        if (ox >= w->out_w)
          continue;
        for (size_t k = 0; k < side; k++)
          y += s[r][k] * at(side, c, k);
        if (epilogue->residual) {
          residual = epilogue->residual[oy * epilogue->residual_row_stride +
                                        ox * out_c + oc];
        }
        output[(oy * w->out_w + ox) * out_c + oc] =
            dager_scalar_finish(epilogue, y, (uint32_t)oc, residual);
      }
    }
  }
}

void dager_scalar_winograd_conv2d(const dager_window *w, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t row_begin, uint32_t row_end,
                                  void *scratch) {
  const uint32_t tile = dager_winograd_tile(w);
  const uint32_t tiles_w = (w->out_w + tile - 1) / tile;
  float *v = scratch;
  float *m = v + dager_winograd_positions(w) * w->in_c;

  if (row_begin >= row_end)
    return;
  for (uint32_t ty = row_begin / tile; ty < (row_end + tile - 1) / tile; ty++) {
    for (uint32_t tx = 0; tx < tiles_w; tx++) {
      winograd_tile(w, input, packed, epilogue, output, row_begin, row_end, ty,
                    tx, v, m);
    }
  }
}
