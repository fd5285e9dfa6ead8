/* The AVX2+FMA instance of template/winograd.inc; built with only the
 * AVX2+FMA flags, as part of its own static library. */
#include "kernels/x86/vec_avx2.h"

#include "kernels/template/winograd.inc"
