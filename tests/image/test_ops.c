/*
 * Pixel operations: crop, square padding, TensorFlow's legacy bilinear
 * resize into a normalised tensor (against published TensorFlow values
 * and an independent double-precision reference), and the affine warp.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dager.h"
#include "image/image.h"

/* Deterministic pseudo-random bytes (xorshift), so failures repeat. */
static uint32_t random_state = 12345u;

static uint32_t next_random(void) {
  random_state ^= random_state << 13;
  random_state ^= random_state >> 17;
  random_state ^= random_state << 5;
  return random_state;
}

static dager_image *random_image(int width, int height) {
  dager_image *image = NULL;

  assert_int_equal(dager_image_create(width, height, &image), DAGER_OK);
  for (size_t i = 0; i < (size_t)width * height * 3; i++) {
    image->pixels[i] = (uint8_t)next_random();
  }
  return image;
}

static const uint8_t *pixel(const dager_image *image, int x, int y) {
  return image->pixels + ((size_t)y * image->width + x) * 3;
}

static void crop_fills_outside_with_black(void **state) {
  dager_image *source = random_image(7, 5);
  dager_image *crop = NULL;
  (void)state;

  /* Partly outside at the top-left. */
  assert_int_equal(dager_image_crop(source, -2, -1, 4, 3, &crop), DAGER_OK);
  assert_int_equal(crop->width, 4);
  assert_int_equal(crop->height, 3);
  for (int y = 0; y < 3; y++) {
    for (int x = 0; x < 4; x++) {
      int sx = x - 2, sy = y - 1;
      static const uint8_t black[3] = {0, 0, 0};
      const uint8_t *expected =
          sx >= 0 && sy >= 0 ? pixel(source, sx, sy) : black;

      assert_memory_equal(pixel(crop, x, y), expected, 3);
    }
  }
  dager_image_free(crop);

  /* Larger than the source on every side. */
  assert_int_equal(dager_image_crop(source, -3, -3, 13, 11, &crop), DAGER_OK);
  for (int y = 0; y < 11; y++) {
    for (int x = 0; x < 13; x++) {
      int sx = x - 3, sy = y - 3;
      int inside = sx >= 0 && sy >= 0 && sx < 7 && sy < 5;

      if (inside) {
        assert_memory_equal(pixel(crop, x, y), pixel(source, sx, sy), 3);
      } else {
        assert_int_equal(
            pixel(crop, x, y)[0] | pixel(crop, x, y)[1] | pixel(crop, x, y)[2],
            0);
      }
    }
  }
  dager_image_free(crop);

  /* Entirely outside, even at extreme coordinates. */
  assert_int_equal(
      dager_image_crop(source, 2147483000, -2147483000, 4, 4, &crop), DAGER_OK);
  for (int i = 0; i < 4 * 4 * 3; i++)
    assert_int_equal(crop->pixels[i], 0);
  dager_image_free(crop);

  assert_int_equal(dager_image_crop(source, 0, 0, 0, 4, &crop),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_null(crop);
  assert_int_equal(dager_image_crop(NULL, 0, 0, 4, 4, &crop),
                   DAGER_ERROR_INVALID_ARGUMENT);
  dager_image_free(source);
}

static void square_padding_modes(void **state) {
  (void)state;

  /* Wide (difference 5) and tall (difference 4), both modes. */
  for (int shape = 0; shape < 2; shape++) {
    int width = shape == 0 ? 9 : 3;
    int height = shape == 0 ? 4 : 7;
    dager_image *source = random_image(width, height);

    for (int mode = 0; mode < 2; mode++) {
      dager_image *square = NULL;
      int side = width > height ? width : height;
      int difference = side - (width < height ? width : height);
      int before = mode == DAGER_PAD_CENTRED ? difference / 2 : 0;
      int offset_x = width < height ? before : 0;
      int offset_y = height < width ? before : 0;
      int got_x, got_y;

      dager_image_square_offsets(width, height, (dager_pad_mode)mode, &got_x,
                                 &got_y);
      assert_int_equal(got_x, offset_x);
      assert_int_equal(got_y, offset_y);
      assert_int_equal(
          dager_image_pad_square(source, (dager_pad_mode)mode, &square),
          DAGER_OK);
      assert_int_equal(square->width, side);
      assert_int_equal(square->height, side);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int sx = x - offset_x, sy = y - offset_y;

          if (sx >= 0 && sy >= 0 && sx < width && sy < height) {
            assert_memory_equal(pixel(square, x, y), pixel(source, sx, sy), 3);
          } else {
            assert_int_equal(pixel(square, x, y)[0], 0);
          }
        }
      }
      dager_image_free(square);
    }
    dager_image_free(source);
  }
  /* The centred rule for an odd difference: floor(5 / 2) = 2 before. */
  {
    int x, y;
    dager_image_square_offsets(4, 9, DAGER_PAD_CENTRED, &x, &y);
    assert_int_equal(x, 2);
    assert_int_equal(y, 0);
  }
}

