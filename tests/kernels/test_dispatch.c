/*
 * dager_kernels_best under the DAGER_ISA value given as argv[1] (and set
 * in the environment by meson): the table picked is the best available
 * one not above the cap, or the best of all for a value that names no ISA
 * of this architecture.
 */
#include <pthread.h>
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

enum { RACERS = 8 };

typedef struct racer {
  const dager_kernels *best;
  const dager_kernels *tables[DAGER_ISA_COUNT];
} racer;

static void *race_for_tables(void *context) {
  racer *r = context;
  r->best = dager_kernels_best();
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++)
    r->tables[isa] = dager_kernels_for_isa((dager_isa)isa);
  return NULL;
}

/* Runs first, so the tables are filled while several threads ask for
 * them at once; everyone must see the same, complete answer. */
static void first_use_from_many_threads(void **state) {
  (void)state;
  pthread_t threads[RACERS];
  racer racers[RACERS];

  memset(racers, 0, sizeof(racers));
  for (int i = 0; i < RACERS; i++)
    assert_int_equal(
        pthread_create(&threads[i], NULL, race_for_tables, &racers[i]), 0);
  for (int i = 0; i < RACERS; i++)
    assert_int_equal(pthread_join(threads[i], NULL), 0);
  for (int i = 0; i < RACERS; i++) {
    assert_non_null(racers[i].best);
    assert_ptr_equal(racers[i].best, racers[0].best);
    assert_non_null(racers[i].best->conv2d);
    assert_memory_equal(racers[i].tables, racers[0].tables,
                        sizeof(racers[0].tables));
  }
}

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
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(first_use_from_many_threads),
      cmocka_unit_test(best_respects_cap),
  };

  cap = argc > 1 ? argv[1] : "";
  return cmocka_run_group_tests_name("kernels-dispatch", tests, NULL, NULL);
}
