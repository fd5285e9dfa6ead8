/* The AVX2 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_avx2.h"

/* 12 accumulators, two weight vectors and a broadcast: 15 of the 16 registers,
 * as the 6 x 16 matrix product tile. */
#define DAGER_STEM_ACCUMULATORS 12

/* Alone, faster than conv2d only with one group of 16 channels
 * (bench_kernels, one thread, us per call, conv2d -> stem: 416x416x3->16
 * 3x3/1 2878 -> 2525); with 32 channels the 6 x 16 matrix product tile is
 * the same shape and as fast or faster (512x512x3->32 3x3/2 1813 -> 1855,
 * 112x112x3->32 3x3/2 81 -> 86, 150x150x3->32 7x7/2 562 -> 568). */
static inline int dager_stem_alone_wins(size_t depth, size_t out_c) {
  (void)depth;
  return out_c <= 16;
}

#include "kernels/template/stem.inc"
