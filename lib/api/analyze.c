/*
 * The analysis calls: detector passes, landmarks, attributes, descriptor,
 * alignment. The order of work per face follows the reference pipeline
 * (detect, landmarks on the detection crop, attributes on crops placed by
 * the landmarks), so results can be compared with it network by network.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "core/log.h"
#include "core/memory.h"
#include "face/align.h"
#include "face/crop.h"
#include "face/detect.h"
#include "image/image.h"

/* A box reaching this far (pixels) past an edge counts as cut by it; less
 * is float noise of the decoding. */
#define BORDER_SLACK 0.01f

/* Boxes of a tile that come this close (fraction of the tile side) to an
 * inner edge are left to the neighbouring tile, which sees them whole. */
#define TILE_EDGE_FRACTION 0.02f

static dager_status check_image(const dager_image *image) {
  if (!image)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "image is NULL");
  if (!image->pixels || image->width <= 0 || image->height <= 0) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image has no pixels (%d x %d)", image->width,
                      image->height);
  }
  return DAGER_OK;
}

/*
 * What the steps of an analysis run on: the session (engine, stage hook)
 * and a set of network workspaces, the session's own or, when the faces of
 * a photo are analysed side by side, one worker thread's. Only the calling
 * thread's runner reports stages to the hook.
 */
typedef struct runner {
  dager_session *session;
  dager_network_workspace *const *workspaces;
  int timed;
} runner;

static runner session_runner(dager_session *session) {
  runner r;

  r.session = session;
  r.workspaces = session->workspaces;
  r.timed = 1;
  return r;
}

static void enter_stage(const runner *r, dager_api_stage stage) {
  if (r->timed && r->session->stage_hook)
    r->session->stage_hook(r->session->stage_hook_user, stage);
}

/* The stage a network's run, or the preparation of its input, belongs to. */
static dager_api_stage stage_of(dager_api_network which, int preparing) {
  if (which == DAGER_API_DETECTOR)
    return DAGER_API_STAGE_DETECT;
  if (which == DAGER_API_LANDMARKS)
    return DAGER_API_STAGE_LANDMARKS;
  return preparing ? DAGER_API_STAGE_ALIGN : DAGER_API_STAGE_ATTRIBUTES;
}

static dager_status run_network(const runner *r, dager_api_network which) {
  enter_stage(r, stage_of(which, 0));
  return dager_network_run(r->session->engine->networks[which],
                           r->workspaces[which]);
}

static const float *output(const runner *r, dager_api_network which,
                           int32_t index) {
  return dager_network_output(r->workspaces[which], (uint32_t)index);
}

/* Writes one detector pass's input: the pass region padded at the bottom
 * or right to a square, resized to the network input. */
static dager_status detector_input(dager_session *session,
                                   const dager_image *image,
                                   const dager_face_pass *pass) {
  const dager_engine *engine = session->engine;
  const dager_model *model = engine->models[DAGER_API_DETECTOR];
  dager_image_canvas canvas;
  uint32_t side = pass->width > pass->height ? pass->width : pass->height;

  runner r = session_runner(session);

  enter_stage(&r, DAGER_API_STAGE_DETECT);
  canvas.source = image;
  canvas.canvas_width = (int)side;
  canvas.canvas_height = (int)side;
  canvas.offset_x = -pass->x;
  canvas.offset_y = -pass->y;
  return dager_image_resize_to_tensor(
      &canvas, (int)engine->detector_input, (int)engine->detector_input,
      model->mean, model->divisor,
      dager_network_input(session->workspaces[DAGER_API_DETECTOR]));
}

/* Decodes the detector's outputs into session->candidates, relative to the
 * square input; returns their number. */
static size_t decode_detector(dager_session *session) {
  const dager_engine *engine = session->engine;
  runner r = session_runner(session);

  if (engine->settings.detector == DAGER_API_DETECTOR_SSD) {
    size_t offset = 0;

    for (int i = 0; i < DAGER_API_SSD_PREDICTORS; i++) {
      size_t count = engine->ssd_box_counts[i];

      memcpy(session->joined_boxes + offset * 4,
             output(&r, DAGER_API_DETECTOR, engine->ssd_boxes[i]),
             count * 4 * sizeof(float));
      memcpy(session->joined_classes + offset * 3,
             output(&r, DAGER_API_DETECTOR, engine->ssd_classes[i]),
             count * 3 * sizeof(float));
      offset += count;
    }
    return dager_face_ssd_decode(engine->ssd_anchors, session->joined_boxes,
                                 session->joined_classes, engine->anchor_count,
                                 engine->min_score, session->candidates);
  } else {
    dager_tensor_shape grid = dager_network_output_shape(
        engine->networks[DAGER_API_DETECTOR], (uint32_t)engine->tiny_grid);

    return dager_face_tiny_decode(
        output(&r, DAGER_API_DETECTOR, engine->tiny_grid), grid.h, grid.w,
        grid.c, engine->tiny_anchors, engine->tiny_anchor_count,
        engine->min_score, session->candidates);
  }
}