static const float no_mean[3] = {0, 0, 0};
static const float no_scale[3] = {1, 1, 1};

/* Resizes a grey 2 x 2 image given by four values. */
static void resize_grey(const uint8_t values[4], int out_width, int out_height,
                        float *out) {
  dager_image *image = NULL;
  dager_image_canvas canvas;

  assert_int_equal(dager_image_create(2, 2, &image), DAGER_OK);
  for (int i = 0; i < 4; i++)
    memset(image->pixels + i * 3, values[i], 3);
  canvas.source = image;
  canvas.canvas_width = 2;
  canvas.canvas_height = 2;
  canvas.offset_x = 0;
  canvas.offset_y = 0;
  assert_int_equal(dager_image_resize_to_tensor(&canvas, out_width, out_height,
                                                no_mean, no_scale, out),
                   DAGER_OK);
  dager_image_free(image);
}

static void resize_matches_tensorflow_published_values(void **state) {
  /* TensorFlow's resize_bilinear (align_corners false) of [[2, 2], [4, 4]]
   * to 3 x 3 is [2, 2, 2, 10/3, 10/3, 10/3, 4, 4, 4], a value in TF.js's
   * own tests: the row position 1 * 2/3 blends 2 and 4 by 2/3. */
  static const uint8_t values[4] = {2, 2, 4, 4};
  static const float expected[9] = {2,         2, 2, 10.0f / 3, 10.0f / 3,
                                    10.0f / 3, 4, 4, 4};
  float out[3 * 3 * 3];
  (void)state;

  resize_grey(values, 3, 3, out);
  for (int i = 0; i < 9; i++) {
    for (int c = 0; c < 3; c++) {
      assert_float_equal(out[i * 3 + c], expected[i], 1e-5);
    }
  }
}

static void resize_has_no_half_pixel_offset(void **state) {
  /* Upscaling 2 -> 4: positions 0, 0.5, 1, 1.5 -> the last output sample
   * clamps to the last pixel, as the legacy resize does (a half-pixel
   * resize would give a different first value). */
  static const uint8_t values[4] = {0, 100, 0, 100};
  float out[4 * 1 * 3];
  (void)state;

  resize_grey(values, 4, 1, out);
  assert_float_equal(out[0], 0.0f, 1e-6);
  assert_float_equal(out[3], 50.0f, 1e-6);
  assert_float_equal(out[6], 100.0f, 1e-6);
  assert_float_equal(out[9], 100.0f, 1e-6);
}

/* An independent reference in double precision, written from the
 * definition: canvas value, position y * in / out, blend along x then y. */
static double reference_canvas(const dager_image_canvas *canvas, long x, long y,
                               int c) {
  long sx = x - canvas->offset_x, sy = y - canvas->offset_y;

  if (sx < 0 || sy < 0 || sx >= canvas->source->width ||
      sy >= canvas->source->height) {
    return 0.0;
  }
  return canvas->source
      ->pixels[((size_t)sy * canvas->source->width + sx) * 3 + c];
}

static double reference_resize(const dager_image_canvas *canvas, int x, int y,
                               int c, int out_width, int out_height) {
  double px = (double)x * canvas->canvas_width / out_width;
  double py = (double)y * canvas->canvas_height / out_height;
  long x0 = (long)floor(px), y0 = (long)floor(py);
  long x1 = x0 + 1 < canvas->canvas_width ? x0 + 1 : canvas->canvas_width - 1;
  long y1 = y0 + 1 < canvas->canvas_height ? y0 + 1 : canvas->canvas_height - 1;
  double fx = px - x0, fy = py - y0;
  double top = reference_canvas(canvas, x0, y0, c) * (1 - fx) +
               reference_canvas(canvas, x1, y0, c) * fx;
  double bottom = reference_canvas(canvas, x0, y1, c) * (1 - fx) +
                  reference_canvas(canvas, x1, y1, c) * fx;

  return top * (1 - fy) + bottom * fy;
}

