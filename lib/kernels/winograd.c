/*
 * The shape rule and the filter side of Winograd convolution, shared by
 * every ISA: the filter transform runs once at load, so it is plain C,
 * computed in double and rounded once.
 */
#include "kernels/winograd.h"

#include <string.h>

int dager_winograd_supports(const dager_window *w) {
  return w->kernel_h == 3 && w->kernel_w == 3 && w->stride_h == 1 &&
         w->stride_w == 1;
}

/*
 * F(4x4, 3x3) needs fewer multiplies than F(2x2, 3x3) (2.25 against 4 per
 * output and channel pair) but a filter 36/16 the size and a quarter of
 * the tiles, which leaves the micro-kernel's 12 (AVX-512) tile rows part
 * empty on small layers. Measured per layer, one thread, time of F(2x2)
 * over time of F(4x4): 35x35 32->32 1.4x (AVX-512) 1.5x (AVX2), 17x17
 * 64->64 1.15x / 1.2x, 28x28 64->64 1.4x / 1.6x, but 14x14 128->128 0.9x
 * on AVX-512, 10x10 128->128 0.85x, 8x8 128->128 0.8x, 5x5 256->256 0.45x.
 * Hence F(4x4) from 20 tiles of 4x4 up (17x17 has 25, 14x14 16). One rule
 * for every table, so each window takes the same path on every ISA.
 */
uint32_t dager_winograd_tile(const dager_window *w) {
  const size_t tiles = (size_t)((w->out_h + 3) / 4) * ((w->out_w + 3) / 4);
  return tiles >= 20 ? 4 : 2;
}

size_t dager_winograd_positions(const dager_window *w) {
  const size_t side = dager_winograd_tile(w) + 2;
  return side * side;
}

/* G of F(2x2, 3x3) and of F(4x4, 3x3): (tile + 2) x 3. */
static const double G2[4][3] = {
    {1.0, 0.0, 0.0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0.0, 0.0, 1.0}};
static const double G4[6][3] = {{1.0 / 4, 0.0, 0.0},
                                {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                {0.0, 0.0, 1.0}};

/* U = G g G^T for the filter g of one channel pair (stride between taps
 * `tap` floats), side x side. */
static void transform_filter(size_t side, const float *g, size_t tap,
                             double *u) {
  double gx[6][3];

  for (size_t i = 0; i < side; i++) {
    const double *G = side == 4 ? G2[i] : G4[i];
    for (int kx = 0; kx < 3; kx++) {
      double sum = 0.0;
      for (int ky = 0; ky < 3; ky++)
        sum += G[ky] * (double)g[(size_t)(ky * 3 + kx) * tap];
      gx[i][kx] = sum;
    }
  }
  for (size_t i = 0; i < side; i++) {
    for (size_t j = 0; j < side; j++) {
      const double *G = side == 4 ? G2[j] : G4[j];
      double sum = 0.0;
      for (int kx = 0; kx < 3; kx++)
        sum += gx[i][kx] * G[kx];
      u[i * side + j] = sum;
    }
  }
}

size_t dager_winograd_pack(const dager_window *w, const float *weights,
                           size_t panel_width, float *packed) {
  const size_t in_c = w->in_c;
  const size_t out_c = w->out_c;
  const size_t side = dager_winograd_tile(w) + 2;
  const size_t positions = side * side;
  const size_t panels = (out_c + panel_width - 1) / panel_width;
  const size_t position_floats = panels * in_c * panel_width;
  const size_t tap = in_c * out_c;
  const size_t bytes = positions * position_floats * sizeof(float);

  if (!packed)
    return bytes;
  memset(packed, 0, bytes);
  for (size_t ic = 0; ic < in_c; ic++) {
    for (size_t oc = 0; oc < out_c; oc++) {
      const size_t panel = oc / panel_width;
      const size_t at = (panel * in_c + ic) * panel_width + oc % panel_width;
      double u[DAGER_WINOGRAD_MAX_POSITIONS];

      transform_filter(side, weights + ic * out_c + oc, tap, u);
      for (size_t pos = 0; pos < positions; pos++)
        packed[pos * position_floats + at] = (float)u[pos];
    }
  }
  return bytes;
}
