/* The NEON instance of template/stem.inc; built as part of the NEON static
 * library. */
#include "kernels/arm/vec_neon.h"

/* 16 accumulators, two weight vectors and a broadcast, as the 8 x 8
 * matrix product tile: half the 32 registers stay free for the compiler. */
#define DAGER_STEM_ACCUMULATORS 16

/* Not measured on NEON hardware (the kernels are only checked under
 * qemu), so the stem is used only fused with a max pool, for the memory
 * traffic it saves, and never alone. */
static inline int dager_stem_alone_wins(size_t depth, size_t out_c) {
  (void)depth;
  (void)out_c;
  return 0;
}

#include "kernels/template/stem.inc"
