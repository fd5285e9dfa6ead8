/*
 * The dispatch: one table per instruction set, filled once on first use.
 *
 * Every table starts as the scalar reference and an ISA then overwrites
 * the slots it does better, so a slot is never left empty by an ISA that
 * lacks a kernel for it; a table with an empty slot anyway is treated as
 * unavailable (and trips an assert in debug builds). The tables are only
 * written inside pthread_once and read-only afterwards.
 *
 * DAGER_ISA (scalar, sse41, avx2, avx512 on x86-64; scalar, neon on
 * AArch64) caps the level dager_kernels_best picks; the best level the
 * CPU has that is not above the cap wins. An unknown value, or the name of
 * another architecture's ISA, leaves the choice uncapped.
 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/simd.h"
#include "kernels/stem.h"
#include "kernels/winograd.h"

#define DAGER_KERNEL_SLOTS(X)    \
  X(conv2d_packed_size)          \
  X(conv2d_pack)                 \
  X(conv2d_scratch_size)         \
  X(conv2d)                      \
  X(winograd_packed_size)        \
  X(winograd_pack)               \
  X(winograd_scratch_size)       \
  X(winograd_conv2d)             \
  X(depthwise_packed_size)       \
  X(depthwise_pack)              \
  X(depthwise_conv2d)            \
  X(fully_connected_packed_size) \
  X(fully_connected_pack)        \
  X(fully_connected)             \
  X(max_pool)                    \
  X(average_pool)                \
  X(global_average_pool)         \
  X(elementwise)                 \
  X(softmax)                     \
  X(sigmoid)                     \
  X(stem_packed_size)            \
  X(stem_pack)                   \
  X(stem_preferred)              \
  X(stem_conv2d)                 \
  X(stem_conv2d_max_pool)

static const char *const dager_isa_names[DAGER_ISA_COUNT] = {
    "scalar", "sse41", "avx2", "avx512", "neon"};

/* The ISAs of this architecture from worst to best. */
#if defined(DAGER_KERNELS_HAVE_X86)
static const dager_isa dager_isa_ladder[] = {DAGER_ISA_SCALAR, DAGER_ISA_SSE41,
                                             DAGER_ISA_AVX2, DAGER_ISA_AVX512};
#elif defined(DAGER_KERNELS_HAVE_NEON)
static const dager_isa dager_isa_ladder[] = {DAGER_ISA_SCALAR, DAGER_ISA_NEON};
#else
static const dager_isa dager_isa_ladder[] = {DAGER_ISA_SCALAR};

unsigned dager_kernels_cpu_isas(void) {
  return 1u << DAGER_ISA_SCALAR;
}
#endif

#define DAGER_LADDER_LENGTH \
  (sizeof(dager_isa_ladder) / sizeof(dager_isa_ladder[0]))

static dager_kernels dager_tables[DAGER_ISA_COUNT];
static unsigned dager_usable_isas;
static dager_isa dager_best_isa;
static pthread_once_t dager_tables_once = PTHREAD_ONCE_INIT;

const char *dager_isa_name(dager_isa isa) {
  if ((unsigned)isa >= DAGER_ISA_COUNT)
    return "unknown";
  return dager_isa_names[isa];
}

static int dager_table_complete(const dager_kernels *table) {
  int complete = table->name != NULL;

#define DAGER_CHECK_SLOT(slot) complete &= table->slot != NULL;
  DAGER_KERNEL_SLOTS(DAGER_CHECK_SLOT)
#undef DAGER_CHECK_SLOT
  return complete;
}

/* Returns 1 when this build has kernels for isa. */
static int dager_fill_table(dager_isa isa, dager_kernels *table) {
  memset(table, 0, sizeof(*table));
  dager_kernels_fill_scalar(table);
  table->isa = isa;
  table->name = dager_isa_names[isa];
  switch (isa) {
    case DAGER_ISA_SCALAR:
      return 1;
#if defined(DAGER_KERNELS_HAVE_X86)
    case DAGER_ISA_SSE41:
      DAGER_KERNELS_FILL_SIMD(table, sse41);
      DAGER_KERNELS_FILL_WINOGRAD(table, sse41);
      DAGER_KERNELS_FILL_STEM(table, sse41);
      return 1;
    case DAGER_ISA_AVX2:
      DAGER_KERNELS_FILL_SIMD(table, avx2);
      DAGER_KERNELS_FILL_WINOGRAD(table, avx2);
      DAGER_KERNELS_FILL_STEM(table, avx2);
      return 1;
    case DAGER_ISA_AVX512:
      DAGER_KERNELS_FILL_SIMD(table, avx512);
      DAGER_KERNELS_FILL_WINOGRAD(table, avx512);
      DAGER_KERNELS_FILL_STEM(table, avx512);
      return 1;
#endif
#if defined(DAGER_KERNELS_HAVE_NEON)
    case DAGER_ISA_NEON:
      DAGER_KERNELS_FILL_SIMD(table, neon);
      DAGER_KERNELS_FILL_WINOGRAD(table, neon);
      DAGER_KERNELS_FILL_STEM(table, neon);
      return 1;
#endif
    default:
      return 0;
  }
}

dager_isa dager_kernels_choose(unsigned usable, const char *cap) {
  size_t top = DAGER_LADDER_LENGTH;

  if (cap) {
    for (size_t i = 0; i < DAGER_LADDER_LENGTH; i++) {
      if (strcmp(cap, dager_isa_names[dager_isa_ladder[i]]) == 0)
        top = i + 1;
    }
  }
  for (size_t i = top; i-- > 0;) {
    if (usable & (1u << dager_isa_ladder[i]))
      return dager_isa_ladder[i];
  }
  return DAGER_ISA_SCALAR;
}

static void dager_fill_tables(void) {
  const unsigned cpu = dager_kernels_cpu_isas() | 1u << DAGER_ISA_SCALAR;

  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    if (!dager_fill_table((dager_isa)isa, &dager_tables[isa]))
      continue;
    if (!dager_table_complete(&dager_tables[isa])) {
      assert(!"a kernel table has an empty slot");
      continue;
    }
    if (cpu & (1u << isa))
      dager_usable_isas |= 1u << isa;
  }
  dager_best_isa = dager_kernels_choose(dager_usable_isas, getenv("DAGER_ISA"));
}

const dager_kernels *dager_kernels_best(void) {
  pthread_once(&dager_tables_once, dager_fill_tables);
  return &dager_tables[dager_best_isa];
}

const dager_kernels *dager_kernels_for_isa(dager_isa isa) {
  pthread_once(&dager_tables_once, dager_fill_tables);
  if ((unsigned)isa >= DAGER_ISA_COUNT || !(dager_usable_isas & (1u << isa)))
    return NULL;
  return &dager_tables[isa];
}
