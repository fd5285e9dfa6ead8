/* The AVX2 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_avx2.h"

/* 12 accumulators, two weight vectors and a broadcast: 15 of the 16 registers,
 * as the 6 x 16 matrix product tile. */
#define DAGER_STEM_ACCUMULATORS 12

#include "kernels/template/stem.inc"
