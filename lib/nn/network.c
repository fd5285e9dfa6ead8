/*
 * Building a network: everything that can fail happens here, once, so a
 * run cannot fail for any reason but a misuse of the API.
 *
 * The reader already validated the file, but the runtime checks again what
 * it relies on (value numbering, weight shapes against the shapes that
 * actually arrive), because models also come from the converter and from
 * tests in memory, and because shapes depend on the input size that
 * dager_network_create_sized may change.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "dager.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/plan.h"

/*
 * Bounds that keep every index the kernels compute far from overflow and
 * reject geometry no vision network has. They are checks on hostile or
 * broken models, not tuning knobs.
 */
#define MAX_SPATIAL 65536u
#define MAX_CHANNELS 65536u
#define MAX_KERNEL 1024u
#define MAX_STRIDE 1024u
#define MAX_VALUE_ELEMENTS ((size_t)1 << 31)

/* Names a node in messages even when the model gives it no name, so an
 * error in a converted graph can be traced to the reference's layer. */
typedef struct node_label {
  char text[96];
} node_label;

static node_label label_of(const dager_model *model, uint32_t index) {
  node_label label;
  const char *name = model->nodes[index].name;

  if (name && name[0]) {
    snprintf(label.text, sizeof label.text, "'%s'", name);
  } else {
    snprintf(label.text, sizeof label.text, "#%u", index);
  }
  return label;
}

#define NODE_FAIL(format, ...)                              \
  dager_fail(DAGER_ERROR_MODEL_INVALID, "node %s: " format, \
             label_of(model, index).text, __VA_ARGS__)

static int shape_elements(dager_tensor_shape shape, size_t *out) {
  size_t plane;

  if (shape.h == 0 || shape.w == 0 || shape.c == 0)
    return 0;
  if (shape.h > MAX_SPATIAL || shape.w > MAX_SPATIAL)
    return 0;
  if (!dager_size_multiply(shape.h, shape.w, &plane))
    return 0;
  if (!dager_size_multiply(plane, shape.c, out))
    return 0;
  return *out <= MAX_VALUE_ELEMENTS;
}

static int shapes_equal(dager_tensor_shape a, dager_tensor_shape b) {
  return a.h == b.h && a.w == b.w && a.c == b.c;
}

/*
 * Returns the node's k-th weight tensor after checking that the id exists,
 * the data is there and the element count agrees with the shape; NULL
 * otherwise.
 */
static const dager_model_tensor *weight_of(const dager_model *model,
                                           const dager_model_node *node,
                                           uint32_t k) {
  const dager_model_tensor *tensor;
  size_t product = 1;

  if (k >= node->weight_count || node->weights[k] >= model->tensor_count) {
    return NULL;
  }
  tensor = &model->tensors[node->weights[k]];
  if (!tensor->data || tensor->rank > DAGER_MODEL_MAX_RANK)
    return NULL;
  for (uint32_t i = 0; i < tensor->rank; i++) {
    if (!dager_size_multiply(product, tensor->shape[i], &product)) {
      return NULL;
    }
  }
  if (product != tensor->element_count)
    return NULL;
  return tensor;
}

static int is_vector_of(const dager_model_tensor *tensor, size_t length) {
  return tensor && tensor->element_count == length;
}

static const char *shape_text(const dager_model_tensor *tensor, char *buffer,
                              size_t size) {
  size_t used = 0;

  buffer[0] = '\0';
  if (!tensor)
    return "missing";
  for (uint32_t i = 0; i < tensor->rank && used < size; i++) {
    int n = snprintf(buffer + used, size - used, i ? "x%u" : "%u",
                     tensor->shape[i]);
    if (n < 0)
      break;
    used += (size_t)n;
  }
  if (tensor->rank == 0)
    snprintf(buffer, size, "scalar");
  return buffer;
}

typedef struct build_state {
  const dager_model *model;
  dager_network *network;
  size_t packed_bytes;  /* running total, each block rounded to 64 */
  int winograd_allowed; /* DAGER_WINOGRAD is not 0 */
} build_state;

