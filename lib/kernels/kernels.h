/*
 * The kernel layer: pure functions over raw float32 buffers.
 *
 * Kernels know nothing of graphs, files or faces. Every tensor is one image
 * of batch 1 in HWC order (channels innermost), rows contiguous unless a
 * stride says otherwise. A kernel writes only the output rows it is asked
 * for, [row_begin, row_end), so the runtime can split one node over threads
 * without the kernel knowing; results never depend on how rows are split.
 *
 * Weights are packed once at load by the pack function of the same table
 * that later runs them, because each instruction set wants its own layout.
 * The packed layout is private to the kernel family; callers only size,
 * fill and pass the buffer. Packed buffers are 64-byte aligned.
 */
#ifndef DAGER_KERNELS_H
#define DAGER_KERNELS_H

#include <stddef.h>
#include <stdint.h>

typedef enum dager_isa {
  DAGER_ISA_SCALAR = 0,
  DAGER_ISA_SSE41 = 1,
  DAGER_ISA_AVX2 = 2,
  DAGER_ISA_AVX512 = 3,
  DAGER_ISA_NEON = 4,
  DAGER_ISA_COUNT = 5
} dager_isa;

typedef enum dager_activation {
  DAGER_ACTIVATION_NONE = 0,
  DAGER_ACTIVATION_RELU = 1,
  /* min(max(x, clamp_min), clamp_max); relu6 is clamp 0..6. */
  DAGER_ACTIVATION_CLAMP = 2,
  /* x < 0 ? alpha * x : x */
  DAGER_ACTIVATION_LEAKY_RELU = 3
} dager_activation;

/*
 * What happens to each output value after the sum of products, in this
 * order: multiply by scale[c] (when scale is not NULL), add bias[c] (when
 * bias is not NULL), add the residual tensor's value at the same position
 * (when residual is not NULL; same shape as the output, own row stride),
 * then the activation. Fusing these saves a pass over memory per layer.
 */
typedef struct dager_epilogue {
  const float *scale;
  const float *bias;
  const float *residual;
  size_t residual_row_stride; /* in floats */
  dager_activation activation;
  float alpha;
  float clamp_min;
  float clamp_max;
} dager_epilogue;

/*
 * Geometry shared by convolution, depthwise convolution and pooling.
 * Padding is given explicitly per edge so that TensorFlow's "same" padding,
 * which puts the odd pixel at the bottom/right for stride 2, and "valid"
 * padding (all zero) are both just numbers here. Padded positions count as
 * zero for convolutions; pooling ignores them (max) or excludes them from
 * the divisor (average), as TensorFlow does.
 */
typedef struct dager_window {
  uint32_t in_h, in_w, in_c;
  uint32_t out_h, out_w, out_c;
  uint32_t kernel_h, kernel_w;
  uint32_t stride_h, stride_w;
  uint32_t pad_top, pad_left, pad_bottom, pad_right;
} dager_window;

/*
 * Computes TensorFlow "same" or "valid" output size and paddings for one
 * axis. Returns 0 on success, -1 when the geometry is impossible (kernel
 * larger than a valid input, zero stride).
 */
int dager_window_axis(uint32_t in, uint32_t kernel, uint32_t stride,
                      int same_padding, uint32_t *out, uint32_t *pad_before,
                      uint32_t *pad_after);

/*
 * Table of kernels for one instruction set. Every slot is filled for every
 * ISA (falling back to the scalar version where an ISA has nothing better);
 * dager_kernels_init checks that.
 *
 * Weight layouts given to the pack functions are TensorFlow's:
 *   convolution  [kernel_h][kernel_w][in_c][out_c]
 *   depthwise    [kernel_h][kernel_w][channels]   (multiplier 1)
 *   fully conn.  [in][out]
 */
