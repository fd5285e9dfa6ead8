/* The NEON instance of template/fully_connected.inc; built with only the NEON
 * flags, as part of its own static library. */
#include "kernels/arm/vec_neon.h"

#include "kernels/template/fully_connected.inc"
