/*
 * Comparisons of one kernel table against the scalar reference, shared by
 * the cmocka suite (test_kernels.c) and the plain runner used under
 * qemu-user for AArch64 (neon_main.c), where cmocka may not exist.
 *
 * Each check sweeps shapes from a seeded generator, runs the kernel under
 * test and the reference on the same inputs, and returns the number of
 * mismatches found, after printing the first few together with the seed
 * that reproduces them (DAGER_TEST_SEED=<seed>).
 */
#ifndef DAGER_TESTS_KERNEL_CHECKS_H
#define DAGER_TESTS_KERNEL_CHECKS_H

#include <stdint.h>

#include "kernels/kernels.h"

/* Seed of every check: DAGER_TEST_SEED when set, else a fixed value. */
uint64_t dager_check_seed(void);

typedef unsigned (*dager_check_function)(const dager_kernels *reference,
                                         const dager_kernels *tested,
                                         uint64_t seed);

unsigned dager_check_table(const dager_kernels *reference,
                           const dager_kernels *tested, uint64_t seed);
unsigned dager_check_conv2d(const dager_kernels *reference,
                            const dager_kernels *tested, uint64_t seed);
unsigned dager_check_depthwise(const dager_kernels *reference,
                               const dager_kernels *tested, uint64_t seed);
unsigned dager_check_fully_connected(const dager_kernels *reference,
                                     const dager_kernels *tested,
                                     uint64_t seed);
unsigned dager_check_pool(const dager_kernels *reference,
                          const dager_kernels *tested, uint64_t seed);
unsigned dager_check_elementwise(const dager_kernels *reference,
                                 const dager_kernels *tested, uint64_t seed);
unsigned dager_check_softmax_sigmoid(const dager_kernels *reference,
                                     const dager_kernels *tested,
                                     uint64_t seed);
unsigned dager_check_winograd(const dager_kernels *reference,
                              const dager_kernels *tested, uint64_t seed);

/* The stem kernels (kernels.h), alone and fused with the max pool. */
unsigned dager_check_stem(const dager_kernels *reference,
                          const dager_kernels *tested, uint64_t seed);
unsigned dager_check_stem_max_pool(const dager_kernels *reference,
                                   const dager_kernels *tested, uint64_t seed);

/* Every check above, by name, for runners that loop over them. */
typedef struct dager_named_check {
  const char *name;
  dager_check_function run;
} dager_named_check;

extern const dager_named_check dager_kernel_checks[];
extern const unsigned dager_kernel_check_count;

#endif /* DAGER_TESTS_KERNEL_CHECKS_H */
