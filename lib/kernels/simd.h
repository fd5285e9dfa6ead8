/*
 * Internal declarations shared by the dispatch code and the per-ISA kernel
 * files. Each ISA file defines the functions of one operation with the
 * ISA's suffix (dager_kernels_conv2d_avx2, ...); the dispatch fills a
 * dager_kernels table with them. Only the ISA files see intrinsics.
 */
#ifndef DAGER_KERNELS_SIMD_H
#define DAGER_KERNELS_SIMD_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"

/*
 * The slots a SIMD family overrides, declared once per suffix. softmax and
 * sigmoid keep the scalar reference everywhere: they run on a handful of
 * values per image, and a vector exp would have to match expf closely.
 */
#define DAGER_KERNELS_DECLARE_SIMD(isa)                                        \
  size_t dager_kernels_conv2d_packed_size_##isa(const dager_window *w);        \
  void dager_kernels_conv2d_pack_##isa(const dager_window *w,                  \
                                       const float *weights, float *packed);   \
  size_t dager_kernels_conv2d_scratch_size_##isa(const dager_window *w,        \
                                                 uint32_t max_rows);           \
  void dager_kernels_conv2d_##isa(                                             \
      const dager_window *w, const float *input, const float *packed,          \
      const dager_epilogue *epilogue, float *output, uint32_t row_begin,       \
      uint32_t row_end, void *scratch);                                        \
  size_t dager_kernels_depthwise_packed_size_##isa(const dager_window *w);     \
  void dager_kernels_depthwise_pack_##isa(                                     \
      const dager_window *w, const float *weights, float *packed);             \
  void dager_kernels_depthwise_conv2d_##isa(                                   \
      const dager_window *w, const float *input, const float *packed,          \
      const dager_epilogue *epilogue, float *output, uint32_t row_begin,       \
      uint32_t row_end);                                                       \
  size_t dager_kernels_fully_connected_packed_size_##isa(uint32_t in,          \
                                                         uint32_t out);        \
  void dager_kernels_fully_connected_pack_##isa(                               \
      uint32_t in, uint32_t out, const float *weights, float *packed);         \
  void dager_kernels_fully_connected_##isa(                                    \
      uint32_t in, uint32_t out, const float *input, const float *packed,      \
      const dager_epilogue *epilogue, float *output, uint32_t col_begin,       \
      uint32_t col_end);                                                       \
  void dager_kernels_max_pool_##isa(const dager_window *w, const float *input, \
                                    float *output, uint32_t row_begin,         \
                                    uint32_t row_end);                         \
  void dager_kernels_average_pool_##isa(const dager_window *w,                 \
                                        const float *input, float *output,     \
                                        uint32_t row_begin, uint32_t row_end); \
  void dager_kernels_global_average_pool_##isa(                                \
      uint32_t pixels, uint32_t channels, const float *input, float *output);  \
  void dager_kernels_elementwise_##isa(                                        \
      size_t count, uint32_t channels, const float *a, const float *b,         \
      const dager_epilogue *epilogue, float *out)

#define DAGER_KERNELS_FILL_SIMD(table, isa)                                   \
  do {                                                                        \
    (table)->conv2d_packed_size = dager_kernels_conv2d_packed_size_##isa;     \
    (table)->conv2d_pack = dager_kernels_conv2d_pack_##isa;                   \
    (table)->conv2d_scratch_size = dager_kernels_conv2d_scratch_size_##isa;   \
    (table)->conv2d = dager_kernels_conv2d_##isa;                             \
    (table)->depthwise_packed_size =                                          \
        dager_kernels_depthwise_packed_size_##isa;                            \
    (table)->depthwise_pack = dager_kernels_depthwise_pack_##isa;             \
    (table)->depthwise_conv2d = dager_kernels_depthwise_conv2d_##isa;         \
    (table)->fully_connected_packed_size =                                    \
        dager_kernels_fully_connected_packed_size_##isa;                      \
    (table)->fully_connected_pack = dager_kernels_fully_connected_pack_##isa; \
    (table)->fully_connected = dager_kernels_fully_connected_##isa;           \
    (table)->max_pool = dager_kernels_max_pool_##isa;                         \
    (table)->average_pool = dager_kernels_average_pool_##isa;                 \
    (table)->global_average_pool = dager_kernels_global_average_pool_##isa;   \
    (table)->elementwise = dager_kernels_elementwise_##isa;                   \
  } while (0)

#if defined(DAGER_KERNELS_HAVE_X86)
DAGER_KERNELS_DECLARE_SIMD(sse41);
DAGER_KERNELS_DECLARE_SIMD(avx2);
DAGER_KERNELS_DECLARE_SIMD(avx512);
#endif
#if defined(DAGER_KERNELS_HAVE_NEON)
DAGER_KERNELS_DECLARE_SIMD(neon);
#endif

/*
 * Packs a [depth][columns] row-major matrix into panels of panel_width
 * columns: panel p holds columns [p * panel_width, (p + 1) * panel_width)
 * as [depth][panel_width], the last panel zero-filled past the final
 * column. A micro-kernel then reads one panel front to back, one aligned
 * vector group per depth step. Returns the packed size in bytes; packed
 * may be NULL to ask for the size only.
 */
size_t dager_kernels_pack_panels(size_t depth, size_t columns,
                                 size_t panel_width, const float *matrix,
                                 float *packed);

/* The set of ISAs this CPU and OS can run, as a bit per dager_isa. */
unsigned dager_kernels_cpu_isas(void);

/*
 * The ISA dager_kernels_best picks among `usable` (a bit per dager_isa)
 * under the cap named by `cap` (DAGER_ISA's value, or NULL for none).
 * Apart from the environment so tests can try every value.
 */
dager_isa dager_kernels_choose(unsigned usable, const char *cap);

#endif /* DAGER_KERNELS_SIMD_H */
