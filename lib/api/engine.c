/* Engine: loads, checks and prepares the networks an options object names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "core/memory.h"
#include "face/crop.h"

#ifndef DAGER_DEFAULT_MODELS_DIR
#define DAGER_DEFAULT_MODELS_DIR "/usr/local/share/dager/models"
#endif

static const char *model_file(dager_api_network network,
                              const dager_options *settings) {
  switch (network) {
    case DAGER_API_DETECTOR:
      return settings->detector == DAGER_API_DETECTOR_TINY
                 ? "tiny_face_detector.dager"
                 : "ssd_mobilenetv1.dager";
    case DAGER_API_LANDMARKS:
      return settings->tiny_landmarks ? "face_landmark_68_tiny.dager"
                                      : "face_landmark_68.dager";
    case DAGER_API_AGE_GENDER:
      return "age_gender.dager";
    case DAGER_API_EXPRESSION:
      return "face_expression.dager";
    case DAGER_API_DESCRIPTOR:
    case DAGER_API_NETWORK_COUNT:
      break;
  }
  return "face_recognition.dager";
}

static const char *model_task(dager_api_network network,
                              const dager_options *settings) {
  switch (network) {
    case DAGER_API_DETECTOR:
      return settings->detector == DAGER_API_DETECTOR_TINY ? "detector_tiny"
                                                           : "detector_ssd";
    case DAGER_API_LANDMARKS:
      return settings->tiny_landmarks ? "landmarks_68_tiny" : "landmarks_68";
    case DAGER_API_AGE_GENDER:
      return "age_gender";
    case DAGER_API_EXPRESSION:
      return "expression";
    case DAGER_API_DESCRIPTOR:
    case DAGER_API_NETWORK_COUNT:
      break;
  }
  return "descriptor";
}

/* Index of the named output with exactly elements values, or a failure
 * naming the file. */
static dager_status find_output(const dager_network *network, const char *file,
                                const char *name, size_t elements,
                                int32_t *index) {
  dager_tensor_shape shape;

  *index = dager_network_find_output(network, name);
  if (*index < 0) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID, "%s has no output \"%s\"",
                      file, name);
  }
  shape = dager_network_output_shape(network, (uint32_t)*index);
  if (elements != 0 && (size_t)shape.h * shape.w * shape.c != elements) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: output \"%s\" is %ux%ux%u, expected %zu values",
                      file, name, shape.h, shape.w, shape.c, elements);
  }
  return DAGER_OK;
}

static dager_status prepare_ssd(dager_engine *engine, const char *file) {
  const dager_model *model = engine->models[DAGER_API_DETECTOR];
  const dager_network *network = engine->networks[DAGER_API_DETECTOR];
  int32_t anchors = dager_model_find_tensor(model, "anchors");
  size_t boxes = 0, classes = 0;
  dager_tensor_shape input = dager_network_input_shape(network);

  if (anchors < 0 || model->tensors[anchors].element_count % 4 != 0 ||
      model->tensors[anchors].element_count == 0) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s has no usable \"anchors\" tensor", file);
  }
  /* Copied: the model's tensor data is released once the network is
   * built (load_network), and the anchors are read at every detection. */
  engine->anchor_count = model->tensors[anchors].element_count / 4;
  engine->ssd_anchors =
      dager_mem_calloc(engine->anchor_count * 4, sizeof(float));
  if (!engine->ssd_anchors) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "%s: no memory for anchors",
                      file);
  }
  memcpy(engine->ssd_anchors, model->tensors[anchors].data,
         engine->anchor_count * 4 * sizeof(float));

  for (int i = 0; i < DAGER_API_SSD_PREDICTORS; i++) {
    char name[32];
    dager_tensor_shape box_shape, class_shape;
    dager_status status;
    size_t box_values, class_values;

    snprintf(name, sizeof name, "box_encodings_%d", i);
    status = find_output(network, file, name, 0, &engine->ssd_boxes[i]);
    if (status != DAGER_OK)
      return status;
    snprintf(name, sizeof name, "class_predictions_%d", i);
    status = find_output(network, file, name, 0, &engine->ssd_classes[i]);
    if (status != DAGER_OK)
      return status;
    box_shape =
        dager_network_output_shape(network, (uint32_t)engine->ssd_boxes[i]);
    class_shape =
        dager_network_output_shape(network, (uint32_t)engine->ssd_classes[i]);
    box_values = (size_t)box_shape.h * box_shape.w * box_shape.c;
    class_values = (size_t)class_shape.h * class_shape.w * class_shape.c;
    if (box_values % 4 != 0 || class_values % 3 != 0 ||
        box_values / 4 != class_values / 3) {
      return dager_fail(DAGER_ERROR_MODEL_INVALID,
                        "%s: predictor %d has %zu box and %zu class values",
                        file, i, box_values, class_values);
    }
    engine->ssd_box_counts[i] = box_values / 4;
    boxes += box_values / 4;
    classes += class_values / 3;
  }
  if (boxes != engine->anchor_count || classes != engine->anchor_count) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: %zu predicted boxes for %zu anchors", file, boxes,
                      engine->anchor_count);
  }
  if (input.h != input.w || input.c != 3) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: input %ux%ux%u is not a square RGB image", file,
                      input.h, input.w, input.c);
  }
  engine->detector_input = input.h;
  return DAGER_OK;
}

