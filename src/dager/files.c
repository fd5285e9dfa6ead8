#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *cli_output_path(const char *folder, const char *stem, const char *suffix,
                      const char *extension) {
  size_t folder_length = strlen(folder);
  int needs_slash = folder_length > 0 && folder[folder_length - 1] != '/';
  size_t length = folder_length + (size_t)needs_slash + strlen(stem) +
                  strlen(suffix) + 1 + strlen(extension);
  char *path = malloc(length + 1);
  if (!path) {
    return NULL;
  }
  snprintf(path, length + 1, "%s%s%s%s.%s", folder, needs_slash ? "/" : "",
           stem, suffix, extension);
  return path;
}

int cli_make_folders(const char *folder) {
  size_t length = strlen(folder);
  char *partial = malloc(length + 1);
  if (!partial) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(partial, folder, length + 1);
  /* Create each prefix ending before a '/', then the whole path; an
   * existing folder along the way is fine. */
  for (size_t i = 1; i <= length; i++) {
    if (i < length && partial[i] != '/') {
      continue;
    }
    char kept = partial[i];
    partial[i] = '\0';
    struct stat info;
    if (mkdir(partial, 0777) != 0 && errno != EEXIST) {
      free(partial);
      return -1;
    }
    if (stat(partial, &info) != 0 || !S_ISDIR(info.st_mode)) {
      free(partial);
      errno = ENOTDIR;
      return -1;
    }
    partial[i] = kept;
  }
  free(partial);
  return 0;
}

int cli_write_ppm(const char *path, const uint8_t *pixels, int width,
                  int height) {
  FILE *file = fopen(path, "wb");
  if (!file) {
    return -1;
  }
  size_t size = (size_t)width * (size_t)height * 3;
  int failed = fprintf(file, "P6\n%d %d\n255\n", width, height) < 0 ||
               fwrite(pixels, 1, size, file) != size;
  int saved_errno = errno;
  if (fclose(file) != 0 && !failed) {
    return -1;
  }
  if (failed) {
    errno = saved_errno ? saved_errno : EIO;
    return -1;
  }
  return 0;
}

int cli_read_stream(FILE *stream, size_t limit, uint8_t **data_out,
                    size_t *size_out) {
  FILE *file = stream;
  size_t capacity = limit > 0 && limit < (1u << 16) ? limit : 1u << 16;
  size_t size = 0;
  uint8_t *data = malloc(capacity);
  if (!data) {
    return -2;
  }
  for (;;) {
    if (size == capacity) {
      if (capacity >= limit) {
        /* Exactly limit bytes is fine; one more is not. */
        if (fgetc(file) == EOF && !ferror(file)) {
          break;
        }
        free(data);
        return ferror(file) ? -1 : -3;
      }
      capacity = capacity > limit / 2 ? limit : capacity * 2;
      uint8_t *grown = realloc(data, capacity);
      if (!grown) {
        free(data);
        return -2;
      }
      data = grown;
    }
    size_t read = fread(data + size, 1, capacity - size, file);
    size += read;
    if (read == 0) {
      if (ferror(file)) {
        free(data);
        return -1;
      }
      break;
    }
  }
  *data_out = data;
  *size_out = size;
  return 0;
}