/* 1 when a tile's box lies against one of the tile's edges that is not an
 * image edge. */
static int touches_inner_edge(const dager_face_pass *pass,
                              const dager_face_box *box, uint32_t width,
                              uint32_t height) {
  float side = (float)(pass->width > pass->height ? pass->width : pass->height);
  float margin = TILE_EDGE_FRACTION * side;
  float left = (float)pass->x, top = (float)pass->y;
  float right = left + (float)pass->width, bottom = top + (float)pass->height;

  if (!pass->tile)
    return 0;
  if (pass->x > 0 && box->x0 < left + margin)
    return 1;
  if (pass->y > 0 && box->y0 < top + margin)
    return 1;
  if (right < (float)width && box->x1 > right - margin)
    return 1;
  if (bottom < (float)height && box->y1 > bottom - margin)
    return 1;
  return 0;
}

/* Appends candidates to a growing list. */
static dager_status append(dager_face_candidate **list, size_t *count,
                           size_t *capacity,
                           const dager_face_candidate *candidate) {
  if (*count == *capacity) {
    size_t grown = *capacity ? *capacity * 2 : 64;
    size_t bytes;
    dager_face_candidate *larger;

    if (!dager_size_multiply(grown, sizeof **list, &bytes)) {
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "too many face candidates");
    }
    larger = dager_mem_realloc(*list, bytes);
    if (!larger) {
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "face candidate list");
    }
    *list = larger;
    *capacity = grown;
  }
  (*list)[(*count)++] = *candidate;
  return DAGER_OK;
}

/* Runs passes[first..last) and appends the boxes they keep, in image
 * pixels, to the list. */
static dager_status run_passes(dager_session *session, const dager_image *image,
                               const dager_face_pass *passes, size_t first,
                               size_t last, dager_face_candidate **list,
                               size_t *listed, size_t *capacity) {
  const dager_engine *engine = session->engine;
  runner r = session_runner(session);
  dager_status status = DAGER_OK;

  for (size_t p = first; p < last; p++) {
    const dager_face_pass *pass = &passes[p];
    size_t decoded, kept;
    int pass_truncated;

    status = detector_input(session, image, pass);
    if (status != DAGER_OK)
      return status;
    status = run_network(&r, DAGER_API_DETECTOR);
    if (status != DAGER_OK)
      return status;
    decoded = decode_detector(session);
    /* No cap here: boxes that lie wholly outside the image are only known
     * after the merge, and must not take places under "max_faces". */
    kept = dager_face_nms(session->candidates, decoded, engine->nms_iou,
                          decoded, &pass_truncated);

    for (size_t i = 0; i < kept; i++) {
      dager_face_candidate found = session->candidates[i];

      found.input_width =
          (found.box.x1 - found.box.x0) * (float)engine->detector_input;
      found.box = dager_face_box_to_region(found.box, engine->detector_input,
                                           pass->width, pass->height);
      found.box.x0 += (float)pass->x;
      found.box.x1 += (float)pass->x;
      found.box.y0 += (float)pass->y;
      found.box.y1 += (float)pass->y;
      if (touches_inner_edge(pass, &found.box, (uint32_t)image->width,
                             (uint32_t)image->height)) {
        continue;
      }
      /* Earlier passes win score ties, as within one pass. */
      found.order = (uint32_t)*listed;
      status = append(list, listed, capacity, &found);
      if (status != DAGER_OK)
        return status;
    }
  }
  return DAGER_OK;
}

/* Drops the boxes with no area inside the image (the reference reports
 * them clipped to nothing; they are noise of the padding), keeping order;
 * returns how many are left. */
static size_t keep_inside(dager_face_candidate *list, size_t count,
                          uint32_t width, uint32_t height) {
  size_t kept = 0;

  for (size_t i = 0; i < count; i++) {
    const dager_face_box *box = &list[i].box;
    float x0 = fmaxf(box->x0, 0.0f), y0 = fmaxf(box->y0, 0.0f);
    float x1 = fminf(box->x1, (float)width);
    float y1 = fminf(box->y1, (float)height);

    if (x1 > x0 && y1 > y0)
      list[kept++] = list[i];
  }
  return kept;
}

/* Width of the narrowest face the passes so far found, after merging
 * their boxes as detect_boxes will (on a copy, so that the final merge
 * sees every pass's boxes); 0 when none. */
static dager_status smallest_merged_face(const dager_engine *engine,
                                         const dager_face_candidate *list,
                                         size_t listed, size_t pass_count,
                                         float *smallest) {
  dager_face_candidate *merged = NULL;
  const dager_face_candidate *faces = list;
  size_t count = listed;

  *smallest = 0.0f;
  if (listed == 0)
    return DAGER_OK;
  if (pass_count > 1) {
    int truncated;

    merged = dager_mem_alloc(listed * sizeof *merged);
    if (!merged) {
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "face candidate merge");
    }
    memcpy(merged, list, listed * sizeof *merged);
    count = dager_face_nms(merged, listed, engine->nms_iou,
                           (size_t)engine->settings.max_faces, &truncated);
    faces = merged;
  }
  for (size_t i = 0; i < count; i++) {
    float width = faces[i].box.x1 - faces[i].box.x0;

    if (i == 0 || width < *smallest)
      *smallest = width;
  }
  dager_mem_free(merged);
  return DAGER_OK;
}

