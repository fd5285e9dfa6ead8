/*
 * Decodes images with libdager's own decoder (public API only) and writes
 * their RGB8 pixels as binary PPM, so that the reference fixtures are made
 * from exactly the pixels the library sees. Built and run by
 * tools/reference/decode-samples.sh.
 *
 * usage: decode-to-ppm OUTPUT_DIR IMAGE...
 * Each IMAGE becomes OUTPUT_DIR/<name without extension>.ppm.
 */
#include <dager.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_ppm(const char *path, const dager_image *image) {
  FILE *file = fopen(path, "wb");
  if (!file) {
    perror(path);
    return -1;
  }
  int width = dager_image_width(image);
  int height = dager_image_height(image);
  size_t bytes = (size_t)width * (size_t)height * 3;
  int ok = fprintf(file, "P6\n%d %d\n255\n", width, height) > 0 &&
           fwrite(dager_image_pixels(image), 1, bytes, file) == bytes;
  if (fclose(file) != 0)
    ok = 0;
  if (!ok)
    fprintf(stderr, "%s: write failed\n", path);
  return ok ? 0 : -1;
}

/* OUTPUT_DIR/<base name of input without its extension>.ppm */
static char *output_path(const char *directory, const char *input) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  size_t size = strlen(directory) + 1 + stem + sizeof(".ppm");
  char *path = malloc(size);
  if (path) {
    snprintf(path, size, "%s/%.*s.ppm", directory, (int)stem, base);
  }
  return path;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUTPUT_DIR IMAGE...\n", argv[0]);
    return 2;
  }
  int failures = 0;
  for (int i = 2; i < argc; i++) {
    dager_image *image = NULL;
    dager_status status = dager_image_load_file(argv[i], 0, &image);
    if (status != DAGER_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], dager_last_error_message());
      failures++;
      continue;
    }
    char *path = output_path(argv[1], argv[i]);
    if (!path || write_ppm(path, image) != 0)
      failures++;
    else
      printf("%s %dx%d orientation %d -> %s\n", argv[i],
             dager_image_width(image), dager_image_height(image),
             dager_image_orientation(image), path);
    free(path);
    dager_image_destroy(image);
  }
  return failures ? 1 : 0;
}
