/*
 * lib/api/analyze.c's analysis with stage clocks; see staged.h. The order
 * of work and every call into lib/face, lib/image and lib/nn are the same
 * as there, so that the stage times add up to what dager_analyze costs.
 */
#include "staged.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/memory.h"
#include "face/align.h"
#include "face/crop.h"
#include "face/detect.h"
#include "nn/nn.h"

/* As in analyze.c: a box this close (fraction of the tile side) to a
 * tile's inner edge is left to the neighbouring tile. */
#define TILE_EDGE_FRACTION 0.02f

static double clock_ms(clockid_t clock) {
  struct timespec time;

  clock_gettime(clock, &time);
  return (double)time.tv_sec * 1e3 + (double)time.tv_nsec * 1e-6;
}

double bench_wall_ms(void) {
  return clock_ms(CLOCK_MONOTONIC);
}

double bench_cpu_ms(void) {
  return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

/* Both clocks at a stage boundary. */
typedef struct clock_mark {
  double wall, cpu;
} clock_mark;

static clock_mark mark_now(void) {
  clock_mark mark = {bench_wall_ms(), bench_cpu_ms()};

  return mark;
}

/* Charges the time since *mark to stage and moves the mark to now. */
static void lap(bench_stage_times *times, bench_stage stage, clock_mark *mark) {
  clock_mark now = mark_now();

  times->wall[stage] += now.wall - mark->wall;
  times->cpu[stage] += now.cpu - mark->cpu;
  *mark = now;
}

static dager_network_workspace *workspace_of(dager_session *session,
                                             dager_api_network which) {
  return session->workspaces[which];
}

static dager_status run(dager_session *session, dager_api_network which) {
  return dager_network_run(session->engine->networks[which],
                           workspace_of(session, which));
}

static const float *output_of(dager_session *session, dager_api_network which,
                              int32_t index) {
  return dager_network_output(workspace_of(session, which), (uint32_t)index);
}

/* One detector pass's input: the region squared by black padding at the
 * bottom or right, resized to the network's input side. */
static dager_status write_detector_input(dager_session *session,
                                         const dager_image *image,
                                         const dager_face_pass *pass) {
  const dager_engine *engine = session->engine;
  const dager_model *model = engine->models[DAGER_API_DETECTOR];
  uint32_t side = pass->width > pass->height ? pass->width : pass->height;
  dager_image_canvas canvas = {image, (int)side, (int)side, -pass->x, -pass->y};

  return dager_image_resize_to_tensor(
      &canvas, (int)engine->detector_input, (int)engine->detector_input,
      model->mean, model->divisor,
      dager_network_input(workspace_of(session, DAGER_API_DETECTOR)));
}

static size_t decode_boxes(dager_session *session) {
  const dager_engine *engine = session->engine;
  dager_tensor_shape grid;

  if (engine->settings.detector == DAGER_API_DETECTOR_SSD) {
    size_t done = 0;

    for (int i = 0; i < DAGER_API_SSD_PREDICTORS; i++) {
      size_t anchors = engine->ssd_box_counts[i];

      memcpy(session->joined_boxes + done * 4,
             output_of(session, DAGER_API_DETECTOR, engine->ssd_boxes[i]),
             anchors * 4 * sizeof(float));
      memcpy(session->joined_classes + done * 3,
             output_of(session, DAGER_API_DETECTOR, engine->ssd_classes[i]),
             anchors * 3 * sizeof(float));
      done += anchors;
    }
    return dager_face_ssd_decode(engine->ssd_anchors, session->joined_boxes,
                                 session->joined_classes, engine->anchor_count,
                                 engine->min_score, session->candidates);
  }
  grid = dager_network_output_shape(engine->networks[DAGER_API_DETECTOR],
                                    (uint32_t)engine->tiny_grid);
  return dager_face_tiny_decode(
      output_of(session, DAGER_API_DETECTOR, engine->tiny_grid), grid.h, grid.w,
      grid.c, engine->tiny_anchors, engine->tiny_anchor_count,
      engine->min_score, session->candidates);
}

static int on_inner_tile_edge(const dager_face_pass *pass,
                              const dager_face_box *box, uint32_t width,
                              uint32_t height) {
  float side = (float)(pass->width > pass->height ? pass->width : pass->height);
  float margin = TILE_EDGE_FRACTION * side;
  float left = (float)pass->x;
  float top = (float)pass->y;

  if (!pass->tile)
    return 0;
  return (pass->x > 0 && box->x0 < left + margin) ||
         (pass->y > 0 && box->y0 < top + margin) ||
         (left + (float)pass->width < (float)width &&
          box->x1 > left + (float)pass->width - margin) ||
         (top + (float)pass->height < (float)height &&
          box->y1 > top + (float)pass->height - margin);
}

/* Runs passes[first..last) and appends the boxes they keep to the list
 * (grown as needed). */
static dager_status run_passes(dager_session *session, const dager_image *image,
                               const dager_face_pass *passes, size_t first,
                               size_t last, dager_face_candidate **list,
                               size_t *listed, size_t *capacity) {
  const dager_engine *engine = session->engine;
  size_t max_faces = (size_t)engine->settings.max_faces;
  int truncated;

  for (size_t p = first; p < last; p++) {
    const dager_face_pass *pass = &passes[p];
    dager_status status = write_detector_input(session, image, pass);
    size_t kept;

    if (status == DAGER_OK)
      status = run(session, DAGER_API_DETECTOR);
    if (status != DAGER_OK)
      return status;
    kept = dager_face_nms(session->candidates, decode_boxes(session),
                          engine->nms_iou, max_faces, &truncated);
    for (size_t i = 0; i < kept; i++) {
      dager_face_candidate face = session->candidates[i];

      face.input_width =
          (face.box.x1 - face.box.x0) * (float)engine->detector_input;
      face.box = dager_face_box_to_region(face.box, engine->detector_input,
                                          pass->width, pass->height);
      face.box.x0 += (float)pass->x;
      face.box.x1 += (float)pass->x;
      face.box.y0 += (float)pass->y;
      face.box.y1 += (float)pass->y;
      if (on_inner_tile_edge(pass, &face.box, (uint32_t)image->width,
                             (uint32_t)image->height)) {
        continue;
      }
      if (*listed == *capacity) {
        size_t grown = *capacity ? 2 * *capacity : 64;
        dager_face_candidate *larger =
            dager_mem_realloc(*list, grown * sizeof **list);

        if (!larger)
          return DAGER_ERROR_OUT_OF_MEMORY;
        *list = larger;
        *capacity = grown;
      }
      face.order = (uint32_t)*listed;
      (*list)[(*listed)++] = face;
    }
  }
  return DAGER_OK;
}

/* Width of the narrowest face after merging a copy of the list; 0 when
 * none. */
static dager_status smallest_face(const dager_engine *engine,
                                  const dager_face_candidate *list,
                                  size_t listed, float *smallest) {
  dager_face_candidate *merged;
  size_t count;
  int truncated;

  *smallest = 0.0f;
  if (listed == 0)
    return DAGER_OK;
  merged = dager_mem_alloc(listed * sizeof *merged);
  if (!merged)
    return DAGER_ERROR_OUT_OF_MEMORY;
  memcpy(merged, list, listed * sizeof *merged);
  count = dager_face_nms(merged, listed, engine->nms_iou,
                         (size_t)engine->settings.max_faces, &truncated);
  for (size_t i = 0; i < count; i++) {
    float width = merged[i].box.x1 - merged[i].box.x0;

    if (i == 0 || width < *smallest)
      *smallest = width;
  }
  dager_mem_free(merged);
  return DAGER_OK;
}

/* All detector passes, the adaptive refinement when the faces call for
 * it, and their merge, as dager_analyze does; *found is the caller's to
 * free. */
static dager_status detect(dager_session *session, const dager_image *image,
                           dager_face_candidate **found, size_t *count) {
  const dager_engine *engine = session->engine;
  dager_face_pass passes[DAGER_FACE_MAX_PASSES];
  size_t planned = dager_face_plan_passes(
      (uint32_t)image->width, (uint32_t)image->height, engine->detector_input,
      (uint32_t)engine->settings.min_face_size, engine->settings.tiling,
      passes);
  size_t pass_count = planned;
  dager_face_candidate *list = NULL;
  size_t listed = 0, capacity = 0;
  int truncated;
  dager_status status =
      run_passes(session, image, passes, 0, planned, &list, &listed, &capacity);

  if (status == DAGER_OK && engine->settings.tiling == DAGER_FACE_TILING_AUTO) {
    float smallest;
    size_t coarse = listed;

    status = smallest_face(engine, list, listed, &smallest);
    if (status == DAGER_OK) {
      pass_count = dager_face_plan_refinement(
          (uint32_t)image->width, (uint32_t)image->height,
          engine->detector_input, smallest, passes, planned);
      status = run_passes(session, image, passes, planned, pass_count, &list,
                          &listed, &capacity);
    }
    if (status == DAGER_OK && pass_count > planned) {
      listed = dager_face_drop_superseded(list, coarse, listed,
                                          engine->detector_input);
    }
  }
  if (status != DAGER_OK) {
    dager_mem_free(list);
    return status;
  }
  if (pass_count > 1) {
    listed = dager_face_nms(list, listed, engine->nms_iou,
                            (size_t)engine->settings.max_faces, &truncated);
  }
  *found = list;
  *count = listed;
  return DAGER_OK;
}

/* A face network's input from an integer rectangle of the image, padded
 * black to a centred square and resized. */
static dager_status write_crop_input(dager_session *session,
                                     dager_api_network which,
                                     const dager_image *image,
                                     const dager_face_rect *rect) {
  const dager_engine *engine = session->engine;
  const dager_model *model = engine->models[which];
  dager_tensor_shape input = dager_network_input_shape(engine->networks[which]);
  dager_image *crop = NULL;
  dager_image_canvas canvas;
  dager_status status = dager_image_crop(image, rect->x, rect->y, rect->width,
                                         rect->height, &crop);
  int offset_x, offset_y;

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
      dager_network_input(workspace_of(session, which)));
  dager_image_free(crop);
  return status;
}

