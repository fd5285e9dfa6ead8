/* The SSE4.1 instance of template/stem.inc; built with only its own
 * flags, as part of its ISA's static library. */
#include "kernels/x86/vec_sse41.h"

/* 8 x 128-bit accumulators: with the two weight vectors, the broadcast and the
 * product temporary of SSE's separate multiply and add, 12 of the 16 registers.
 */
#define DAGER_STEM_ACCUMULATORS 8

#include "kernels/template/stem.inc"
