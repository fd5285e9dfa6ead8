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

dager_face support_face_at(const dager_result *result, size_t index) {
  dager_face face;

  memset(&face, 0, sizeof face);
  face.struct_size = sizeof face;
  assert_int_equal(dager_result_face(result, index, &face), DAGER_OK);
  return face;
}