static dager_status check_activation(const dager_model *model, uint32_t index) {
  const dager_model_node *node = &model->nodes[index];

  if (node->activation > DAGER_ACTIVATION_LEAKY_RELU) {
    return NODE_FAIL("unknown activation %u", node->activation);
  }
  if (node->activation == DAGER_ACTIVATION_CLAMP &&
      !(node->clamp_min <= node->clamp_max)) {
    return NODE_FAIL("clamp range %g..%g is empty", (double)node->clamp_min,
                     (double)node->clamp_max);
  }
  return DAGER_OK;
}

/* The spatial geometry of a convolution, depthwise convolution or pool. */
static dager_status window_geometry(const dager_model *model, uint32_t index,
                                    dager_tensor_shape in, uint32_t kernel_h,
                                    uint32_t kernel_w, dager_window *window) {
  const dager_model_node *node = &model->nodes[index];
  int same = node->padding == DAGER_PADDING_SAME;

  if (node->padding != DAGER_PADDING_SAME &&
      node->padding != DAGER_PADDING_VALID) {
    return NODE_FAIL("unknown padding %d", (int)node->padding);
  }
  if (kernel_h == 0 || kernel_w == 0 || kernel_h > MAX_KERNEL ||
      kernel_w > MAX_KERNEL) {
    return NODE_FAIL("kernel %ux%u is out of range", kernel_h, kernel_w);
  }
  if (node->stride_h == 0 || node->stride_w == 0 ||
      node->stride_h > MAX_STRIDE || node->stride_w > MAX_STRIDE) {
    return NODE_FAIL("stride %ux%u is out of range", node->stride_h,
                     node->stride_w);
  }

  memset(window, 0, sizeof *window);
  window->in_h = in.h;
  window->in_w = in.w;
  window->in_c = in.c;
  window->kernel_h = kernel_h;
  window->kernel_w = kernel_w;
  window->stride_h = node->stride_h;
  window->stride_w = node->stride_w;
  if (dager_window_axis(in.h, kernel_h, node->stride_h, same, &window->out_h,
                        &window->pad_top, &window->pad_bottom) != 0 ||
      dager_window_axis(in.w, kernel_w, node->stride_w, same, &window->out_w,
                        &window->pad_left, &window->pad_right) != 0) {
    return NODE_FAIL("kernel %ux%u does not fit input %ux%u", kernel_h,
                     kernel_w, in.h, in.w);
  }
  return DAGER_OK;
}

/*
 * Whether the only reader of node `index`'s output is the next node, a
 * max pool that stem_conv2d_max_pool can compute from the convolution's
 * input; its window is put in *pool. Not for graph outputs.
 */
static int stem_pool_after(const build_state *state, uint32_t index,
                           const dager_window *conv, dager_window *pool) {
  const dager_model *model = state->model;
  const uint32_t value = model->nodes[index].output;
  const dager_model_node *next;
  const dager_tensor_shape out = {conv->out_h, conv->out_w, conv->out_c};

  if (index + 1 >= model->node_count)
    return 0;
  next = &model->nodes[index + 1];
  if (next->op != DAGER_OP_MAX_POOL || next->input_count != 1 ||
      next->inputs[0] != value || next->weight_count != 0) {
    return 0;
  }
  for (uint32_t i = 0; i < model->node_count; i++) {
    /* Later nodes are not validated yet: the count may be anything. */
    for (uint32_t k = 0;
         k < model->nodes[i].input_count && k < DAGER_MODEL_MAX_NODE_INPUTS;
         k++) {
      if (i != index + 1 && model->nodes[i].inputs[k] == value)
        return 0;
    }
  }
  for (uint32_t i = 0; i < model->output_count; i++) {
    if (model->outputs[i].value == value)
      return 0;
  }
  if (next->padding != DAGER_PADDING_SAME &&
      next->padding != DAGER_PADDING_VALID) {
    return 0; /* the pool's own inference reports it */
  }
  memset(pool, 0, sizeof *pool);
  pool->in_h = out.h;
  pool->in_w = out.w;
  pool->in_c = pool->out_c = out.c;
  pool->kernel_h = next->kernel_h;
  pool->kernel_w = next->kernel_w;
  pool->stride_h = next->stride_h;
  pool->stride_w = next->stride_w;
  if (next->kernel_h != 2 || next->kernel_w != 2 || next->stride_h != 2 ||
      next->stride_w != 2) {
    return 0;
  }
  if (dager_window_axis(out.h, 2, 2, next->padding == DAGER_PADDING_SAME,
                        &pool->out_h, &pool->pad_top, &pool->pad_bottom) ||
      dager_window_axis(out.w, 2, 2, next->padding == DAGER_PADDING_SAME,
                        &pool->out_w, &pool->pad_left, &pool->pad_right)) {
    return 0;
  }
  return dager_stem_supports(conv, pool);
}