static dager_status prepare_tiny(dager_engine *engine, const char *file) {
  const dager_model *model = engine->models[DAGER_API_DETECTOR];
  const dager_network *network = engine->networks[DAGER_API_DETECTOR];
  float anchors[2 * DAGER_API_MAX_TINY_ANCHORS];
  uint32_t count = 0;
  dager_tensor_shape grid;
  dager_status status;

  status = dager_model_metadata_floats(model, "anchors", anchors,
                                       2 * DAGER_API_MAX_TINY_ANCHORS, &count);
  if (status != DAGER_OK)
    return status;
  if (count == 0 || count % 2 != 0) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: anchors hold %u numbers, not pairs", file, count);
  }
  memcpy(engine->tiny_anchors, anchors, count * sizeof anchors[0]);
  engine->tiny_anchor_count = count / 2;

  status = find_output(network, file, "grid", 0, &engine->tiny_grid);
  if (status != DAGER_OK)
    return status;
  grid = dager_network_output_shape(network, (uint32_t)engine->tiny_grid);
  if (grid.c % engine->tiny_anchor_count != 0 ||
      grid.c / engine->tiny_anchor_count < 5) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: grid has %u channels for %u anchors", file, grid.c,
                      engine->tiny_anchor_count);
  }
  engine->anchor_count = (size_t)grid.h * grid.w * engine->tiny_anchor_count;
  engine->detector_input = (uint32_t)engine->settings.tiny_input_size;
  return DAGER_OK;
}

static dager_status prepare_face_network(dager_engine *engine,
                                         dager_api_network which,
                                         const char *file) {
  const dager_model *model = engine->models[which];
  const dager_network *network = engine->networks[which];
  dager_tensor_shape input = dager_network_input_shape(network);
  dager_status status = DAGER_OK;

  if (input.h != input.w || input.c != 3) {
    return dager_fail(DAGER_ERROR_MODEL_INVALID,
                      "%s: input %ux%ux%u is not a square RGB image", file,
                      input.h, input.w, input.c);
  }
  switch (which) {
    case DAGER_API_LANDMARKS:
      return find_output(network, file, "landmarks", 2 * DAGER_LANDMARK_COUNT,
                         &engine->landmarks_output);
    case DAGER_API_AGE_GENDER: {
      status = find_output(network, file, "age", 1, &engine->age_output);
      if (status == DAGER_OK) {
        status =
            find_output(network, file, "gender", 2, &engine->gender_output);
      }
      engine->male_index = 0;
      /* The labels name the gender output's channels when present. */
      if (status == DAGER_OK && model->label_count == 2 && model->labels &&
          model->labels[1] && strcmp(model->labels[1], "male") == 0) {
        engine->male_index = 1;
      }
      return status;
    }
    case DAGER_API_EXPRESSION:
      status = find_output(network, file, "expressions", DAGER_EMOTION_COUNT,
                           &engine->expressions_output);
      if (status != DAGER_OK)
        return status;
      if (!dager_face_emotion_map(model->labels, model->label_count,
                                  engine->emotion_map)) {
        return dager_fail(DAGER_ERROR_MODEL_INVALID,
                          "%s: labels are not the seven emotions", file);
      }
      return DAGER_OK;
    case DAGER_API_DESCRIPTOR:
      return find_output(network, file, "descriptor", DAGER_DESCRIPTOR_SIZE,
                         &engine->descriptor_output);
    case DAGER_API_DETECTOR:
    case DAGER_API_NETWORK_COUNT:
      break;
  }
  return dager_fail(DAGER_ERROR_INTERNAL, "no face network %d", (int)which);
}

