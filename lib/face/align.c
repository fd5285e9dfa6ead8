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

/* Bilinear sample of one pixel at (x, y), pixel centres at integer + 0.5;
 * neighbours outside the image count as black. */
static void sample(const uint8_t *pixels, uint32_t width, uint32_t height,
                   size_t stride, double x, double y, float rgb[3]) {
  double fx = x - 0.5, fy = y - 0.5;
  double x0 = floor(fx), y0 = floor(fy);
  double wx = fx - x0, wy = fy - y0;
  double weights[4] = {(1 - wx) * (1 - wy), wx * (1 - wy), (1 - wx) * wy,
                       wx * wy};
  double sum[3] = {0.0, 0.0, 0.0};

  rgb[0] = rgb[1] = rgb[2] = 0.0f;
  if (!(x0 >= -1.0 && y0 >= -1.0 && x0 < (double)width &&
        y0 < (double)height)) {
    return;
  }
  for (int k = 0; k < 4; k++) {
    long px = (long)x0 + (k & 1);
    long py = (long)y0 + (k >> 1);
    const uint8_t *p;

    if (px < 0 || py < 0 || px >= (long)width || py >= (long)height)
      continue;
    p = pixels + (size_t)py * stride + (size_t)px * 3;
    sum[0] += weights[k] * p[0];
    sum[1] += weights[k] * p[1];
    sum[2] += weights[k] * p[2];
  }
  rgb[0] = (float)sum[0];
  rgb[1] = (float)sum[1];
  rgb[2] = (float)sum[2];
}

void dager_face_warp_rgb8(const uint8_t *pixels, uint32_t width,
                          uint32_t height, size_t stride,
                          const dager_face_affine *crop_to_image, int size,
                          uint8_t *out, size_t out_stride) {
  const double *m = crop_to_image->m;

  for (int v = 0; v < size; v++) {
    uint8_t *row = out + (size_t)v * out_stride;

    for (int u = 0; u < size; u++) {
      double cx = u + 0.5, cy = v + 0.5;
      float rgb[3];

      sample(pixels, width, height, stride, m[0] * cx + m[1] * cy + m[2],
             m[3] * cx + m[4] * cy + m[5], rgb);
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
  const double *m = crop_to_image->m;

  for (int v = 0; v < size; v++) {
    for (int u = 0; u < size; u++) {
      double cx = u + 0.5, cy = v + 0.5;
      float rgb[3];
      float *target = out + ((size_t)v * size + u) * 3;

      sample(pixels, width, height, stride, m[0] * cx + m[1] * cy + m[2],
             m[3] * cx + m[4] * cy + m[5], rgb);
      for (int c = 0; c < 3; c++)
        target[c] = (rgb[c] - mean[c]) / divisor[c];
    }
  }
}
