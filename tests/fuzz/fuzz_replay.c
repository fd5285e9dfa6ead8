/*
 * Runs a fuzz target's entry point once on each file named on the command
 * line, without libFuzzer, so every build (gcc included, and the
 * ASan/UBSan one) replays the seed corpus as a plain test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *stream = fopen(argv[i], "rb");
    uint8_t *bytes;
    long size;

    if (!stream || fseek(stream, 0, SEEK_END) != 0 ||
        (size = ftell(stream)) < 0 || fseek(stream, 0, SEEK_SET) != 0) {
      fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
      return 1;
    }
    bytes = malloc((size_t)size + 1);
    if (!bytes || fread(bytes, 1, (size_t)size, stream) != (size_t)size) {
      fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
      return 1;
    }
    fclose(stream);
    LLVMFuzzerTestOneInput(bytes, (size_t)size);
    free(bytes);
  }
  printf("fuzz_replay: %d inputs\n", argc - 1);
  return 0;
}
