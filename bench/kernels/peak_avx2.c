/*
 * The FP32 peak of one core for AVX2+FMA: twelve independent
 * multiply-add chains, more than the latency times the number of ports,
 * so the loop is bound by throughput alone. Returns the flops done and
 * stores a value derived from the results so nothing is optimised away.
 */
#include <immintrin.h>
#include <stdint.h>

#include "peak.h"

double dager_bench_peak_avx2(uint64_t iterations, float *sink) {
  enum { CHAINS = 12 };
  const __m256 a = _mm256_set1_ps(0.9999f);
  const __m256 b = _mm256_set1_ps(0.0001f);
  __m256 acc[CHAINS];
  float lanes[8];

  for (int j = 0; j < CHAINS; j++)
    acc[j] = _mm256_set1_ps((float)j);
  for (uint64_t i = 0; i < iterations; i++) {
    for (int j = 0; j < CHAINS; j++)
      acc[j] = _mm256_fmadd_ps(acc[j], a, b);
  }
  for (int j = 1; j < CHAINS; j++)
    acc[0] = _mm256_add_ps(acc[0], acc[j]);
  _mm256_storeu_ps(lanes, acc[0]);
  *sink = lanes[0];
  return 2.0 * 8 * CHAINS * (double)iterations;
}
