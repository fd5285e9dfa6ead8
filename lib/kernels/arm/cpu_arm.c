/*
 * Which AArch64 instruction sets this CPU can run. Advanced SIMD is part
 * of the AArch64 baseline, but the kernel's HWCAP says so explicitly and
 * costs nothing to ask.
 */
#include <sys/auxv.h>

#include "kernels/simd.h"

#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1u << 1)
#endif

unsigned dager_kernels_cpu_isas(void) {
  unsigned isas = 1u << DAGER_ISA_SCALAR;

  if (getauxval(AT_HWCAP) & HWCAP_ASIMD)
    isas |= 1u << DAGER_ISA_NEON;
  return isas;
}