/* Input of the age/gender or expression network; 0 when the face leaves
 * nothing to look at (not an error, as in analyze.c). */
static int write_attribute_input(dager_session *session,
                                 dager_api_network which,
                                 const dager_image *image,
                                 const float *landmarks, dager_status *status) {
  const dager_engine *engine = session->engine;
  dager_face_rect rect;
  double box[4];

  *status = DAGER_OK;
  if (engine->settings.aligned_attributes) {
    const dager_model *model = engine->models[which];
    dager_tensor_shape input =
        dager_network_input_shape(engine->networks[which]);
    dager_face_affine to_crop, to_image;

    if (!dager_face_alignment_transform(landmarks, (int)input.w, &to_crop) ||
        !dager_face_affine_invert(&to_crop, &to_image)) {
      return 0;
    }
    dager_face_warp_normalised(
        image->pixels, (uint32_t)image->width, (uint32_t)image->height,
        (size_t)image->width * 3, &to_image, (int)input.w, model->mean,
        model->divisor, dager_network_input(workspace_of(session, which)));
    return 1;
  }
  dager_face_landmark_box(landmarks, 0.2, box);
  if (!dager_face_rect_from_box(box[0], box[1], box[2], box[3],
                                (uint32_t)image->width, (uint32_t)image->height,
                                &rect)) {
    return 0;
  }
  *status = write_crop_input(session, which, image, &rect);
  return *status == DAGER_OK;
}

