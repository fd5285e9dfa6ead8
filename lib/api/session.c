/* Session: the per-thread scratch memory and workers of an engine. */
#include "api/api.h"
#include "core/error.h"
#include "core/memory.h"

/* The networks run per face; the detector runs once per photo. */
static int is_face_network(int which) {
  return which != DAGER_API_DETECTOR;
}

/*
 * With worker threads, each thread gets the face networks' workspaces in a
 * block of its own (their largest workspace, about 2 MiB), with their
 * networks on one thread: the faces of a photo then run side by side.
 */
static dager_status create_face_workers(dager_session *session) {
  const dager_engine *engine = session->engine;
  uint32_t threads = dager_thread_pool_size(session->pool);
  size_t size = 0;

  if (threads < 2)
    return DAGER_OK;
  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    size_t needed;
    dager_status status;

    if (!engine->networks[i] || !is_face_network(i))
      continue;
    status = dager_network_workspace_size(engine->networks[i], 1, &needed);
    if (status != DAGER_OK)
      return status;
    if (needed > size)
      size = needed;
  }
  if (size == 0)
    return DAGER_OK;
  session->face_workspaces =
      dager_mem_calloc(threads, sizeof *session->face_workspaces);
  session->face_memory = dager_mem_calloc(threads, sizeof(void *));
  session->face_failures =
      dager_mem_calloc(threads, sizeof *session->face_failures);
  if (!session->face_workspaces || !session->face_memory ||
      !session->face_failures)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "face workers");
  session->face_threads = threads;
  for (uint32_t t = 0; t < threads; t++) {
    session->face_memory[t] = dager_mem_alloc_aligned(size);
    if (!session->face_memory[t])
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "face worker memory");
    for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
      dager_status status;

      if (!engine->networks[i] || !is_face_network(i))
        continue;
      status = dager_network_workspace_create_in(
          engine->networks[i], NULL, session->face_memory[t], size,
          &session->face_workspaces[t][i]);
      if (status != DAGER_OK)
        return status;
    }
  }
  return DAGER_OK;
}

static void destroy_face_workers(dager_session *session) {
  for (uint32_t t = 0; t < session->face_threads; t++) {
    for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++)
      dager_network_workspace_destroy(session->face_workspaces[t][i]);
    if (session->face_memory)
      dager_mem_free_aligned(session->face_memory[t]);
  }
  dager_mem_free(session->face_workspaces);
  dager_mem_free(session->face_memory);
  dager_mem_free(session->face_failures);
}

dager_status dager_session_create(const dager_engine *engine,
                                  dager_session **out) {
  dager_session *session;
  dager_status status;

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!engine)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "engine is NULL");

  session = dager_mem_calloc(1, sizeof *session);
  if (!session) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "allocating session");
  }
  session->engine = engine;

  if (engine->settings.threads > 1) {
    status = dager_thread_pool_create((uint32_t)engine->settings.threads,
                                      &session->pool);
    if (status != DAGER_OK)
      goto fail;
  }
  /* The networks of a session run one after another and the analysis reads
   * each one's outputs right after its run, so they all share one block of
   * the largest network's size: on an SSD engine that keeps the resident
   * memory at the detector's arena instead of the sum of five. */
  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    size_t size;

    if (!engine->networks[i])
      continue;
    status = dager_network_workspace_size(
        engine->networks[i], dager_thread_pool_size(session->pool), &size);
    if (status != DAGER_OK)
      goto fail;
    if (size > session->workspace_size)
      session->workspace_size = size;
  }
  if (session->workspace_size) {
    session->workspace_memory =
        dager_mem_alloc_aligned(session->workspace_size);
    if (!session->workspace_memory) {
      status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "network workspace");
      goto fail;
    }
  }
  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    if (!engine->networks[i])
      continue;
    status = dager_network_workspace_create_in(
        engine->networks[i], session->pool, session->workspace_memory,
        session->workspace_size, &session->workspaces[i]);
    if (status != DAGER_OK)
      goto fail;
  }

  status = create_face_workers(session);
  if (status != DAGER_OK)
    goto fail;

  if (engine->networks[DAGER_API_DETECTOR]) {
    size_t candidates = engine->anchor_count;

    if (engine->settings.detector == DAGER_API_DETECTOR_SSD) {
      session->joined_boxes =
          dager_mem_calloc(engine->anchor_count, 4 * sizeof(float));
      session->joined_classes =
          dager_mem_calloc(engine->anchor_count, 3 * sizeof(float));
      if (!session->joined_boxes || !session->joined_classes) {
        status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "detector scratch");
        goto fail;
      }
    }
    session->candidates =
        dager_mem_calloc(candidates, sizeof *session->candidates);
    if (!session->candidates) {
      status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "detector scratch");
      goto fail;
    }
  }
  *out = session;
  return DAGER_OK;

fail:
  dager_session_destroy(session);
  return status;
}

void dager_session_destroy(dager_session *session) {
  if (!session)
    return;
  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    dager_network_workspace_destroy(session->workspaces[i]);
  }
  dager_mem_free_aligned(session->workspace_memory);
  destroy_face_workers(session);
  dager_thread_pool_destroy(session->pool);
  dager_mem_free(session->joined_boxes);
  dager_mem_free(session->joined_classes);
  dager_mem_free(session->candidates);
  dager_mem_free(session);
}
