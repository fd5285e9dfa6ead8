/* What the program writes about an analysed image: the JSON object, the
 * table, and the drawing on --annotate pictures, on a made-up result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annotate.h"
#include "report.h"

static cli_face_report make_face(float x, float y, float size, int cut) {
  cli_face_report report;
  memset(&report, 0, sizeof(report));
  dager_face *face = &report.face;
  face->struct_size = sizeof(*face);
  face->x = x;
  face->y = y;
  face->width = size;
  face->height = size;
  face->score = 0.75f;
  face->cut_by_border = cut;
  face->has_landmarks = 1;
  for (int i = 0; i < DAGER_LANDMARK_COUNT; i++) {
    face->landmarks[i][0] = x + size / 2;
    face->landmarks[i][1] = y + size / 2;
  }
  face->has_attributes = 1;
  face->age = 31.5f;
  face->gender = DAGER_GENDER_MALE;
  face->gender_probability = 0.875f;
  for (int i = 0; i < DAGER_EMOTION_COUNT; i++) {
    face->emotions[i] = 0.0625f;
  }
  face->emotions[DAGER_EMOTION_SURPRISED] = 0.625f;
  face->dominant_emotion = DAGER_EMOTION_SURPRISED;
  return report;
}

static void json_of_an_image(void **state) {
  (void)state;
  cli_face_report faces[1] = {make_face(10.5f, 20.0f, 30.0f, 1)};
  faces[0].has_descriptor = 1;
  faces[0].descriptor[0] = -0.5f;
  cli_image_report report = {0};
  report.path = "dir/\"x\".jpg";
  report.width = 640;
  report.height = 480;
  report.orientation = 6;
  report.analysed = 1;
  report.face_count = 1;
  report.faces = faces;

  cli_json json;
  cli_json_init(&json);
  cli_report_fields plain = {0, 0};
  cli_json_image(&json, &report, plain);
  assert_false(json.failed);
  assert_string_equal(
      json.data,
      "{\"path\":\"dir/\\\"x\\\".jpg\",\"status\":\"ok\",\"width\":640,"
      "\"height\":480,\"orientation\":6,\"truncated\":false,\"faces\":[{"
      "\"box\":{\"x\":10.5,\"y\":20,\"width\":30,\"height\":30},"
      "\"score\":0.75,\"cut_by_border\":true,\"age\":31.5,"
      "\"gender\":\"male\",\"gender_probability\":0.875,"
      "\"emotion\":\"surprised\",\"emotions\":{\"angry\":0.0625,"
      "\"disgusted\":0.0625,\"fearful\":0.0625,\"happy\":0.0625,"
      "\"neutral\":0.0625,\"sad\":0.0625,\"surprised\":0.625}}]}");

  cli_report_fields all = {1, 1};
  cli_json_image(&json, &report, all);
  assert_non_null(strstr(json.data, "\"landmarks\":[[25.5,35],[25.5,35],"));
  assert_non_null(strstr(json.data, "\"descriptor\":[-0.5,0,0,"));

  cli_json_failure(&json, "a\nb", "io", "cannot open");
  assert_string_equal(json.data,
                      "{\"path\":\"a\\nb\",\"status\":\"io\","
                      "\"message\":\"cannot open\"}");
  cli_json_free(&json);

  assert_string_equal(cli_status_name(DAGER_OK), "ok");
  assert_string_equal(cli_status_name(DAGER_ERROR_CORRUPT_IMAGE),
                      "corrupt_image");
  assert_string_equal(cli_status_name(DAGER_ERROR_INTERNAL), "internal");
  assert_string_equal(cli_status_name((dager_status)999), "unknown");
}

static void table_of_an_image(void **state) {
  (void)state;
  cli_face_report faces[1] = {make_face(10.5f, 20.0f, 30.0f, 1)};
  cli_image_report report = {0};
  report.path = "x\x1b[31m.jpg";
  report.width = 64;
  report.height = 48;
  report.analysed = 1;
  report.face_count = 1;
  report.faces = faces;
  FILE *stream = tmpfile();
  assert_non_null(stream);
  assert_int_equal(cli_table_image(stream, &report), 0);
  rewind(stream);
  char text[1024];
  size_t length = fread(text, 1, sizeof(text) - 1, stream);
  text[length] = '\0';
  fclose(stream);
  /* The escape character of the path is not sent to the terminal. */
  assert_non_null(strstr(text, "x?[31m.jpg: 64 x 48, 1 face\n"));
  assert_non_null(strstr(text, "male 88%"));
  assert_non_null(strstr(text, "surprised 62%, cut by border\n"));
}

static int color_at(const cli_canvas *canvas, int x, int y, uint8_t red,
                    uint8_t green, uint8_t blue) {
  const uint8_t *pixel =
      canvas->pixels + ((size_t)y * (size_t)canvas->width + (size_t)x) * 3;
  return pixel[0] == red && pixel[1] == green && pixel[2] == blue;
}

static void drawing_of_faces(void **state) {
  (void)state;
  enum { width = 200, height = 160 };
  cli_canvas canvas = {calloc(width * height * 3, 1), width, height};
  assert_non_null(canvas.pixels);
  cli_face_report faces[2] = {make_face(100.0f, 60.0f, 80.0f, 0),
                              make_face(-20.0f, -10.0f, 50.0f, 1)};
  cli_image_report report = {0};
  report.width = width;
  report.height = height;
  report.analysed = 1;
  report.face_count = 2;
  report.faces = faces;
  cli_draw_faces(&canvas, &report);

  /* The left edge of the first box is green, the box's inside is not
   * painted away from its landmarks, and the landmark is red. */
  assert_true(color_at(&canvas, 100, 120, 40, 220, 60));
  assert_true(color_at(&canvas, 179, 120, 40, 220, 60));
  assert_true(color_at(&canvas, 120, 120, 0, 0, 0));
  assert_true(color_at(&canvas, 139, 99, 255, 40, 40));
  /* Its label band sits above the box, in the box colour. */
  assert_true(color_at(&canvas, 100, 59, 40, 220, 60) ||
              color_at(&canvas, 100, 59, 0, 0, 0));
  int band = 0;
  for (int x = 100; x < 180; x++) {
    band += color_at(&canvas, x, 52, 40, 220, 60);
  }
  assert_true(band > 20);
  /* The face cut by the border is drawn in orange, clipped at the edge,
   * with its label inside the picture. */
  assert_true(color_at(&canvas, 29, 30, 255, 160, 0));
  int orange = 0;
  for (int x = 0; x < 30; x++) {
    orange += color_at(&canvas, x, 1, 255, 160, 0);
  }
  assert_true(orange > 10);
  free(canvas.pixels);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_of_an_image),
      cmocka_unit_test(table_of_an_image),
      cmocka_unit_test(drawing_of_faces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
