/*
 * The memory plan: one offset per value in a single arena, so that values
 * whose lifetimes overlap never share bytes while values that are never
 * live at the same time may. Kept apart from the network so tests can feed
 * it arbitrary lifetimes.
 */
#ifndef DAGER_NN_PLAN_H
#define DAGER_NN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"

/* Every offset the plan hands out is a multiple of this many bytes. */
#define DAGER_NN_PLAN_ALIGNMENT 64

typedef struct dager_nn_plan_item {
  size_t size; /* bytes; 0 means the value needs no space */
  /* Live from the step that writes it to the last step that reads it,
   * both included. */
  uint32_t first_step;
  uint32_t last_step;
  size_t offset; /* filled in by the plan */
} dager_nn_plan_item;

/*
 * Places every item, biggest first, at the lowest aligned offset that does
 * not overlap an already placed item whose lifetime overlaps its own. The
 * arena size is stored in *total. Fails with DAGER_ERROR_OUT_OF_MEMORY (its
 * own temporary arrays) or DAGER_ERROR_MODEL_INVALID when the sizes
 * overflow.
 */
dager_status dager_nn_plan_memory(dager_nn_plan_item *items, uint32_t count,
                                  size_t *total);

#endif /* DAGER_NN_PLAN_H */
