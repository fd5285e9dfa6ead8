/* The AVX-512 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_avx512.h"

/* 22 accumulators, two weight vectors and a broadcast: 25 of the 32
 * registers. Tiles of 11 pixels of 32 channels rather than 12: the
 * 112-pixel landmark stem's 55 inner columns are then exactly five tiles
 * instead of five with one of them half recomputed, and SSD's 255 cost
 * the same 264 (bench_kernels, three interleaved runs each, % of peak,
 * 24 -> 22: landmark stem 57-62 -> 62-69, SSD stem 60-64 -> 62-67, the
 * others within the noise). */
#define DAGER_STEM_ACCUMULATORS 22

/* Alone, faster than conv2d on every stem of the networks (bench_kernels,
 * one thread, us per call, conv2d -> stem): 512x512x3->32 3x3/2 1233 ->
 * 1096, 416x416x3->16 3x3/1 2389 -> 1591, 112x112x3->32 3x3/2 57.5 ->
 * 51.9, 150x150x3->32 7x7/2 370 -> 350. */
static inline int dager_stem_alone_wins(size_t depth, size_t out_c) {
  (void)depth;
  (void)out_c;
  return 1;
}

#include "kernels/template/stem.inc"