/*
 * The float definition, one output value at a time, in TensorFlow's order
 * of operations: the library computes whole rows at once for speed, and
 * must give these values to the last bit (parity with the reference rests
 * on it).
 */
static float float_canvas(const dager_image_canvas *canvas, long x, long y,
                          int c) {
  return (float)reference_canvas(canvas, x, y, c);
}

static float float_definition(const dager_image_canvas *canvas, int x, int y,
                              int c, int out_width, int out_height, float mean,
                              float divisor) {
  float scale_x = (float)canvas->canvas_width / (float)out_width;
  float scale_y = (float)canvas->canvas_height / (float)out_height;
  float position_x = scale_x * (float)x, position_y = scale_y * (float)y;
  long x0 = (long)floorf(position_x), y0 = (long)floorf(position_y);
  long x1 = (long)ceilf(position_x), y1 = (long)ceilf(position_y);
  float weight_x = position_x - floorf(position_x);
  float weight_y = position_y - floorf(position_y);
  volatile float top, bottom, value;

  if (x1 > canvas->canvas_width - 1)
    x1 = canvas->canvas_width - 1;
  if (x0 > canvas->canvas_width - 1)
    x0 = canvas->canvas_width - 1;
  if (y1 > canvas->canvas_height - 1)
    y1 = canvas->canvas_height - 1;
  if (y0 > canvas->canvas_height - 1)
    y0 = canvas->canvas_height - 1;
  /* volatile keeps each product rounded on its own, as in TensorFlow. */
  top = float_canvas(canvas, x1, y0, c) - float_canvas(canvas, x0, y0, c);
  top = top * weight_x;
  top = float_canvas(canvas, x0, y0, c) + top;
  bottom = float_canvas(canvas, x1, y1, c) - float_canvas(canvas, x0, y1, c);
  bottom = bottom * weight_x;
  bottom = float_canvas(canvas, x0, y1, c) + bottom;
  value = bottom - top;
  value = value * weight_y;
  value = top + value;
  value = value - mean;
  return value / divisor;
}

/* One random case: a source, a virtual canvas over it, an output size. */
typedef struct resize_case {
  dager_image *source;
  dager_image_canvas canvas;
  int out_width, out_height;
} resize_case;

static resize_case random_resize_case(int wide) {
  /* Wide cases reach below, at and above the library's chunk of 256
   * output columns; the small ones cover many shapes quickly. */
  int width = 1 + (int)(next_random() % (wide ? 700 : 60));
  int height = 1 + (int)(next_random() % (wide ? 40 : 60));
  resize_case r;

  r.source = random_image(width, height);
  r.canvas.source = r.source;
  r.canvas.canvas_width = 1 + (int)(next_random() % (wide ? 900 : 80));
  r.canvas.canvas_height = 1 + (int)(next_random() % (wide ? 60 : 80));
  r.canvas.offset_x =
      (int)(next_random() % (wide ? 200 : 40)) - (wide ? 100 : 20);
  r.canvas.offset_y =
      (int)(next_random() % (wide ? 20 : 40)) - (wide ? 10 : 20);
  r.out_width = 1 + (int)(next_random() % (wide ? 600 : 50));
  r.out_height = 1 + (int)(next_random() % (wide ? 30 : 50));
  return r;
}

/*
 * Against the definition twice: within 2e-4 of a double-precision reference
 * (float positions differ from double ones by an ulp of the position), and
 * to the last bit against the float definition in TensorFlow's order, on
 * which parity with the reference rests.
 */
