/*
 * Face alignment: a similarity transform (rotation, uniform scale,
 * translation) fitted by least squares from five landmarks to a canonical
 * template, then a warp that averages bilinear taps over each crop pixel.
 */
#ifndef DAGER_FACE_ALIGN_H
#define DAGER_FACE_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"

#define DAGER_FACE_ALIGN_POINTS 5

/*
 * Most bilinear taps per crop pixel along each axis. With two, the aligned
 * crop of a demo-photo face turned by 20 degrees differs from the upright
 * face's by 0.17 grey levels on average when both use the same transform
 * (0.32 with one tap, 0.12 with three); each further tap costs as much as
 * the first two together.
 */
#define DAGER_FACE_WARP_MAX_TAPS 3

/*
 * Maps a point: x' = m[0] x + m[1] y + m[2], y' = m[3] x + m[4] y + m[5].
 * A similarity has m[0] = m[4] = s cos(a) and m[3] = -m[1] = s sin(a).
 */
typedef struct dager_face_affine {
  double m[6];
} dager_face_affine;

/*
 * Least-squares similarity taking point i of from to point i of to, for
 * count >= 2 points stored as x, y pairs (the closed form of Umeyama's
 * method without reflection). Returns 0 when the source points all
 * coincide, 1 otherwise.
 */
int dager_face_similarity_fit(const double *from, const double *to,
                              size_t count, dager_face_affine *out);

/* The inverse transform; returns 0 when the transform is singular. */
int dager_face_affine_invert(const dager_face_affine *transform,
                             dager_face_affine *out);

/*
 * The five alignment points of a 68-point face: centre of the person's
 * right eye (36-41), of the left eye (42-47), nose tip (30), mouth corners
 * (48 and 54).
 */
void dager_face_alignment_points(const float *landmarks,
                                 double points[DAGER_FACE_ALIGN_POINTS][2]);

/*
 * Where the five points go in an aligned crop, as fractions of its side:
 * the mean positions of those points in the reference's own attribute
 * crops on the demo photos, so that the aligned crop frames a face as the
 * networks were trained to see it, only upright.
 */
extern const double dager_face_align_template[DAGER_FACE_ALIGN_POINTS][2];

/*
 * The transform from image pixels to a size x size aligned crop for a face
 * with these landmarks. Returns 0 when the landmarks are degenerate.
 */
int dager_face_alignment_transform(const float *landmarks, int size,
                                   dager_face_affine *image_to_crop);

/*
 * Taps per axis that the warps below take for each crop pixel: one when a
 * crop pixel covers at most one image pixel, otherwise as many as image
 * pixels it spans (rounded up), at most DAGER_FACE_WARP_MAX_TAPS.
 */
int dager_face_warp_taps(const dager_face_affine *crop_to_image);

/*
 * Warp of an RGB8 image into a size x size RGB8 crop. Each crop pixel is
 * the mean of taps x taps bilinear samples (dager_face_warp_taps) at the
 * centres of an even grid over the pixel's square, mapped by
 * crop_to_image, so that a crop smaller than the face averages the image
 * pixels under each crop pixel instead of picking some of them (which
 * aliases, differently at every angle of the face). Samples outside the
 * image are black. With at most one image pixel per crop pixel this is a
 * plain bilinear warp.
 */
void dager_face_warp_rgb8(const uint8_t *pixels, uint32_t width,
                          uint32_t height, size_t stride,
                          const dager_face_affine *crop_to_image, int size,
                          uint8_t *out, size_t out_stride);

/*
 * The same, writing network input floats (size x size x 3, HWC):
 * (value - mean[c]) / divisor[c], where black outside the image is value 0
 * as in the reference's zero padding.
 */
void dager_face_warp_normalised(const uint8_t *pixels, uint32_t width,
                                uint32_t height, size_t stride,
                                const dager_face_affine *crop_to_image,
                                int size, const float mean[3],
                                const float divisor[3], float *out);

#endif /* DAGER_FACE_ALIGN_H */
