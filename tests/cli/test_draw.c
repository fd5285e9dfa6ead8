/* Drawing for --annotate (clipping, font) and the progress bar's text. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "draw.h"
#include "progress.h"

static const cli_color white = {255, 255, 255};

static cli_canvas make_canvas(int width, int height) {
  cli_canvas canvas = {calloc((size_t)width * (size_t)height * 3, 1), width,
                       height};
  assert_non_null(canvas.pixels);
  return canvas;
}

static int is_set(const cli_canvas *canvas, int x, int y) {
  return canvas->pixels[((size_t)y * (size_t)canvas->width + (size_t)x) * 3] !=
         0;
}

static size_t count_set(const cli_canvas *canvas) {
  size_t count = 0;
  for (int y = 0; y < canvas->height; y++) {
    for (int x = 0; x < canvas->width; x++) {
      count += (size_t)is_set(canvas, x, y);
    }
  }
  return count;
}

static void rectangles_are_clipped(void **state) {
  (void)state;
  cli_canvas canvas = make_canvas(10, 8);
  cli_fill_rectangle(&canvas, -5, -5, 3, 2, white);
  assert_int_equal(count_set(&canvas), 3 * 2);
  cli_fill_rectangle(&canvas, 8, 6, 100, 100, white);
  assert_int_equal(count_set(&canvas), 3 * 2 + 2 * 2);
  /* Empty and inverted rectangles draw nothing. */
  cli_fill_rectangle(&canvas, 5, 5, 5, 7, white);
  cli_fill_rectangle(&canvas, 6, 6, 4, 4, white);
  assert_int_equal(count_set(&canvas), 10);
  free(canvas.pixels);
}

static void box_outline(void **state) {
  (void)state;
  cli_canvas canvas = make_canvas(20, 20);
  cli_draw_box(&canvas, 2.0f, 3.0f, 10.0f, 6.0f, 1, white);
  /* Perimeter of a 10 x 6 box drawn inside it. */
  assert_int_equal(count_set(&canvas), 2 * 10 + 2 * 4);
  assert_true(is_set(&canvas, 2, 3));
  assert_true(is_set(&canvas, 11, 8));
  assert_false(is_set(&canvas, 12, 8));
  assert_false(is_set(&canvas, 5, 5));
  /* Far outside, huge, or NaN coordinates must neither crash nor draw
   * outside the canvas. */
  cli_draw_box(&canvas, -1e30f, -1e30f, 3e30f, 3e30f, 2, white);
  cli_draw_box(&canvas, NAN, 1.0f, 5.0f, NAN, 2, white);
  cli_draw_dot(&canvas, 1e20f, -1e20f, 3, white);
  free(canvas.pixels);
}

static void dots_are_centred(void **state) {
  (void)state;
  cli_canvas canvas = make_canvas(9, 9);
  /* A landmark at (4.5, 4.5) is the centre of pixel (4, 4). */
  cli_draw_dot(&canvas, 4.5f, 4.5f, 1, white);
  assert_int_equal(count_set(&canvas), 9);
  assert_true(is_set(&canvas, 3, 3));
  assert_true(is_set(&canvas, 5, 5));
  assert_false(is_set(&canvas, 6, 5));
  free(canvas.pixels);
}

static void font_covers_labels(void **state) {
  (void)state;
  const char *needed =
      "0123456789abcdefghijklmnopqrstuvwxyz"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ .,:-%()/?#";
  for (const char *letter = needed; *letter; letter++) {
    if (!cli_font_has_glyph(*letter)) {
      print_error("no glyph for '%c'\n", *letter);
      fail();
    }
  }
  assert_false(cli_font_has_glyph('@'));
  assert_int_equal(cli_text_width("abc", 2), 3 * CLI_FONT_CELL_WIDTH * 2);
  assert_int_equal(cli_text_height(3), CLI_FONT_CELL_HEIGHT * 3);
}

static void text_is_drawn_in_its_cell(void **state) {
  (void)state;
  cli_canvas canvas = make_canvas(40, 20);
  cli_draw_text(&canvas, 2, 1, 1, "1", white);
  /* Ink stays inside the cell: x in [2, 8), y in [1, 10). */
  size_t ink = count_set(&canvas);
  assert_true(ink > 5);
  for (int y = 0; y < canvas.height; y++) {
    for (int x = 0; x < canvas.width; x++) {
      if (is_set(&canvas, x, y)) {
        assert_in_range(x, 2, 7);
        assert_in_range(y, 1, 9);
      }
    }
  }
  /* Lower case is drawn as upper case; at scale 2 a glyph has 4 times the
   * ink; an unknown character is drawn as '?'. */
  cli_canvas lower = make_canvas(40, 20);
  cli_canvas upper = make_canvas(40, 20);
  cli_draw_text(&lower, 0, 0, 1, "happy", white);
  cli_draw_text(&upper, 0, 0, 1, "HAPPY", white);
  assert_memory_equal(lower.pixels, upper.pixels, 40 * 20 * 3);
  cli_canvas big = make_canvas(40, 20);
  cli_draw_text(&big, 0, 0, 2, "1", white);
  assert_int_equal(count_set(&big), ink * 4);
  cli_canvas unknown = make_canvas(40, 20);
  cli_canvas question = make_canvas(40, 20);
  cli_draw_text(&unknown, 0, 0, 1, "@", white);
  cli_draw_text(&question, 0, 0, 1, "?", white);
  assert_memory_equal(unknown.pixels, question.pixels, 40 * 20 * 3);
  /* Text running off the canvas is clipped. */
  cli_draw_text(&canvas, 30, 15, 3, "WWWW", white);
  free(canvas.pixels);
  free(lower.pixels);
  free(upper.pixels);
  free(big.pixels);
  free(unknown.pixels);
  free(question.pixels);
}

static void progress_text(void **state) {
  (void)state;
  char line[128];
  cli_progress_format(line, sizeof(line), 0, 40, 0.0);
  assert_string_equal(line,
                      "0/40 [........................] - img/s, "
                      "--:-- left");
  cli_progress_format(line, sizeof(line), 10, 40, 5.0);
  assert_string_equal(line,
                      "10/40 [######..................] 2.0 img/s, "
                      "0:15 left");
  cli_progress_format(line, sizeof(line), 40, 40, 20.0);
  assert_string_equal(line,
                      "40/40 [########################] 2.0 img/s, "
                      "0:00 left");
  /* Hours once the time left passes one; beyond 99 hours, unknown. */
  cli_progress_format(line, sizeof(line), 1, 1000, 100.0);
  assert_non_null(strstr(line, "27:45:00 left"));
  cli_progress_format(line, sizeof(line), 1, 100000, 10.0);
  assert_non_null(strstr(line, "--:-- left"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rectangles_are_clipped),
      cmocka_unit_test(box_outline),
      cmocka_unit_test(dots_are_centred),
      cmocka_unit_test(font_covers_labels),
      cmocka_unit_test(text_is_drawn_in_its_cell),
      cmocka_unit_test(progress_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
