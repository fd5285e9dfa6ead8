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

/* Canvas sample: the source pixel under canvas (x, y), black elsewhere. */
static const uint8_t black_pixel[3] = {0, 0, 0};

static const uint8_t *canvas_pixel(const dager_image_canvas *canvas, int64_t x,
                                   int64_t y) {
  const dager_image *source = canvas->source;
  int64_t source_x = x - canvas->offset_x;
  int64_t source_y = y - canvas->offset_y;

  if (source_x < 0 || source_y < 0 || source_x >= source->width ||
      source_y >= source->height) {
    return black_pixel;
  }
  return source->pixels + ((size_t)source_y * source->width + source_x) * 3;
}

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
  for (int y = 0; y < out_height; y++) {
    axis_sample row = legacy_axis(y, scale_y, canvas->canvas_height);
    float *target = out + (size_t)y * out_width * 3;

    for (int x = 0; x < out_width; x++) {
      axis_sample column = legacy_axis(x, scale_x, canvas->canvas_width);
      const uint8_t *top_left = canvas_pixel(canvas, column.low, row.low);
      const uint8_t *top_right = canvas_pixel(canvas, column.high, row.low);
      const uint8_t *bottom_left = canvas_pixel(canvas, column.low, row.high);
      const uint8_t *bottom_right = canvas_pixel(canvas, column.high, row.high);

      for (int c = 0; c < 3; c++) {
        /* One operation per statement, in TensorFlow's order, so no
         * compiler fuses them into a differently rounded multiply-add. */
        float top_step = (float)top_right[c] - (float)top_left[c];
        float bottom_step = (float)bottom_right[c] - (float)bottom_left[c];
        float top_delta = top_step * column.weight;
        float bottom_delta = bottom_step * column.weight;
        float top = (float)top_left[c] + top_delta;
        float bottom = (float)bottom_left[c] + bottom_delta;
        float vertical_step = bottom - top;
        float vertical_delta = vertical_step * row.weight;
        float value = top + vertical_delta;
        float centred = value - mean[c];

        target[(size_t)x * 3 + c] = centred / divisor[c];
      }
    }
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

/* Source pixel (x, y) as doubles, black outside the image. */
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
