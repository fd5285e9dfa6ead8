/*
 * The public handles' insides, shared by the files of lib/api. Nothing here
 * is visible outside the library.
 */
#ifndef DAGER_API_INTERNAL_H
#define DAGER_API_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "dager.h"
#include "face/detect.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"

/* The networks an engine may hold, in the order "networks" names them. */
typedef enum dager_api_network {
  DAGER_API_DETECTOR = 0,
  DAGER_API_LANDMARKS = 1,
  DAGER_API_AGE_GENDER = 2,
  DAGER_API_EXPRESSION = 3,
  DAGER_API_DESCRIPTOR = 4,
  DAGER_API_NETWORK_COUNT = 5
} dager_api_network;

typedef enum dager_api_detector {
  DAGER_API_DETECTOR_SSD = 0,
  DAGER_API_DETECTOR_TINY = 1
} dager_api_detector;

/*
 * Landmark passes per face (the "landmark_passes" option). The first pass
 * runs on the detector's box, as the reference does; each further pass
 * runs the network again on an upright crop placed by the last landmarks,
 * and the passes stop early once a pass moves that crop by less than
 * DAGER_API_LANDMARK_SETTLED pixels of the network's input. The "aligned"
 * attribute crop takes DAGER_API_ALIGNED_LANDMARK_PASSES by default: on a
 * tilted face the first pass alone places the points differently than on
 * the same face upright (docs/parity.md, "Rotated faces").
 */
#define DAGER_API_MAX_LANDMARK_PASSES 8
#define DAGER_API_ALIGNED_LANDMARK_PASSES 8
#define DAGER_API_LANDMARK_SETTLED 0.005

/*
 * How far the passes may move the aligned crop from where the first pass
 * put it before they are taken to be straying from the face, and the
 * first pass's landmarks are kept (see placement_near in analyze.c). On a
 * profile with a hand at the mouth the passes were seen to shrink the
 * landmarks pass after pass onto a patch of cheek (the crop's side from
 * about the detector box's to a tenth of it). On the demo faces turned by
 * +-20 degrees the crop ends 0.8 to 1.4 times the box's side, turned by
 * up to 10 degrees from the first pass's and moved by up to 0.17 of its
 * side.
 */
#define DAGER_API_LANDMARK_MAX_SHRINK 1.4
#define DAGER_API_LANDMARK_MAX_TURN 0.7854 /* 45 degrees */
#define DAGER_API_LANDMARK_MAX_SHIFT 0.35

/*
 * Views of the aligned crop each attribute network answers for (the
 * "aligned_views" option): the crop, then the crop moved by
 * DAGER_API_VIEW_SHIFT pixels (of a 112-pixel crop) right, left, down and
 * up; the answers are averaged. The networks answer a shift of a pixel
 * with up to a year of age and several points of emotion probability; the
 * mean over nearby views changes far less with small differences of
 * placement and resampling, such as those between a face and the same
 * face tilted (docs/parity.md, "Rotated faces").
 */
#define DAGER_API_MAX_ALIGNED_VIEWS 5
#define DAGER_API_VIEW_SHIFT 2

struct dager_options {
  char *models_dir; /* NULL: DAGER_MODELS_DIR, then the install folder */
  dager_api_detector detector;
  int tiny_landmarks;
  int aligned_attributes;
  unsigned networks; /* bit per dager_api_network */
  double min_score;
  double nms_iou;
  int nms_iou_set; /* 0: each detector's reference value */
  int64_t max_faces;
  int64_t tiny_input_size;
  int64_t max_pixels;
  int64_t threads;
  int64_t min_face_size;
  int64_t landmark_passes; /* 0: the attribute crop's default */
  int64_t aligned_views;
  dager_face_tiling tiling;
};

/* Landmark passes an engine with these options runs per face. */
int dager_api_landmark_passes(const dager_options *options);

/* Views of the aligned crop per attribute network (aligned mode only). */
int dager_api_aligned_views(const dager_options *options);

/* Copies every setting of source into target, duplicating the string. */
dager_status dager_api_options_copy(const dager_options *source,
                                    dager_options *target);
void dager_api_options_defaults(dager_options *options);
void dager_api_options_release(dager_options *options);

#define DAGER_API_SSD_PREDICTORS 6
#define DAGER_API_MAX_TINY_ANCHORS 16