/*
 * Runs every planned detector pass, then the adaptive refinement when the
 * faces found call for it, and merges their boxes. On success *faces
 * (owned by the caller, may be NULL when none) holds *count boxes in
 * image pixels, strongest first.
 */
static dager_status detect_boxes(dager_session *session,
                                 const dager_image *image,
                                 dager_face_candidate **faces, size_t *count,
                                 int *truncated) {
  const dager_engine *engine = session->engine;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];
  uint32_t width = (uint32_t)image->width, height = (uint32_t)image->height;
  size_t planned =
      dager_face_plan_passes(width, height, engine->detector_input,
                             (uint32_t)engine->settings.min_face_size,
                             engine->settings.tiling, passes);
  size_t pass_count = planned;
  size_t max_faces = (size_t)engine->settings.max_faces;
  dager_face_candidate *list = NULL;
  size_t listed = 0, capacity = 0;
  float smallest = 0.0f;
  dager_status status;

  *truncated = 0;
  status =
      run_passes(session, image, passes, 0, planned, &list, &listed, &capacity);
  if (status == DAGER_OK && engine->settings.tiling == DAGER_FACE_TILING_AUTO) {
    status = smallest_merged_face(engine, list, listed, planned, &smallest);
    if (status == DAGER_OK) {
      size_t coarse = listed;

      pass_count = dager_face_plan_refinement(
          width, height, engine->detector_input, smallest, passes, planned);
      status = run_passes(session, image, passes, planned, pass_count, &list,
                          &listed, &capacity);
      if (status == DAGER_OK && pass_count > planned) {
        listed = dager_face_drop_superseded(list, coarse, listed,
                                            engine->detector_input);
      }
    }
  }
  if (status != DAGER_OK) {
    dager_mem_free(list);
    return status;
  }
  if (pass_count > planned) {
    dager_log(DAGER_LOG_DEBUG,
              "detector: %zu passes, %zu of them refinement tiles of %u "
              "pixels (smallest face %.0f pixels wide)",
              pass_count, pass_count - planned,
              dager_face_finest_side(passes + planned, 1), (double)smallest);
  } else {
    dager_log(DAGER_LOG_DEBUG, "detector: %zu passes", pass_count);
  }
  if (pass_count > 1) {
    int never_truncated;

    listed =
        dager_face_nms(list, listed, engine->nms_iou, listed, &never_truncated);
  }
  listed = keep_inside(list, listed, width, height);
  if (listed > max_faces) {
    listed = max_faces;
    *truncated = 1;
  }
  *faces = list;
  *count = listed;
  return DAGER_OK;
}

/* Writes a face network's input: rect cut out of image, padded to a square
 * with the padding centred, resized. */
static dager_status crop_input(const runner *r, dager_api_network which,
                               const dager_image *image,
                               const dager_face_rect *rect) {
  const dager_engine *engine = r->session->engine;
  const dager_model *model = engine->models[which];
  dager_tensor_shape input = dager_network_input_shape(engine->networks[which]);
  dager_image *crop = NULL;
  dager_image_canvas canvas;
  dager_status status;
  int offset_x, offset_y;

  enter_stage(r, stage_of(which, 1));
  /* The padding must be black, not the image around the rectangle, so the
   * rectangle is copied out first. */
  status = dager_image_crop(image, rect->x, rect->y, rect->width, rect->height,
                            &crop);
  if (status != DAGER_OK)
    return status;
  dager_image_square_offsets(rect->width, rect->height, DAGER_PAD_CENTRED,
                             &offset_x, &offset_y);
  canvas.source = crop;
  canvas.canvas_width = rect->width > rect->height ? rect->width : rect->height;
  canvas.canvas_height = canvas.canvas_width;
  canvas.offset_x = offset_x;
  canvas.offset_y = offset_y;
  status = dager_image_resize_to_tensor(
      &canvas, (int)input.w, (int)input.h, model->mean, model->divisor,
      dager_network_input(r->workspaces[which]));
  dager_image_free(crop);
  return status;
}

/* View v of the aligned crop: the crop itself, then the crop moved by
 * one shift right, left, down and up. */
static const int view_steps[DAGER_API_MAX_ALIGNED_VIEWS][2] = {
    {0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}};

/* The views' shift, in pixels of a crop of side size. */
static int view_shift(uint32_t size) {
  const long shift = lround(DAGER_API_VIEW_SHIFT * (double)size / 112.0);

  return shift < 1 ? 1 : (int)shift;
}

/*
 * The aligned crop of a face for network `which`, normalised for it, with
 * `margin` more pixels on every side (side size + 2 margin), in a new
 * block, so that every view is a window of one warp. NULL when the
 * landmarks give no alignment (*status DAGER_OK) or memory runs out.
 */
