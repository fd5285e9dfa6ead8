#include "result_access.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

int support_file_exists(const char *path) {
  FILE *file = fopen(path, "rb");

  if (file)
    fclose(file);
  return file != NULL;
}

dager_image *support_load_sample(const char *folder, int number) {
  char path[1200];
  dager_image *image = NULL;

  snprintf(path, sizeof path, "%s/sample%d.jpg", folder, number);
  assert_int_equal(dager_image_load_file(path, 0, &image), DAGER_OK);
  return image;
}

dager_face support_face_at(const dager_result *result, size_t index) {
  dager_face face;

  memset(&face, 0, sizeof face);
  face.struct_size = sizeof face;
  assert_int_equal(dager_result_face(result, index, &face), DAGER_OK);
  return face;
}
