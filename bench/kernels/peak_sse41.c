/*
 * The FP32 peak of one core for SSE4.1 (no FMA: a multiply and an add per lane,
 * on separate ports): twelve independent multiply-add chains, more than the
 * latency times the number of ports, so the loop is bound by throughput alone.
 * Returns the flops done and stores a value derived from the results so nothing
 * is optimised away.
 */
#include <smmintrin.h>
#include <stdint.h>

#include "peak.h"

double dager_bench_peak_sse41(uint64_t iterations, float *sink) {
  enum { CHAINS = 12 };
  const __m128 a = _mm_set1_ps(0.9999f);
  const __m128 b = _mm_set1_ps(0.0001f);
  __m128 acc[CHAINS];
  float lanes[4];

  for (int j = 0; j < CHAINS; j++)
    acc[j] = _mm_set1_ps((float)j);
  for (uint64_t i = 0; i < iterations; i++) {
    for (int j = 0; j < CHAINS; j++)
      acc[j] = _mm_add_ps(_mm_mul_ps(acc[j], a), b);
  }
  for (int j = 1; j < CHAINS; j++)
    acc[0] = _mm_add_ps(acc[0], acc[j]);
  _mm_storeu_ps(lanes, acc[0]);
  *sink = lanes[0];
  return 2.0 * 4 * CHAINS * (double)iterations;
}
