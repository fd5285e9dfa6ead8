/*
 * Shape inference over a validated model, for tools and tests that need to
 * know each value's size without running the network (the converter checks
 * its graphs with it). The runtime (lib/nn) may use it or its own.
 */
#ifndef DAGER_MODEL_SHAPES_H
#define DAGER_MODEL_SHAPES_H

#include <stdint.h>

#include "model/model.h"

typedef struct dager_model_shape {
  uint32_t h, w, c;
} dager_model_shape;

/*
 * Fills shapes[0..value_count-1] for an input of input_h x input_w x
 * model->input_c. Fails with DAGER_ERROR_MODEL_INVALID naming the node when
 * shapes disagree: a filter's input channels differ from the channels
 * arriving, ADD inputs differ, a "valid" window is larger than its input,
 * a value would exceed 2^31 elements.
 */
dager_status dager_model_infer_shapes(const dager_model *model,
                                      uint32_t input_h, uint32_t input_w,
                                      dager_model_shape *shapes);

#endif /* DAGER_MODEL_SHAPES_H */
