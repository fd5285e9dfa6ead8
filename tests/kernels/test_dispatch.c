/*
 * dager_kernels_best under the DAGER_ISA value given as argv[1] (and set
 * in the environment by meson): the table picked is the best available
 * one not above the cap, or the best of all for a value that names no ISA
 * of this architecture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/kernels.h"
#include "kernels/simd.h"

static const char *cap;

static void best_respects_cap(void **state) {
  (void)state;
  const dager_kernels *best = dager_kernels_best();
  unsigned usable = 0;

  assert_non_null(getenv("DAGER_ISA"));
  assert_string_equal(getenv("DAGER_ISA"), cap);
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    if (dager_kernels_for_isa((dager_isa)isa))
      usable |= 1u << isa;
  }
  assert_int_equal(best->isa, dager_kernels_choose(usable, cap));
  /* Naming an ISA the CPU has picks exactly that ISA. */
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    if ((usable & (1u << isa)) && strcmp(cap, dager_isa_name(isa)) == 0)
      assert_int_equal(best->isa, isa);
  }
  if (strcmp(cap, "scalar") == 0)
    assert_int_equal(best->isa, DAGER_ISA_SCALAR);
  print_message("DAGER_ISA=%s picks %s\n", cap, best->name);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(best_respects_cap)};

  cap = argc > 1 ? argv[1] : "";
  return cmocka_run_group_tests_name("kernels-dispatch", tests, NULL, NULL);
}