struct dager_engine {
  dager_options settings;
  const dager_kernels *kernels;
  dager_model *models[DAGER_API_NETWORK_COUNT];
  dager_network *networks[DAGER_API_NETWORK_COUNT];

  /* Detector. */
  uint32_t detector_input; /* square input side */
  float min_score;
  float nms_iou;
  int32_t ssd_boxes[DAGER_API_SSD_PREDICTORS];
  int32_t ssd_classes[DAGER_API_SSD_PREDICTORS];
  size_t ssd_box_counts[DAGER_API_SSD_PREDICTORS]; /* anchors per output */
  float *ssd_anchors;  /* owned copy: the model's data is released */
  size_t anchor_count; /* SSD anchors, or tiny cells x anchors */
  int32_t tiny_grid;
  float tiny_anchors[2 * DAGER_API_MAX_TINY_ANCHORS];
  uint32_t tiny_anchor_count;

  /* Face networks: output indices. */
  int32_t landmarks_output;
  int32_t age_output;
  int32_t gender_output;
  int32_t expressions_output;
  int32_t descriptor_output;
  uint32_t emotion_map[DAGER_EMOTION_COUNT];
  uint32_t male_index;
};

/*
 * The stages of one analysis, for bench/pipeline's timing: detect (the
 * detector's inputs, runs and box decoding), landmarks (their crops and
 * runs), align (every attribute network's input: crop, pad and resize, or
 * the aligned warp) and attributes (the attribute and descriptor runs).
 * When a session's worker threads analyse the faces of a photo side by
 * side, all their work is one attributes stage.
 */
typedef enum dager_api_stage {
  DAGER_API_STAGE_DETECT = 0,
  DAGER_API_STAGE_LANDMARKS = 1,
  DAGER_API_STAGE_ALIGN = 2,
  DAGER_API_STAGE_ATTRIBUTES = 3,
  DAGER_API_STAGE_DONE = 4
} dager_api_stage;

/* Called as an analysis enters each stage, and with DONE at its end. */
typedef void (*dager_api_stage_hook)(void *user, dager_api_stage stage);

/* A worker thread's first failure on the faces of a photo. */
typedef struct dager_api_face_failure {
  dager_status status;
  size_t face;
  char message[DAGER_ERROR_MESSAGE_MAX];
} dager_api_face_failure;

struct dager_session {
  const dager_engine *engine;
  /* Internal timing hook for the benchmark; NULL in normal use. */
  dager_api_stage_hook stage_hook;
  void *stage_hook_user;
  dager_thread_pool *pool;
  dager_network_workspace *workspaces[DAGER_API_NETWORK_COUNT];
  /* Arena and scratch shared by every workspace (see session.c). */
  void *workspace_memory;
  size_t workspace_size;
  /* With worker threads: per thread, workspaces of the face networks in a
   * block of their own, so the faces of a photo run side by side
   * (analyze.c), and where a thread's failure is kept. */
  uint32_t face_threads; /* 0 without worker threads */
  dager_network_workspace *(*face_workspaces)[DAGER_API_NETWORK_COUNT];
  void **face_memory;
  dager_api_face_failure *face_failures;
  /* SSD predictor outputs joined in predictor order. */
  float *joined_boxes;
  float *joined_classes;
  /* One pass's decoded candidates. */
  dager_face_candidate *candidates;
};

/*
 * Whether rows of row_bytes bytes, stride bytes apart, can be a caller's
 * buffer: stride at least a row, at most 2^32 bytes, and the whole extent
 * (stride x (rows - 1) + row_bytes) at most 2^44 bytes. The library cannot
 * see how large a caller's buffer is; these bounds only refuse strides no
 * real buffer has, which would otherwise send row addresses past the end
 * of the address space.
 */
int dager_api_rows_fit(size_t stride, size_t row_bytes, size_t rows);

/* One face with its descriptor, as stored in a result. */
typedef struct dager_api_face {
  dager_face face;
  float descriptor[DAGER_DESCRIPTOR_SIZE];
} dager_api_face;

struct dager_result {
  int image_width;
  int image_height;
  int truncated;
  size_t face_count;
  dager_api_face *faces;
};

#endif /* DAGER_API_INTERNAL_H */
