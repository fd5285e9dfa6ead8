#include <string.h>

#include "kernels/simd.h"

size_t dager_kernels_pack_panels(size_t depth, size_t columns,
                                 size_t panel_width, const float *matrix,
                                 float *packed) {
  const size_t panels = (columns + panel_width - 1) / panel_width;
  const size_t size = panels * depth * panel_width * sizeof(float);

  if (!packed)
    return size;
  for (size_t p = 0; p < panels; p++) {
    const size_t first = p * panel_width;
    const size_t width =
        columns - first < panel_width ? columns - first : panel_width;
    float *panel = packed + p * depth * panel_width;

    for (size_t k = 0; k < depth; k++) {
      float *out = panel + k * panel_width;

      memcpy(out, matrix + k * columns + first, width * sizeof(float));
      for (size_t j = width; j < panel_width; j++)
        out[j] = 0.0f;
    }
  }
  return size;
}
