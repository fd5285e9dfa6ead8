/*
 * Detector post-processing: turning raw network outputs into face boxes.
 *
 * Everything here is a pure function over float arrays so it can be tested
 * against hand-computed values without a model. The formulas follow the
 * reference implementation (@vladmandic/face-api 1.7.15) where parity is
 * claimed; each function says where it differs and why.
 *
 * Boxes are corners (x0, y0) top-left and (x1, y1) bottom-right. Until
 * dager_face_box_to_image maps them, they are relative to the square network
 * input (0..1 spans the padded square).
 */
#ifndef DAGER_FACE_DETECT_H
#define DAGER_FACE_DETECT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dager_face_box {
  float x0, y0, x1, y1;
} dager_face_box;

typedef struct dager_face_candidate {
  dager_face_box box;
  float score;
  /* Position in the order the decoder produced candidates; breaks score
   * ties the way the reference's stable sort does. */
  uint32_t order;
  /* Width in the network input, in its pixels, of the pass that found
   * it; set by the caller running the passes (the decoders leave it). */
  float input_width;
} dager_face_candidate;

/*
 * SSD MobileNet v1 decoding. anchors holds anchor_count boxes as the
 * reference stores them (y0, x0, y1, x1, relative to the input);
 * box_encodings anchor_count x 4 (ty, tx, th, tw) and class_predictions
 * anchor_count x 3 (background, face, unused) logits, both concatenated in
 * predictor order. Centre offsets are divided by 10 and log sizes by 5, as
 * in the reference. Writes the candidates whose face score (sigmoid of
 * class 1) is strictly above min_score to out (room for anchor_count) and
 * returns their number.
 */
size_t dager_face_ssd_decode(const float *anchors, const float *box_encodings,
                             const float *class_predictions,
                             size_t anchor_count, float min_score,
                             dager_face_candidate *out);

/*
 * Tiny face detector (a YOLO v2 head) decoding. grid is cells_h x cells_w x
 * channels, with channels = anchor_count * values_per_anchor and each
 * anchor's values starting with (tx, ty, tw, th, objectness) before any
 * activation. anchors holds anchor_count (width, height) pairs in cells.
 * Candidates with sigmoid(objectness) strictly above min_score are written
 * to out (room for cells_h * cells_w * anchor_count), boxes relative to the
 * square input. Returns their number, or 0 when values_per_anchor < 5.
 */
size_t dager_face_tiny_decode(const float *grid, uint32_t cells_h,
                              uint32_t cells_w, uint32_t channels,
                              const float *anchors, uint32_t anchor_count,
                              float min_score, dager_face_candidate *out);

/* Intersection over union, 0 when either box has no area. */
float dager_face_box_iou(const dager_face_box *a, const dager_face_box *b);

/*
 * Greedy non-maximum suppression, the SSD reference's way: candidates in
 * order of falling score (ties by order), each kept unless a kept box
 * overlaps it with IoU above iou_threshold. Keeps at most max_kept and
 * moves the kept ones, strongest first, to the front of candidates.
 * Returns the number kept; *truncated is set to 1 when another candidate
 * would have been kept past max_kept, else 0.
 */
size_t dager_face_nms(dager_face_candidate *candidates, size_t count,
                      float iou_threshold, size_t max_kept, int *truncated);

/*
 * Maps a box relative to a detector's square input back to the pixels of
 * the region it was computed from. The region (width x height) was padded
 * at the bottom/right to a square and resized to input_size, as the
 * reference's detectors do. The scale is the reference's
 * input_size / round(side * input_size / max(width, height)) * side per
 * axis, which differs from the exact max(width, height) by the rounding
 * of the reshaped size, to stay at parity.
 */
dager_face_box dager_face_box_to_region(dager_face_box relative,
                                        uint32_t input_size, uint32_t width,
                                        uint32_t height);

/*
 * A detector pass: a region of the image (x, y, width, height, which may
 * reach outside the image; outside is black) that is padded at the bottom
 * or right to a square and resized to the network input.
 */
typedef struct dager_face_pass {
  int32_t x, y;
  uint32_t width, height;
  /* 1 when boxes touching an inner edge of this region are dropped
   * because a neighbouring, overlapping tile sees those faces whole. */
  int tile;
} dager_face_pass;

#define DAGER_FACE_MAX_PASSES 64

/* Which passes the planners may add to the whole-image pass. */
typedef enum dager_face_tiling {
  /* Only the whole-image pass, and the tiles min_face_size asks for. */
  DAGER_FACE_TILING_OFF = 0,
  /* Also strip tiles, the padded pass of small images and the adaptive
   * refinement (dager_face_plan_refinement). */
  DAGER_FACE_TILING_AUTO = 1
} dager_face_tiling;