static float *aligned_canvas(const runner *r, dager_api_network which,
                             const dager_image *image, const float *landmarks,
                             uint32_t size, int margin, dager_status *status) {
  const dager_model *model = r->session->engine->models[which];
  const size_t side = (size_t)size + 2 * (size_t)margin;
  dager_face_affine to_crop, to_image;
  float *canvas;

  enter_stage(r, stage_of(which, 1));
  *status = DAGER_OK;
  if (!dager_face_alignment_transform(landmarks, (int)size, &to_crop))
    return NULL;
  to_crop.m[2] += margin;
  to_crop.m[5] += margin;
  if (!dager_face_affine_invert(&to_crop, &to_image))
    return NULL;
  canvas = dager_mem_alloc(side * side * 3 * sizeof(float));
  if (!canvas) {
    *status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "aligned crop");
    return NULL;
  }
  dager_face_warp_normalised(image->pixels, (uint32_t)image->width,
                             (uint32_t)image->height, (size_t)image->width * 3,
                             &to_image, (int)side, model->mean, model->divisor,
                             canvas);
  return canvas;
}

/* Copies view `view` of an aligned canvas into a network input of side
 * size. */
static void copy_view(const float *canvas, uint32_t size, int margin, int view,
                      float *input) {
  const size_t side = (size_t)size + 2 * (size_t)margin;
  const size_t x0 = (size_t)(margin + view_steps[view][0] * margin);
  const size_t y0 = (size_t)(margin + view_steps[view][1] * margin);

  for (size_t y = 0; y < size; y++) {
    memcpy(input + y * size * 3, canvas + ((y + y0) * side + x0) * 3,
           (size_t)size * 3 * sizeof(float));
  }
}

static dager_status find_landmarks(const runner *r, const dager_image *image,
                                   dager_face *face, dager_face_rect *crop) {
  const dager_engine *engine = r->session->engine;
  dager_tensor_shape input =
      dager_network_input_shape(engine->networks[DAGER_API_LANDMARKS]);
  dager_status status;

  if (!dager_face_rect_from_box((double)face->x, (double)face->y,
                                (double)face->width, (double)face->height,
                                (uint32_t)image->width, (uint32_t)image->height,
                                crop)) {
    return DAGER_OK;
  }
  status = crop_input(r, DAGER_API_LANDMARKS, image, crop);
  if (status != DAGER_OK)
    return status;
  status = run_network(r, DAGER_API_LANDMARKS);
  if (status != DAGER_OK)
    return status;
  /* Shifted by the unfloored corner of the clipped box, as the reference
   * does; see dager_face_landmarks_to_image. */
  dager_face_landmarks_to_image(
      output(r, DAGER_API_LANDMARKS, engine->landmarks_output), input.w, crop,
      (double)face->x, (double)face->y, &face->landmarks[0][0]);
  face->has_landmarks = 1;

  /* A detector box often stops at the edge that cuts a face; landmarks
   * placed outside the image tell that the face goes on past it. */
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    if (face->landmarks[i][0] < 0.0f || face->landmarks[i][1] < 0.0f ||
        face->landmarks[i][0] > (float)image->width ||
        face->landmarks[i][1] > (float)image->height) {
      face->cut_by_border = 1;
    }
  }
  return DAGER_OK;
}

/* The farthest a corner of a size x size crop moves when the crop placed by
 * old_to_crop is placed by new_to_crop instead, in crop pixels. */
static double crop_movement(const dager_face_affine *old_to_crop,
                            const dager_face_affine *new_to_crop, int size) {
  dager_face_affine old_to_image;
  double farthest = 0.0;

  if (!dager_face_affine_invert(old_to_crop, &old_to_image))
    return HUGE_VAL;
  for (int corner = 0; corner < 4; corner++) {
    const double u = (corner & 1) ? size : 0.0, v = (corner & 2) ? size : 0.0;
    const double *a = old_to_image.m, *b = new_to_crop->m;
    const double x = a[0] * u + a[1] * v + a[2];
    const double y = a[3] * u + a[4] * v + a[5];

    farthest = fmax(farthest, hypot(b[0] * x + b[1] * y + b[2] - u,
                                    b[3] * x + b[4] * y + b[5] - v));
  }
  return farthest;
}

/*
 * Whether the aligned crop placed by next (image to a size x size crop)
 * is still a placement of the face the first landmark pass placed: not
 * shrunk below 1 / DAGER_API_LANDMARK_MAX_SHRINK of that crop's side (it
 * may grow: a poor first pass often frames too little of the face), turned
 * by at most DAGER_API_LANDMARK_MAX_TURN radians and its centre moved by at
 * most DAGER_API_LANDMARK_MAX_SHIFT of that crop's side.
 */
