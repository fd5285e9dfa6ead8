/*
 * Which 3x3 stride-1 convolutions run as Winograd (kernels/winograd.h)
 * instead of the direct packed product.
 *
 * The rule was set from bench_kernels and a sweep of shapes, single
 * thread, direct time over Winograd time (above 1: Winograd wins):
 *   - 16 or more channels in and out: the ResNet shapes win 1.8-1.9x on
 *     AVX-512 (35x35 32->32 and 17x17 64->64 with F(4x4), 8x8 128->128
 *     with F(2x2)) and 1.9-2.3x on AVX2. With 8 channels F(2x2) loses
 *     (56x56 8->8: 0.9x) but F(4x4) wins (1.3x), so 8 are enough where
 *     the kernels pick F(4x4). With 3-4 input channels it loses (0.75-0.9x
 *     on AVX-512): the transforms then cost as much as the products they
 *     save.
 *   - at least 9 tiles of 2x2 (a 5x5 output), or a transformed filter of
 *     at most 1 MiB: the filter is larger than the direct one and each of
 *     its floats is used once per tile, so with few tiles a large filter
 *     makes the layer memory-bound: 4x4 256->256 (4 tiles, 4 MiB) runs
 *     0.8x on AVX-512, 3x3 512->512 0.66x, while 4x4 64->64 (1 MiB) wins
 *     1.4x and 5x5 256->256 (9 tiles) 1.1x.
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
#define MIN_CHANNELS_F4 8u
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
  const uint32_t min_channels =
      dager_winograd_tile(w) == 4 ? MIN_CHANNELS_F4 : MIN_CHANNELS;

  if (!dager_winograd_supports(w))
    return 0;
  if (w->in_c < min_channels || w->out_c < min_channels)
    return 0;
  return tiles >= MIN_TILES || filter_bytes <= SMALL_FILTER_BYTES;
}
