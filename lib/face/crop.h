/*
 * Where each face network looks, and how its outputs map back: the
 * reference implementation's crop rules, written as pure functions.
 *
 * The reference cuts a face network's input out of the image as an integer
 * rectangle (clipped to the image, then x, y, width and height each
 * floored), pads it with black to a square with the padding centred
 * (floor(d/2) before, ceil(d/2) after), and resizes that square to the
 * network's input size.
 */
#ifndef DAGER_FACE_CROP_H
#define DAGER_FACE_CROP_H

#include <stdint.h>

#include "dager.h"

/* An integer rectangle inside the image; width and height > 0. */
typedef struct dager_face_rect {
  int32_t x, y;
  int32_t width, height;
} dager_face_rect;

/*
 * The reference's clip-then-floor of a box (x, y, width, height in image
 * pixels). Returns 0 and leaves *out untouched when nothing of the box is
 * left inside the image, 1 otherwise.
 */
int dager_face_rect_from_box(double x, double y, double width, double height,
                             uint32_t image_width, uint32_t image_height,
                             dager_face_rect *out);

/*
 * The square region a crop becomes after centred padding: side
 * max(width, height), placed so that floor(d/2) black pixels come before the
 * crop on the short axis. Region coordinates may be negative.
 */
void dager_face_rect_centred_square(const dager_face_rect *crop, int32_t *x,
                                    int32_t *y, int32_t *side);

/*
 * Maps the landmark network's 136 raw outputs (x, y pairs, relative to its
 * square input of input_size) back to image pixels, for a network input
 * made from crop (centred padding). shift_x/shift_y are added at the end:
 * the reference shifts by the detection box's unfloored top-left corner,
 * which lies within one pixel of the crop's.
 */
void dager_face_landmarks_to_image(const float *raw, uint32_t input_size,
                                   const dager_face_rect *crop, double shift_x,
                                   double shift_y, float *points);

/*
 * Box of the age, gender and expression crop ("box" mode): the bounding box
 * of the landmarks grown by padding (0.2 in the reference) of its width and
 * height, half on each side. As in the reference, the box's right and
 * bottom edges are at least 0. Writes x, y, width, height.
 */
void dager_face_landmark_box(const float *points, double padding,
                             double box[4]);

/*
 * Box of the descriptor crop: dlib-style, a square of side
 * floor(mean eye-to-mouth distance / 0.45) around the mean of the two eye
 * centres and the mouth centre (at 0.5 across, 0.43 down), top-left clamped
 * at 0 and floored, as the reference's useDlibAlignment. The reference caps
 * the size by the landmark crop's size plus the corner; landmark_crop gives
 * that size. Writes x, y, width, height.
 */
void dager_face_descriptor_box(const float *points,
                               const dager_face_rect *landmark_crop,
                               double box[4]);

/*
 * Emotion label order: for each dager_emotion, the index of that emotion
 * among the model's labels (lower-case English names as in the reference:
 * "angry", "disgusted", "fearful", "happy", "neutral", "sad", "surprised").
 * Returns 1 when all seven are found exactly once, 0 otherwise.
 */
int dager_face_emotion_map(const char *const *labels, uint32_t label_count,
                           uint32_t map[DAGER_EMOTION_COUNT]);

/*
 * Copies the model's probabilities into dager_emotion order and returns the
 * dominant emotion (the first of the largest).
 */
dager_emotion dager_face_emotions_reorder(
    const float *model_probabilities, const uint32_t map[DAGER_EMOTION_COUNT],
    float emotions[DAGER_EMOTION_COUNT]);

/*
 * Gender from the model's two probabilities, male_index saying which of them
 * is "male" (0 in the reference model). Reports the more probable one and
 * its probability; male when the male probability is above 0.5, as the
 * reference decides.
 */
dager_gender dager_face_gender(const float probabilities[2],
                               uint32_t male_index, float *probability);

#endif /* DAGER_FACE_CROP_H */
