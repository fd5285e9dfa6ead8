#include "face/align.h"

#include <math.h>

/* Fractions of the crop side. Means over the 22 faces of the reference
 * pipeline fixtures (demo photos) of where these points fall in the
 * reference's expression/age crop (landmark box grown by 20 %, padded to a
 * square), with x made symmetric about the centre. */
const double dager_face_align_template[DAGER_FACE_ALIGN_POINTS][2] = {
    {0.330, 0.298}, /* person's right eye centre (image left) */
    {0.670, 0.298}, /* person's left eye centre */
    {0.500, 0.526}, /* nose tip */
    {0.357, 0.668}, /* right mouth corner */
    {0.643, 0.668}, /* left mouth corner */
};

int dager_face_similarity_fit(const double *from, const double *to,
                              size_t count, dager_face_affine *out) {
  double from_x = 0.0, from_y = 0.0, to_x = 0.0, to_y = 0.0;
  double spread = 0.0, dot = 0.0, cross = 0.0;
  double a, b;

  if (count < 2)
    return 0;
  for (size_t i = 0; i < count; i++) {
    from_x += from[2 * i];
    from_y += from[2 * i + 1];
    to_x += to[2 * i];
    to_y += to[2 * i + 1];
  }
  from_x /= (double)count;
  from_y /= (double)count;
  to_x /= (double)count;
  to_y /= (double)count;

  /* With both point sets centred, the best a = s cos, b = s sin are the
   * projections of the targets on the sources and on the sources turned
   * by 90 degrees, over the sources' spread. */
  for (size_t i = 0; i < count; i++) {
    double px = from[2 * i] - from_x, py = from[2 * i + 1] - from_y;
    double qx = to[2 * i] - to_x, qy = to[2 * i + 1] - to_y;

    spread += px * px + py * py;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  if (!(spread > 1e-12))
    return 0;
  a = dot / spread;
  b = cross / spread;

  out->m[0] = a;
  out->m[1] = -b;
  out->m[2] = to_x - (a * from_x - b * from_y);
  out->m[3] = b;
  out->m[4] = a;
  out->m[5] = to_y - (b * from_x + a * from_y);
  return 1;
}

int dager_face_affine_invert(const dager_face_affine *transform,
                             dager_face_affine *out) {
  const double *m = transform->m;
  double determinant = m[0] * m[4] - m[1] * m[3];
  double i0, i1, i3, i4;

  if (!(fabs(determinant) > 1e-12) || !isfinite(determinant))
    return 0;
  i0 = m[4] / determinant;
  i1 = -m[1] / determinant;
  i3 = -m[3] / determinant;
  i4 = m[0] / determinant;
  out->m[0] = i0;
  out->m[1] = i1;
  out->m[2] = -(i0 * m[2] + i1 * m[5]);
  out->m[3] = i3;
  out->m[4] = i4;
  out->m[5] = -(i3 * m[2] + i4 * m[5]);
  return 1;
}

static void mean_of(const float *landmarks, int first, int count,
                    double point[2]) {
  double x = 0.0, y = 0.0;

  for (int i = first; i < first + count; i++) {
    x += (double)landmarks[2 * i];
    y += (double)landmarks[2 * i + 1];
  }
  point[0] = x / count;
  point[1] = y / count;
}

void dager_face_alignment_points(const float *landmarks,
                                 double points[DAGER_FACE_ALIGN_POINTS][2]) {
  mean_of(landmarks, 36, 6, points[0]);
  mean_of(landmarks, 42, 6, points[1]);
  mean_of(landmarks, 30, 1, points[2]);
  mean_of(landmarks, 48, 1, points[3]);
  mean_of(landmarks, 54, 1, points[4]);
}

int dager_face_alignment_transform(const float *landmarks, int size,
                                   dager_face_affine *image_to_crop) {
  double from[DAGER_FACE_ALIGN_POINTS][2];
  double to[DAGER_FACE_ALIGN_POINTS][2];

  dager_face_alignment_points(landmarks, from);
  for (int i = 0; i < DAGER_FACE_ALIGN_POINTS; i++) {
    to[i][0] = dager_face_align_template[i][0] * size;
    to[i][1] = dager_face_align_template[i][1] * size;
  }
  return dager_face_similarity_fit(&from[0][0], &to[0][0],
                                   DAGER_FACE_ALIGN_POINTS, image_to_crop);
}

/* Adds the bilinear sample at (x, y) to sum, pixel centres at integer + 0.5;
 * neighbours outside the image count as black. */
static void add_bilinear(const uint8_t *pixels, uint32_t width, uint32_t height,
                         size_t stride, double x, double y, float sum[3]) {
  double fx = x - 0.5, fy = y - 0.5;
  float wx, wy;
  long left, top;

  /* Also false for NaN, and keeps the conversions below in range. */
  if (!(fx >= -1.0 && fy >= -1.0 && fx < (double)width &&
        fy < (double)height)) {
    return;
  }
  /* floor by truncation of a positive number: floor is a library call on
   * baseline x86-64, and this runs for every tap. */
  left = (long)(fx + 1.0) - 1;
  top = (long)(fy + 1.0) - 1;
  wx = (float)(fx - (double)left);
  wy = (float)(fy - (double)top);
  if (left >= 0 && top >= 0 && left + 1 < (long)width &&
      top + 1 < (long)height) {
    const uint8_t *p = pixels + (size_t)top * stride + (size_t)left * 3;
    const uint8_t *q = p + stride;

    for (int c = 0; c < 3; c++) {
      float upper = p[c] + wx * (float)(p[c + 3] - p[c]);
      float lower = q[c] + wx * (float)(q[c + 3] - q[c]);

      sum[c] += upper + wy * (lower - upper);
    }
    return;
  }
  for (int k = 0; k < 4; k++) {
    long px = left + (k & 1), py = top + (k >> 1);
    float weight = ((k & 1) ? wx : 1.0f - wx) * ((k >> 1) ? wy : 1.0f - wy);
    const uint8_t *p;

    if (px < 0 || py < 0 || px >= (long)width || py >= (long)height)
      continue;
    p = pixels + (size_t)py * stride + (size_t)px * 3;
    sum[0] += weight * p[0];
    sum[1] += weight * p[1];
    sum[2] += weight * p[2];
  }
}

int dager_face_warp_taps(const dager_face_affine *crop_to_image) {
  const double *m = crop_to_image->m;
  /* Image pixels per crop pixel along the crop's longer axis. */
  double step = fmax(hypot(m[0], m[3]), hypot(m[1], m[4]));

  /* The slack keeps a pure rotation, whose step is 1 up to rounding, at
   * one tap. */
  if (!(step > 1.0 + 1e-6))
    return 1;
  if (step >= DAGER_FACE_WARP_MAX_TAPS)
    return DAGER_FACE_WARP_MAX_TAPS;
  return (int)ceil(step - 1e-6);
}

/* Where the taps of crop pixel (0, 0) fall relative to its corner's image
 * point, along the crop's x and y axes. */
typedef struct warp_taps {
  int count;
  double along_u[DAGER_FACE_WARP_MAX_TAPS][2];
  double along_v[DAGER_FACE_WARP_MAX_TAPS][2];
} warp_taps;

static void plan_taps(const dager_face_affine *crop_to_image, warp_taps *taps) {
  const double *m = crop_to_image->m;

  taps->count = dager_face_warp_taps(crop_to_image);
  for (int i = 0; i < taps->count; i++) {
    double offset = (i + 0.5) / taps->count;

    taps->along_u[i][0] = m[0] * offset;
    taps->along_u[i][1] = m[3] * offset;
    taps->along_v[i][0] = m[1] * offset;
    taps->along_v[i][1] = m[4] * offset;
  }
}

/* One crop pixel: the mean of count x count bilinear samples spread evenly
 * over the crop pixel's square, i.e. a box filter the size of the crop
 * pixel. A single bilinear sample per pixel would skip source pixels
 * when the crop is smaller than the face, and which ones it skips changes
 * with the face's angle (aliasing). */
static void sample_pixel(const uint8_t *pixels, uint32_t width, uint32_t height,
                         size_t stride, const dager_face_affine *crop_to_image,
                         const warp_taps *taps, int u, int v, float rgb[3]) {
  const double *m = crop_to_image->m;
  /* Positions in double: a float could not hold every transform's
   * points (converting an out-of-range double to float is undefined). */
  double corner_x = m[0] * u + m[1] * v + m[2];
  double corner_y = m[3] * u + m[4] * v + m[5];
  float sum[3] = {0.0f, 0.0f, 0.0f};
  float weight = 1.0f / (float)(taps->count * taps->count);

  for (int j = 0; j < taps->count; j++) {
    double row_x = corner_x + taps->along_v[j][0];
    double row_y = corner_y + taps->along_v[j][1];

    for (int i = 0; i < taps->count; i++) {
      add_bilinear(pixels, width, height, stride, row_x + taps->along_u[i][0],
                   row_y + taps->along_u[i][1], sum);
    }
  }
  rgb[0] = sum[0] * weight;
  rgb[1] = sum[1] * weight;
  rgb[2] = sum[2] * weight;
}

void dager_face_warp_rgb8(const uint8_t *pixels, uint32_t width,
                          uint32_t height, size_t stride,
                          const dager_face_affine *crop_to_image, int size,
                          uint8_t *out, size_t out_stride) {
  warp_taps taps;

  plan_taps(crop_to_image, &taps);
  for (int v = 0; v < size; v++) {
    uint8_t *row = out + (size_t)v * out_stride;

    for (int u = 0; u < size; u++) {
      float rgb[3];

      sample_pixel(pixels, width, height, stride, crop_to_image, &taps, u, v,
                   rgb);
      for (int c = 0; c < 3; c++) {
        float value = rgb[c] + 0.5f;
        row[u * 3 + c] = (uint8_t)(value > 255.0f ? 255.0f : value);
      }
    }
  }
}

void dager_face_warp_normalised(const uint8_t *pixels, uint32_t width,
                                uint32_t height, size_t stride,
                                const dager_face_affine *crop_to_image,
                                int size, const float mean[3],
                                const float divisor[3], float *out) {
  warp_taps taps;

  plan_taps(crop_to_image, &taps);
  for (int v = 0; v < size; v++) {
    for (int u = 0; u < size; u++) {
      float rgb[3];
      float *target = out + ((size_t)v * size + u) * 3;

      sample_pixel(pixels, width, height, stride, crop_to_image, &taps, u, v,
                   rgb);
      for (int c = 0; c < 3; c++)
        target[c] = (rgb[c] - mean[c]) / divisor[c];
    }
  }
}
