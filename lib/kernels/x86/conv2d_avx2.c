/* The AVX2+FMA instance of template/conv2d.inc; built with only the AVX2+FMA
 * flags, as part of its own static library. */
#include "kernels/x86/vec_avx2.h"

#include "kernels/template/conv2d.inc"