/*
 * Plans the detector passes for an image. Always one pass over the whole
 * image (what the reference does, so results stay at parity on ordinary
 * photos), then with DAGER_FACE_TILING_AUTO:
 *   - strips (long side more than twice the short side, short side at
 *     least 40 pixels): overlapping square tiles of the short side along
 *     the long side, stride half a tile, so a face that a squeeze to one
 *     square would shrink below the detector's reach is seen at the
 *     strip's own scale;
 *   - images whose long side is below 400 pixels: a pass over the image
 *     centred in a black square of twice its long side, so a face that
 *     fills a small image (too close for the detector: face crops,
 *     thumbnails) appears at half the size. On 298 UTKFace 200 x 200 chips
 *     this raised the faces found from 118 to 259;
 * and with either tiling:
 *   - min_face_size > 0: tiles of every smaller power-of-two fraction of
 *     the long side down to the tile side at which a face of min_face_size
 *     pixels appears at least 32 pixels wide in the network input.
 * Writes at most DAGER_FACE_MAX_PASSES passes and returns their number.
 * Every tile level covers the whole image: a level that does not fit in the
 * passes left is dropped whole (with it the finer ones), so on very large
 * images min_face_size is not reached; a strip longer than the passes
 * allow gets longer tiles instead.
 */
size_t dager_face_plan_passes(uint32_t width, uint32_t height,
                              uint32_t input_size, uint32_t min_face_size,
                              dager_face_tiling tiling,
                              dager_face_pass *passes);

/* Side of the finest region among count passes (the smallest of their
 * longer sides), 0 when count is 0. */
uint32_t dager_face_finest_side(const dager_face_pass *passes, size_t count);

/*
 * Refinement thresholds, as fractions of the detector's input side; for
 * SSD's 512 pixels about 34.8 and 35.8 pixels. A face narrower than
 * DAGER_FACE_REFINE_BELOW of the input is near the smallest the detector
 * finds reliably: the demo photos' faces are at least 38.8 pixels wide in
 * SSD's input, those of ../shared/bugcases C37 31 to 37 and C38 13 to 19,
 * where one pass misses 1 of 64 and 7 of 22. Refinement tiles are sized so
 * that the smallest face found appears DAGER_FACE_REFINE_TARGET of the
 * input wide. Measured on C37, C38 and their generated, padded and
 * cropped variants, 0.0625 to 0.072 found every face; 0.08 and above (41
 * pixels and more) lost faces of C38 to looser boxes.
 */
#define DAGER_FACE_REFINE_BELOW 0.068
#define DAGER_FACE_REFINE_TARGET 0.07

/* Most passes one refinement adds (about 0.9 s of SSD on one core). */
#define DAGER_FACE_REFINE_MAX_PASSES 16

/* Width in image pixels under which a face was near the detector's lower
 * reach in the finest of count passes: DAGER_FACE_REFINE_BELOW times the
 * finest side (dager_face_finest_side). */
float dager_face_small_width(const dager_face_pass *passes, size_t count);

/*
 * The adaptive refinement, planned after the passes[0..count) have run.
 * smallest_face is the width in image pixels of the narrowest face they
 * found (after merging; 0 when none). When it is below
 * dager_face_small_width, the photo holds faces at the detector's lower
 * reach and most likely smaller or weaker ones it missed: one grid of
 * square tiles is appended, of side smallest_face /
 * DAGER_FACE_REFINE_TARGET (at least 64 pixels), overlapping by half a
 * tile and covering the whole image. When that grid needs more than
 * DAGER_FACE_REFINE_MAX_PASSES passes, or more than are left, its tiles
 * grow by an eighth at a time until it fits, as long as they stay finer
 * than the finest pass; otherwise nothing is added. Returns the new pass
 * count (count when nothing is added). One refinement at most: faces the
 * tiles find do not start another.
 */
size_t dager_face_plan_refinement(uint32_t width, uint32_t height,
                                  uint32_t input_size, float smallest_face,
                                  dager_face_pass *passes, size_t count);

/* Share of the smaller box that another must cover to supersede it. */
#define DAGER_FACE_SUPERSEDED_COVER 0.5f

/*
 * After a refinement, before the final merge: candidates[0..coarse) came
 * from the planned passes, candidates[coarse..count) from the refinement
 * tiles. A planned-pass box that its pass saw narrower than
 * DAGER_FACE_REFINE_BELOW * input_size (input_width; a face near the
 * detector's lower reach, whose box is loose) is dropped when a
 * refinement box covers at least DAGER_FACE_SUPERSEDED_COVER of the
 * smaller of the two: the tiles saw that face larger, and the loose box
 * would otherwise survive the merge as a second face beside it (their IoU
 * is often below the NMS threshold). A small box no refinement box covers
 * is kept, so the tiles never lose a face the planned passes found.
 * Compacts the kept candidates in their order to the front and returns
 * their number.
 */
size_t dager_face_drop_superseded(dager_face_candidate *candidates,
                                  size_t coarse, size_t count,
                                  uint32_t input_size);

#endif /* DAGER_FACE_DETECT_H */
