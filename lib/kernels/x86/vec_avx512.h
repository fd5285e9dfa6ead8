/*
 * The vector vocabulary of the shared kernel templates, for AVX-512F
 * (16 floats per register, 32 registers). Partial vectors use the mask
 * registers, so tails never touch memory past their last valid float.
 */
#ifndef DAGER_KERNELS_VEC_AVX512_H
#define DAGER_KERNELS_VEC_AVX512_H

#include <immintrin.h>
#include <stddef.h>

#define DAGER_SIMD_SUFFIX(name) name##_avx512
#define DAGER_VEC_WIDTH 16
/* 12 x 32 tile: 24 accumulators, 2 weight vectors and a broadcast; the
 * 12 row pointers just fit the general registers beside the loop counter
 * (checked in the generated code: no spills in the k loop). Measured 3-8 %
 * faster than 8 x 32 on the pointwise layers of bench_kernels. */
#define DAGER_GEMM_MR 12
#define DAGER_GEMM_NR_VECS 2

typedef __m512 dager_vec;

static inline dager_vec dager_vec_zero(void) {
  return _mm512_setzero_ps();
}
static inline dager_vec dager_vec_set1(float v) {
  return _mm512_set1_ps(v);
}
static inline dager_vec dager_vec_load(const float *p) {
  return _mm512_loadu_ps(p);
}
static inline void dager_vec_store(float *p, dager_vec v) {
  _mm512_storeu_ps(p, v);
}
static inline __mmask16 dager_vec_mask_avx512(size_t n) {
  return (__mmask16)((1u << n) - 1u);
}
/* n in [0, 16); lanes past n read as zero. */
static inline dager_vec dager_vec_load_partial(const float *p, size_t n) {
  return _mm512_maskz_loadu_ps(dager_vec_mask_avx512(n), p);
}
static inline void dager_vec_store_partial(float *p, dager_vec v, size_t n) {
  _mm512_mask_storeu_ps(p, dager_vec_mask_avx512(n), v);
}
static inline dager_vec dager_vec_add(dager_vec a, dager_vec b) {
  return _mm512_add_ps(a, b);
}
static inline dager_vec dager_vec_mul(dager_vec a, dager_vec b) {
  return _mm512_mul_ps(a, b);
}
/* a * b + c */
static inline dager_vec dager_vec_fma(dager_vec a, dager_vec b, dager_vec c) {
  return _mm512_fmadd_ps(a, b, c);
}
static inline dager_vec dager_vec_max(dager_vec a, dager_vec b) {
  return _mm512_max_ps(a, b);
}
static inline dager_vec dager_vec_min(dager_vec a, dager_vec b) {
  return _mm512_min_ps(a, b);
}
/* x < 0 ? alpha * x : x, with the scalar reference's comparison. */
static inline dager_vec dager_vec_leaky(dager_vec x, dager_vec alpha) {
  __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
  return _mm512_mask_mul_ps(x, negative, x, alpha);
}

#endif /* DAGER_KERNELS_VEC_AVX512_H */
