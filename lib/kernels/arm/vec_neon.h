/*
 * The vector vocabulary of the shared kernel templates, for AArch64
 * Advanced SIMD (4 floats per register, 32 registers, fused multiply-add).
 * NEON has no masked memory access, so partial vectors go through a small
 * buffer on the stack.
 */
#ifndef DAGER_KERNELS_VEC_NEON_H
#define DAGER_KERNELS_VEC_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <string.h>

#define DAGER_SIMD_SUFFIX(name) name##_neon
#define DAGER_VEC_WIDTH 4
/* 8 x 8 tile: 16 accumulators, 2 weight vectors and a broadcast leave
 * a dozen of the 32 registers free for the compiler. */
#define DAGER_GEMM_MR 8
#define DAGER_GEMM_NR_VECS 2

typedef float32x4_t dager_vec;

static inline dager_vec dager_vec_zero(void) {
  return vdupq_n_f32(0.0f);
}
static inline dager_vec dager_vec_set1(float v) {
  return vdupq_n_f32(v);
}
static inline dager_vec dager_vec_load(const float *p) {
  return vld1q_f32(p);
}
static inline void dager_vec_store(float *p, dager_vec v) {
  vst1q_f32(p, v);
}
/* n in [0, 4); lanes past n read as zero. */
static inline dager_vec dager_vec_load_partial(const float *p, size_t n) {
  float lanes[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  memcpy(lanes, p, n * sizeof(float));
  return vld1q_f32(lanes);
}
static inline void dager_vec_store_partial(float *p, dager_vec v, size_t n) {
  float lanes[4];
  vst1q_f32(lanes, v);
  memcpy(p, lanes, n * sizeof(float));
}
static inline dager_vec dager_vec_add(dager_vec a, dager_vec b) {
  return vaddq_f32(a, b);
}
static inline dager_vec dager_vec_mul(dager_vec a, dager_vec b) {
  return vmulq_f32(a, b);
}
/* a * b + c */
static inline dager_vec dager_vec_fma(dager_vec a, dager_vec b, dager_vec c) {
  return vfmaq_f32(c, a, b);
}
static inline dager_vec dager_vec_max(dager_vec a, dager_vec b) {
  return vmaxq_f32(a, b);
}
static inline dager_vec dager_vec_min(dager_vec a, dager_vec b) {
  return vminq_f32(a, b);
}
/* x < 0 ? alpha * x : x, with the scalar reference's comparison. */
static inline dager_vec dager_vec_leaky(dager_vec x, dager_vec alpha) {
  uint32x4_t negative = vcltq_f32(x, vdupq_n_f32(0.0f));
  return vbslq_f32(negative, vmulq_f32(x, alpha), x);
}

#endif /* DAGER_KERNELS_VEC_NEON_H */
