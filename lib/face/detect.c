#include "face/detect.h"

#include <math.h>
#include <stdlib.h>

/* Below this long side an image also gets the padded pass. */
#define DAGER_FACE_SMALL_IMAGE 400

/* Strips thinner than this get no strip tiles: a face in them would be
 * under 40 pixels, below what the 112-pixel face networks can read, and
 * up to 63 upscaled passes over them cost seconds. */
#define DAGER_FACE_MIN_STRIP_SIDE 40

/* No tile level is finer than this many pixels. */
#define DAGER_FACE_MIN_TILE 64

static float sigmoid(float x) {
  return 1.0f / (1.0f + expf(-x));
}

size_t dager_face_ssd_decode(const float *anchors, const float *box_encodings,
                             const float *class_predictions,
                             size_t anchor_count, float min_score,
                             dager_face_candidate *out) {
  size_t count = 0;

  for (size_t i = 0; i < anchor_count; i++) {
    float score = sigmoid(class_predictions[i * 3 + 1]);
    const float *anchor = anchors + i * 4;
    const float *code = box_encodings + i * 4;
    float anchor_h, anchor_w, centre_y, centre_x, half_h, half_w;

    if (!(score > min_score))
      continue;

    /* Anchors and codes are y-first, as in the TensorFlow object detection
     * API the model comes from. */
    anchor_h = anchor[2] - anchor[0];
    anchor_w = anchor[3] - anchor[1];
    centre_y = code[0] / 10.0f * anchor_h + (anchor[0] + anchor_h / 2.0f);
    centre_x = code[1] / 10.0f * anchor_w + (anchor[1] + anchor_w / 2.0f);
    half_h = expf(code[2] / 5.0f) * anchor_h / 2.0f;
    half_w = expf(code[3] / 5.0f) * anchor_w / 2.0f;

    out[count].box.x0 = centre_x - half_w;
    out[count].box.y0 = centre_y - half_h;
    out[count].box.x1 = centre_x + half_w;
    out[count].box.y1 = centre_y + half_h;
    out[count].score = score;
    out[count].order = (uint32_t)i;
    count++;
  }
  return count;
}

size_t dager_face_tiny_decode(const float *grid, uint32_t cells_h,
                              uint32_t cells_w, uint32_t channels,
                              const float *anchors, uint32_t anchor_count,
                              float min_score, dager_face_candidate *out) {
  uint32_t per_anchor;
  size_t count = 0;

  if (anchor_count == 0 || channels % anchor_count != 0)
    return 0;
  per_anchor = channels / anchor_count;
  if (per_anchor < 5)
    return 0;

  /* The reference divides by the number of cells across; the grid is
   * square there, so each axis uses its own count here. */
  for (uint32_t row = 0; row < cells_h; row++) {
    for (uint32_t col = 0; col < cells_w; col++) {
      const float *cell = grid + ((size_t)row * cells_w + col) * channels;

      for (uint32_t a = 0; a < anchor_count; a++) {
        const float *v = cell + (size_t)a * per_anchor;
        float score = sigmoid(v[4]);
        float centre_x, centre_y, width, height;

        if (!(score > min_score))
          continue;
        centre_x = ((float)col + sigmoid(v[0])) / (float)cells_w;
        centre_y = ((float)row + sigmoid(v[1])) / (float)cells_h;
        width = expf(v[2]) * anchors[2 * a] / (float)cells_w;
        height = expf(v[3]) * anchors[2 * a + 1] / (float)cells_h;

        out[count].box.x0 = centre_x - width / 2.0f;
        out[count].box.y0 = centre_y - height / 2.0f;
        out[count].box.x1 = out[count].box.x0 + width;
        out[count].box.y1 = out[count].box.y0 + height;
        out[count].score = score;
        out[count].order = (uint32_t)count;
        count++;
      }
    }
  }
  return count;
}

float dager_face_box_iou(const dager_face_box *a, const dager_face_box *b) {
  /* Corners may come in either order from a decoder; normalise them as the
   * reference does before measuring. */
  float ax0 = fminf(a->x0, a->x1), ax1 = fmaxf(a->x0, a->x1);
  float ay0 = fminf(a->y0, a->y1), ay1 = fmaxf(a->y0, a->y1);
  float bx0 = fminf(b->x0, b->x1), bx1 = fmaxf(b->x0, b->x1);
  float by0 = fminf(b->y0, b->y1), by1 = fmaxf(b->y0, b->y1);
  float area_a = (ax1 - ax0) * (ay1 - ay0);
  float area_b = (bx1 - bx0) * (by1 - by0);
  float inter_w, inter_h, inter;

  if (area_a <= 0.0f || area_b <= 0.0f)
    return 0.0f;
  inter_w = fmaxf(fminf(ax1, bx1) - fmaxf(ax0, bx0), 0.0f);
  inter_h = fmaxf(fminf(ay1, by1) - fmaxf(ay0, by0), 0.0f);
  inter = inter_w * inter_h;
  return inter / (area_a + area_b - inter);
}