typedef struct dager_kernels {
  dager_isa isa;
  const char *name;

  /* Convolution of any kernel size and stride, including 1x1 pointwise. */
  size_t (*conv2d_packed_size)(const dager_window *w);
  void (*conv2d_pack)(const dager_window *w, const float *weights,
                      float *packed);
  /* Scratch in bytes one call needs for rows [row_begin, row_end) of at
   * most max_rows rows; the runtime gives each thread its own. */
  size_t (*conv2d_scratch_size)(const dager_window *w, uint32_t max_rows);
  void (*conv2d)(const dager_window *w, const float *input, const float *packed,
                 const dager_epilogue *epilogue, float *output,
                 uint32_t row_begin, uint32_t row_end, void *scratch);

  /* Winograd F(2x2, 3x3) convolution (kernels/winograd.h): only for a 3x3
   * kernel at stride 1, with its own packed layout and scratch; same
   * contract as conv2d otherwise. Results differ from conv2d's by
   * rounding only. */
  size_t (*winograd_packed_size)(const dager_window *w);
  void (*winograd_pack)(const dager_window *w, const float *weights,
                        float *packed);
  size_t (*winograd_scratch_size)(const dager_window *w, uint32_t max_rows);
  void (*winograd_conv2d)(const dager_window *w, const float *input,
                          const float *packed, const dager_epilogue *epilogue,
                          float *output, uint32_t row_begin, uint32_t row_end,
                          void *scratch);

  size_t (*depthwise_packed_size)(const dager_window *w);
  void (*depthwise_pack)(const dager_window *w, const float *weights,
                         float *packed);
  void (*depthwise_conv2d)(const dager_window *w, const float *input,
                           const float *packed, const dager_epilogue *epilogue,
                           float *output, uint32_t row_begin, uint32_t row_end);

  size_t (*fully_connected_packed_size)(uint32_t in, uint32_t out);
  void (*fully_connected_pack)(uint32_t in, uint32_t out, const float *weights,
                               float *packed);
  /* Output columns [col_begin, col_end) of out = act(in . W + bias). */
  void (*fully_connected)(uint32_t in, uint32_t out, const float *input,
                          const float *packed, const dager_epilogue *epilogue,
                          float *output, uint32_t col_begin, uint32_t col_end);

  void (*max_pool)(const dager_window *w, const float *input, float *output,
                   uint32_t row_begin, uint32_t row_end);
  void (*average_pool)(const dager_window *w, const float *input, float *output,
                       uint32_t row_begin, uint32_t row_end);
  /* Mean over all pixels of an HWC tensor into channels floats. */
  void (*global_average_pool)(uint32_t pixels, uint32_t channels,
                              const float *input, float *output);

  /* Element-wise over count floats: out = act(scale * a + bias + b), where
   * scale and bias are per channel (count must be a multiple of channels)
   * and may be NULL, and b may be NULL. Covers add, batch-norm-as-affine,
   * and standalone activations. out may alias a or b. */
  void (*elementwise)(size_t count, uint32_t channels, const float *a,
                      const float *b, const dager_epilogue *epilogue,
                      float *out);

  void (*softmax)(size_t count, const float *input, float *output);
  void (*sigmoid)(size_t count, const float *input, float *output);

  /*
   * Stem: direct convolution of a layer over few input channels (the
   * first layer of a network, on the image), for windows that
   * dager_stem_supports accepts. Weights are packed by stem_pack, not
   * conv2d_pack. stem_conv2d has conv2d's contract without the scratch.
   * stem_conv2d_max_pool computes rows [row_begin, row_end) of the 2x2/2
   * max pool `pool` applied to the convolution `conv` (epilogue included,
   * residual at the convolution's positions), without storing the
   * convolution. stem_preferred says, from measurements on this table,
   * whether the stem beats conv2d (plus max_pool when pool is not NULL)
   * on these windows; only then does the runtime use it.
   */
  size_t (*stem_packed_size)(const dager_window *conv);
  void (*stem_pack)(const dager_window *conv, const float *weights,
                    float *packed);
  int (*stem_preferred)(const dager_window *conv, const dager_window *pool);
  void (*stem_conv2d)(const dager_window *conv, const float *input,
                      const float *packed, const dager_epilogue *epilogue,
                      float *output, uint32_t row_begin, uint32_t row_end);
  void (*stem_conv2d_max_pool)(const dager_window *conv,
                               const dager_window *pool, const float *input,
                               const float *packed,
                               const dager_epilogue *epilogue, float *output,
                               uint32_t row_begin, uint32_t row_end);
} dager_kernels;

/* The stem's limits: input channels, kernel height and width. */
#define DAGER_STEM_MAX_IN_C 4
#define DAGER_STEM_MAX_KERNEL 7

/*
 * Whether the stem kernels handle conv: 1..DAGER_STEM_MAX_IN_C input
 * channels, kernel at most DAGER_STEM_MAX_KERNEL either way, horizontal
 * stride 1 or 2. With pool not NULL, also whether pool is a 2x2/2 max
 * pool window over conv's output with no padding before (TensorFlow's
 * "same" or "valid" 2x2/2 pool) that stem_conv2d_max_pool can fuse.
 */
int dager_stem_supports(const dager_window *conv, const dager_window *pool);

/*
 * Returns the table for the best instruction set this CPU has, capped by
 * the DAGER_ISA environment variable when set (scalar, sse41, avx2, avx512,
 * neon). Filled once, thread-safe, never NULL.
 */
const dager_kernels *dager_kernels_best(void);

/* Returns the table for one ISA, or NULL when the CPU lacks it or this
 * build has no kernels for it. Tests use this to compare every ISA with the
 * scalar reference. */
const dager_kernels *dager_kernels_for_isa(dager_isa isa);

/* Lower-case name of an ISA ("scalar", "sse41", ...). */
const char *dager_isa_name(dager_isa isa);

#endif /* DAGER_KERNELS_H */
