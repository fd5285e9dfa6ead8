/*
 * The vector vocabulary of the shared kernel templates, for SSE4.1
 * (4 floats per register, 16 registers, no FMA: a multiply then an add,
 * each rounded). SSE has no masked memory access, so partial vectors go
 * through a small buffer on the stack.
 */
#ifndef DAGER_KERNELS_VEC_SSE41_H
#define DAGER_KERNELS_VEC_SSE41_H

#include <smmintrin.h>
#include <stddef.h>
#include <string.h>

#define DAGER_SIMD_SUFFIX(name) name##_sse41
#define DAGER_VEC_WIDTH 4
/* 4 x 8 tile: 8 accumulators, 2 weight vectors, the broadcast and the
 * product temporary; more rows would spill. */
#define DAGER_GEMM_MR 4
#define DAGER_GEMM_NR_VECS 2

typedef __m128 dager_vec;

static inline dager_vec dager_vec_zero(void) {
  return _mm_setzero_ps();
}
static inline dager_vec dager_vec_set1(float v) {
  return _mm_set1_ps(v);
}
static inline dager_vec dager_vec_load(const float *p) {
  return _mm_loadu_ps(p);
}
static inline void dager_vec_store(float *p, dager_vec v) {
  _mm_storeu_ps(p, v);
}
/* n in [0, 4); lanes past n read as zero. */
static inline dager_vec dager_vec_load_partial(const float *p, size_t n) {
  float lanes[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  memcpy(lanes, p, n * sizeof(float));
  return _mm_loadu_ps(lanes);
}
static inline void dager_vec_store_partial(float *p, dager_vec v, size_t n) {
  float lanes[4];
  _mm_storeu_ps(lanes, v);
  memcpy(p, lanes, n * sizeof(float));
}
static inline dager_vec dager_vec_add(dager_vec a, dager_vec b) {
  return _mm_add_ps(a, b);
}
static inline dager_vec dager_vec_mul(dager_vec a, dager_vec b) {
  return _mm_mul_ps(a, b);
}
/* a * b + c, rounded twice. */
static inline dager_vec dager_vec_fma(dager_vec a, dager_vec b, dager_vec c) {
  return _mm_add_ps(_mm_mul_ps(a, b), c);
}
static inline dager_vec dager_vec_max(dager_vec a, dager_vec b) {
  return _mm_max_ps(a, b);
}
static inline dager_vec dager_vec_min(dager_vec a, dager_vec b) {
  return _mm_min_ps(a, b);
}
/* x < 0 ? alpha * x : x, with the scalar reference's comparison. */
static inline dager_vec dager_vec_leaky(dager_vec x, dager_vec alpha) {
  __m128 negative = _mm_cmplt_ps(x, _mm_setzero_ps());
  return _mm_blendv_ps(x, _mm_mul_ps(x, alpha), negative);
}

#endif /* DAGER_KERNELS_VEC_SSE41_H */