static int placement_near(const dager_face_affine *first,
                          const dager_face_affine *next, int size) {
  const double pi = 3.14159265358979323846;
  const double first_scale = hypot(first->m[0], first->m[3]);
  /* Crop pixels per image pixel: above 1 when the crop covers less. */
  const double shrink = hypot(next->m[0], next->m[3]) / first_scale;
  double turn = atan2(next->m[3], next->m[0]) - atan2(first->m[3], first->m[0]);
  dager_face_affine first_back, next_back;
  double centres[2][2], shift;

  if (!dager_face_affine_invert(first, &first_back) ||
      !dager_face_affine_invert(next, &next_back)) {
    return 0;
  }
  for (int k = 0; k < 2; k++) {
    const double *m = (k == 0 ? first_back : next_back).m;
    centres[k][0] = (m[0] + m[1]) * size / 2.0 + m[2];
    centres[k][1] = (m[3] + m[4]) * size / 2.0 + m[5];
  }
  shift = hypot(centres[1][0] - centres[0][0], centres[1][1] - centres[0][1]) *
          first_scale / size;
  turn = fmod(fabs(turn), 2.0 * pi);
  if (turn > pi)
    turn = 2.0 * pi - turn;
  return shrink <= DAGER_API_LANDMARK_MAX_SHRINK &&
         turn <= DAGER_API_LANDMARK_MAX_TURN &&
         shift <= DAGER_API_LANDMARK_MAX_SHIFT;
}

/*
 * The landmark passes after the first (see DAGER_API_LANDMARK_SETTLED):
 * the network runs again on the face warped upright by the last
 * landmarks, framed as the aligned attribute crop frames it, and its
 * points are carried back into the image. On a tilted face the first pass
 * sees the tilt and places the points a little differently relative to
 * the face than on the same face upright; on an upright crop both see
 * nearly the same face, so the alignment fitted to the points no longer
 * depends on the tilt. When a pass strays from the face (placement_near)
 * or its points give no alignment, the first pass's landmarks are kept.
 */
static dager_status refine_landmarks(const runner *r, const dager_image *image,
                                     dager_face *face, int passes) {
  const dager_engine *engine = r->session->engine;
  const dager_model *model = engine->models[DAGER_API_LANDMARKS];
  const int size =
      (int)dager_network_input_shape(engine->networks[DAGER_API_LANDMARKS]).w;
  float first[DAGER_LANDMARK_COUNT][2];
  dager_face_affine first_to_crop, to_crop, to_image, next;
  dager_status status;

  if (!dager_face_alignment_transform(&face->landmarks[0][0], size, &to_crop))
    return DAGER_OK;
  first_to_crop = to_crop;
  memcpy(first, face->landmarks, sizeof first);
  for (int pass = 1; pass < passes; pass++) {
    const float *points;

    if (!dager_face_affine_invert(&to_crop, &to_image))
      break;
    enter_stage(r, DAGER_API_STAGE_LANDMARKS);
    dager_face_warp_normalised(
        image->pixels, (uint32_t)image->width, (uint32_t)image->height,
        (size_t)image->width * 3, &to_image, size, model->mean, model->divisor,
        dager_network_input(r->workspaces[DAGER_API_LANDMARKS]));
    status = run_network(r, DAGER_API_LANDMARKS);
    if (status != DAGER_OK)
      return status;
    points = output(r, DAGER_API_LANDMARKS, engine->landmarks_output);
    for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
      const double u = (double)points[2 * i] * size;
      const double v = (double)points[2 * i + 1] * size;
      const double *m = to_image.m;

      face->landmarks[i][0] = (float)(m[0] * u + m[1] * v + m[2]);
      face->landmarks[i][1] = (float)(m[3] * u + m[4] * v + m[5]);
    }
    if (!dager_face_alignment_transform(&face->landmarks[0][0], size, &next) ||
        !placement_near(&first_to_crop, &next, size)) {
      /* The passes are straying from the face (seen: landmarks shrinking
       * onto a patch of cheek, pass after pass, on a profile): keep what
       * the first pass found. */
      memcpy(face->landmarks, first, sizeof first);
      return DAGER_OK;
    }
    if (crop_movement(&to_crop, &next, size) < DAGER_API_LANDMARK_SETTLED)
      return DAGER_OK;
    to_crop = next;
  }
  return DAGER_OK;
}

/* Prepares the input of an attribute network from the reference's box
 * crop of a face. Returns 0 (no error) when the face leaves nothing to
 * crop. */
static int box_input(const runner *r, dager_api_network which,
                     const dager_image *image, const dager_face *face,
                     dager_status *status) {
  double box[4];
  dager_face_rect rect;

  dager_face_landmark_box(&face->landmarks[0][0], 0.2, box);
  if (!dager_face_rect_from_box(box[0], box[1], box[2], box[3],
                                (uint32_t)image->width, (uint32_t)image->height,
                                &rect)) {
    *status = DAGER_OK;
    return 0;
  }
  *status = crop_input(r, which, image, &rect);
  return *status == DAGER_OK;
}

/*
 * Runs attribute network `which` on each view of a face (one in box mode,
 * "aligned_views" in aligned mode) and sums the first sizes[k] values of
 * its outputs[k] into sums[k]. Returns the number of views summed: 0 when
 * the face leaves nothing to crop or on an error (in *status).
 */
