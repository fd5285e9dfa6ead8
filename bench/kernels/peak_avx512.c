/*
 * The FP32 peak of one core for AVX-512: twelve independent
 * multiply-add chains, more than the latency times the number of ports,
 * so the loop is bound by throughput alone. Returns the flops done and
 * stores a value derived from the results so nothing is optimised away.
 */
#include <immintrin.h>
#include <stdint.h>

#include "peak.h"

double dager_bench_peak_avx512(uint64_t iterations, float *sink) {
  enum { CHAINS = 12 };
  const __m512 a = _mm512_set1_ps(0.9999f);
  const __m512 b = _mm512_set1_ps(0.0001f);
  __m512 acc[CHAINS];
  float lanes[16];

  for (int j = 0; j < CHAINS; j++)
    acc[j] = _mm512_set1_ps((float)j);
  for (uint64_t i = 0; i < iterations; i++) {
    for (int j = 0; j < CHAINS; j++)
      acc[j] = _mm512_fmadd_ps(acc[j], a, b);
  }
  for (int j = 1; j < CHAINS; j++)
    acc[0] = _mm512_add_ps(acc[0], acc[j]);
  _mm512_storeu_ps(lanes, acc[0]);
  *sink = lanes[0];
  return 2.0 * 16 * CHAINS * (double)iterations;
}