/*
 * Picks the stem kernels (kernels.h) for a convolution over few input
 * channels where the table says, from its measurements, that they beat
 * conv2d: fused with the max pool after it when the pool is the only
 * reader (then the input must stay live until the pool's step, which
 * reads it), else alone.
 */
static void choose_stem(build_state *state, uint32_t index,
                        dager_nn_step *step) {
  const dager_model_node *node = &state->model->nodes[index];
  const dager_kernels *kernels = state->network->kernels;
  dager_window pool;

  step->stem = DAGER_NN_STEM_NONE;
  if (!dager_stem_supports(&step->window, NULL))
    return;
  if (node->input_count == 1 &&
      stem_pool_after(state, index, &step->window, &pool) &&
      kernels->stem_preferred(&step->window, &pool)) {
    dager_nn_value *input = &state->network->values[node->inputs[0]];

    step->stem = DAGER_NN_STEM_POOLED;
    if (input->last_step < index + 2)
      input->last_step = index + 2;
    return;
  }
  if (kernels->stem_preferred(&step->window, NULL))
    step->stem = DAGER_NN_STEM_ALONE;
}

static int add_packed(build_state *state, size_t bytes, size_t *offset) {
  size_t end;

  *offset = state->packed_bytes;
  if (!dager_size_add(state->packed_bytes, bytes, &end) ||
      !dager_size_add(end, 63, &end)) {
    return 0;
  }
  state->packed_bytes = end - end % 64;
  return 1;
}

/* Room for a copy of an epilogue vector (bias or scale) of count floats. */
static int add_packed_vector(build_state *state, size_t count, size_t *offset) {
  size_t bytes;

  return dager_size_multiply(count, sizeof(float), &bytes) &&
         add_packed(state, bytes, offset);
}

/*
 * Checks one node against its inputs and weights, works out its output
 * shape and fills its step. The order of checks follows what a reader of
 * the message needs: what is wrong with which tensor of which node.
 */
