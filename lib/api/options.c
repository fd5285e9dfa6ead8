/* Engine options: named settings with types and ranges (see dager.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "core/memory.h"

typedef enum option_type {
  OPTION_STRING = 1,
  OPTION_INT = 2,
  OPTION_DOUBLE = 3
} option_type;

typedef struct option_spec {
  const char *name;
  option_type type;
  double min, max; /* numbers only */
} option_spec;

static const option_spec option_specs[] = {
    {"models_dir", OPTION_STRING, 0, 0},
    {"detector", OPTION_STRING, 0, 0},
    {"landmarks", OPTION_STRING, 0, 0},
    {"attribute_crop", OPTION_STRING, 0, 0},
    {"networks", OPTION_STRING, 0, 0},
    {"min_score", OPTION_DOUBLE, 0.0, 1.0},
    {"nms_iou", OPTION_DOUBLE, 0.0, 1.0},
    {"max_faces", OPTION_INT, 1, 100000},
    {"tiny_input_size", OPTION_INT, 128, 608},
    /* Up to the largest side squared the decoder accepts at all. */
    {"max_pixels", OPTION_INT, 1, 268435456.0},
    {"threads", OPTION_INT, 1, 256},
    /* 0 keeps the reference's single detector pass; see
     * dager_face_plan_passes. */
    {"min_face_size", OPTION_INT, 0, 100000},
    /* "auto" or "off"; see dager_face_plan_passes and
     * dager_face_plan_refinement. */
    {"tiling", OPTION_STRING, 0, 0},
    /* 0 leaves the choice to "attribute_crop"; see
     * dager_api_landmark_passes. */
    {"landmark_passes", OPTION_INT, 0, DAGER_API_MAX_LANDMARK_PASSES},
    {"aligned_views", OPTION_INT, 1, DAGER_API_MAX_ALIGNED_VIEWS},
};

static const char *const network_names[DAGER_API_NETWORK_COUNT] = {
    "detector", "landmarks", "age_gender", "expression", "descriptor"};

void dager_api_options_defaults(dager_options *options) {
  memset(options, 0, sizeof *options);
  options->detector = DAGER_API_DETECTOR_SSD;
  options->networks = (1u << DAGER_API_NETWORK_COUNT) - 1;
  options->min_score = 0.5;
  options->nms_iou = 0.5;
  options->max_faces = 1000;
  options->tiny_input_size = 416;
  options->max_pixels = DAGER_DEFAULT_MAX_PIXELS;
  options->threads = 1;
  options->aligned_views = DAGER_API_MAX_ALIGNED_VIEWS;
  options->tiling = DAGER_FACE_TILING_AUTO;
}

int dager_api_landmark_passes(const dager_options *options) {
  if (options->landmark_passes > 0)
    return (int)options->landmark_passes;
  return options->aligned_attributes ? DAGER_API_ALIGNED_LANDMARK_PASSES : 1;
}

int dager_api_aligned_views(const dager_options *options) {
  return (int)options->aligned_views;
}

void dager_api_options_release(dager_options *options) {
  dager_mem_free(options->models_dir);
  options->models_dir = NULL;
}

static char *copy_string(const char *text) {
  size_t length = strlen(text);
  char *copy = dager_mem_alloc(length + 1);

  if (copy)
    memcpy(copy, text, length + 1);
  return copy;
}

dager_status dager_api_options_copy(const dager_options *source,
                                    dager_options *target) {
  *target = *source;
  target->models_dir = NULL;
  if (source->models_dir) {
    target->models_dir = copy_string(source->models_dir);
    if (!target->models_dir) {
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "copying the options");
    }
  }
  return DAGER_OK;
}

dager_status dager_options_create(dager_options **out) {
  dager_options *options;

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  options = dager_mem_alloc(sizeof *options);
  if (!options) {
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "allocating options");
  }
  dager_api_options_defaults(options);
  *out = options;
  return DAGER_OK;
}

void dager_options_destroy(dager_options *options) {
  if (!options)
    return;
  dager_api_options_release(options);
  dager_mem_free(options);
}

static const option_spec *find_option(const char *name) {
  for (size_t i = 0; i < sizeof option_specs / sizeof option_specs[0]; i++) {
    if (strcmp(option_specs[i].name, name) == 0)
      return &option_specs[i];
  }
  return NULL;
}

/* Shared checks of the three setters: arguments, a known name, its type. */
static dager_status lookup(dager_options *options, const char *name,
                           option_type wanted, const option_spec **spec) {
  if (!options)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "options is NULL");
  if (!name)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "name is NULL");
  *spec = find_option(name);
  if (!*spec) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION, "no option named \"%.64s\"",
                      name);
  }
  if (wanted == OPTION_STRING && (*spec)->type != OPTION_STRING) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                      "option \"%s\" takes a number, not a string", name);
  }
  if (wanted != OPTION_STRING && (*spec)->type == OPTION_STRING) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                      "option \"%s\" takes a string, not a number", name);
  }
  return DAGER_OK;
}

