/*
 * A small JSON writer into a growable buffer, so that each output line is
 * assembled first and written with one call: a reader of the stream never
 * sees half a line, even when an image fails halfway through.
 */
#ifndef DAGER_CLI_JSON_H
#define DAGER_CLI_JSON_H

#include <stddef.h>
#include <stdio.h>

#define CLI_JSON_MAX_DEPTH 16

typedef struct cli_json {
  char *data;
  size_t length;
  size_t capacity;
  /* Set when an allocation failed or nesting went too deep; later calls do
   * nothing, and cli_json_write reports the failure once. */
  int failed;
  int depth;
  /* Per nesting level: 1 until the first member was written, so the writer
   * knows when a comma is due. */
  unsigned char first[CLI_JSON_MAX_DEPTH];
  /* 1 right after a key, when the next value needs no comma. */
  int after_key;
} cli_json;

void cli_json_init(cli_json *json);
void cli_json_free(cli_json *json);
/* Empties the buffer for the next line, keeping its memory. */
void cli_json_reset(cli_json *json);

void cli_json_begin_object(cli_json *json);
void cli_json_end_object(cli_json *json);
void cli_json_begin_array(cli_json *json);
void cli_json_end_array(cli_json *json);

/* Writes a member name inside an object; the next value call is its value. */
void cli_json_key(cli_json *json, const char *key);

/*
 * Writes text as a JSON string. Quotes, backslashes and control characters
 * are escaped; bytes that are not valid UTF-8 (a file name in another
 * encoding, say) become U+FFFD, so that the line stays valid JSON for every
 * parser.
 */
void cli_json_string(cli_json *json, const char *text);
void cli_json_string_bytes(cli_json *json, const char *text, size_t length);

/* A float, with the fewest digits that read back as the same float; NaN
 * and infinities, which JSON cannot hold, become null. */
void cli_json_float(cli_json *json, float value);
void cli_json_integer(cli_json *json, long long value);
void cli_json_boolean(cli_json *json, int value);
void cli_json_null(cli_json *json);

/* Writes the buffer and a newline to stream, then flushes it, so that a
 * consumer reading a pipe gets each image's line as soon as it is done.
 * Returns 0 on success, -1 when the writer failed or the stream did. */
int cli_json_write_line(cli_json *json, FILE *stream);

#endif /* DAGER_CLI_JSON_H */