static dager_status infer_node(build_state *state, uint32_t index,
                               dager_tensor_shape *out_shape) {
  const dager_model *model = state->model;
  dager_network *network = state->network;
  const dager_model_node *node = &model->nodes[index];
  dager_nn_step *step = &network->steps[index];
  dager_tensor_shape in = network->values[node->inputs[0]].shape;
  const dager_kernels *kernels = network->kernels;
  const dager_model_tensor *filter = NULL;
  const dager_model_tensor *bias = NULL;
  char text[64];
  dager_status status;
  size_t offset;
  uint64_t macs = 0;

  status = check_activation(model, index);
  if (status != DAGER_OK)
    return status;

  step->node = node;
  step->op = node->op;
  step->epilogue.activation = (dager_activation)node->activation;
  step->epilogue.alpha = node->alpha;
  step->epilogue.clamp_min = node->clamp_min;
  step->epilogue.clamp_max = node->clamp_max;
  step->separate_activation = node->activation != DAGER_ACTIVATION_NONE;
  step->bias_offset = DAGER_NN_NOT_PACKED;
  step->scale_offset = DAGER_NN_NOT_PACKED;

  switch (node->op) {
    case DAGER_OP_CONV2D:
    case DAGER_OP_DEPTHWISE_CONV2D: {
      int depthwise = node->op == DAGER_OP_DEPTHWISE_CONV2D;
      uint32_t max_inputs = depthwise ? 1 : 2;
      uint32_t out_c;

      if (node->input_count > max_inputs) {
        return NODE_FAIL("takes at most %u inputs, has %u", max_inputs,
                         node->input_count);
      }
      if (node->weight_count < 1 || node->weight_count > 2) {
        return NODE_FAIL(
            "needs a filter and an optional bias, has %u "
            "weights",
            node->weight_count);
      }
      filter = weight_of(model, node, 0);
      if (!filter || filter->rank != 4) {
        return NODE_FAIL("filter must have rank 4, is %s",
                         shape_text(filter, text, sizeof text));
      }
      /* A zero kernel size in the node means "as the filter says". */
      if ((node->kernel_h && node->kernel_h != filter->shape[0]) ||
          (node->kernel_w && node->kernel_w != filter->shape[1])) {
        return NODE_FAIL("kernel %ux%u does not match filter %s",
                         node->kernel_h, node->kernel_w,
                         shape_text(filter, text, sizeof text));
      }
      if (filter->shape[2] != in.c) {
        return NODE_FAIL("filter %s does not match %u input channels",
                         shape_text(filter, text, sizeof text), in.c);
      }
      if (depthwise && filter->shape[3] != 1) {
        return NODE_FAIL("depth multiplier must be 1, filter is %s",
                         shape_text(filter, text, sizeof text));
      }
      out_c = depthwise ? in.c : filter->shape[3];
      if (out_c == 0 || out_c > MAX_CHANNELS) {
        return NODE_FAIL("%u output channels", out_c);
      }
      if (node->weight_count == 2) {
        bias = weight_of(model, node, 1);
        if (!is_vector_of(bias, out_c)) {
          return NODE_FAIL("bias %s does not match %u output channels",
                           shape_text(bias, text, sizeof text), out_c);
        }
        if (!add_packed_vector(state, out_c, &step->bias_offset)) {
          return NODE_FAIL("%s", "bias does not fit in memory");
        }
      }

      status = window_geometry(model, index, in, filter->shape[0],
                               filter->shape[1], &step->window);
      if (status != DAGER_OK)
        return status;
      step->window.out_c = out_c;
      *out_shape =
          (dager_tensor_shape){step->window.out_h, step->window.out_w, out_c};
      if (node->input_count == 2) {
        dager_tensor_shape residual = network->values[node->inputs[1]].shape;
        if (!shapes_equal(residual, *out_shape)) {
          return NODE_FAIL("residual %ux%ux%u differs from output %ux%ux%u",
                           residual.h, residual.w, residual.c, out_shape->h,
                           out_shape->w, out_shape->c);
        }
      }

      step->winograd = !depthwise && state->winograd_allowed &&
                       dager_nn_prefers_winograd(&step->window);
      size_t bytes = depthwise ? kernels->depthwise_packed_size(&step->window)
                     : step->winograd
                         ? kernels->winograd_packed_size(&step->window)
                         : kernels->conv2d_packed_size(&step->window);
      /* Winograd needs many channels, the stem at most four: a layer is
       * never eligible for both. */
      if (!depthwise && !step->winograd) {
        choose_stem(state, index, step);
        if (step->stem != DAGER_NN_STEM_NONE)
          bytes = kernels->stem_packed_size(&step->window);
      }
      if (!add_packed(state, bytes, &offset)) {
        return NODE_FAIL("%s", "packed weights do not fit in memory");
      }
      step->packed_offset = offset;
      step->separate_activation = 0;
      macs = (uint64_t)out_shape->h * out_shape->w * out_c * filter->shape[0] *
             filter->shape[1] * (depthwise ? 1 : in.c);
      break;
    }

    case DAGER_OP_FULLY_CONNECTED: {
      size_t flat = (size_t)in.h * in.w * in.c;

      if (node->input_count != 1) {
        return NODE_FAIL("takes 1 input, has %u", node->input_count);
      }
      if (node->weight_count < 1 || node->weight_count > 2) {
        return NODE_FAIL(
            "needs weights and an optional bias, has %u "
            "weights",
            node->weight_count);
      }
      filter = weight_of(model, node, 0);
      if (!filter || filter->rank != 2 || filter->shape[0] != flat ||
          filter->shape[1] == 0 || filter->shape[1] > MAX_CHANNELS) {
        return NODE_FAIL("weights %s do not match %zu inputs",
                         shape_text(filter, text, sizeof text), flat);
      }
      step->fc_in = (uint32_t)flat;
      step->fc_out = filter->shape[1];
      if (node->weight_count == 2) {
        bias = weight_of(model, node, 1);
        if (!is_vector_of(bias, step->fc_out)) {
          return NODE_FAIL("bias %s does not match %u outputs",
                           shape_text(bias, text, sizeof text), step->fc_out);
        }
        if (!add_packed_vector(state, step->fc_out, &step->bias_offset)) {
          return NODE_FAIL("%s", "bias does not fit in memory");
        }
      }
      if (!add_packed(
              state,
              kernels->fully_connected_packed_size(step->fc_in, step->fc_out),
              &offset)) {
        return NODE_FAIL("%s", "packed weights do not fit in memory");
      }
      step->packed_offset = offset;
      step->separate_activation = 0;
      *out_shape = (dager_tensor_shape){1, 1, step->fc_out};
      macs = (uint64_t)flat * step->fc_out;
      break;
    }

    case DAGER_OP_MAX_POOL:
    case DAGER_OP_AVERAGE_POOL:
      if (node->input_count != 1 || node->weight_count != 0) {
        return NODE_FAIL("takes 1 input and no weights, has %u and %u",
                         node->input_count, node->weight_count);
      }
      status = window_geometry(model, index, in, node->kernel_h, node->kernel_w,
                               &step->window);
      if (status != DAGER_OK)
        return status;
      step->window.out_c = in.c;
      *out_shape =
          (dager_tensor_shape){step->window.out_h, step->window.out_w, in.c};
      break;

    case DAGER_OP_GLOBAL_AVERAGE_POOL:
    case DAGER_OP_SOFTMAX:
    case DAGER_OP_SIGMOID:
      if (node->input_count != 1 || node->weight_count != 0) {
        return NODE_FAIL("takes 1 input and no weights, has %u and %u",
                         node->input_count, node->weight_count);
      }
      *out_shape = in;
      if (node->op == DAGER_OP_GLOBAL_AVERAGE_POOL) {
        *out_shape = (dager_tensor_shape){1, 1, in.c};
      }
      break;

    case DAGER_OP_ADD:
      if (node->input_count < 2 || node->weight_count != 0) {
        return NODE_FAIL("takes 2..%d inputs and no weights, has %u and %u",
                         DAGER_MODEL_MAX_NODE_INPUTS, node->input_count,
                         node->weight_count);
      }
      for (uint32_t i = 1; i < node->input_count; i++) {
        dager_tensor_shape other = network->values[node->inputs[i]].shape;
        if (!shapes_equal(other, in)) {
          return NODE_FAIL("input %u is %ux%ux%u, input 0 is %ux%ux%u", i,
                           other.h, other.w, other.c, in.h, in.w, in.c);
        }
      }
      step->separate_activation = 0;
      *out_shape = in;
      break;

    case DAGER_OP_AFFINE:
      if (node->input_count != 1) {
        return NODE_FAIL("takes 1 input, has %u", node->input_count);
      }
      if (node->weight_count != 0 && node->weight_count != 2) {
        return NODE_FAIL("needs no weights or scale and bias, has %u",
                         node->weight_count);
      }
      if (node->weight_count == 2) {
        const dager_model_tensor *scale = weight_of(model, node, 0);
        bias = weight_of(model, node, 1);
        if (!is_vector_of(scale, in.c) || !is_vector_of(bias, in.c)) {
          return NODE_FAIL("scale %s or bias does not match %u channels",
                           shape_text(scale, text, sizeof text), in.c);
        }
        if (!add_packed_vector(state, in.c, &step->scale_offset) ||
            !add_packed_vector(state, in.c, &step->bias_offset)) {
          return NODE_FAIL("%s", "scale and bias do not fit in memory");
        }
      }
      step->separate_activation = 0;
      *out_shape = in;
      break;

    case DAGER_OP_CONCAT: {
      uint64_t channels = 0;

      if (node->input_count < 2 || node->weight_count != 0) {
        return NODE_FAIL("takes 2..%d inputs and no weights, has %u and %u",
                         DAGER_MODEL_MAX_NODE_INPUTS, node->input_count,
                         node->weight_count);
      }
      for (uint32_t i = 0; i < node->input_count; i++) {
        dager_tensor_shape other = network->values[node->inputs[i]].shape;
        if (other.h != in.h || other.w != in.w) {
          return NODE_FAIL("input %u is %ux%u, input 0 is %ux%u", i, other.h,
                           other.w, in.h, in.w);
        }
        channels += other.c;
      }
      if (channels > MAX_CHANNELS) {
        return NODE_FAIL("%llu channels", (unsigned long long)channels);
      }
      *out_shape = (dager_tensor_shape){in.h, in.w, (uint32_t)channels};
      break;
    }

    case DAGER_OP_PAD_CHANNELS:
      if (node->input_count != 1 || node->weight_count != 0) {
        return NODE_FAIL("takes 1 input and no weights, has %u and %u",
                         node->input_count, node->weight_count);
      }
      if (node->out_channels < in.c || node->out_channels > MAX_CHANNELS) {
        return NODE_FAIL("cannot pad %u channels to %u", in.c,
                         node->out_channels);
      }
      *out_shape = (dager_tensor_shape){in.h, in.w, node->out_channels};
      break;

    case DAGER_OP_PAD: {
      uint64_t h = (uint64_t)node->pad_top + in.h + node->pad_bottom;
      uint64_t w = (uint64_t)node->pad_left + in.w + node->pad_right;

      if (node->input_count != 1 || node->weight_count != 0) {
        return NODE_FAIL("takes 1 input and no weights, has %u and %u",
                         node->input_count, node->weight_count);
      }
      if (h > MAX_SPATIAL || w > MAX_SPATIAL) {
        return NODE_FAIL("padding makes %llux%llu", (unsigned long long)h,
                         (unsigned long long)w);
      }
      *out_shape = (dager_tensor_shape){(uint32_t)h, (uint32_t)w, in.c};
      break;
    }

    default:
      return NODE_FAIL("unknown operation %d", (int)node->op);
  }

  network->mac_count += macs;

  uint64_t work = macs;
  if (work == 0)
    work = (uint64_t)out_shape->h * out_shape->w * out_shape->c;
  if (node->op == DAGER_OP_MAX_POOL || node->op == DAGER_OP_AVERAGE_POOL) {
    work *= (uint64_t)node->kernel_h * node->kernel_w;
  }
  step->work = work;
  return DAGER_OK;
}

