/*
 * Which 3x3 stride-1 convolutions run as Winograd F(2x2, 3x3)
 * (kernels/winograd.h) instead of the direct packed product.
 *
 * The rule was set from bench_kernels and a sweep of shapes, single
 * thread, direct time over Winograd time (above 1: Winograd wins):
 *   - 16 or more channels in and out: ResNet and landmark layers win
 *     1.2-1.65x on AVX-512 (32->32 at 38x38 1.4x, 64->64 at 19x19 1.5x,
 *     128->128 at 10x10 1.65x) and more on AVX2 and SSE4.1, whose
 *     direct kernels are further from peak. With 8 channels it loses
 *     (56x56 8->8: 0.9x) and with 3-4 input channels clearly (0.55-0.7x):
 *     the transforms then cost as much as the products they save.
 *   - at least 9 tiles (a 5x5 output), or a transformed filter of at most
 *     1 MiB: the filter is 16/9 the size of the direct one and each of its
 *     floats is used once per tile, so with few tiles a large filter
 *     makes the layer memory-bound: 3x3 512->512 (4 tiles, 16 MiB) runs
 *     0.66x on AVX-512 and 4x4 256->256 (4 tiles, 4 MiB) 0.88x, while
 *     4x4 64->64 (1 MiB) wins 1.4x and 5x5 256->256 (9 tiles) 1.15x.
 * The rule depends on shapes only, never on the thread count, so a
 * network's results do not either.
 *
 * DAGER_WINOGRAD=0 in the environment turns the path off (every
 * convolution direct), for tests and for benchmarks of the difference.
 */
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/winograd.h"
#include "nn/network_internal.h"

#define MIN_CHANNELS 16u
#define MIN_TILES 9u
#define SMALL_FILTER_BYTES ((size_t)1 << 20)

int dager_nn_winograd_enabled(void) {
  const char *value = getenv("DAGER_WINOGRAD");
  return !(value && strcmp(value, "0") == 0);
}

int dager_nn_prefers_winograd(const dager_window *w) {
  const size_t tiles =
      (size_t)((w->out_h + 1) / 2) * (size_t)((w->out_w + 1) / 2);
  const size_t filter_bytes =
      dager_winograd_positions(w) * w->in_c * w->out_c * sizeof(float);

  if (!dager_winograd_supports(w))
    return 0;
  if (w->in_c < MIN_CHANNELS || w->out_c < MIN_CHANNELS)
    return 0;
  return tiles >= MIN_TILES || filter_bytes <= SMALL_FILTER_BYTES;
}