static int by_falling_score(const void *left, const void *right) {
  const dager_face_candidate *a = left;
  const dager_face_candidate *b = right;

  if (a->score > b->score)
    return -1;
  if (a->score < b->score)
    return 1;
  return (a->order > b->order) - (a->order < b->order);
}

size_t dager_face_nms(dager_face_candidate *candidates, size_t count,
                      float iou_threshold, size_t max_kept, int *truncated) {
  size_t kept = 0;

  *truncated = 0;
  if (count == 0)
    return 0;
  qsort(candidates, count, sizeof *candidates, by_falling_score);

  /* Kept boxes are compacted into the front; position i is read before
   * anything is written past kept <= i, so this works in place. */
  for (size_t i = 0; i < count; i++) {
    int suppressed = 0;

    for (size_t j = kept; j-- > 0;) {
      if (dager_face_box_iou(&candidates[i].box, &candidates[j].box) >
          iou_threshold) {
        suppressed = 1;
        break;
      }
    }
    if (suppressed)
      continue;
    if (kept == max_kept) {
      *truncated = 1;
      break;
    }
    candidates[kept++] = candidates[i];
  }
  return kept;
}

dager_face_box dager_face_box_to_region(dager_face_box relative,
                                        uint32_t input_size, uint32_t width,
                                        uint32_t height) {
  double side = width > height ? width : height;
  double scale = (double)input_size / side;
  double reshaped_w = round(width * scale);
  double reshaped_h = round(height * scale);
  double factor_x, factor_y;
  dager_face_box box;

  if (reshaped_w < 1.0)
    reshaped_w = 1.0;
  if (reshaped_h < 1.0)
    reshaped_h = 1.0;
  factor_x = (double)input_size / reshaped_w * width;
  factor_y = (double)input_size / reshaped_h * height;
  box.x0 = (float)((double)relative.x0 * factor_x);
  box.x1 = (float)((double)relative.x1 * factor_x);
  box.y0 = (float)((double)relative.y0 * factor_y);
  box.y1 = (float)((double)relative.y1 * factor_y);
  return box;
}

/* Number of tiles of side tile along length, at most half a tile apart. */
static uint64_t tile_count(uint32_t length, uint32_t tile) {
  uint32_t step = tile / 2 > 0 ? tile / 2 : 1;

  if (length <= tile)
    return 1;
  return (length - tile + step - 1) / step + 1;
}

/* Start of tile i of count, the first at 0 and the last flush with the
 * end, evenly spread. */
static uint32_t tile_start(uint32_t length, uint32_t tile, uint64_t i,
                           uint64_t count) {
  if (length <= tile || count < 2)
    return 0;
  return (uint32_t)(((uint64_t)(length - tile) * i + (count - 1) / 2) /
                    (count - 1));
}

/* Adds a whole grid of tile_w x tile_h tiles covering the image, or
 * nothing when the grid does not fit in the passes left before limit: a
 * partial grid would leave parts of the image silently unsearched. */
static size_t add_grid_within(uint32_t width, uint32_t height, uint32_t tile_w,
                              uint32_t tile_h, dager_face_pass *passes,
                              size_t count, size_t limit) {
  uint64_t nx = tile_count(width, tile_w);
  uint64_t ny = tile_count(height, tile_h);

  if (count >= limit || nx * ny > limit - count)
    return count;
  for (uint64_t j = 0; j < ny; j++) {
    for (uint64_t i = 0; i < nx; i++) {
      passes[count].x = (int32_t)tile_start(width, tile_w, i, nx);
      passes[count].y = (int32_t)tile_start(height, tile_h, j, ny);
      passes[count].width = tile_w < width ? tile_w : width;
      passes[count].height = tile_h < height ? tile_h : height;
      passes[count].tile = 1;
      count++;
    }
  }
  return count;
}

static size_t add_grid(uint32_t width, uint32_t height, uint32_t tile_w,
                       uint32_t tile_h, dager_face_pass *passes, size_t count) {
  return add_grid_within(width, height, tile_w, tile_h, passes, count,
                         DAGER_FACE_MAX_PASSES);
}