/*
 * Checks the value numbering (each value written once, read only after it
 * is written), infers every shape, and records lifetimes for the plan:
 * the input is written at step 0, node i at step i + 1, and graph outputs
 * stay live past the last node.
 */
static dager_status infer_graph(build_state *state) {
  const dager_model *model = state->model;
  dager_network *network = state->network;
  const uint32_t end_step = model->node_count + 1;
  dager_nn_value *input = &network->values[0];

  input->shape = network->input_shape;
  input->written = 1;
  input->first_step = 0;
  input->last_step = 0;
  if (!shape_elements(input->shape, &input->elements)) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "input %ux%ux%u is out of range", input->shape.h,
                      input->shape.w, input->shape.c);
  }

  for (uint32_t index = 0; index < model->node_count; index++) {
    const dager_model_node *node = &model->nodes[index];
    const uint32_t step = index + 1;
    dager_tensor_shape shape = {0, 0, 0};
    dager_nn_value *output;
    dager_status status;

    if (node->input_count == 0 ||
        node->input_count > DAGER_MODEL_MAX_NODE_INPUTS ||
        node->weight_count > DAGER_MODEL_MAX_NODE_WEIGHTS) {
      return NODE_FAIL("has %u inputs and %u weights", node->input_count,
                       node->weight_count);
    }
    for (uint32_t i = 0; i < node->input_count; i++) {
      uint32_t id = node->inputs[i];
      if (id >= model->value_count || !network->values[id].written) {
        return NODE_FAIL("reads value %u before it is written", id);
      }
      network->values[id].last_step = step;
    }
    if (node->output == 0 || node->output >= model->value_count ||
        network->values[node->output].written) {
      return NODE_FAIL(
          "writes value %u, which is the input, out of range "
          "or written twice",
          node->output);
    }

    status = infer_node(state, index, &shape);
    if (status != DAGER_OK)
      return status;

    output = &network->values[node->output];
    if (!shape_elements(shape, &output->elements)) {
      return NODE_FAIL("output %ux%ux%u is out of range", shape.h, shape.w,
                       shape.c);
    }
    output->shape = shape;
    output->written = 1;
    output->first_step = step;
    output->last_step = step;
  }

  for (uint32_t i = 0; i < model->output_count; i++) {
    uint32_t id = model->outputs[i].value;
    if (id >= model->value_count || !network->values[id].written) {
      return dager_fail(
          DAGER_ERROR_MODEL_INVALID, "graph output %u (%s) is never written", i,
          model->outputs[i].name ? model->outputs[i].name : "unnamed");
    }
    network->values[id].last_step = end_step;
    network->output_values[i] = id;
  }
  return DAGER_OK;
}

