#include "source.h"

#include "model/format.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void convert_die(const char *format, ...) {
  va_list arguments;

  fputs("dager-convert: ", stderr);
  va_start(arguments, format);
  vfprintf(stderr, format, arguments);
  va_end(arguments);
  fputc('\n', stderr);
  exit(1);
}

static void *checked_calloc(size_t count, size_t size) {
  void *pointer = calloc(count ? count : 1, size ? size : 1);

  if (!pointer)
    convert_die("out of memory");
  return pointer;
}

static char *duplicate(const char *text) {
  size_t length = strlen(text);
  char *copy = checked_calloc(length + 1, 1);

  memcpy(copy, text, length);
  return copy;
}

/* Reads a whole file; the size must fit in a long (manifests and shards of
 * face-api are a few megabytes). */
static uint8_t *read_whole(const char *path, size_t *size) {
  FILE *stream = fopen(path, "rb");
  long length;
  uint8_t *bytes;

  if (!stream)
    convert_die("cannot open %s: %s", path, strerror(errno));
  if (fseek(stream, 0, SEEK_END) != 0 || (length = ftell(stream)) < 0 ||
      fseek(stream, 0, SEEK_SET) != 0) {
    convert_die("cannot size %s", path);
  }
  bytes = checked_calloc((size_t)length + 1, 1);
  if (fread(bytes, 1, (size_t)length, stream) != (size_t)length) {
    convert_die("cannot read %s", path);
  }
  fclose(stream);
  *size = (size_t)length;
  return bytes;
}

static char *join_path(const char *directory, const char *name,
                       const char *suffix) {
  size_t length = strlen(directory) + strlen(name) + strlen(suffix) + 2;
  char *path = checked_calloc(length, 1);

  snprintf(path, length, "%s/%s%s", directory, name, suffix);
  return path;
}

static void parse_weight(source_weight *weight, const cJSON *item,
                         const char *manifest) {
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
  const cJSON *shape = cJSON_GetObjectItemCaseSensitive(item, "shape");
  const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(item, "dtype");
  const cJSON *quantization =
      cJSON_GetObjectItemCaseSensitive(item, "quantization");
  const cJSON *extent;
  int rank;

  if (!cJSON_IsString(name) || !cJSON_IsArray(shape) ||
      !cJSON_IsString(dtype)) {
    convert_die("%s: a weight lacks name, shape or dtype", manifest);
  }
  weight->name = duplicate(name->valuestring);
  rank = cJSON_GetArraySize(shape);
  if (rank > SOURCE_MAX_RANK) {
    convert_die("%s: %s has rank %d", manifest, weight->name, rank);
  }
  weight->rank = (uint32_t)rank;
  weight->count = 1;
  rank = 0;
  cJSON_ArrayForEach(extent, shape) {
    if (!cJSON_IsNumber(extent) || extent->valuedouble < 1 ||
        extent->valuedouble > 1 << 24) {
      convert_die("%s: %s has a bad dimension", manifest, weight->name);
    }
    weight->shape[rank++] = (uint32_t)extent->valuedouble;
    weight->count *= (size_t)extent->valuedouble;
  }
  if (strcmp(dtype->valuestring, "int32") == 0) {
    weight->is_integer = 1;
  } else if (strcmp(dtype->valuestring, "float32") != 0) {
    convert_die("%s: %s has dtype %s", manifest, weight->name,
                dtype->valuestring);
  }
  if (quantization) {
    const cJSON *scale =
        cJSON_GetObjectItemCaseSensitive(quantization, "scale");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(quantization, "min");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(quantization, "dtype");

    if (!cJSON_IsNumber(scale) || !cJSON_IsNumber(min) ||
        !cJSON_IsString(kind) || strcmp(kind->valuestring, "uint8") != 0) {
      convert_die(
          "%s: %s: only uint8 quantisation with scale and min is "
          "supported",
          manifest, weight->name);
    }
    weight->quantized = 1;
    weight->scale = scale->valuedouble;
    weight->min = min->valuedouble;
  }
}