size_t dager_face_plan_passes(uint32_t width, uint32_t height,
                              uint32_t input_size, uint32_t min_face_size,
                              dager_face_tiling tiling,
                              dager_face_pass *passes) {
  uint32_t long_side = width > height ? width : height;
  uint32_t short_side = width > height ? height : width;
  size_t count = 0;

  passes[count].x = 0;
  passes[count].y = 0;
  passes[count].width = width;
  passes[count].height = height;
  passes[count].tile = 0;
  count++;

  if (tiling == DAGER_FACE_TILING_AUTO && long_side < DAGER_FACE_SMALL_IMAGE) {
    int32_t margin_x = (int32_t)(long_side * 2 - width) / 2;
    int32_t margin_y = (int32_t)(long_side * 2 - height) / 2;

    passes[count].x = -margin_x;
    passes[count].y = -margin_y;
    passes[count].width = long_side * 2;
    passes[count].height = long_side * 2;
    passes[count].tile = 0;
    count++;
  }

  if (tiling == DAGER_FACE_TILING_AUTO &&
      short_side >= DAGER_FACE_MIN_STRIP_SIDE &&
      long_side > 2 * (uint64_t)short_side) {
    /* Square tiles of the short side; a strip too long for the passes
     * left gets longer tiles (then squeezed a little, padded at the
     * bottom or right), so the whole strip is still covered. */
    uint64_t room = DAGER_FACE_MAX_PASSES - count;
    uint32_t along = short_side;

    if (tile_count(long_side, along) > room) {
      along = (uint32_t)((2 * (uint64_t)long_side + room) / (room + 1));
      while (tile_count(long_side, along) > room)
        along++;
    }
    count = width >= height
                ? add_grid(width, height, along, height, passes, count)
                : add_grid(width, height, width, along, passes, count);
  }

  if (min_face_size > 0 && input_size > 0) {
    /* A face of min_face_size pixels is min_face_size * input / tile
     * pixels in the network input; 32 is comfortably inside the range
     * SSD MobileNet finds. Levels halve the tile until that holds, and
     * stop early when a level no longer fits in the passes left. */
    uint64_t finest = (uint64_t)min_face_size * input_size / 32;
    uint32_t tile = long_side / 2;

    if (finest >= long_side)
      tile = 0;
    while (tile >= DAGER_FACE_MIN_TILE) {
      size_t before = count;

      count = add_grid(width, height, tile, tile, passes, count);
      if (count == before || tile <= finest)
        break;
      tile /= 2;
    }
  }
  return count;
}

uint32_t dager_face_finest_side(const dager_face_pass *passes, size_t count) {
  uint32_t finest = 0;

  for (size_t i = 0; i < count; i++) {
    uint32_t side =
        passes[i].width > passes[i].height ? passes[i].width : passes[i].height;

    if (finest == 0 || side < finest)
      finest = side;
  }
  return finest;
}

float dager_face_small_width(const dager_face_pass *passes, size_t count) {
  return (float)(DAGER_FACE_REFINE_BELOW *
                 dager_face_finest_side(passes, count));
}

size_t dager_face_plan_refinement(uint32_t width, uint32_t height,
                                  uint32_t input_size, float smallest_face,
                                  dager_face_pass *passes, size_t count) {
  uint32_t finest = dager_face_finest_side(passes, count);
  double wanted;
  uint32_t tile;
  size_t before = count;

  /* A smallest face at least this wide was well inside the detector's
   * reach in the finest pass: nothing was likely missed. */
  if (finest == 0 || input_size == 0 || !(smallest_face > 0.0f) ||
      !(smallest_face < dager_face_small_width(passes, count))) {
    return count;
  }
  /* The tile side at which it appears DAGER_FACE_REFINE_TARGET of the
   * input wide. */
  wanted = (double)smallest_face / DAGER_FACE_REFINE_TARGET;
  tile = wanted < (double)DAGER_FACE_MIN_TILE ? DAGER_FACE_MIN_TILE
                                              : (uint32_t)wanted;
  /* A grid that does not fit in the passes left gets larger tiles, as
   * long as they still show faces larger than the finest pass did. */
  while (tile < finest) {
    count = add_grid_within(width, height, tile, tile, passes, before,
                            before + DAGER_FACE_REFINE_MAX_PASSES);
    if (count > before)
      break;
    tile += tile / 8 > 0 ? tile / 8 : 1;
  }
  return count;
}

/* Area of the intersection of two boxes over the smaller one's area, 0
 * when either has none. */
static float cover_of_smaller(const dager_face_box *a,
                              const dager_face_box *b) {
  float area_a = (a->x1 - a->x0) * (a->y1 - a->y0);
  float area_b = (b->x1 - b->x0) * (b->y1 - b->y0);
  float inter_w = fminf(a->x1, b->x1) - fmaxf(a->x0, b->x0);
  float inter_h = fminf(a->y1, b->y1) - fmaxf(a->y0, b->y0);

  if (!(area_a > 0.0f) || !(area_b > 0.0f) || !(inter_w > 0.0f) ||
      !(inter_h > 0.0f)) {
    return 0.0f;
  }
  return inter_w * inter_h / fminf(area_a, area_b);
}

size_t dager_face_drop_superseded(dager_face_candidate *candidates,
                                  size_t coarse, size_t count,
                                  uint32_t input_size) {
  float small_width = (float)(DAGER_FACE_REFINE_BELOW * input_size);
  size_t kept = 0;

  for (size_t i = 0; i < count; i++) {
    int superseded = 0;

    if (i < coarse && candidates[i].input_width < small_width) {
      for (size_t j = coarse; j < count && !superseded; j++) {
        superseded = cover_of_smaller(&candidates[i].box, &candidates[j].box) >=
                     DAGER_FACE_SUPERSEDED_COVER;
      }
    }
    if (!superseded)
      candidates[kept++] = candidates[i];
  }
  return kept;
}
