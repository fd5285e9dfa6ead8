/*
 * A runner without cmocka for the kernel checks, for cross builds run
 * under qemu-user where the target's cmocka may not be installed
 * (tools/test-neon.sh). Checks every table this CPU has against the scalar
 * reference, prints one line per check and a closing "N passed, N failed,
 * N skipped" line, and exits non-zero on any failure.
 */
#include <stdio.h>

#include "kernel_checks.h"
#include "kernels/kernels.h"

int main(void) {
  const dager_kernels *reference = dager_kernels_for_isa(DAGER_ISA_SCALAR);
  const uint64_t seed = dager_check_seed();
  unsigned passed = 0;
  unsigned failed = 0;
  unsigned skipped = 0;

  printf("kernel checks, seed 0x%llx, best table %s\n",
         (unsigned long long)seed, dager_kernels_best()->name);
  if (!reference) {
    printf("FAIL no scalar table\n");
    return 1;
  }
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    const dager_kernels *tested = dager_kernels_for_isa((dager_isa)isa);

    for (unsigned i = 0; i < dager_kernel_check_count; i++) {
      const char *check = dager_kernel_checks[i].name;
      if (!tested) {
        printf("SKIP %s/%s: not available on this CPU or build\n",
               dager_isa_name((dager_isa)isa), check);
        skipped++;
        continue;
      }
      const unsigned failures =
          dager_kernel_checks[i].run(reference, tested, seed);
      printf("%s %s/%s", failures ? "FAIL" : "ok", tested->name, check);
      if (failures)
        printf(" (%u mismatches, DAGER_TEST_SEED=0x%llx)", failures,
               (unsigned long long)seed);
      printf("\n");
      if (failures)
        failed++;
      else
        passed++;
    }
  }
  printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
