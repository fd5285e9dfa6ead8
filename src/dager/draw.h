/*
 * Drawing on RGB8 pixels for --annotate: rectangles, dots and text in a
 * small bitmap font of our own. Everything is clipped to the canvas, so
 * callers may pass boxes and landmarks that reach past the image edge.
 */
#ifndef DAGER_CLI_DRAW_H
#define DAGER_CLI_DRAW_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_canvas {
  uint8_t *pixels; /* RGB8, rows of width * 3 bytes */
  int width;
  int height;
} cli_canvas;

typedef struct cli_color {
  uint8_t red, green, blue;
} cli_color;

/* Glyph cell of the font at scale 1, spacing included. */
#define CLI_FONT_CELL_WIDTH 6
#define CLI_FONT_CELL_HEIGHT 9

/* Fills the pixels with x in [left, right) and y in [top, bottom). */
void cli_fill_rectangle(cli_canvas *canvas, long left, long top, long right,
                        long bottom, cli_color color);

/* The outline of a box, thickness pixels wide, drawn inside the box. */
void cli_draw_box(cli_canvas *canvas, float x, float y, float width,
                  float height, int thickness, cli_color color);

/* A filled square of side 2 * radius + 1 centred on (x, y). */
void cli_draw_dot(cli_canvas *canvas, float x, float y, int radius,
                  cli_color color);

/* Width and height in pixels of text drawn at scale. */
long cli_text_width(const char *text, int scale);
long cli_text_height(int scale);

/*
 * Draws text with its top-left corner at (left, top), each font pixel a
 * scale x scale block. Lower-case letters are drawn as capitals; characters
 * the font lacks are drawn as '?'.
 */
void cli_draw_text(cli_canvas *canvas, long left, long top, int scale,
                   const char *text, cli_color color);

/* 1 when the font has a glyph for character (after upper-casing). */
int cli_font_has_glyph(char character);

#endif /* DAGER_CLI_DRAW_H */
