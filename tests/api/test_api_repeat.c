/*
 * Repeated use must not grow memory: 1000 analyses through one session and
 * repeated engine and session lifecycles, on synthetic models (so it runs
 * everywhere and quickly, also under the sanitizers). A counting allocator
 * installed with dager_set_allocator proves that every block the library
 * takes is given back, call after call, independently of LeakSanitizer;
 * every answer must be bit-identical to the first.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dager.h"
#include "synthetic_models.h"

#define ANALYSES 1000
#define LIFECYCLES 50
#define IMAGE_SIDE 96

static char models_dir[256];

/* Live blocks and bytes of the library, kept by the allocator hooks. Atomic
 * because sessions may run worker threads. */
static _Atomic long live_blocks;

/* Each block carries its size in front, so free can account for it. */
typedef struct block_header {
  size_t size;
  max_align_t align;
} block_header;

static void *counting_malloc(void *user, size_t size) {
  (void)user;
  block_header *header = malloc(sizeof *header + size);
  if (!header)
    return NULL;
  header->size = size;
  live_blocks++;
  return header + 1;
}

static void *counting_realloc(void *user, void *pointer, size_t size) {
  (void)user;
  if (!pointer)
    return counting_malloc(NULL, size);
  block_header *header = (block_header *)pointer - 1;
  block_header *grown = realloc(header, sizeof *grown + size);
  if (!grown)
    return NULL;
  grown->size = size;
  return grown + 1;
}

static void counting_free(void *user, void *pointer) {
  (void)user;
  if (!pointer)
    return;
  live_blocks--;
  free((block_header *)pointer - 1);
}

static int setup(void **state) {
  (void)state;
  snprintf(models_dir, sizeof models_dir, "/tmp/dager-repeat-XXXXXX");
  if (!mkdtemp(models_dir) || synthetic_models_write(models_dir) != 0)
    return -1;
  if (dager_set_allocator(counting_malloc, counting_realloc, counting_free,
                          NULL) != DAGER_OK) {
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  synthetic_models_remove(models_dir);
  return dager_set_allocator(NULL, NULL, NULL, NULL) == DAGER_OK ? 0 : -1;
}

static dager_engine *make_engine(int threads) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;

  assert_int_equal(dager_options_create(&options), DAGER_OK);
  assert_int_equal(dager_options_set_string(options, "models_dir", models_dir),
                   DAGER_OK);
  assert_int_equal(dager_options_set_int(options, "threads", threads),
                   DAGER_OK);
  if (dager_engine_create(options, &engine) != DAGER_OK) {
    print_error("engine: %s\n", dager_last_error_message());
    fail();
  }
  dager_options_destroy(options);
  return engine;
}

/* A white square on black: one synthetic face. */
static dager_image *make_image(void) {
  static uint8_t pixels[IMAGE_SIDE * IMAGE_SIDE * 3];
  dager_image *image = NULL;

  memset(pixels, 0, sizeof pixels);
  for (int y = 24; y < 48; y++)
    memset(pixels + ((size_t)y * IMAGE_SIDE + 24) * 3, 255, 24 * 3);
  assert_int_equal(
      dager_image_from_pixels(pixels, IMAGE_SIDE, IMAGE_SIDE, IMAGE_SIDE * 3,
                              DAGER_PIXEL_RGB8, &image),
      DAGER_OK);
  return image;
}

/* Every face of a result, as bytes, for bit-exact comparison. */
static size_t result_bytes(const dager_result *result, dager_face *faces,
                           size_t capacity) {
  size_t count = dager_result_face_count(result);
  assert_true(count <= capacity);
  for (size_t i = 0; i < count; i++) {
    memset(&faces[i], 0, sizeof faces[i]);
    faces[i].struct_size = sizeof faces[i];
    assert_int_equal(dager_result_face(result, i, &faces[i]), DAGER_OK);
  }
  return count;
}

static void thousand_analyses_keep_memory_flat(void **state) {
  (void)state;
  dager_engine *engine = make_engine(2);
  dager_session *session = NULL;
  dager_image *image = make_image();
  dager_face first[8], again[8];
  size_t first_count = 0;
  long live_after_first = 0;

  assert_int_equal(dager_session_create(engine, &session), DAGER_OK);
  for (int i = 0; i < ANALYSES; i++) {
    dager_result *result = NULL;
    assert_int_equal(dager_analyze(session, image, &result), DAGER_OK);
    if (i == 0) {
      first_count = result_bytes(result, first, 8);
      assert_true(first_count >= 1);
    } else {
      size_t count = result_bytes(result, again, 8);
      assert_int_equal(count, first_count);
      assert_memory_equal(again, first, count * sizeof again[0]);
    }
    dager_result_destroy(result);
    if (i == 0)
      live_after_first = live_blocks;
    else if (live_blocks != live_after_first) {
      print_error("analysis %d: %ld live blocks, %ld after the first\n", i,
                  (long)live_blocks, live_after_first);
      fail();
    }
  }
  dager_image_destroy(image);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  assert_int_equal(live_blocks, 0);
}

static void lifecycles_return_every_block(void **state) {
  (void)state;
  dager_image *image = make_image();
  long live_with_image = live_blocks;

  for (int i = 0; i < LIFECYCLES; i++) {
    dager_engine *engine = make_engine(1 + i % 3);
    dager_session *sessions[3] = {NULL, NULL, NULL};
    dager_result *result = NULL;

    for (int s = 0; s < 3; s++)
      assert_int_equal(dager_session_create(engine, &sessions[s]), DAGER_OK);
    assert_int_equal(dager_analyze(sessions[i % 3], image, &result), DAGER_OK);
    dager_result_destroy(result);
    for (int s = 0; s < 3; s++)
      dager_session_destroy(sessions[s]);
    dager_engine_destroy(engine);
    assert_int_equal(live_blocks, live_with_image);
  }
  dager_image_destroy(image);
  assert_int_equal(live_blocks, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(thousand_analyses_keep_memory_flat),
      cmocka_unit_test(lifecycles_return_every_block),
  };
  return cmocka_run_group_tests_name("api_repeat", tests, setup, teardown);
}
