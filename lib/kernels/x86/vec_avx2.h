/*
 * The vector vocabulary of the shared kernel templates, for AVX2 with FMA
 * (8 floats per register, 16 registers). Partial vectors use maskload and
 * maskstore, which neither read nor write the masked-off lanes.
 */
#ifndef DAGER_KERNELS_VEC_AVX2_H
#define DAGER_KERNELS_VEC_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define DAGER_SIMD_SUFFIX(name) name##_avx2
#define DAGER_VEC_WIDTH 8
/* 6 x 16 tile: 12 accumulators, 2 weight vectors and one broadcast use
 * 15 of the 16 registers. */
#define DAGER_GEMM_MR 6
#define DAGER_GEMM_NR_VECS 2

typedef __m256 dager_vec;

static inline dager_vec dager_vec_zero(void) {
  return _mm256_setzero_ps();
}
static inline dager_vec dager_vec_set1(float v) {
  return _mm256_set1_ps(v);
}
static inline dager_vec dager_vec_load(const float *p) {
  return _mm256_loadu_ps(p);
}
static inline void dager_vec_store(float *p, dager_vec v) {
  _mm256_storeu_ps(p, v);
}
/* Lane i is enabled when i < n: a window of 8 into 8 ones then 8 zeros. */
static inline __m256i dager_vec_mask_avx2(size_t n) {
  static const int32_t ones_then_zeros[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                              0,  0,  0,  0,  0,  0,  0,  0};
  return _mm256_loadu_si256((const __m256i *)(ones_then_zeros + 8 - n));
}
/* n in [0, 8); lanes past n read as zero. */
static inline dager_vec dager_vec_load_partial(const float *p, size_t n) {
  return _mm256_maskload_ps(p, dager_vec_mask_avx2(n));
}
static inline void dager_vec_store_partial(float *p, dager_vec v, size_t n) {
  _mm256_maskstore_ps(p, dager_vec_mask_avx2(n), v);
}
static inline dager_vec dager_vec_add(dager_vec a, dager_vec b) {
  return _mm256_add_ps(a, b);
}
static inline dager_vec dager_vec_mul(dager_vec a, dager_vec b) {
  return _mm256_mul_ps(a, b);
}
/* a * b + c */
static inline dager_vec dager_vec_fma(dager_vec a, dager_vec b, dager_vec c) {
  return _mm256_fmadd_ps(a, b, c);
}
static inline dager_vec dager_vec_max(dager_vec a, dager_vec b) {
  return _mm256_max_ps(a, b);
}
static inline dager_vec dager_vec_min(dager_vec a, dager_vec b) {
  return _mm256_min_ps(a, b);
}
/* x < 0 ? alpha * x : x, with the scalar reference's comparison. */
static inline dager_vec dager_vec_leaky(dager_vec x, dager_vec alpha) {
  __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
  return _mm256_blendv_ps(x, _mm256_mul_ps(x, alpha), negative);
}

#endif /* DAGER_KERNELS_VEC_AVX2_H */
