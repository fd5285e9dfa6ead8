/* The NEON instance of template/stem.inc; built as part of the NEON static
 * library. */
#include "kernels/arm/vec_neon.h"

/* 16 accumulators, two weight vectors and a broadcast, as the 8 x 8
 * matrix product tile: half the 32 registers stay free for the compiler. */
#define DAGER_STEM_ACCUMULATORS 16

#include "kernels/template/stem.inc"