static void resize_matches_the_definition(void **state) {
  static const float mean[3] = {117.001f, 114.697f, 97.404f};
  static const float divisor[3] = {255.0f, 255.0f, 127.5f};
  (void)state;

  for (int trial = 0; trial < 52; trial++) {
    resize_case r = random_resize_case(trial >= 40);
    float *out = malloc((size_t)r.out_width * r.out_height * 3 * sizeof *out);

    assert_non_null(out);
    assert_int_equal(
        dager_image_resize_to_tensor(&r.canvas, r.out_width, r.out_height, mean,
                                     divisor, out),
        DAGER_OK);
    for (int y = 0; y < r.out_height; y++) {
      for (int x = 0; x < r.out_width; x++) {
        for (int c = 0; c < 3; c++) {
          float got = out[((size_t)y * r.out_width + x) * 3 + c];
          float exact = float_definition(&r.canvas, x, y, c, r.out_width,
                                         r.out_height, mean[c], divisor[c]);
          double value =
              reference_resize(&r.canvas, x, y, c, r.out_width, r.out_height);
          double close = (value - (double)mean[c]) / (double)divisor[c];

          if (memcmp(&got, &exact, sizeof got) != 0 ||
              fabs((double)got - close) > 2e-4) {
            fail_msg(
                "trial %d (%dx%d -> %dx%d) at (%d, %d, %d): %.9g, "
                "float definition %.9g, double reference %.9g",
                trial, r.canvas.canvas_width, r.canvas.canvas_height,
                r.out_width, r.out_height, x, y, c, (double)got, (double)exact,
                close);
          }
        }
      }
    }
    free(out);
    dager_image_free(r.source);
  }
}

static void virtual_canvas_equals_materialised_padding(void **state) {
  dager_image *source = random_image(37, 23);
  dager_image *square = NULL;
  static const float mean[3] = {127.5f, 127.5f, 127.5f};
  static const float divisor[3] = {127.5f, 127.5f, 127.5f};
  float virtual_out[16 * 16 * 3], real_out[16 * 16 * 3];
  dager_image_canvas canvas = {source, 37, 37, 0, 0};
  dager_image_canvas padded;
  (void)state;

  for (int mode = 0; mode < 2; mode++) {
    dager_image_square_offsets(37, 23, (dager_pad_mode)mode, &canvas.offset_x,
                               &canvas.offset_y);
    assert_int_equal(
        dager_image_pad_square(source, (dager_pad_mode)mode, &square),
        DAGER_OK);
    padded.source = square;
    padded.canvas_width = 37;
    padded.canvas_height = 37;
    padded.offset_x = 0;
    padded.offset_y = 0;
    assert_int_equal(dager_image_resize_to_tensor(&canvas, 16, 16, mean,
                                                  divisor, virtual_out),
                     DAGER_OK);
    assert_int_equal(
        dager_image_resize_to_tensor(&padded, 16, 16, mean, divisor, real_out),
        DAGER_OK);
    assert_memory_equal(virtual_out, real_out, sizeof real_out);
    dager_image_free(square);
  }
  dager_image_free(source);
}

static void resize_arguments_are_checked(void **state) {
  dager_image *source = random_image(4, 4);
  dager_image_canvas canvas = {source, 4, 4, 0, 0};
  static const float zero[3] = {1, 0, 1};
  float out[4 * 4 * 3];
  (void)state;

  assert_int_equal(
      dager_image_resize_to_tensor(&canvas, 4, 4, no_mean, zero, out),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_resize_to_tensor(&canvas, 0, 4, no_mean, no_scale, out),
      DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(
      dager_image_resize_to_tensor(NULL, 4, 4, no_mean, no_scale, out),
      DAGER_ERROR_INVALID_ARGUMENT);
  canvas.canvas_width = 0;
  assert_int_equal(
      dager_image_resize_to_tensor(&canvas, 4, 4, no_mean, no_scale, out),
      DAGER_ERROR_INVALID_ARGUMENT);
  dager_image_free(source);
}

static void warp_identity_translation_and_rotation(void **state) {
  dager_image *source = random_image(6, 4);
  uint8_t out[8 * 8 * 3];
  (void)state;

  /* Identity copies exactly. */
  {
    static const double identity[6] = {1, 0, 0, 0, 1, 0};
    assert_int_equal(
        dager_image_warp_affine(source, identity, 6, 4, out, 6 * 3), DAGER_OK);
    assert_memory_equal(out, source->pixels, 6 * 4 * 3);
  }
  /* Shift by (-2, -1): output (x, y) shows source (x - 2, y - 1); the
   * band outside the source is black. */
  {
    static const double shift[6] = {1, 0, -2, 0, 1, -1};
    assert_int_equal(dager_image_warp_affine(source, shift, 8, 5, out, 8 * 3),
                     DAGER_OK);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 8; x++) {
        const uint8_t *got = out + ((size_t)y * 8 + x) * 3;
        int sx = x - 2, sy = y - 1;

        if (sx >= 0 && sy >= 0 && sx < 6 && sy < 4) {
          assert_memory_equal(got, pixel(source, sx, sy), 3);
        } else {
          assert_int_equal(got[0] | got[1] | got[2], 0);
        }
      }
    }
  }
  /* Half a pixel to the right: the rounded mean of two neighbours. */
  {
    static const double half[6] = {1, 0, 0.5, 0, 1, 0};
    assert_int_equal(dager_image_warp_affine(source, half, 5, 4, out, 5 * 3),
                     DAGER_OK);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        for (int c = 0; c < 3; c++) {
          int sum = pixel(source, x, y)[c] + pixel(source, x + 1, y)[c];
          assert_int_equal(out[((size_t)y * 5 + x) * 3 + c], (sum + 1) / 2);
        }
      }
    }
  }
  /* A quarter turn equals EXIF orientation 6 exactly: output (x, y)
   * shows source (y, H - 1 - x). */
  {
    static const double turn[6] = {0, 1, 0, -1, 0, 3};
    dager_image *rotated = NULL;

    assert_int_equal(dager_image_warp_affine(source, turn, 4, 6, out, 4 * 3),
                     DAGER_OK);
    assert_int_equal(dager_image_crop(source, 0, 0, 6, 4, &rotated), DAGER_OK);
    assert_int_equal(dager_image_apply_orientation(rotated, 6), DAGER_OK);
    assert_memory_equal(out, rotated->pixels, 4 * 6 * 3);
    dager_image_free(rotated);
  }
  dager_image_free(source);
}

