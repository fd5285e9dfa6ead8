/*
 * libFuzzer target for the model reader: any bytes must give a status or
 * a model that is safe to walk. Accepted models get their shapes inferred
 * and their metadata parsed, so those paths are fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/format.h"
#include "model/model.h"
#include "model/shapes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const uint8_t *data, size_t size) {
  dager_model *model = NULL;
  dager_model_shape *shapes;
  float numbers[16];
  uint32_t count;

  if (dager_model_read_memory(data, size, &model) != DAGER_OK)
    return;
  /* value_count is at most 65537 once the reader has accepted it. */
  shapes = calloc(model->value_count, sizeof *shapes);
  if (shapes) {
    (void)dager_model_infer_shapes(model, model->input_h, model->input_w,
                                   shapes);
    free(shapes);
  }
  for (uint32_t i = 0; i < model->metadata_count; i++) {
    (void)dager_model_metadata_floats(model, model->metadata[i].key, numbers,
                                      16, &count);
    (void)dager_model_metadata_uint(model, model->metadata[i].key, &count);
  }
  for (uint32_t i = 0; i < model->output_count; i++) {
    (void)dager_model_find_output(model, model->outputs[i].name);
  }
  dager_model_destroy(model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *sealed;

  exercise(data, size);
  /* Almost every mutation breaks the checksum, which would keep the fuzzer
   * at the door; a resealed copy lets it reach the structural checks. */
  if (size < DAGER_FORMAT_HEADER_SIZE)
    return 0;
  sealed = malloc(size);
  if (!sealed)
    return 0;
  memcpy(sealed, data, size);
  dager_format_seal(sealed, size);
  exercise(sealed, size);
  free(sealed);
  return 0;
}
