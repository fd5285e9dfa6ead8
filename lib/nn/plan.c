#include "nn/plan.h"

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/memory.h"
#include "dager.h"

/* Lifetimes are inclusive step ranges: a node's inputs are still live at
 * the step that writes its output, so the output never lands on them. */
static int lifetimes_overlap(const dager_nn_plan_item *a,
                             const dager_nn_plan_item *b) {
  return a->first_step <= b->last_step && b->first_step <= a->last_step;
}

static int round_up(size_t value, size_t *out) {
  size_t padded;

  if (!dager_size_add(value, DAGER_NN_PLAN_ALIGNMENT - 1, &padded))
    return 0;
  *out = padded - padded % DAGER_NN_PLAN_ALIGNMENT;
  return 1;
}

/*
 * Biggest first is the classic greedy order: large values claim the low
 * offsets, small ones fill the holes between them. For the few hundred
 * values of a face network the quadratic search costs nothing.
 */
dager_status dager_nn_plan_memory(dager_nn_plan_item *items, uint32_t count,
                                  size_t *total) {
  uint32_t *order;
  uint32_t *neighbours;
  uint32_t placed = 0;
  size_t arena = 0;
  dager_status status = DAGER_OK;

  *total = 0;
  if (count == 0)
    return DAGER_OK;
  order = dager_mem_calloc(count, sizeof *order);
  neighbours = dager_mem_calloc(count, sizeof *neighbours);
  if (!order || !neighbours) {
    status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for the plan");
    goto done;
  }

  /* Insertion sort by size, descending; ties keep value order so the plan
   * is the same on every run. */
  for (uint32_t i = 0; i < count; i++) {
    uint32_t j = i;
    while (j > 0 && items[order[j - 1]].size < items[i].size) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }

  for (uint32_t k = 0; k < count; k++) {
    dager_nn_plan_item *item = &items[order[k]];
    uint32_t conflicts = 0;
    size_t candidate = 0;
    size_t end;

    item->offset = 0;
    if (item->size == 0)
      continue;

    /* The already placed items this one may not share bytes with, kept
     * sorted by offset so one sweep finds the lowest hole that fits. */
    for (uint32_t p = 0; p < placed; p++) {
      const dager_nn_plan_item *other = &items[order[p]];
      uint32_t j;

      if (other->size == 0 || !lifetimes_overlap(item, other))
        continue;
      j = conflicts++;
      while (j > 0 && items[neighbours[j - 1]].offset > other->offset) {
        neighbours[j] = neighbours[j - 1];
        j--;
      }
      neighbours[j] = order[p];
    }

    for (uint32_t j = 0; j < conflicts; j++) {
      const dager_nn_plan_item *other = &items[neighbours[j]];
      size_t other_end;

      if (!dager_size_add(candidate, item->size, &end))
        goto overflow;
      if (end <= other->offset)
        break;
      if (!dager_size_add(other->offset, other->size, &other_end) ||
          !round_up(other_end, &other_end)) {
        goto overflow;
      }
      if (other_end > candidate)
        candidate = other_end;
    }

    item->offset = candidate;
    if (!dager_size_add(candidate, item->size, &end) || !round_up(end, &end)) {
      goto overflow;
    }
    if (end > arena)
      arena = end;
    placed = k + 1;
  }
  *total = arena;
  goto done;

overflow:
  status = dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "activation memory does not fit in the address space");
done:
  dager_mem_free(neighbours);
  dager_mem_free(order);
  return status;
}