/* Parses a comma-separated list of network names into a bit set. */
static dager_status parse_networks(const char *value, unsigned *bits) {
  const char *cursor = value;

  *bits = 0;
  while (*cursor) {
    const char *end = strchr(cursor, ',');
    size_t length = end ? (size_t)(end - cursor) : strlen(cursor);
    int found = 0;

    for (int i = 0; i < DAGER_API_NETWORK_COUNT; i++) {
      if (strlen(network_names[i]) == length &&
          strncmp(network_names[i], cursor, length) == 0) {
        *bits |= 1u << i;
        found = 1;
      }
    }
    if (!found) {
      return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                        "networks: \"%.*s\" is not one of detector, "
                        "landmarks, age_gender, expression, descriptor",
                        (int)(length > 64 ? 64 : length), cursor);
    }
    cursor += length;
    if (*cursor == ',')
      cursor++;
  }
  if (*bits == 0) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION, "networks: empty list");
  }
  return DAGER_OK;
}

static dager_status choose(const char *name, const char *value,
                           const char *first, const char *second, int *choice) {
  if (strcmp(value, first) == 0) {
    *choice = 0;
  } else if (strcmp(value, second) == 0) {
    *choice = 1;
  } else {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                      "%s: \"%.64s\" is neither \"%s\" nor \"%s\"", name, value,
                      first, second);
  }
  return DAGER_OK;
}

dager_status dager_options_set_string(dager_options *options, const char *name,
                                      const char *value) {
  const option_spec *spec;
  dager_status status;
  int choice = 0;

  dager_clear_error();
  status = lookup(options, name, OPTION_STRING, &spec);
  if (status != DAGER_OK)
    return status;
  if (!value)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "value is NULL");

  if (strcmp(name, "models_dir") == 0) {
    char *copy;

    if (value[0] == '\0') {
      return dager_fail(DAGER_ERROR_UNKNOWN_OPTION, "models_dir is empty");
    }
    copy = copy_string(value);
    if (!copy)
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "copying models_dir");
    dager_mem_free(options->models_dir);
    options->models_dir = copy;
    return DAGER_OK;
  }
  if (strcmp(name, "networks") == 0) {
    unsigned bits;

    status = parse_networks(value, &bits);
    if (status == DAGER_OK)
      options->networks = bits;
    return status;
  }
  if (strcmp(name, "detector") == 0) {
    status = choose(name, value, "ssd", "tiny", &choice);
    if (status == DAGER_OK)
      options->detector = (dager_api_detector)choice;
    return status;
  }
  if (strcmp(name, "tiling") == 0) {
    status = choose(name, value, "off", "auto", &choice);
    if (status == DAGER_OK) {
      options->tiling = choice ? DAGER_FACE_TILING_AUTO : DAGER_FACE_TILING_OFF;
    }
    return status;
  }
  if (strcmp(name, "landmarks") == 0) {
    status = choose(name, value, "full", "tiny", &choice);
    if (status == DAGER_OK)
      options->tiny_landmarks = choice;
    return status;
  }
  status = choose(name, value, "box", "aligned", &choice);
  if (status == DAGER_OK)
    options->aligned_attributes = choice;
  return status;
}

static dager_status set_number(dager_options *options, const option_spec *spec,
                               double value) {
  if (!(value >= spec->min && value <= spec->max)) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION, "%s: %g is outside %g..%g",
                      spec->name, value, spec->min, spec->max);
  }
  if (strcmp(spec->name, "min_score") == 0) {
    options->min_score = value;
  } else if (strcmp(spec->name, "nms_iou") == 0) {
    options->nms_iou = value;
    options->nms_iou_set = 1;
  } else if (strcmp(spec->name, "max_faces") == 0) {
    options->max_faces = (int64_t)value;
  } else if (strcmp(spec->name, "tiny_input_size") == 0) {
    if ((int64_t)value % 32 != 0) {
      return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                        "tiny_input_size: %g is not a multiple of 32", value);
    }
    options->tiny_input_size = (int64_t)value;
  } else if (strcmp(spec->name, "max_pixels") == 0) {
    options->max_pixels = (int64_t)value;
  } else if (strcmp(spec->name, "threads") == 0) {
    options->threads = (int64_t)value;
  } else if (strcmp(spec->name, "landmark_passes") == 0) {
    options->landmark_passes = (int64_t)value;
  } else if (strcmp(spec->name, "aligned_views") == 0) {
    options->aligned_views = (int64_t)value;
  } else {
    options->min_face_size = (int64_t)value;
  }
  return DAGER_OK;
}

dager_status dager_options_set_int(dager_options *options, const char *name,
                                   int64_t value) {
  const option_spec *spec;
  dager_status status;

  dager_clear_error();
  status = lookup(options, name, OPTION_INT, &spec);
  if (status != DAGER_OK)
    return status;
  /* Every accepted int is far below 2^53, so the double is exact; larger
   * values fail the range check either way. */
  return set_number(options, spec, (double)value);
}

dager_status dager_options_set_double(dager_options *options, const char *name,
                                      double value) {
  const option_spec *spec;
  dager_status status;

  dager_clear_error();
  status = lookup(options, name, OPTION_DOUBLE, &spec);
  if (status != DAGER_OK)
    return status;
  if (spec->type == OPTION_INT && !(value == floor(value))) {
    return dager_fail(DAGER_ERROR_UNKNOWN_OPTION,
                      "%s takes a whole number, not %g", name, value);
  }
  return set_number(options, spec, value);
}
