#include "converted_models.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

static int found_count;

dager_model *converted_model_load(const char *network) {
  const char *folder = getenv("DAGER_MODELS_DIR");
  char path[4096];
  dager_model *model = NULL;
  FILE *probe;

  if (!folder) {
    printf("DAGER_MODELS_DIR is not set; skipping %s\n", network);
    return NULL;
  }
  snprintf(path, sizeof path, "%s/%s.dager", folder, network);
  probe = fopen(path, "rb");
  if (!probe) {
    printf("%s is absent (run tools/fetch-models.sh and rebuild); skipping\n",
           path);
    return NULL;
  }
  fclose(probe);
  found_count++;
  if (dager_model_read_file(path, &model) != DAGER_OK)
    fail_msg("%s: %s", path, dager_last_error_message());
  return model;
}

int converted_models_found(void) {
  return found_count;
}
