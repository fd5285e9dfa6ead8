/*
 * The filter side of Winograd F(2x2, 3x3), shared by every ISA: it runs
 * once at load, so it is plain C, computed in double and rounded once.
 */
#include "kernels/winograd.h"

#include <string.h>

int dager_winograd_supports(const dager_window *w) {
  return w->kernel_h == 3 && w->kernel_w == 3 && w->stride_h == 1 &&
         w->stride_w == 1;
}

/* U = G g G^T for the filter g of one channel pair (stride between taps
 * `tap` floats), G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]. */
static void transform_filter(const float *g, size_t tap, double u[16]) {
  static const double G[4][3] = {
      {1.0, 0.0, 0.0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0.0, 0.0, 1.0}};
  double gx[4][3];

  for (int i = 0; i < 4; i++) {
    for (int kx = 0; kx < 3; kx++) {
      double sum = 0.0;
      for (int ky = 0; ky < 3; ky++)
        sum += G[i][ky] * (double)g[(size_t)(ky * 3 + kx) * tap];
      gx[i][kx] = sum;
    }
  }
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < 4; j++) {
      double sum = 0.0;
      for (int kx = 0; kx < 3; kx++)
        sum += gx[i][kx] * G[j][kx];
      u[i * 4 + j] = sum;
    }
  }
}

size_t dager_winograd_pack(const dager_window *w, const float *weights,
                           size_t panel_width, float *packed) {
  const size_t in_c = w->in_c;
  const size_t out_c = w->out_c;
  const size_t panels = (out_c + panel_width - 1) / panel_width;
  const size_t position_floats = panels * in_c * panel_width;
  const size_t tap = in_c * out_c;

  if (!packed)
    return DAGER_WINOGRAD_POSITIONS * position_floats * sizeof(float);
  memset(packed, 0, DAGER_WINOGRAD_POSITIONS * position_floats * sizeof(float));
  for (size_t ic = 0; ic < in_c; ic++) {
    for (size_t oc = 0; oc < out_c; oc++) {
      const size_t panel = oc / panel_width;
      const size_t at = (panel * in_c + ic) * panel_width + oc % panel_width;
      double u[16];

      transform_filter(weights + ic * out_c + oc, tap, u);
      for (size_t pos = 0; pos < DAGER_WINOGRAD_POSITIONS; pos++)
        packed[pos * position_floats + at] = (float)u[pos];
    }
  }
  return DAGER_WINOGRAD_POSITIONS * position_floats * sizeof(float);
}
