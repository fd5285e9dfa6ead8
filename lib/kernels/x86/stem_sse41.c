/* The SSE4.1 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_sse41.h"

/* 8 x 128-bit accumulators: with the two weight vectors, the broadcast and the
 * product temporary of SSE's separate multiply and add, 12 of the 16 registers.
 */
#define DAGER_STEM_ACCUMULATORS 8

/* Alone, faster than conv2d on the 3x3 stems (bench_kernels, one thread,
 * us per call, conv2d -> stem: 512x512x3->32 3x3/2 4552 -> 4364,
 * 416x416x3->16 3x3/1 6266 -> 5705, 112x112x3->32 3x3/2 209 -> 196) but
 * not on the 7x7 one (150x150x3->32 7x7/2 1673 -> 1763). */
static inline int dager_stem_alone_wins(size_t depth, size_t out_c) {
  (void)out_c;
  return depth <= 27;
}

#include "kernels/template/stem.inc"