/* Landmarks, then the attribute networks, of one face; adds to times. */
static dager_status analyse_face(dager_session *session,
                                 const dager_image *image,
                                 bench_face_outcome *face,
                                 bench_stage_times *times) {
  const dager_engine *engine = session->engine;
  dager_tensor_shape input =
      dager_network_input_shape(engine->networks[DAGER_API_LANDMARKS]);
  dager_face_rect crop, rect;
  dager_status status;
  double box[4];
  clock_mark mark = mark_now();

  if (!dager_face_rect_from_box((double)face->x, (double)face->y,
                                (double)face->width, (double)face->height,
                                (uint32_t)image->width, (uint32_t)image->height,
                                &crop)) {
    return DAGER_OK;
  }
  status = write_crop_input(session, DAGER_API_LANDMARKS, image, &crop);
  if (status == DAGER_OK)
    status = run(session, DAGER_API_LANDMARKS);
  if (status != DAGER_OK)
    return status;
  dager_face_landmarks_to_image(
      output_of(session, DAGER_API_LANDMARKS, engine->landmarks_output),
      input.w, &crop, (double)face->x, (double)face->y, face->landmarks);
  face->has_landmarks = 1;
  lap(times, BENCH_STAGE_LANDMARKS, &mark);

  if (engine->networks[DAGER_API_AGE_GENDER]) {
    int ready = write_attribute_input(session, DAGER_API_AGE_GENDER, image,
                                      face->landmarks, &status);

    lap(times, BENCH_STAGE_ALIGN, &mark);
    if (status != DAGER_OK)
      return status;
    if (ready) {
      status = run(session, DAGER_API_AGE_GENDER);
      if (status != DAGER_OK)
        return status;
      face->age =
          output_of(session, DAGER_API_AGE_GENDER, engine->age_output)[0];
      face->has_age = 1;
      lap(times, BENCH_STAGE_ATTRIBUTES, &mark);
    }
  }
  if (engine->networks[DAGER_API_EXPRESSION]) {
    int ready = write_attribute_input(session, DAGER_API_EXPRESSION, image,
                                      face->landmarks, &status);

    lap(times, BENCH_STAGE_ALIGN, &mark);
    if (status != DAGER_OK)
      return status;
    if (ready) {
      status = run(session, DAGER_API_EXPRESSION);
      if (status != DAGER_OK)
        return status;
      lap(times, BENCH_STAGE_ATTRIBUTES, &mark);
    }
  }
  if (engine->networks[DAGER_API_DESCRIPTOR]) {
    dager_face_descriptor_box(face->landmarks, &crop, box);
    if (dager_face_rect_from_box(box[0], box[1], box[2], box[3],
                                 (uint32_t)image->width,
                                 (uint32_t)image->height, &rect)) {
      status = write_crop_input(session, DAGER_API_DESCRIPTOR, image, &rect);
      lap(times, BENCH_STAGE_ALIGN, &mark);
      if (status == DAGER_OK)
        status = run(session, DAGER_API_DESCRIPTOR);
      if (status != DAGER_OK)
        return status;
      memcpy(
          face->descriptor,
          output_of(session, DAGER_API_DESCRIPTOR, engine->descriptor_output),
          sizeof face->descriptor);
      face->has_descriptor = 1;
      lap(times, BENCH_STAGE_ATTRIBUTES, &mark);
    }
  }
  return DAGER_OK;
}

