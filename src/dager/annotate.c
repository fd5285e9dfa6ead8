#include "annotate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_write.h"

static const cli_color box_color = {40, 220, 60};
/* Faces cut by the border get another colour: their attributes are less
 * reliable, and the picture should say so. */
static const cli_color cut_box_color = {255, 160, 0};
static const cli_color landmark_color = {255, 40, 40};
static const cli_color label_text_color = {0, 0, 0};

/* The label of a face: "N: AGE GENDER EMOTION" on one line when that fits
 * over the box, else the emotion on a second line, so that labels of
 * neighbouring faces in a crowd do not run into each other. Returns the
 * number of lines. */
static int make_label(const dager_face *face, size_t number, int text_scale,
                      char lines[2][64]) {
  if (!face->has_attributes) {
    snprintf(lines[0], sizeof(lines[0]), "%zu", number);
    return 1;
  }
  snprintf(lines[0], sizeof(lines[0]), "%zu: %.0f %s %s", number,
           (double)face->age, dager_gender_name(face->gender),
           dager_emotion_name(face->dominant_emotion));
  if (cli_text_width(lines[0], text_scale) <= (long)face->width) {
    return 1;
  }
  snprintf(lines[0], sizeof(lines[0]), "%zu: %.0f %s", number,
           (double)face->age, dager_gender_name(face->gender));
  snprintf(lines[1], sizeof(lines[1]), "%s",
           dager_emotion_name(face->dominant_emotion));
  return 2;
}

static void draw_label(cli_canvas *canvas, const dager_face *face,
                       size_t number, int text_scale, cli_color color) {
  char lines[2][64];
  int line_count = make_label(face, number, text_scale, lines);
  long line_height = cli_text_height(text_scale);
  long width = cli_text_width(lines[0], text_scale);
  if (line_count == 2 && cli_text_width(lines[1], text_scale) > width) {
    width = cli_text_width(lines[1], text_scale);
  }
  long left = (long)face->x;
  /* Above the box when there is room, else just inside its top edge. */
  long top = (long)face->y - line_height * line_count;
  if (top < 0) {
    top = (long)face->y;
  }
  if (left + width > canvas->width) {
    left = canvas->width - width;
  }
  if (left < 0) {
    left = 0;
  }
  cli_fill_rectangle(canvas, left, top, left + width,
                     top + line_height * line_count, color);
  for (int line = 0; line < line_count; line++) {
    cli_draw_text(canvas, left, top + line_height * line, text_scale,
                  lines[line], label_text_color);
  }
}

void cli_draw_faces(cli_canvas *canvas, const cli_image_report *report) {
  int smaller_side =
      canvas->width < canvas->height ? canvas->width : canvas->height;
  /* Lines, dots and letters grow with the picture so they stay visible
   * on a large photo without hiding the face on a small one. */
  int thickness = 1 + smaller_side / 400;
  int dot_radius = thickness / 2 > 0 ? thickness / 2 : 1;
  int text_scale = 1 + smaller_side / 500;

  for (size_t i = 0; i < report->face_count; i++) {
    const dager_face *face = &report->faces[i].face;
    cli_color color = face->cut_by_border ? cut_box_color : box_color;
    cli_draw_box(canvas, face->x, face->y, face->width, face->height, thickness,
                 color);
    if (face->has_landmarks) {
      for (int point = 0; point < DAGER_LANDMARK_COUNT; point++) {
        cli_draw_dot(canvas, face->landmarks[point][0],
                     face->landmarks[point][1], dot_radius, landmark_color);
      }
    }
  }
  /* Labels last, so no box covers one, and weakest first, so where labels
   * overlap the strongest face's stays readable. */
  for (size_t i = report->face_count; i-- > 0;) {
    const dager_face *face = &report->faces[i].face;
    /* Letters no bigger than lets "NN: AGE FEMALE" (14 cells) span the
     * box, so a crowd of small faces gets small labels. */
    int face_scale = (int)(face->width / (14.0f * CLI_FONT_CELL_WIDTH));
    if (face_scale > text_scale) {
      face_scale = text_scale;
    }
    if (face_scale < 1) {
      face_scale = 1;
    }
    draw_label(canvas, face, i + 1, face_scale,
               face->cut_by_border ? cut_box_color : box_color);
  }
}

int cli_write_annotated(const dager_image *image,
                        const cli_image_report *report, const char *path,
                        cli_image_format format, int jpeg_quality, char *error,
                        size_t error_size) {
  int width = dager_image_width(image);
  int height = dager_image_height(image);
  const uint8_t *source = dager_image_pixels(image);
  size_t size = (size_t)width * (size_t)height * 3;
  cli_canvas canvas = {malloc(size > 0 ? size : 1), width, height};
  if (!canvas.pixels || !source) {
    free(canvas.pixels);
    snprintf(error, error_size, "out of memory for the annotated image");
    return -1;
  }
  memcpy(canvas.pixels, source, size);
  cli_draw_faces(&canvas, report);
  int written = cli_write_image(path, canvas.pixels, width, height,
                                (size_t)width * 3, format, jpeg_quality);
  free(canvas.pixels);
  if (written != 0) {
    snprintf(error, error_size, "cannot write %s", path);
    return -1;
  }
  return 0;
}

dager_status cli_write_crop(dager_session *session, const dager_image *image,
                            const dager_result *result, size_t index, int size,
                            const char *path, cli_image_format format,
                            int jpeg_quality, char *error, size_t error_size) {
  size_t stride = (size_t)size * 3;
  uint8_t *pixels = malloc(stride * (size_t)size);
  if (!pixels) {
    snprintf(error, error_size, "out of memory for a face crop");
    return DAGER_ERROR_OUT_OF_MEMORY;
  }
  dager_status status =
      dager_align_face(session, image, result, index, size, pixels, stride);
  if (status != DAGER_OK) {
    snprintf(error, error_size, "aligning face %zu: %s", index + 1,
             dager_last_error_message()[0] ? dager_last_error_message()
                                           : dager_status_string(status));
  } else if (cli_write_image(path, pixels, size, size, stride, format,
                             jpeg_quality) != 0) {
    snprintf(error, error_size, "cannot write %s", path);
    status = DAGER_ERROR_IO;
  }
  free(pixels);
  return status;
}
