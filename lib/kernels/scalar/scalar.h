/*
 * The scalar reference kernels: plain C loops that every SIMD version is
 * tested against, and the fallback for any slot an instruction set does not
 * improve on. They favour being obviously right over speed, but keep the
 * innermost loop over contiguous memory so a whole network can still run on
 * them under valgrind or the sanitizers.
 *
 * Sizes returned by the *_packed_size and conv2d_scratch_size slots are in
 * bytes. The scalar packed layouts are TensorFlow's own (a plain copy):
 *   convolution  [kernel_h][kernel_w][in_c][out_c]
 *   depthwise    [kernel_h][kernel_w][channels]
 *   fully conn.  [in][out]
 */
#ifndef DAGER_KERNELS_SCALAR_H
#define DAGER_KERNELS_SCALAR_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"

/* Fills every slot of table with the scalar reference. */
void dager_kernels_fill_scalar(dager_kernels *table);

/*
 * The epilogue of one output value v at channel c, in the documented
 * order: scale, bias, residual, activation. residual is the residual
 * tensor's value at the same position (ignored when epilogue->residual is
 * NULL). Shared by the scalar kernels so they cannot disagree on it.
 */
static inline float dager_scalar_activate(const dager_epilogue *epilogue,
                                          float v) {
  switch (epilogue->activation) {
    case DAGER_ACTIVATION_RELU:
      return v < 0.0f ? 0.0f : v;
    case DAGER_ACTIVATION_CLAMP:
      if (v < epilogue->clamp_min)
        return epilogue->clamp_min;
      if (v > epilogue->clamp_max)
        return epilogue->clamp_max;
      return v;
    case DAGER_ACTIVATION_LEAKY_RELU:
      return v < 0.0f ? epilogue->alpha * v : v;
    case DAGER_ACTIVATION_NONE:
    default:
      return v;
  }
}

static inline float dager_scalar_finish(const dager_epilogue *epilogue, float v,
                                        uint32_t c, float residual) {
  if (epilogue->scale)
    v *= epilogue->scale[c];
  if (epilogue->bias)
    v += epilogue->bias[c];
  if (epilogue->residual)
    v += residual;
  return dager_scalar_activate(epilogue, v);
}

/* The individual slots, for tests that want to name them. */
size_t dager_scalar_conv2d_packed_size(const dager_window *w);
void dager_scalar_conv2d_pack(const dager_window *w, const float *weights,
                              float *packed);
size_t dager_scalar_conv2d_scratch_size(const dager_window *w,
                                        uint32_t max_rows);
void dager_scalar_conv2d(const dager_window *w, const float *input,
                         const float *packed, const dager_epilogue *epilogue,
                         float *output, uint32_t row_begin, uint32_t row_end,
                         void *scratch);

size_t dager_scalar_depthwise_packed_size(const dager_window *w);
void dager_scalar_depthwise_pack(const dager_window *w, const float *weights,
                                 float *packed);
void dager_scalar_depthwise_conv2d(const dager_window *w, const float *input,
                                   const float *packed,
                                   const dager_epilogue *epilogue,
                                   float *output, uint32_t row_begin,
                                   uint32_t row_end);

size_t dager_scalar_fully_connected_packed_size(uint32_t in, uint32_t out);
void dager_scalar_fully_connected_pack(uint32_t in, uint32_t out,
                                       const float *weights, float *packed);
void dager_scalar_fully_connected(uint32_t in, uint32_t out, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t col_begin, uint32_t col_end);

void dager_scalar_max_pool(const dager_window *w, const float *input,
                           float *output, uint32_t row_begin, uint32_t row_end);
void dager_scalar_average_pool(const dager_window *w, const float *input,
                               float *output, uint32_t row_begin,
                               uint32_t row_end);
void dager_scalar_global_average_pool(uint32_t pixels, uint32_t channels,
                                      const float *input, float *output);

void dager_scalar_elementwise(size_t count, uint32_t channels, const float *a,
                              const float *b, const dager_epilogue *epilogue,
                              float *out);
void dager_scalar_softmax(size_t count, const float *input, float *output);
void dager_scalar_sigmoid(size_t count, const float *input, float *output);

#endif /* DAGER_KERNELS_SCALAR_H */
