#include "face_grids.h"

#include <stdint.h>
#include <stdlib.h>

/* Shrinks the region (sx, sy, sw, sh) of source into the dw x dh block at
 * (dx, dy) of an RGB8 canvas canvas_width pixels wide, each target pixel
 * the mean of the source pixels its footprint touches. */
static void shrink_into(const dager_image *source, int sx, int sy, int sw,
                        int sh, uint8_t *canvas, int canvas_width, int dx,
                        int dy, int dw, int dh) {
  const uint8_t *pixels = dager_image_pixels(source);
  size_t stride = (size_t)dager_image_width(source) * 3;

  for (int j = 0; j < dh; j++) {
    int y0 = sy + (int)((int64_t)j * sh / dh);
    int y1 = sy + (int)(((int64_t)(j + 1) * sh + dh - 1) / dh);

    for (int i = 0; i < dw; i++) {
      int x0 = sx + (int)((int64_t)i * sw / dw);
      int x1 = sx + (int)(((int64_t)(i + 1) * sw + dw - 1) / dw);
      uint8_t *out = canvas + ((size_t)(dy + j) * canvas_width + dx + i) * 3;
      uint64_t sum[3] = {0, 0, 0};
      uint64_t count = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0);

      for (int y = y0; y < y1; y++) {
        const uint8_t *row = pixels + (size_t)y * stride;

        for (int x = x0; x < x1; x++) {
          for (int c = 0; c < 3; c++)
            sum[c] += row[x * 3 + c];
        }
      }
      for (int c = 0; c < 3; c++)
        out[c] = (uint8_t)((sum[c] + count / 2) / count);
    }
  }
}

/* Wraps a malloc'ed canvas into a library image and frees the canvas. */
static dager_image *to_image(uint8_t *canvas, int width, int height) {
  dager_image *image = NULL;

  if (!canvas)
    return NULL;
  if (dager_image_from_pixels(canvas, width, height, (size_t)width * 3,
                              DAGER_PIXEL_RGB8, &image) != DAGER_OK) {
    image = NULL;
  }
  free(canvas);
  return image;
}

dager_image *face_grid_of_photos(const dager_image *const photos[6]) {
  enum { COLUMNS = 3, ROWS = 2, CELL_W = 960, CELL_H = 769 };
  int width = COLUMNS * CELL_W, height = ROWS * CELL_H;
  uint8_t *canvas = calloc((size_t)width * height, 3);

  if (!canvas)
    return NULL;
  for (int k = 0; k < COLUMNS * ROWS; k++) {
    int w = dager_image_width(photos[k]), h = dager_image_height(photos[k]);

    if (w / 2 > CELL_W || h / 2 > CELL_H || w < 2 || h < 2) {
      free(canvas);
      return NULL;
    }
    shrink_into(photos[k], 0, 0, w / 2 * 2, h / 2 * 2, canvas, width,
                k % COLUMNS * CELL_W, k / COLUMNS * CELL_H, w / 2, h / 2);
  }
  return to_image(canvas, width, height);
}

dager_image *face_grid_of_copies(const dager_image *photo, int x, int y,
                                 int side, int cell, int columns, int rows) {
  int width = columns * cell, height = rows * cell;
  uint8_t *canvas;

  if (x < 0 || y < 0 || side < 1 || cell < 1 || columns < 1 || rows < 1 ||
      x + side > dager_image_width(photo) ||
      y + side > dager_image_height(photo)) {
    return NULL;
  }
  canvas = malloc((size_t)width * height * 3);
  if (!canvas)
    return NULL;
  for (int row = 0; row < rows; row++) {
    for (int column = 0; column < columns; column++) {
      shrink_into(photo, x, y, side, side, canvas, width, column * cell,
                  row * cell, cell, cell);
    }
  }
  return to_image(canvas, width, height);
}
