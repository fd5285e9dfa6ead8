#include "model/shapes.h"

#include "core/error.h"

#define INVALID DAGER_ERROR_MODEL_INVALID

/* TensorFlow's output size: "same" rounds up, "valid" needs the window to
 * fit. Returns 0 when the window does not fit. */
static uint32_t window_extent(uint32_t in, uint32_t kernel, uint32_t stride,
                              dager_padding padding) {
  if (padding == DAGER_PADDING_SAME)
    return (in + stride - 1) / stride;
  if (in < kernel)
    return 0;
  return (in - kernel) / stride + 1;
}

static dager_status infer_node(const dager_model *model, uint32_t index,
                               const dager_model_node *node,
                               dager_model_shape *shapes) {
  const dager_model_shape *in = &shapes[node->inputs[0]];
  dager_model_shape out = *in;
  const dager_model_tensor *first =
      node->weight_count ? &model->tensors[node->weights[0]] : NULL;

  switch (node->op) {
    case DAGER_OP_CONV2D:
    case DAGER_OP_DEPTHWISE_CONV2D:
    case DAGER_OP_MAX_POOL:
    case DAGER_OP_AVERAGE_POOL:
      out.h =
          window_extent(in->h, node->kernel_h, node->stride_h, node->padding);
      out.w =
          window_extent(in->w, node->kernel_w, node->stride_w, node->padding);
      if (!out.h || !out.w) {
        return dager_fail(INVALID,
                          "model: node %u (%s): %ux%u window does not fit "
                          "a %ux%u input",
                          index, node->name, node->kernel_h, node->kernel_w,
                          in->h, in->w);
      }
      if (node->op == DAGER_OP_CONV2D) {
        if (first->shape[2] != in->c) {
          return dager_fail(INVALID,
                            "model: node %u (%s): filter takes %u channels, "
                            "input has %u",
                            index, node->name, first->shape[2], in->c);
        }
        out.c = first->shape[3];
      } else if (node->op == DAGER_OP_DEPTHWISE_CONV2D &&
                 first->shape[2] != in->c) {
        return dager_fail(INVALID,
                          "model: node %u (%s): depthwise filter has %u "
                          "channels, input %u",
                          index, node->name, first->shape[2], in->c);
      }
      break;
    case DAGER_OP_FULLY_CONNECTED:
      if ((uint64_t)in->h * in->w * in->c != first->shape[0]) {
        return dager_fail(INVALID,
                          "model: node %u (%s): %u inputs expected, %ux%ux%u "
                          "arrive",
                          index, node->name, first->shape[0], in->h, in->w,
                          in->c);
      }
      out.h = out.w = 1;
      out.c = first->shape[1];
      break;
    case DAGER_OP_GLOBAL_AVERAGE_POOL:
      out.h = out.w = 1;
      break;
    case DAGER_OP_AFFINE:
      if (first && first->shape[0] != in->c) {
        return dager_fail(INVALID,
                          "model: node %u (%s): scale has %u channels, "
                          "input %u",
                          index, node->name, first->shape[0], in->c);
      }
      break;
    case DAGER_OP_ADD:
    case DAGER_OP_CONCAT: {
      uint64_t channels = 0;

      for (uint32_t i = 0; i < node->input_count; i++) {
        const dager_model_shape *other = &shapes[node->inputs[i]];

        if (other->h != in->h || other->w != in->w ||
            (node->op == DAGER_OP_ADD && other->c != in->c)) {
          return dager_fail(INVALID,
                            "model: node %u (%s): input %u is %ux%ux%u, "
                            "input 0 is %ux%ux%u",
                            index, node->name, i, other->h, other->w, other->c,
                            in->h, in->w, in->c);
        }
        channels += other->c;
      }
      if (channels > UINT32_MAX)
        channels = UINT32_MAX;
      out.c = node->op == DAGER_OP_ADD ? in->c : (uint32_t)channels;
      break;
    }
    case DAGER_OP_PAD_CHANNELS:
      if (node->out_channels < in->c) {
        return dager_fail(INVALID,
                          "model: node %u (%s): pads %u channels down to %u",
                          index, node->name, in->c, node->out_channels);
      }
      out.c = node->out_channels;
      break;
    case DAGER_OP_PAD:
      out.h = in->h + node->pad_top + node->pad_bottom;
      out.w = in->w + node->pad_left + node->pad_right;
      break;
    default:
      break;
  }
  if (node->op == DAGER_OP_CONV2D && node->input_count == 2) {
    const dager_model_shape *residual = &shapes[node->inputs[1]];

    if (residual->h != out.h || residual->w != out.w || residual->c != out.c) {
      return dager_fail(INVALID,
                        "model: node %u (%s): residual is %ux%ux%u, output "
                        "%ux%ux%u",
                        index, node->name, residual->h, residual->w,
                        residual->c, out.h, out.w, out.c);
    }
  }
  /* Two steps, so that the product cannot wrap: every value so far is
   * below 2^31 elements, and pads add at most 2 x 4096 per side. */
  if ((uint64_t)out.h * out.w > ((uint64_t)1 << 31) ||
      (uint64_t)out.h * out.w * out.c > ((uint64_t)1 << 31)) {
    return dager_fail(INVALID, "model: node %u (%s): output too large", index,
                      node->name);
  }
  shapes[node->output] = out;
  return DAGER_OK;
}

dager_status dager_model_infer_shapes(const dager_model *model,
                                      uint32_t input_h, uint32_t input_w,
                                      dager_model_shape *shapes) {
  if (!model || !shapes || !input_h || !input_w) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "model: shapes: bad "
                      "argument");
  }
  shapes[0].h = input_h;
  shapes[0].w = input_w;
  shapes[0].c = model->input_c;
  for (uint32_t i = 0; i < model->node_count; i++) {
    dager_status status = infer_node(model, i, &model->nodes[i], shapes);

    if (status != DAGER_OK)
      return status;
  }
  return DAGER_OK;
}
