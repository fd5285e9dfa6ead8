/*
 * Resampling: TensorFlow's legacy bilinear resize straight into a
 * normalised network input, and the bilinear affine warp for aligned
 * crops. Both read the source only through bounds-checked lookups, so no
 * coordinate, however wild, reaches outside the pixel buffer.
 */
#include <math.h>
#include <stdint.h>

#include "core/error.h"
#include "core/memory.h"
#include "image/image.h"

/*
 * One axis of the legacy resize: output index -> the two canvas indices to
 * blend and the weight of the second. The product is taken in float, as
 * TensorFlow and TF.js do, so the positions match theirs bit for bit.
 */
typedef struct axis_sample {
  int64_t low;
  int64_t high;
  float weight;
} axis_sample;

static axis_sample legacy_axis(int index, float scale, int canvas_side) {
  float position = scale * (float)index;
  float low = floorf(position);
  float high = ceilf(position);
  axis_sample sample;

  sample.low = (int64_t)low;
  sample.high = (int64_t)high;
  if (sample.high > canvas_side - 1)
    sample.high = canvas_side - 1;
  if (sample.low > canvas_side - 1)
    sample.low = canvas_side - 1;
  sample.weight = position - low;
  return sample;
}

/*
 * Output columns are resized in chunks of this many: the chunk's column
 * samples and the gathered neighbour values live on the stack (about
 * 16 KiB), and the arithmetic runs over flat arrays the compiler turns
 * into vector instructions, divisions included.
 */
#define RESIZE_CHUNK 256

/* Source column of a canvas column, or -1 where the canvas is black. */
static int64_t source_column(const dager_image_canvas *canvas, int64_t x) {
  int64_t source_x = x - canvas->offset_x;

  if (source_x < 0 || source_x >= canvas->source->width)
    return -1;
  return source_x;
}

/* The source row under a canvas row, or NULL where the canvas is black. */
static const uint8_t *source_row(const dager_image_canvas *canvas, int64_t y) {
  const dager_image *source = canvas->source;
  int64_t source_y = y - canvas->offset_y;

  if (source_y < 0 || source_y >= source->height)
    return NULL;
  return source->pixels + (size_t)source_y * source->width * 3;
}

/* Copies the 3 values of source column `column` of row, or zeros. */
static void gather(const uint8_t *row, int64_t column, float *out) {
  if (!row || column < 0) {
    out[0] = out[1] = out[2] = 0.0f;
    return;
  }
  out[0] = (float)row[column * 3];
  out[1] = (float)row[column * 3 + 1];
  out[2] = (float)row[column * 3 + 2];
}

/*
 * Resizes output columns [first, first + columns) of every row. The values
 * and the order of the operations are exactly those of the per-pixel
 * definition: one operation per statement in TensorFlow's order, so no
 * compiler fuses them into a differently rounded multiply-add.
 */
static void resize_columns(const dager_image_canvas *canvas, int first,
                           int columns, float scale_x, float scale_y,
                           int out_width, int out_height, const float mean[3],
                           const float divisor[3], float *out) {
  int64_t low[RESIZE_CHUNK];
  int64_t high[RESIZE_CHUNK];
  float weight_x[RESIZE_CHUNK * 3];
  float top_left[RESIZE_CHUNK * 3], top_right[RESIZE_CHUNK * 3];
  float bottom_left[RESIZE_CHUNK * 3], bottom_right[RESIZE_CHUNK * 3];
  float means[RESIZE_CHUNK * 3], divisors[RESIZE_CHUNK * 3];
  const int values = columns * 3;

  for (int i = 0; i < columns; i++) {
    axis_sample column = legacy_axis(first + i, scale_x, canvas->canvas_width);

    low[i] = source_column(canvas, column.low);
    high[i] = source_column(canvas, column.high);
    for (int c = 0; c < 3; c++) {
      weight_x[i * 3 + c] = column.weight;
      means[i * 3 + c] = mean[c];
      divisors[i * 3 + c] = divisor[c];
    }
  }
  for (int y = 0; y < out_height; y++) {
    axis_sample row = legacy_axis(y, scale_y, canvas->canvas_height);
    const uint8_t *top = source_row(canvas, row.low);
    const uint8_t *bottom = source_row(canvas, row.high);
    float *target = out + ((size_t)y * out_width + first) * 3;
    const float weight_y = row.weight;

    for (int i = 0; i < columns; i++) {
      gather(top, low[i], top_left + i * 3);
      gather(top, high[i], top_right + i * 3);
      gather(bottom, low[i], bottom_left + i * 3);
      gather(bottom, high[i], bottom_right + i * 3);
    }
    for (int i = 0; i < values; i++) {
      float top_step = top_right[i] - top_left[i];
      float bottom_step = bottom_right[i] - bottom_left[i];
      float top_delta = top_step * weight_x[i];
      float bottom_delta = bottom_step * weight_x[i];
      float top_value = top_left[i] + top_delta;
      float bottom_value = bottom_left[i] + bottom_delta;
      float vertical_step = bottom_value - top_value;
      float vertical_delta = vertical_step * weight_y;
      float value = top_value + vertical_delta;
      float centred = value - means[i];

      target[i] = centred / divisors[i];
    }
  }
}

