/*
 * Winograd convolution: the 3x3 stride-1 convolution computed per output
 * tile of t x t pixels from an input tile of (t + 2) x (t + 2), with
 * (t + 2)^2 multiplies per input and output channel pair instead of
 * 9 t^2: F(2x2, 3x3) (16 instead of 36) or F(4x4, 3x3) (36 instead of
 * 144), at the price of transforms of the input (before) and of the sums
 * (after), and of a filter (t + 2)^2 / 9 the size of the direct one.
 *
 * With V = B^T d B for each input tile d and U = G g G^T for each 3x3
 * filter g (done once at load), the transformed positions are independent
 * matrix products M[pos] = V[pos] . U[pos] over the channels, and each
 * output tile is A^T M A. Rounding differs from the direct sum, so
 * results agree with it only within a tolerance (tests/kernels).
 *
 * Output rows are given as for conv2d. Tiles sit at multiples of t rows
 * and columns whatever the row range, so a range starting or ending
 * inside a tile computes that whole tile and stores only its own rows:
 * the same bits as any other split.
 */
#ifndef DAGER_KERNELS_WINOGRAD_H
#define DAGER_KERNELS_WINOGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"

#define DAGER_WINOGRAD_MAX_POSITIONS 36

/* Whether the Winograd slots can compute this window: a 3x3 kernel at
 * stride 1 (any padding). */
int dager_winograd_supports(const dager_window *w);

/* The output tile side t (2 or 4) every table uses for this window, and
 * the (t + 2)^2 transformed positions. */
uint32_t dager_winograd_tile(const dager_window *w);
size_t dager_winograd_positions(const dager_window *w);

/*
 * Transforms the [3][3][in_c][out_c] filter into U and packs it as
 * [position][panel][in_c][panel_width]: each position is a matrix of
 * in_c x out_c packed in panels as dager_kernels_pack_panels does, zero
 * past out_c. Returns the size in bytes; packed may be NULL to ask for the
 * size only. Shared by the scalar reference (one panel of out_c columns)
 * and every ISA.
 */
size_t dager_winograd_pack(const dager_window *w, const float *weights,
                           size_t panel_width, float *packed);

size_t dager_scalar_winograd_packed_size(const dager_window *w);
void dager_scalar_winograd_pack(const dager_window *w, const float *weights,
                                float *packed);
size_t dager_scalar_winograd_scratch_size(const dager_window *w,
                                          uint32_t max_rows);
void dager_scalar_winograd_conv2d(const dager_window *w, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t row_begin, uint32_t row_end,
                                  void *scratch);

#define DAGER_KERNELS_DECLARE_WINOGRAD(isa)                                    \
  size_t dager_kernels_winograd_packed_size_##isa(const dager_window *w);      \
  void dager_kernels_winograd_pack_##isa(const dager_window *w,                \
                                         const float *weights, float *packed); \
  size_t dager_kernels_winograd_scratch_size_##isa(const dager_window *w,      \
                                                   uint32_t max_rows);         \
  void dager_kernels_winograd_conv2d_##isa(                                    \
      const dager_window *w, const float *input, const float *packed,          \
      const dager_epilogue *epilogue, float *output, uint32_t row_begin,       \
      uint32_t row_end, void *scratch)

#define DAGER_KERNELS_FILL_WINOGRAD(table, isa)                               \
  do {                                                                        \
    (table)->winograd_packed_size = dager_kernels_winograd_packed_size_##isa; \
    (table)->winograd_pack = dager_kernels_winograd_pack_##isa;               \
    (table)->winograd_scratch_size =                                          \
        dager_kernels_winograd_scratch_size_##isa;                            \
    (table)->winograd_conv2d = dager_kernels_winograd_conv2d_##isa;           \
  } while (0)

#if defined(DAGER_KERNELS_HAVE_X86)
DAGER_KERNELS_DECLARE_WINOGRAD(sse41);
DAGER_KERNELS_DECLARE_WINOGRAD(avx2);
DAGER_KERNELS_DECLARE_WINOGRAD(avx512);
#endif
#if defined(DAGER_KERNELS_HAVE_NEON)
DAGER_KERNELS_DECLARE_WINOGRAD(neon);
#endif

#endif /* DAGER_KERNELS_WINOGRAD_H */