/*
 * Values never written (ids no node uses) get no space. Sizes are exact;
 * the plan rounds every offset up to 64 bytes so each value starts on a
 * cache line, as the aligned allocation of the arena itself does.
 */
static dager_status plan_memory(dager_network *network) {
  dager_nn_plan_item *items;
  dager_status status;

  items = dager_mem_calloc(network->value_count, sizeof *items);
  if (!items) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for the plan");
  }
  for (uint32_t v = 0; v < network->value_count; v++) {
    const dager_nn_value *value = &network->values[v];
    if (!value->written)
      continue;
    items[v].size = value->elements * sizeof(float);
    items[v].first_step = value->first_step;
    items[v].last_step = value->last_step;
  }
  /* A convolution fused with its max pool never stores its output. */
  for (uint32_t i = 0; i < network->step_count; i++) {
    if (network->steps[i].stem == DAGER_NN_STEM_POOLED)
      items[network->steps[i].node->output].size = 0;
  }
  status =
      dager_nn_plan_memory(items, network->value_count, &network->arena_size);
  if (status == DAGER_OK) {
    for (uint32_t v = 0; v < network->value_count; v++) {
      network->values[v].offset = items[v].offset;
    }
  }
  dager_mem_free(items);
  return status;
}

/*
 * Copies the node's weight-th tensor into the packed block at offset. The
 * bias is weight 1 of every op that has one (after the filter, or after
 * an affine node's scale).
 */
