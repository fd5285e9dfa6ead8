/* The AVX-512 instance of template/conv2d.inc; built with only the AVX-512
 * flags, as part of its own static library. */
#include "kernels/x86/vec_avx512.h"

#include "kernels/template/conv2d.inc"
