/*
 * libFuzzer target for the whole analysis: the input bytes are decoded as
 * an image (at most 2^18 pixels, so one input stays fast) and analysed by
 * an engine of synthetic networks (tests/api/synthetic_models.c), which
 * run every stage (detector passes, box decoding, crops, landmarks,
 * alignment, attribute and descriptor networks) in milliseconds. A status
 * other than success is a correct answer to a hostile input; a crash, a
 * sanitizer report or a leak is a finding. The same entry point replays
 * the image seed corpus as an ordinary test in every build.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dager.h"
#include "synthetic_models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PIXELS (1u << 18)

/* Made once and kept for the process: libFuzzer runs inputs in a loop. */
static dager_engine *engine;
static dager_session *session;

static int prepare(void) {
  static char folder[] = "/tmp/dager-fuzz-pipeline-XXXXXX";
  dager_options *options = NULL;
  int ok;

  if (session)
    return 1;
  if (!mkdtemp(folder) || synthetic_models_write(folder) != 0)
    return 0;
  ok = dager_options_create(&options) == DAGER_OK &&
       dager_options_set_string(options, "models_dir", folder) == DAGER_OK &&
       dager_engine_create(options, &engine) == DAGER_OK &&
       dager_session_create(engine, &session) == DAGER_OK;
  dager_options_destroy(options);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dager_image *image = NULL;
  dager_result *result = NULL;

  if (!prepare()) {
    fprintf(stderr, "fuzz_pipeline: cannot build the synthetic engine: %s\n",
            dager_last_error_message());
    abort();
  }
  if (dager_image_load_memory(data, size, FUZZ_MAX_PIXELS, &image) !=
      DAGER_OK) {
    return 0;
  }
  if (dager_analyze(session, image, &result) == DAGER_OK) {
    size_t count = dager_result_face_count(result);
    for (size_t i = 0; i < count; i++) {
      dager_face face = DAGER_FACE_INIT;
      uint8_t crop[32 * 32 * 3];
      if (dager_result_face(result, i, &face) != DAGER_OK)
        abort();
      if (face.has_landmarks && dager_align_face(session, image, result, i, 32,
                                                 crop, 32 * 3) != DAGER_OK) {
        abort();
      }
    }
  }
  dager_result_destroy(result);
  dager_image_destroy(image);
  return 0;
}
