/* The AVX-512 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_avx512.h"

/* 24 accumulators, two weight vectors and a broadcast: 27 of the 32 registers.
 */
#define DAGER_STEM_ACCUMULATORS 24

#include "kernels/template/stem.inc"
