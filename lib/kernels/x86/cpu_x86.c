/*
 * Which x86 instruction sets this CPU and OS can run. Built without ISA
 * flags: it only asks, through cpuid and xgetbv.
 *
 * The CPU bit alone is not enough for AVX and AVX-512: the OS must also
 * save the wider register state on context switches, which XCR0 reports.
 * Without that the first AVX instruction would fault.
 */
#include <cpuid.h>
#include <stdint.h>

#include "kernels/simd.h"

/* XCR0 bits: SSE and AVX state (1, 2); AVX-512 opmask, upper halves of
 * zmm0-15 and zmm16-31 (5, 6, 7). */
#define DAGER_XCR0_AVX 0x6u
#define DAGER_XCR0_AVX512 0xe6u

static uint64_t dager_read_xcr0(void) {
  uint32_t low;
  uint32_t high;

  /* xgetbv by its encoding, so no -mxsave is needed for this file. */
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(low), "=d"(high) : "c"(0));
  return ((uint64_t)high << 32) | low;
}

unsigned dager_kernels_cpu_isas(void) {
  unsigned eax, ebx, ecx, edx;
  unsigned isas = 1u << DAGER_ISA_SCALAR;
  uint64_t xcr0 = 0;

  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    return isas;
  const int sse41 = (ecx >> 19) & 1;
  const int osxsave = (ecx >> 27) & 1;
  const int avx = (ecx >> 28) & 1;
  const int fma = (ecx >> 12) & 1;

  if (sse41)
    isas |= 1u << DAGER_ISA_SSE41;
  if (!osxsave || !avx)
    return isas;
  xcr0 = dager_read_xcr0();
  if ((xcr0 & DAGER_XCR0_AVX) != DAGER_XCR0_AVX)
    return isas;
  if (__get_cpuid_max(0, NULL) < 7)
    return isas;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const int avx2 = (ebx >> 5) & 1;
  const int avx512f = (ebx >> 16) & 1;
  const int avx512bw = (ebx >> 30) & 1;
  const int avx512vl = (ebx >> 31) & 1;

  if (avx2 && fma)
    isas |= 1u << DAGER_ISA_AVX2;
  if (avx2 && fma && avx512f && avx512bw && avx512vl &&
      (xcr0 & DAGER_XCR0_AVX512) == DAGER_XCR0_AVX512)
    isas |= 1u << DAGER_ISA_AVX512;
  return isas;
}