static const float *copy_vector(const dager_network *network,
                                const dager_nn_step *step, size_t offset,
                                uint32_t weight) {
  unsigned char *base = (unsigned char *)network->packed_weights;
  const dager_model_tensor *tensor =
      &network->model->tensors[step->node->weights[weight]];
  float *copy = (float *)(void *)(base + offset);

  memcpy(copy, tensor->data, tensor->element_count * sizeof(float));
  return copy;
}

/*
 * Packs every weighted step into the one block, now that it exists. One
 * block instead of one per layer keeps the weights of a network together
 * in memory and makes an allocation failure a single, easy path. Biases
 * and scales are copied there too: after this, a run reads nothing of the
 * model's tensor data.
 */
static void pack_weights(dager_network *network) {
  const dager_kernels *kernels = network->kernels;
  unsigned char *base = (unsigned char *)network->packed_weights;

  for (uint32_t i = 0; i < network->step_count; i++) {
    dager_nn_step *step = &network->steps[i];
    const dager_model *model = network->model;
    const dager_model_tensor *filter;
    float *packed;

    if (step->scale_offset != DAGER_NN_NOT_PACKED) {
      step->epilogue.scale = copy_vector(network, step, step->scale_offset, 0);
    }
    if (step->bias_offset != DAGER_NN_NOT_PACKED) {
      step->epilogue.bias = copy_vector(network, step, step->bias_offset, 1);
    }
    if (step->op != DAGER_OP_CONV2D && step->op != DAGER_OP_DEPTHWISE_CONV2D &&
        step->op != DAGER_OP_FULLY_CONNECTED) {
      continue;
    }
    packed = (float *)(void *)(base + step->packed_offset);
    filter = &model->tensors[step->node->weights[0]];
    if (step->op == DAGER_OP_CONV2D && step->winograd) {
      kernels->winograd_pack(&step->window, filter->data, packed);
    } else if (step->op == DAGER_OP_CONV2D &&
               step->stem != DAGER_NN_STEM_NONE) {
      kernels->stem_pack(&step->window, filter->data, packed);
    } else if (step->op == DAGER_OP_CONV2D) {
      kernels->conv2d_pack(&step->window, filter->data, packed);
    } else if (step->op == DAGER_OP_DEPTHWISE_CONV2D) {
      kernels->depthwise_pack(&step->window, filter->data, packed);
    } else {
      kernels->fully_connected_pack(step->fc_in, step->fc_out, filter->data,
                                    packed);
    }
    step->packed = packed;
  }
}

