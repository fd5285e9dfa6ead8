/*
 * make-hostile-inputs FOLDER [--small]
 * Writes the synthetic hard inputs of hostile_inputs.h into FOLDER (which
 * must exist); --small keeps only files of at most 4 KiB, the fuzz seeds.
 */
#include <stdio.h>
#include <string.h>

#include "hostile_inputs.h"

int main(int argc, char **argv) {
  int only_small = argc == 3 && strcmp(argv[2], "--small") == 0;
  int written;

  if (argc < 2 || argc > 3 || (argc == 3 && !only_small)) {
    fprintf(stderr, "usage: make-hostile-inputs FOLDER [--small]\n");
    return 2;
  }
  written = hostile_write_all(argv[1], only_small);
  if (written < 0)
    return 1;
  printf("%d files written to %s%s\n", written, argv[1],
         hostile_have_libjpeg() ? ""
                                : " (no libjpeg: greyscale, "
                                  "progressive and CMYK JPEG left out)");
  return 0;
}