dager_status bench_staged_analyse(dager_session *session,
                                  const dager_image *image,
                                  bench_stage_times *times,
                                  bench_face_outcome *faces, size_t max_faces,
                                  size_t *face_count) {
  dager_face_candidate *found = NULL;
  size_t found_count = 0;
  size_t placed = 0;
  clock_mark mark = mark_now();
  dager_status status = detect(session, image, &found, &found_count);

  lap(times, BENCH_STAGE_DETECT, &mark);
  *face_count = 0;
  if (status != DAGER_OK)
    return status;

  for (size_t i = 0; i < found_count; i++) {
    bench_face_outcome face;
    float x0 = fmaxf(found[i].box.x0, 0.0f);
    float y0 = fmaxf(found[i].box.y0, 0.0f);
    float x1 = fminf(found[i].box.x1, (float)image->width);
    float y1 = fminf(found[i].box.y1, (float)image->height);

    if (!(x1 > x0) || !(y1 > y0))
      continue;
    memset(&face, 0, sizeof face);
    face.x = x0;
    face.y = y0;
    face.width = x1 - x0;
    face.height = y1 - y0;
    if (session->engine->networks[DAGER_API_LANDMARKS]) {
      status = analyse_face(session, image, &face, times);
      if (status != DAGER_OK)
        break;
    }
    if (faces && placed < max_faces)
      faces[placed] = face;
    placed++;
  }
  dager_mem_free(found);
  *face_count = placed;
  return status;
}