dager_status dager_image_resize_to_tensor(const dager_image_canvas *canvas,
                                          int out_width, int out_height,
                                          const float mean[3],
                                          const float divisor[3], float *out) {
  float scale_x, scale_y;
  size_t values;

  if (!canvas || !canvas->source || !canvas->source->pixels || !mean ||
      !divisor || !out) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "NULL argument to the resize");
  }
  if (canvas->canvas_width < 1 || canvas->canvas_height < 1 ||
      canvas->canvas_width > DAGER_IMAGE_MAX_SIDE ||
      canvas->canvas_height > DAGER_IMAGE_MAX_SIDE || out_width < 1 ||
      out_height < 1 || out_width > DAGER_IMAGE_MAX_SIDE ||
      out_height > DAGER_IMAGE_MAX_SIDE) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "resize from %d x %d to %d x %d is out of range",
                      canvas->canvas_width, canvas->canvas_height, out_width,
                      out_height);
  }
  if (!dager_size_multiply((size_t)out_width * 3, (size_t)out_height,
                           &values)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "output size overflows");
  }
  for (int c = 0; c < 3; c++) {
    if (divisor[c] == 0.0f || !isfinite(divisor[c]) || !isfinite(mean[c])) {
      return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                        "normalisation constants of channel %d are invalid", c);
    }
  }

  scale_x = (float)canvas->canvas_width / (float)out_width;
  scale_y = (float)canvas->canvas_height / (float)out_height;
  for (int first = 0; first < out_width; first += RESIZE_CHUNK) {
    int columns =
        out_width - first < RESIZE_CHUNK ? out_width - first : RESIZE_CHUNK;

    resize_columns(canvas, first, columns, scale_x, scale_y, out_width,
                   out_height, mean, divisor, out);
  }
  return DAGER_OK;
}

int dager_image_affine_invert(const double matrix[6], double inverse[6]) {
  double determinant;
  double result[6];

  if (!matrix || !inverse)
    return 0;
  determinant = matrix[0] * matrix[4] - matrix[1] * matrix[3];
  if (!isfinite(determinant) || fabs(determinant) < 1e-12)
    return 0;
  result[0] = matrix[4] / determinant;
  result[1] = -matrix[1] / determinant;
  result[3] = -matrix[3] / determinant;
  result[4] = matrix[0] / determinant;
  result[2] = -(result[0] * matrix[2] + result[1] * matrix[5]);
  result[5] = -(result[3] * matrix[2] + result[4] * matrix[5]);
  for (int i = 0; i < 6; i++) {
    if (!isfinite(result[i]))
      return 0;
  }
  for (int i = 0; i < 6; i++)
    inverse[i] = result[i];
  return 1;
}

/* Source pixel (x, y), black outside the image. */
static const uint8_t black_pixel[3] = {0, 0, 0};

static const uint8_t *source_pixel(const dager_image *source, int64_t x,
                                   int64_t y) {
  if (x < 0 || y < 0 || x >= source->width || y >= source->height) {
    return black_pixel;
  }
  return source->pixels + ((size_t)y * source->width + x) * 3;
}

static uint8_t round_to_byte(double value) {
  if (!(value > 0.0))
    return 0;
  if (value >= 255.0)
    return 255;
  return (uint8_t)(value + 0.5);
}

dager_status dager_image_warp_affine(const dager_image *source,
                                     const double destination_to_source[6],
                                     int out_width, int out_height,
                                     uint8_t *out, size_t stride) {
  const double *m = destination_to_source;

  if (!source || !source->pixels || !m || !out) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "NULL argument to the warp");
  }
  if (out_width < 1 || out_height < 1 || out_width > DAGER_IMAGE_MAX_SIDE ||
      out_height > DAGER_IMAGE_MAX_SIDE || stride < (size_t)out_width * 3) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "warp output %d x %d with stride %zu is invalid",
                      out_width, out_height, stride);
  }
  for (int i = 0; i < 6; i++) {
    if (!isfinite(m[i])) {
      return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                        "warp matrix is not finite");
    }
  }

  for (int y = 0; y < out_height; y++) {
    uint8_t *target = out + (size_t)y * stride;

    for (int x = 0; x < out_width; x++, target += 3) {
      double source_x = m[0] * x + m[1] * y + m[2];
      double source_y = m[3] * x + m[4] * y + m[5];
      double floor_x, floor_y, weight_x, weight_y;
      int64_t left, top;
      const uint8_t *p00, *p10, *p01, *p11;

      /* Entirely outside (or not a number): black, and no conversion of
       * a huge double to an integer. */
      if (!(source_x > -1.0 && source_x < source->width && source_y > -1.0 &&
            source_y < source->height)) {
        target[0] = target[1] = target[2] = 0;
        continue;
      }
      floor_x = floor(source_x);
      floor_y = floor(source_y);
      weight_x = source_x - floor_x;
      weight_y = source_y - floor_y;
      left = (int64_t)floor_x;
      top = (int64_t)floor_y;
      p00 = source_pixel(source, left, top);
      p10 = source_pixel(source, left + 1, top);
      p01 = source_pixel(source, left, top + 1);
      p11 = source_pixel(source, left + 1, top + 1);
      for (int c = 0; c < 3; c++) {
        double upper = p00[c] + (p10[c] - p00[c]) * weight_x;
        double lower = p01[c] + (p11[c] - p01[c]) * weight_x;

        target[c] = round_to_byte(upper + (lower - upper) * weight_y);
      }
    }
  }
  return DAGER_OK;
}