static void warp_survives_wild_matrices(void **state) {
  dager_image *source = random_image(5, 5);
  uint8_t out[4 * 4 * 3 + 7];
  static const double huge[6] = {1e300, 1e300, 1e300, -1e300, 1e300, 0};
  static const double infinite[6] = {(double)INFINITY, 0, 0, 0, 1, 0};
  (void)state;

  memset(out, 0xAB, sizeof out);
  assert_int_equal(dager_image_warp_affine(source, huge, 4, 4, out, 4 * 3),
                   DAGER_OK);
  for (int i = 0; i < 4 * 4 * 3; i++)
    assert_int_equal(out[i], 0);
  /* Bytes past the last row are not written. */
  for (size_t i = 4 * 4 * 3; i < sizeof out; i++) {
    assert_int_equal(out[i], 0xAB);
  }
  assert_int_equal(dager_image_warp_affine(source, infinite, 4, 4, out, 4 * 3),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_image_warp_affine(source, huge, 4, 4, out, 11),
                   DAGER_ERROR_INVALID_ARGUMENT);
  dager_image_free(source);
}

static void affine_inverse(void **state) {
  static const double matrix[6] = {0.8, -0.6, 12.5, 0.6, 0.8, -3.25};
  static const double singular[6] = {1, 2, 3, 2, 4, 6};
  double inverse[6], back[6];
  (void)state;

  assert_true(dager_image_affine_invert(matrix, inverse));
  assert_true(dager_image_affine_invert(inverse, back));
  for (int i = 0; i < 6; i++)
    assert_true(fabs(back[i] - matrix[i]) < 1e-9);
  /* A point and its image. */
  {
    double x = 7, y = -2;
    double u = matrix[0] * x + matrix[1] * y + matrix[2];
    double v = matrix[3] * x + matrix[4] * y + matrix[5];
    assert_true(fabs(inverse[0] * u + inverse[1] * v + inverse[2] - x) < 1e-9);
    assert_true(fabs(inverse[3] * u + inverse[4] * v + inverse[5] - y) < 1e-9);
  }
  assert_false(dager_image_affine_invert(singular, inverse));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(crop_fills_outside_with_black),
      cmocka_unit_test(square_padding_modes),
      cmocka_unit_test(resize_matches_tensorflow_published_values),
      cmocka_unit_test(resize_has_no_half_pixel_offset),
      cmocka_unit_test(resize_matches_the_definition),
      cmocka_unit_test(virtual_canvas_equals_materialised_padding),
      cmocka_unit_test(resize_arguments_are_checked),
      cmocka_unit_test(warp_identity_translation_and_rotation),
      cmocka_unit_test(warp_survives_wild_matrices),
      cmocka_unit_test(affine_inverse),
  };
  return cmocka_run_group_tests_name("image operations", tests, NULL, NULL);
}
