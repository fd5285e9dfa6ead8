/* The AVX-512 instance of template/winograd.inc; built with only the
 * AVX-512 flags, as part of its own static library. */
#include "kernels/x86/vec_avx512.h"

#include "kernels/template/winograd.inc"
