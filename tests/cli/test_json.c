/* The JSON writer of the dager program: structure, escaping, numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static void nested_containers_get_commas(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  cli_json_begin_object(&json);
  cli_json_key(&json, "a");
  cli_json_integer(&json, 1);
  cli_json_key(&json, "list");
  cli_json_begin_array(&json);
  cli_json_integer(&json, -2);
  cli_json_begin_object(&json);
  cli_json_end_object(&json);
  cli_json_begin_array(&json);
  cli_json_end_array(&json);
  cli_json_null(&json);
  cli_json_end_array(&json);
  cli_json_key(&json, "ok");
  cli_json_boolean(&json, 1);
  cli_json_key(&json, "no");
  cli_json_boolean(&json, 0);
  cli_json_end_object(&json);
  assert_false(json.failed);
  assert_string_equal(json.data,
                      "{\"a\":1,\"list\":[-2,{},[],null],\"ok\":true,"
                      "\"no\":false}");

  cli_json_reset(&json);
  cli_json_begin_array(&json);
  cli_json_string(&json, "x");
  cli_json_string(&json, "y");
  cli_json_end_array(&json);
  assert_string_equal(json.data, "[\"x\",\"y\"]");
  cli_json_free(&json);
}

static const char *as_string(cli_json *json, const char *text, size_t length) {
  cli_json_reset(json);
  cli_json_string_bytes(json, text, length);
  assert_false(json->failed);
  return json->data;
}

static void strings_are_escaped(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  assert_string_equal(as_string(&json, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
  assert_string_equal(as_string(&json, "\n\r\t", 3), "\"\\n\\r\\t\"");
  assert_string_equal(as_string(&json, "\x01\x1f\x7f", 3),
                      "\"\\u0001\\u001f\\u007f\"");
  /* An embedded NUL byte is written, not taken as the end. */
  assert_string_equal(as_string(&json, "a\0b", 3), "\"a\\u0000b\"");
  /* Valid UTF-8 passes unchanged: e-acute, euro sign, an emoji. */
  assert_string_equal(
      as_string(&json, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9),
      "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
  cli_json_free(&json);
}

static void invalid_utf8_becomes_replacement(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  /* A Latin-1 file name byte. */
  assert_string_equal(as_string(&json, "caf\xe9.jpg", 8), "\"caf\\ufffd.jpg\"");
  /* Overlong encoding of '/', a stray continuation byte. */
  assert_string_equal(as_string(&json, "\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");
  assert_string_equal(as_string(&json, "\x80", 1), "\"\\ufffd\"");
  /* An encoded UTF-16 surrogate and a code point past U+10FFFF. */
  assert_string_equal(as_string(&json, "\xed\xa0\x80", 3),
                      "\"\\ufffd\\ufffd\\ufffd\"");
  assert_string_equal(as_string(&json, "\xf4\x90\x80\x80", 4),
                      "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
  /* A sequence cut short by the end of the text. */
  assert_string_equal(as_string(&json, "x\xe2\x82", 3), "\"x\\ufffd\\ufffd\"");
  cli_json_free(&json);
}

static const char *as_float(cli_json *json, float value) {
  cli_json_reset(json);
  cli_json_float(json, value);
  return json->data;
}

static void floats_are_short_and_exact(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  assert_string_equal(as_float(&json, 0.5f), "0.5");
  assert_string_equal(as_float(&json, 123.25f), "123.25");
  assert_string_equal(as_float(&json, 0.1f), "0.1");
  assert_string_equal(as_float(&json, NAN), "null");
  assert_string_equal(as_float(&json, INFINITY), "null");
  /* Every float reads back exactly. */
  const float samples[] = {1.0f / 3.0f, 16777217.0f, 3.4e38f,
                           1e-30f,      -0.000123f,  0.98765432f};
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    float read = 0.0f;
    assert_int_equal(sscanf(as_float(&json, samples[i]), "%f", &read), 1);
    assert_true(read == samples[i]);
  }
  cli_json_free(&json);
}

static void unbalanced_output_is_refused(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  FILE *sink = tmpfile();
  assert_non_null(sink);
  cli_json_begin_object(&json);
  assert_int_equal(cli_json_write_line(&json, sink), -1);
  cli_json_end_object(&json);
  assert_int_equal(cli_json_write_line(&json, sink), 0);
  cli_json_end_object(&json);
  assert_true(json.failed);
  assert_int_equal(cli_json_write_line(&json, sink), -1);

  /* Too deep: the writer fails instead of overrunning its stack. */
  cli_json_reset(&json);
  for (int i = 0; i < CLI_JSON_MAX_DEPTH + 2; i++) {
    cli_json_begin_array(&json);
  }
  assert_true(json.failed);

  rewind(sink);
  char line[16] = "";
  assert_non_null(fgets(line, sizeof(line), sink));
  assert_string_equal(line, "{}\n");
  fclose(sink);
  cli_json_free(&json);
}

static void long_output_grows(void **state) {
  (void)state;
  cli_json json;
  cli_json_init(&json);
  cli_json_begin_array(&json);
  for (int i = 0; i < 10000; i++) {
    cli_json_integer(&json, i);
  }
  cli_json_end_array(&json);
  assert_false(json.failed);
  assert_int_equal(json.length, strlen(json.data));
  assert_memory_equal(json.data + json.length - 6, ",9999]", 6);
  cli_json_free(&json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nested_containers_get_commas),
      cmocka_unit_test(strings_are_escaped),
      cmocka_unit_test(invalid_utf8_becomes_replacement),
      cmocka_unit_test(floats_are_short_and_exact),
      cmocka_unit_test(unbalanced_output_is_refused),
      cmocka_unit_test(long_output_grows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