static int run_attribute_views(const runner *r, dager_api_network which,
                               const dager_image *image, const dager_face *face,
                               const int32_t *outputs, const size_t *sizes,
                               size_t count, float **sums,
                               dager_status *status) {
  const dager_engine *engine = r->session->engine;
  const uint32_t size = dager_network_input_shape(engine->networks[which]).w;
  const int aligned = engine->settings.aligned_attributes;
  const int views = aligned ? dager_api_aligned_views(&engine->settings) : 1;
  const int margin = view_shift(size);
  float *canvas = NULL;
  int done = 0;

  if (aligned) {
    canvas = aligned_canvas(r, which, image, &face->landmarks[0][0], size,
                            margin, status);
    if (!canvas)
      return 0;
  } else if (!box_input(r, which, image, face, status)) {
    return 0;
  }
  for (int view = 0; view < views; view++) {
    if (canvas) {
      copy_view(canvas, size, margin, view,
                dager_network_input(r->workspaces[which]));
    }
    *status = run_network(r, which);
    if (*status != DAGER_OK)
      break;
    for (size_t k = 0; k < count; k++) {
      const float *values = output(r, which, outputs[k]);
      for (size_t i = 0; i < sizes[k]; i++)
        sums[k][i] = (view == 0 ? 0.0f : sums[k][i]) + values[i];
    }
    done++;
  }
  dager_mem_free(canvas);
  return *status == DAGER_OK ? done : 0;
}

static dager_status find_attributes(const runner *r, const dager_image *image,
                                    dager_api_face *stored,
                                    const dager_face_rect *landmark_crop) {
  const dager_engine *engine = r->session->engine;
  dager_face *face = &stored->face;
  dager_status status = DAGER_OK;

  if (engine->networks[DAGER_API_AGE_GENDER]) {
    float age[1], gender[2];
    float *sums[2] = {age, gender};
    const int32_t outputs[2] = {engine->age_output, engine->gender_output};
    const size_t sizes[2] = {1, 2};
    const int views = run_attribute_views(r, DAGER_API_AGE_GENDER, image, face,
                                          outputs, sizes, 2, sums, &status);

    if (status != DAGER_OK)
      return status;
    if (views > 0) {
      /* The mean of the views' answers; one view is left as it is. */
      face->age = age[0] / (float)views;
      gender[0] /= (float)views;
      gender[1] /= (float)views;
      face->gender = dager_face_gender(gender, engine->male_index,
                                       &face->gender_probability);
      face->has_attributes = 1;
    }
  }

  if (engine->networks[DAGER_API_EXPRESSION]) {
    float expressions[DAGER_EMOTION_COUNT];
    float *sums[1] = {expressions};
    const size_t sizes[1] = {DAGER_EMOTION_COUNT};
    const int views = run_attribute_views(r, DAGER_API_EXPRESSION, image, face,
                                          &engine->expressions_output, sizes, 1,
                                          sums, &status);

    if (status != DAGER_OK)
      return status;
    if (views > 0) {
      for (int e = 0; e < DAGER_EMOTION_COUNT; e++)
        expressions[e] /= (float)views;
      face->dominant_emotion = dager_face_emotions_reorder(
          expressions, engine->emotion_map, face->emotions);
      face->has_attributes = 1;
    }
  }

  if (engine->networks[DAGER_API_DESCRIPTOR]) {
    double box[4];
    dager_face_rect rect;

    dager_face_descriptor_box(&face->landmarks[0][0], landmark_crop, box);
    if (dager_face_rect_from_box(box[0], box[1], box[2], box[3],
                                 (uint32_t)image->width,
                                 (uint32_t)image->height, &rect)) {
      status = crop_input(r, DAGER_API_DESCRIPTOR, image, &rect);
      if (status != DAGER_OK)
        return status;
      status = run_network(r, DAGER_API_DESCRIPTOR);
      if (status != DAGER_OK)
        return status;
      memcpy(stored->descriptor,
             output(r, DAGER_API_DESCRIPTOR, engine->descriptor_output),
             sizeof stored->descriptor);
      face->has_descriptor = 1;
    }
  }
  return DAGER_OK;
}

/* Fills a face's box fields from a detector box in image pixels. Returns 0
 * when nothing of the box lies inside the image. */
static int place_face(const dager_face_candidate *found, int width, int height,
                      dager_face *face) {
  float x0 = fmaxf(found->box.x0, 0.0f);
  float y0 = fmaxf(found->box.y0, 0.0f);
  float x1 = fminf(found->box.x1, (float)width);
  float y1 = fminf(found->box.y1, (float)height);

  if (!(x1 > x0) || !(y1 > y0))
    return 0;
  memset(face, 0, sizeof *face);
  face->struct_size = sizeof *face;
  face->x = x0;
  face->y = y0;
  face->width = x1 - x0;
  face->height = y1 - y0;
  face->score = found->score;
  face->cut_by_border = found->box.x0 < -BORDER_SLACK ||
                        found->box.y0 < -BORDER_SLACK ||
                        found->box.x1 > (float)width + BORDER_SLACK ||
                        found->box.y1 > (float)height + BORDER_SLACK;
  face->gender = DAGER_GENDER_UNKNOWN;
  return 1;
}

