/*
 * Replays every file of a folder through the image fuzz target without
 * libFuzzer, so each build (gcc, and the ASan/UBSan one) runs the seed
 * corpus as a plain test: fuzz_image_replay FOLDER.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  DIR *folder;
  struct dirent *entry;
  int count = 0;

  if (argc != 2 || !(folder = opendir(argv[1]))) {
    fprintf(stderr, "usage: fuzz_image_replay FOLDER (a readable folder)\n");
    return 1;
  }
  while ((entry = readdir(folder)) != NULL) {
    char path[4096];
    FILE *stream;
    uint8_t *bytes;
    long size;

    if (entry->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s", argv[1], entry->d_name);
    stream = fopen(path, "rb");
    if (!stream || fseek(stream, 0, SEEK_END) != 0 ||
        (size = ftell(stream)) < 0 || fseek(stream, 0, SEEK_SET) != 0) {
      fprintf(stderr, "fuzz_image_replay: cannot read %s\n", path);
      return 1;
    }
    bytes = malloc((size_t)size + 1);
    if (!bytes || fread(bytes, 1, (size_t)size, stream) != (size_t)size) {
      fprintf(stderr, "fuzz_image_replay: cannot read %s\n", path);
      return 1;
    }
    fclose(stream);
    LLVMFuzzerTestOneInput(bytes, (size_t)size);
    free(bytes);
    count++;
  }
  closedir(folder);
  printf("fuzz_image_replay: %d inputs\n", count);
  return count > 0 ? 0 : 1;
}
