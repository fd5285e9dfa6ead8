/* The NEON instance of template/winograd.inc; built with only the
 * NEON flags, as part of its own static library. */
#include "kernels/arm/vec_neon.h"

#include "kernels/template/winograd.inc"