/* What analyse does besides finding landmarks. */
typedef enum analyse_mode {
  ANALYSE_DETECT,    /* detector, landmarks */
  ANALYSE_ALL,       /* detector, landmarks, attributes */
  ANALYSE_GIVEN_FACE /* the whole image is the face: landmarks, attributes */
} analyse_mode;

/* The one candidate of a pre-cropped face: the whole image, score 1. */
static dager_status whole_image_face(const dager_image *image,
                                     dager_face_candidate **found,
                                     size_t *found_count) {
  *found = dager_mem_calloc(1, sizeof **found);
  if (!*found)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "face candidate");
  (*found)->box.x1 = (float)image->width;
  (*found)->box.y1 = (float)image->height;
  (*found)->score = 1.0f;
  *found_count = 1;
  return DAGER_OK;
}

/* Landmarks, then (unless only detecting) attributes of one placed face. */
static dager_status analyse_face(const runner *r, const dager_image *image,
                                 dager_api_face *stored, analyse_mode mode) {
  dager_face_rect crop;
  dager_status status = find_landmarks(r, image, &stored->face, &crop);
  const int passes = dager_api_landmark_passes(&r->session->engine->settings);

  if (status == DAGER_OK && stored->face.has_landmarks && passes > 1)
    status = refine_landmarks(r, image, &stored->face, passes);
  if (status == DAGER_OK && mode != ANALYSE_DETECT &&
      stored->face.has_landmarks) {
    status = find_attributes(r, image, stored, &crop);
  }
  return status;
}

/* The faces of one photo shared out among the session's worker threads. */
typedef struct face_job {
  dager_session *session;
  const dager_image *image;
  dager_result *result;
  analyse_mode mode;
  size_t count;        /* the faces run side by side: 0..count-1 */
  _Atomic size_t next; /* the next face a thread takes */
} face_job;

/* One worker thread: takes faces one at a time until none is left, so a
 * photo of three faces keeps two threads busy until the last one. Each
 * face's work is the same whichever thread does it, so results do not
 * depend on the thread count; a failure is kept with the face's index and
 * message, because the message is recorded for this thread only. */
static void analyse_faces_on_thread(void *context, uint32_t begin, uint32_t end,
                                    uint32_t thread_index) {
  face_job *job = context;
  dager_session *session = job->session;
  dager_api_face_failure *failure = &session->face_failures[thread_index];
  runner r;

  (void)begin;
  (void)end;
  r.session = session;
  r.workspaces = session->face_workspaces[thread_index];
  r.timed = 0;
  for (;;) {
    size_t face = atomic_fetch_add(&job->next, 1);
    dager_status status;

    if (face >= job->count)
      return;
    status = analyse_face(&r, job->image, &job->result->faces[face], job->mode);
    if (status != DAGER_OK && face < failure->face) {
      failure->status = status;
      failure->face = face;
      snprintf(failure->message, sizeof failure->message, "%s",
               dager_last_error_message());
    }
  }
}

/*
 * Landmarks and attributes of every placed face: on the calling thread, or,
 * when the session has worker threads and the photo more than one face,
 * one face per thread at a time, each thread with workspaces of its own
 * and its networks on one thread (splitting the rows of a 112-pixel
 * network over two threads gains less than running two faces at once).
 * Then the stage hook sees these faces as one attributes stage.
 */
static dager_status analyse_faces(dager_session *session,
                                  const dager_image *image,
                                  dager_result *result, analyse_mode mode) {
  runner r = session_runner(session);
  uint32_t threads = session->face_threads;
  size_t side_by_side = 0;
  face_job job;
  const dager_api_face_failure *first = NULL;

  /* Faces in whole rounds of one per thread side by side; the faces left
   * over (fewer than the threads) run one after another with their
   * networks' rows split over all threads, so no thread sits idle while
   * the last face of a photo is analysed. */
  if (threads >= 2 && result->face_count >= threads)
    side_by_side = result->face_count - result->face_count % threads;
  if (side_by_side > 0) {
    enter_stage(&r, DAGER_API_STAGE_ATTRIBUTES);
    job.session = session;
    job.image = image;
    job.result = result;
    job.mode = mode;
    job.count = side_by_side;
    atomic_init(&job.next, 0);
    for (uint32_t t = 0; t < threads; t++) {
      session->face_failures[t].status = DAGER_OK;
      session->face_failures[t].face = SIZE_MAX;
    }
    dager_thread_pool_run(session->pool, threads, analyse_faces_on_thread,
                          &job);
    for (uint32_t t = 0; t < threads; t++) {
      const dager_api_face_failure *failure = &session->face_failures[t];

      if (failure->status != DAGER_OK &&
          (!first || failure->face < first->face))
        first = failure;
    }
    if (first)
      return dager_fail(first->status, "%s", first->message);
  }
  for (size_t i = side_by_side; i < result->face_count; i++) {
    dager_status status = analyse_face(&r, image, &result->faces[i], mode);

    if (status != DAGER_OK)
      return status;
  }
  return DAGER_OK;
}

