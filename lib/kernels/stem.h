/*
 * Internal declarations of the stem kernels (kernels.h): the slots each
 * ISA file defines with its suffix, the scalar reference, and the macro
 * the dispatch fills a table with. Kept apart from simd.h so the stem
 * stays one addition to the kernel layer.
 */
#ifndef DAGER_KERNELS_STEM_H
#define DAGER_KERNELS_STEM_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"

#define DAGER_KERNELS_DECLARE_STEM(isa)                                       \
  size_t dager_kernels_stem_packed_size_##isa(const dager_window *conv);      \
  void dager_kernels_stem_pack_##isa(const dager_window *conv,                \
                                     const float *weights, float *packed);    \
  int dager_kernels_stem_preferred_##isa(const dager_window *conv,            \
                                         const dager_window *pool);           \
  void dager_kernels_stem_conv2d_##isa(                                       \
      const dager_window *conv, const float *input, const float *packed,      \
      const dager_epilogue *epilogue, float *output, uint32_t row_begin,      \
      uint32_t row_end);                                                      \
  void dager_kernels_stem_conv2d_max_pool_##isa(                              \
      const dager_window *conv, const dager_window *pool, const float *input, \
      const float *packed, const dager_epilogue *epilogue, float *output,     \
      uint32_t row_begin, uint32_t row_end)

#define DAGER_KERNELS_FILL_STEM(table, isa)                                   \
  do {                                                                        \
    (table)->stem_packed_size = dager_kernels_stem_packed_size_##isa;         \
    (table)->stem_pack = dager_kernels_stem_pack_##isa;                       \
    (table)->stem_preferred = dager_kernels_stem_preferred_##isa;             \
    (table)->stem_conv2d = dager_kernels_stem_conv2d_##isa;                   \
    (table)->stem_conv2d_max_pool = dager_kernels_stem_conv2d_max_pool_##isa; \
  } while (0)

#if defined(DAGER_KERNELS_HAVE_X86)
DAGER_KERNELS_DECLARE_STEM(sse41);
DAGER_KERNELS_DECLARE_STEM(avx2);
DAGER_KERNELS_DECLARE_STEM(avx512);
#endif
#if defined(DAGER_KERNELS_HAVE_NEON)
DAGER_KERNELS_DECLARE_STEM(neon);
#endif

/* The scalar reference, which dager_kernels_fill_scalar puts in every
 * table before an ISA overwrites the slots. The packed layout is
 * TensorFlow's [kernel_h][kernel_w][in_c][out_c], as for conv2d. */
void dager_kernels_fill_scalar_stem(dager_kernels *table);
size_t dager_scalar_stem_packed_size(const dager_window *conv);
void dager_scalar_stem_pack(const dager_window *conv, const float *weights,
                            float *packed);
int dager_scalar_stem_preferred(const dager_window *conv,
                                const dager_window *pool);
void dager_scalar_stem_conv2d(const dager_window *conv, const float *input,
                              const float *packed,
                              const dager_epilogue *epilogue, float *output,
                              uint32_t row_begin, uint32_t row_end);
void dager_scalar_stem_conv2d_max_pool(const dager_window *conv,
                                       const dager_window *pool,
                                       const float *input, const float *packed,
                                       const dager_epilogue *epilogue,
                                       float *output, uint32_t row_begin,
                                       uint32_t row_end);

#endif /* DAGER_KERNELS_STEM_H */