static dager_status load_network(dager_engine *engine, const char *folder,
                                 dager_api_network which) {
  const char *file = model_file(which, &engine->settings);
  const char *task = model_task(which, &engine->settings);
  size_t length = strlen(folder) + strlen(file) + 2;
  char *path = dager_mem_alloc(length);
  dager_model *model = NULL;
  dager_status status;

  if (!path)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "model path");
  snprintf(path, length, "%s/%s", folder, file);
  status = dager_model_read_file(path, &model);
  if (status != DAGER_OK) {
    /* The reader's reasons for a damaged file (checksum, truncation) do
     * not say which of the seven files it was. */
    char reason[DAGER_ERROR_MESSAGE_MAX];

    snprintf(reason, sizeof reason, "%s", dager_last_error_message());
    if (!strstr(reason, path))
      status = dager_fail(status, "%s: %s", path, reason);
    dager_mem_free(path);
    return status;
  }
  dager_mem_free(path);
  engine->models[which] = model;

  if (!model->task || strcmp(model->task, task) != 0) {
    return dager_fail(DAGER_ERROR_MODEL_WRONG_TASK,
                      "%s/%s is a \"%.32s\" model, expected \"%s\"", folder,
                      file, model->task ? model->task : "", task);
  }

  if (which == DAGER_API_DETECTOR &&
      engine->settings.detector == DAGER_API_DETECTOR_TINY &&
      model->input_h != (uint32_t)engine->settings.tiny_input_size) {
    uint32_t side = (uint32_t)engine->settings.tiny_input_size;

    status = dager_network_create_sized(model, engine->kernels, side, side,
                                        &engine->networks[which]);
  } else {
    status =
        dager_network_create(model, engine->kernels, &engine->networks[which]);
  }
  if (status != DAGER_OK)
    return status;

  if (which != DAGER_API_DETECTOR) {
    status = prepare_face_network(engine, which, file);
  } else if (engine->settings.detector == DAGER_API_DETECTOR_TINY) {
    status = prepare_tiny(engine, file);
  } else {
    status = prepare_ssd(engine, file);
  }
  /* The network packed its own copy of every weight, and prepare_* copied
   * what the engine reads (SSD anchors): the float weights are dead. */
  if (status == DAGER_OK)
    dager_model_release_tensor_data(model);
  return status;
}

dager_status dager_engine_create(const dager_options *options,
                                 dager_engine **out) {
  dager_engine *engine;
  const char *folder;
  dager_status status;
  unsigned attribute_bits = (1u << DAGER_API_AGE_GENDER) |
                            (1u << DAGER_API_EXPRESSION) |
                            (1u << DAGER_API_DESCRIPTOR);

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  engine = dager_mem_calloc(1, sizeof *engine);
  if (!engine)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "allocating engine");

  if (options) {
    status = dager_api_options_copy(options, &engine->settings);
    if (status != DAGER_OK) {
      dager_mem_free(engine);
      return status;
    }
  } else {
    dager_api_options_defaults(&engine->settings);
  }

  if ((engine->settings.networks & attribute_bits) &&
      !(engine->settings.networks & (1u << DAGER_API_LANDMARKS))) {
    dager_engine_destroy(engine);
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                      "networks: age_gender, expression and descriptor need "
                      "landmarks to place their crops");
  }

  engine->kernels = dager_kernels_best();
  engine->min_score = (float)engine->settings.min_score;
  /* The reference suppresses at 0.5 for SSD and 0.4 for the tiny
   * detector; an explicit nms_iou overrides both. */
  engine->nms_iou = (float)engine->settings.nms_iou;
  if (!engine->settings.nms_iou_set &&
      engine->settings.detector == DAGER_API_DETECTOR_TINY) {
    engine->nms_iou = 0.4f;
  }

  folder = engine->settings.models_dir;
  if (!folder)
    folder = getenv("DAGER_MODELS_DIR");
  if (!folder || folder[0] == '\0')
    folder = DAGER_DEFAULT_MODELS_DIR;

  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    if (!(engine->settings.networks & (1u << i)))
      continue;
    status = load_network(engine, folder, (dager_api_network)i);
    if (status != DAGER_OK) {
      dager_engine_destroy(engine);
      return status;
    }
  }
  *out = engine;
  return DAGER_OK;
}

void dager_engine_destroy(dager_engine *engine) {
  if (!engine)
    return;
  for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
    dager_network_destroy(engine->networks[i]);
    dager_model_destroy(engine->models[i]);
  }
  dager_mem_free(engine->ssd_anchors);
  dager_api_options_release(&engine->settings);
  dager_mem_free(engine);
}

const char *dager_engine_isa(const dager_engine *engine) {
  if (!engine)
    return "none";
  return dager_isa_name(engine->kernels->isa);
}