void source_load(source_model *model, const char *directory, const char *name) {
  char *manifest_path = join_path(directory, name, "-weights_manifest.json");
  size_t manifest_size;
  char *text = (char *)read_whole(manifest_path, &manifest_size);
  cJSON *root = cJSON_ParseWithLength(text, manifest_size);
  const cJSON *group;
  size_t total = 0;
  size_t index = 0;

  memset(model, 0, sizeof *model);
  model->name = duplicate(name);
  if (!cJSON_IsArray(root)) {
    convert_die("%s is not a JSON array of weight groups", manifest_path);
  }
  cJSON_ArrayForEach(group, root) {
    const cJSON *weights = cJSON_GetObjectItemCaseSensitive(group, "weights");

    if (!cJSON_IsArray(weights)) {
      convert_die("%s: a group has no weights", manifest_path);
    }
    total += (size_t)cJSON_GetArraySize(weights);
    model->shard_count++;
  }
  model->weights = checked_calloc(total, sizeof *model->weights);
  model->shards = checked_calloc(model->shard_count, sizeof *model->shards);
  model->weight_count = total;

  model->shard_count = 0;
  cJSON_ArrayForEach(group, root) {
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(group, "paths");
    const cJSON *weights = cJSON_GetObjectItemCaseSensitive(group, "weights");
    const cJSON *path;
    const cJSON *item;
    uint8_t *buffer = NULL;
    size_t buffer_size = 0;
    size_t offset = 0;

    if (!cJSON_IsArray(paths)) {
      convert_die("%s: a group has no paths", manifest_path);
    }
    /* A group's shards are one byte stream split into files. */
    cJSON_ArrayForEach(path, paths) {
      char *shard_path;
      uint8_t *shard;
      size_t shard_size;

      if (!cJSON_IsString(path) || strchr(path->valuestring, '/')) {
        convert_die("%s: a shard path is not a plain file name", manifest_path);
      }
      shard_path = join_path(directory, path->valuestring, "");
      shard = read_whole(shard_path, &shard_size);
      buffer = realloc(buffer, buffer_size + shard_size + 1);
      if (!buffer)
        convert_die("out of memory");
      memcpy(buffer + buffer_size, shard, shard_size);
      buffer_size += shard_size;
      free(shard);
      free(shard_path);
    }
    model->shards[model->shard_count++] = buffer;
    cJSON_ArrayForEach(item, weights) {
      source_weight *weight = &model->weights[index++];
      size_t bytes;

      parse_weight(weight, item, manifest_path);
      bytes = weight->quantized ? weight->count : weight->count * 4;
      if (bytes > buffer_size - offset) {
        convert_die("%s: %s runs past the end of its shards", manifest_path,
                    weight->name);
      }
      weight->bytes = buffer + offset;
      offset += bytes;
    }
    if (offset != buffer_size) {
      convert_die("%s: %zu bytes of shards are not described", manifest_path,
                  buffer_size - offset);
    }
  }
  for (size_t i = 0; i < total; i++) {
    for (size_t j = i + 1; j < total; j++) {
      if (strcmp(model->weights[i].name, model->weights[j].name) == 0) {
        convert_die("%s: %s appears twice", manifest_path,
                    model->weights[i].name);
      }
    }
  }
  cJSON_Delete(root);
  free(text);
  free(manifest_path);
}

void source_free(source_model *model) {
  for (size_t i = 0; i < model->weight_count; i++) {
    free(model->weights[i].name);
  }
  for (size_t i = 0; i < model->shard_count; i++)
    free(model->shards[i]);
  free(model->weights);
  free(model->shards);
  free(model->name);
  memset(model, 0, sizeof *model);
}

source_weight *source_take(source_model *model, const char *name, uint32_t rank,
                           const uint32_t *shape) {
  for (size_t i = 0; i < model->weight_count; i++) {
    source_weight *weight = &model->weights[i];

    if (strcmp(weight->name, name) != 0)
      continue;
    if (weight->used) {
      convert_die("%s: weight %s is used twice", model->name, name);
    }
    if (weight->rank != rank) {
      convert_die("%s: weight %s has rank %u, expected %u", model->name, name,
                  weight->rank, rank);
    }
    for (uint32_t axis = 0; axis < rank; axis++) {
      if (shape[axis] && shape[axis] != weight->shape[axis]) {
        convert_die("%s: weight %s has extent %u on axis %u, expected %u",
                    model->name, name, weight->shape[axis], axis, shape[axis]);
      }
    }
    weight->used = 1;
    return weight;
  }
  convert_die("%s: weight %s is missing", model->name, name);
}

static double element(const source_weight *weight, size_t i) {
  if (weight->quantized) {
    return (double)weight->bytes[i] * weight->scale + weight->min;
  }
  /* The shards are little-endian, as the model files. */
  if (weight->is_integer) {
    return (double)(int32_t)dager_format_load_u32(weight->bytes + 4 * i);
  }
  return (double)dager_format_load_f32(weight->bytes + 4 * i);
}

float *source_floats(const source_weight *weight) {
  float *values = checked_calloc(weight->count, sizeof *values);

  /* TF.js dequantises in double precision and stores float32. */
  for (size_t i = 0; i < weight->count; i++) {
    values[i] = (float)element(weight, i);
  }
  return values;
}

void source_expect_constant(source_model *model, const char *name, size_t count,
                            const double *values) {
  source_weight *weight = NULL;
  uint32_t shape[SOURCE_MAX_RANK] = {0};

  for (size_t i = 0; i < model->weight_count && !weight; i++) {
    if (strcmp(model->weights[i].name, name) == 0)
      weight = &model->weights[i];
  }
  if (!weight)
    convert_die("%s: constant %s is missing", model->name, name);
  weight = source_take(model, name, weight->rank, shape);
  if (weight->count != count) {
    convert_die("%s: constant %s has %zu values, expected %zu", model->name,
                name, weight->count, count);
  }
  for (size_t i = 0; i < count; i++) {
    double value = element(weight, i);

    /* Integers are exact; float constants are compared as float32. */
    if (weight->is_integer ? value != values[i]
                           : (float)value != (float)values[i]) {
      convert_die(
          "%s: constant %s[%zu] is %.9g, the converted graph "
          "assumes %.9g",
          model->name, name, i, value, values[i]);
    }
  }
}

void source_check_all_used(const source_model *model) {
  for (size_t i = 0; i < model->weight_count; i++) {
    if (!model->weights[i].used) {
      convert_die("%s: weight %s is not used by the converted graph",
                  model->name, model->weights[i].name);
    }
  }
}
