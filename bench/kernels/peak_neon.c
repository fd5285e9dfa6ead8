/*
 * The FP32 peak of one core for AArch64 Advanced SIMD: twelve independent
 * fused multiply-add chains, so the loop is bound by throughput alone.
 * Returns the flops done and stores a value derived from the results so
 * nothing is optimised away.
 */
#include <arm_neon.h>
#include <stdint.h>

#include "peak.h"

double dager_bench_peak_neon(uint64_t iterations, float *sink) {
  enum { CHAINS = 12 };
  const float32x4_t a = vdupq_n_f32(0.9999f);
  const float32x4_t b = vdupq_n_f32(0.0001f);
  float32x4_t acc[CHAINS];

  for (int j = 0; j < CHAINS; j++)
    acc[j] = vdupq_n_f32((float)j);
  for (uint64_t i = 0; i < iterations; i++) {
    for (int j = 0; j < CHAINS; j++)
      acc[j] = vfmaq_f32(b, acc[j], a);
  }
  for (int j = 1; j < CHAINS; j++)
    acc[0] = vaddq_f32(acc[0], acc[j]);
  *sink = vgetq_lane_f32(acc[0], 0);
  return 2.0 * 4 * CHAINS * (double)iterations;
}
