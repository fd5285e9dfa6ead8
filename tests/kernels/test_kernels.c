/*
 * Every kernel of every instruction set this machine has, against the
 * scalar reference (kernel_checks.c), plus the dispatch rules. An ISA the
 * CPU or the build lacks is skipped and named in the output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_checks.h"
#include "kernels/kernels.h"
#include "kernels/simd.h"

typedef struct isa_check {
  dager_isa isa;
  const dager_named_check *check;
  char name[48];
} isa_check;

static void run_isa_check(void **state) {
  const isa_check *c = *state;
  const dager_kernels *reference = dager_kernels_for_isa(DAGER_ISA_SCALAR);
  const dager_kernels *tested = dager_kernels_for_isa(c->isa);

  assert_non_null(reference);
  if (!tested) {
    print_message("skipped: %s is not available on this CPU or build\n",
                  dager_isa_name(c->isa));
    skip();
    return;
  }
  const uint64_t seed = dager_check_seed();
  const unsigned failures = c->check->run(reference, tested, seed);
  if (failures) {
    print_error("%u mismatches in %s; rerun with DAGER_TEST_SEED=0x%llx\n",
                failures, c->name, (unsigned long long)seed);
  }
  assert_int_equal(failures, 0);
}

static void choose_follows_cap(void **state) {
  (void)state;
  const unsigned everything = (1u << DAGER_ISA_COUNT) - 1;
  const unsigned scalar_only = 1u << DAGER_ISA_SCALAR;

  assert_int_equal(dager_kernels_choose(scalar_only, NULL), DAGER_ISA_SCALAR);
  assert_int_equal(dager_kernels_choose(everything, "scalar"),
                   DAGER_ISA_SCALAR);
#if defined(DAGER_KERNELS_HAVE_X86)
  assert_int_equal(dager_kernels_choose(everything, NULL), DAGER_ISA_AVX512);
  assert_int_equal(dager_kernels_choose(everything, "avx2"), DAGER_ISA_AVX2);
  assert_int_equal(dager_kernels_choose(everything, "sse41"), DAGER_ISA_SSE41);
  /* A cap above what the CPU has picks the best it has. */
  assert_int_equal(
      dager_kernels_choose(scalar_only | 1u << DAGER_ISA_SSE41, "avx512"),
      DAGER_ISA_SSE41);
  /* Unknown names and another architecture's ISA leave it uncapped. */
  assert_int_equal(dager_kernels_choose(everything, "bogus"), DAGER_ISA_AVX512);
  assert_int_equal(dager_kernels_choose(everything, "neon"), DAGER_ISA_AVX512);
  assert_int_equal(dager_kernels_choose(everything, ""), DAGER_ISA_AVX512);
#elif defined(DAGER_KERNELS_HAVE_NEON)
  assert_int_equal(dager_kernels_choose(everything, NULL), DAGER_ISA_NEON);
  assert_int_equal(dager_kernels_choose(everything, "avx2"), DAGER_ISA_NEON);
#endif
}

static void best_is_usable_and_capped(void **state) {
  (void)state;
  const dager_kernels *best = dager_kernels_best();
  const char *cap = getenv("DAGER_ISA");
  unsigned usable = 0;

  assert_non_null(best);
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    if (dager_kernels_for_isa((dager_isa)isa))
      usable |= 1u << isa;
  }
  assert_true(usable & (1u << DAGER_ISA_SCALAR));
  assert_ptr_equal(best, dager_kernels_for_isa(best->isa));
  assert_int_equal(best->isa, dager_kernels_choose(usable, cap));
  assert_null(dager_kernels_for_isa(DAGER_ISA_COUNT));
  assert_string_equal(dager_isa_name(DAGER_ISA_AVX512), "avx512");
  assert_string_equal(dager_isa_name(DAGER_ISA_COUNT), "unknown");
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    const dager_kernels *t = dager_kernels_for_isa((dager_isa)isa);
    print_message("%s: %s\n", dager_isa_name((dager_isa)isa),
                  t ? "available" : "not available (its tests are skipped)");
  }
}

int main(void) {
  static const dager_isa isas[] = {DAGER_ISA_SCALAR, DAGER_ISA_SSE41,
                                   DAGER_ISA_AVX2, DAGER_ISA_AVX512,
                                   DAGER_ISA_NEON};
  enum { ISAS = sizeof(isas) / sizeof(isas[0]), MAX_CHECKS = 16 };
  static isa_check checks[ISAS * MAX_CHECKS];
  static struct CMUnitTest tests[ISAS * MAX_CHECKS + 2];
  size_t n = 0;

  tests[n++] = (struct CMUnitTest)cmocka_unit_test(choose_follows_cap);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(best_is_usable_and_capped);
  for (size_t i = 0; i < ISAS; i++) {
    for (unsigned j = 0; j < dager_kernel_check_count && j < MAX_CHECKS; j++) {
      isa_check *c = &checks[i * MAX_CHECKS + j];
      c->isa = isas[i];
      c->check = &dager_kernel_checks[j];
      snprintf(c->name, sizeof(c->name), "%s/%s", dager_isa_name(isas[i]),
               dager_kernel_checks[j].name);
      tests[n].name = c->name;
      tests[n].test_func = run_isa_check;
      tests[n].setup_func = NULL;
      tests[n].teardown_func = NULL;
      tests[n].initial_state = c;
      n++;
    }
  }
  print_message("kernel test seed 0x%llx (set DAGER_TEST_SEED to change)\n",
                (unsigned long long)dager_check_seed());
  return _cmocka_run_group_tests("kernels", tests, n, NULL, NULL);
}
