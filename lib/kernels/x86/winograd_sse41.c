/* The SSE4.1 instance of template/winograd.inc; built with only the
 * SSE4.1 flags, as part of its own static library. */
#include "kernels/x86/vec_sse41.h"

#include "kernels/template/winograd.inc"