static dager_status analyse(dager_session *session, const dager_image *image,
                            analyse_mode mode, dager_result **out) {
  const dager_engine *engine;
  dager_face_candidate *found = NULL;
  size_t found_count = 0;
  dager_result *result;
  dager_status status;
  runner timing;
  int truncated;

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!session)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "session is NULL");
  status = check_image(image);
  if (status != DAGER_OK)
    return status;
  engine = session->engine;
  timing = session_runner(session);
  if (mode != ANALYSE_GIVEN_FACE && !engine->networks[DAGER_API_DETECTOR]) {
    return dager_fail(DAGER_ERROR_NOT_LOADED,
                      "the engine was created without the detector");
  }
  if (mode == ANALYSE_GIVEN_FACE && !engine->networks[DAGER_API_LANDMARKS]) {
    return dager_fail(DAGER_ERROR_NOT_LOADED,
                      "a given face is placed by its landmarks, and the "
                      "engine was created without the landmark network");
  }

  result = dager_mem_calloc(1, sizeof *result);
  if (!result)
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "result");
  result->image_width = image->width;
  result->image_height = image->height;

  truncated = 0;
  if (mode == ANALYSE_GIVEN_FACE)
    status = whole_image_face(image, &found, &found_count);
  else
    status = detect_boxes(session, image, &found, &found_count, &truncated);
  if (status != DAGER_OK)
    goto fail;
  result->truncated = truncated;
  if (found_count > 0) {
    result->faces = dager_mem_calloc(found_count, sizeof *result->faces);
    if (!result->faces) {
      status = dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "result faces");
      goto fail;
    }
  }

  for (size_t i = 0; i < found_count; i++) {
    dager_api_face *stored = &result->faces[result->face_count];

    if (place_face(&found[i], image->width, image->height, &stored->face))
      result->face_count++;
  }
  if (engine->networks[DAGER_API_LANDMARKS]) {
    status = analyse_faces(session, image, result, mode);
    if (status != DAGER_OK)
      goto fail;
  }
  dager_mem_free(found);
  enter_stage(&timing, DAGER_API_STAGE_DONE);
  *out = result;
  return DAGER_OK;

fail:
  dager_mem_free(found);
  dager_result_destroy(result);
  enter_stage(&timing, DAGER_API_STAGE_DONE);
  return status;
}

dager_status dager_detect(dager_session *session, const dager_image *image,
                          dager_result **out) {
  return analyse(session, image, ANALYSE_DETECT, out);
}

dager_status dager_analyze(dager_session *session, const dager_image *image,
                           dager_result **out) {
  return analyse(session, image, ANALYSE_ALL, out);
}

dager_status dager_analyze_crop(dager_session *session,
                                const dager_image *image, dager_result **out) {
  return analyse(session, image, ANALYSE_GIVEN_FACE, out);
}

dager_status dager_analyze_file(dager_session *session, const char *path,
                                dager_result **out) {
  dager_image *image = NULL;
  dager_status status;

  dager_clear_error();
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!session)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "session is NULL");
  if (!path)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "path is NULL");
  status = dager_image_decode_file(
      path, (uint64_t)session->engine->settings.max_pixels, &image);
  if (status != DAGER_OK)
    return status;
  status = analyse(session, image, ANALYSE_ALL, out);
  dager_image_free(image);
  return status;
}

dager_status dager_align_face(dager_session *session, const dager_image *image,
                              const dager_result *result, size_t index,
                              int size, uint8_t *out, size_t stride) {
  const dager_face *face;
  dager_face_affine to_crop, to_image;
  dager_status status;

  dager_clear_error();
  if (!session)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "session is NULL");
  status = check_image(image);
  if (status != DAGER_OK)
    return status;
  if (!result)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "result is NULL");
  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  if (size < 16 || size > 1024) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "size %d is outside 16..1024", size);
  }
  if (stride < (size_t)size * 3) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "stride %zu is less than a row of %d bytes", stride,
                      size * 3);
  }
  if (!dager_api_rows_fit(stride, (size_t)size * 3, (size_t)size)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "stride %zu for %d rows is larger than any buffer",
                      stride, size);
  }
  if (index >= result->face_count) {
    return dager_fail(DAGER_ERROR_OUT_OF_RANGE,
                      "face %zu of a result with %zu faces", index,
                      result->face_count);
  }
  if (result->image_width != image->width ||
      result->image_height != image->height) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "result is of a %d x %d image, image is %d x %d",
                      result->image_width, result->image_height, image->width,
                      image->height);
  }
  face = &result->faces[index].face;
  if (!face->has_landmarks) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "face %zu has no landmarks to align by", index);
  }
  if (!dager_face_alignment_transform(&face->landmarks[0][0], size, &to_crop) ||
      !dager_face_affine_invert(&to_crop, &to_image)) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "face %zu has degenerate landmarks", index);
  }
  dager_face_warp_rgb8(image->pixels, (uint32_t)image->width,
                       (uint32_t)image->height, (size_t)image->width * 3,
                       &to_image, size, out, stride);
  return DAGER_OK;
}