static dager_status check_model(const dager_model *model) {
  if (model->value_count == 0 || model->node_count == 0 ||
      model->output_count == 0) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "model has %u values, %u nodes and %u outputs",
                      model->value_count, model->node_count,
                      model->output_count);
  }
  if (!model->nodes || !model->outputs ||
      (model->tensor_count && !model->tensors)) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID, "model arrays are missing");
  }
  /* Said here, not as a shape mismatch later: a model whose tensor data
   * was released can still describe a network but no longer build one. */
  for (uint32_t i = 0; i < model->node_count; i++) {
    const dager_model_node *node = &model->nodes[i];

    for (uint32_t k = 0;
         k < node->weight_count && k < DAGER_MODEL_MAX_NODE_WEIGHTS; k++) {
      uint32_t id = node->weights[k];

      if (id < model->tensor_count && !model->tensors[id].data) {
        return dager_fail(DAGER_ERROR_MODEL_INVALID,
                          "tensor %u has no data (released?)", id);
      }
    }
  }
  return DAGER_OK;
}

dager_status dager_network_create_sized(const dager_model *model,
                                        const dager_kernels *kernels,
                                        uint32_t in_h, uint32_t in_w,
                                        dager_network **out) {
  dager_network *network;
  build_state state;
  dager_status status;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!model)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "no model");
  status = check_model(model);
  if (status != DAGER_OK)
    return status;
  if (!kernels)
    kernels = dager_kernels_best();

  network = dager_mem_calloc(1, sizeof *network);
  if (!network)
    goto out_of_memory;
  network->model = model;
  network->kernels = kernels;
  network->input_shape = (dager_tensor_shape){in_h, in_w, model->input_c};
  network->value_count = model->value_count;
  network->step_count = model->node_count;
  network->values =
      dager_mem_calloc(model->value_count, sizeof *network->values);
  network->steps = dager_mem_calloc(model->node_count, sizeof *network->steps);
  network->output_values =
      dager_mem_calloc(model->output_count, sizeof *network->output_values);
  if (!network->values || !network->steps || !network->output_values) {
    goto out_of_memory;
  }

  state.model = model;
  state.network = network;
  state.packed_bytes = 0;
  state.winograd_allowed = dager_nn_winograd_enabled();
  status = infer_graph(&state);
  if (status != DAGER_OK)
    goto fail;
  status = plan_memory(network);
  if (status != DAGER_OK)
    goto fail;

  if (state.packed_bytes) {
    network->packed_weights = dager_mem_alloc_aligned(state.packed_bytes);
    if (!network->packed_weights)
      goto out_of_memory;
    pack_weights(network);
  }
  *out = network;
  return DAGER_OK;

out_of_memory:
  status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for network");
fail:
  dager_network_destroy(network);
  return status;
}

dager_status dager_network_create(const dager_model *model,
                                  const dager_kernels *kernels,
                                  dager_network **out) {
  if (!model) {
    if (out)
      *out = NULL;
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "no model");
  }
  return dager_network_create_sized(model, kernels, model->input_h,
                                    model->input_w, out);
}

void dager_network_destroy(dager_network *network) {
  if (!network)
    return;
  dager_mem_free_aligned(network->packed_weights);
  dager_mem_free(network->output_values);
  dager_mem_free(network->steps);
  dager_mem_free(network->values);
  dager_mem_free(network);
}

dager_tensor_shape dager_network_input_shape(const dager_network *network) {
  return network->input_shape;
}

uint32_t dager_network_output_count(const dager_network *network) {
  return network->model->output_count;
}

dager_tensor_shape dager_network_output_shape(const dager_network *network,
                                              uint32_t index) {
  dager_tensor_shape none = {0, 0, 0};

  if (index >= network->model->output_count)
    return none;
  return network->values[network->output_values[index]].shape;
}

int32_t dager_network_find_output(const dager_network *network,
                                  const char *name) {
  const dager_model *model = network->model;

  if (!name)
    return -1;
  for (uint32_t i = 0; i < model->output_count; i++) {
    if (model->outputs[i].name && strcmp(model->outputs[i].name, name) == 0) {
      return (int32_t)i;
    }
  }
  return -1;
}

uint64_t dager_network_mac_count(const dager_network *network) {
  return network->mac_count;
}

size_t dager_network_arena_size(const dager_network *network) {
  return network->arena_size;
}

uint32_t dager_network_winograd_steps(const dager_network *network) {
  uint32_t count = 0;

  for (uint32_t i = 0; i < network->step_count; i++)
    count += network->steps[i].winograd != 0;
  return count;
}
