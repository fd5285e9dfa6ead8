#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void cli_json_init(cli_json *json) {
  memset(json, 0, sizeof(*json));
  json->first[0] = 1;
}

void cli_json_free(cli_json *json) {
  free(json->data);
  cli_json_init(json);
}

void cli_json_reset(cli_json *json) {
  json->length = 0;
  json->failed = 0;
  json->depth = 0;
  json->after_key = 0;
  json->first[0] = 1;
}

static void append(cli_json *json, const char *text, size_t length) {
  if (json->failed) {
    return;
  }
  if (length > SIZE_MAX - json->length - 1) {
    json->failed = 1;
    return;
  }
  size_t needed = json->length + length + 1;
  if (needed > json->capacity) {
    size_t capacity = json->capacity ? json->capacity : 256;
    while (capacity < needed) {
      capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
    }
    char *grown = realloc(json->data, capacity);
    if (!grown) {
      json->failed = 1;
      return;
    }
    json->data = grown;
    json->capacity = capacity;
  }
  memcpy(json->data + json->length, text, length);
  json->length += length;
  json->data[json->length] = '\0';
}

static void append_text(cli_json *json, const char *text) {
  append(json, text, strlen(text));
}

/* Every value and every key goes through here: it writes the comma that
 * separates it from the previous member of the same container. */
static void separate(cli_json *json) {
  if (json->after_key) {
    json->after_key = 0;
    return;
  }
  if (!json->first[json->depth]) {
    append(json, ",", 1);
  }
  json->first[json->depth] = 0;
}

static void open_container(cli_json *json, const char *bracket) {
  separate(json);
  append_text(json, bracket);
  if (json->depth + 1 >= CLI_JSON_MAX_DEPTH) {
    json->failed = 1;
    return;
  }
  json->depth++;
  json->first[json->depth] = 1;
}

static void close_container(cli_json *json, const char *bracket) {
  if (json->depth == 0) {
    json->failed = 1;
    return;
  }
  json->depth--;
  append_text(json, bracket);
}

void cli_json_begin_object(cli_json *json) {
  open_container(json, "{");
}

void cli_json_end_object(cli_json *json) {
  close_container(json, "}");
}

void cli_json_begin_array(cli_json *json) {
  open_container(json, "[");
}

void cli_json_end_array(cli_json *json) {
  close_container(json, "]");
}

/*
 * Length of the valid UTF-8 sequence at bytes[0..available), or 0 when it
 * is not one: a stray continuation byte, a truncated sequence, an overlong
 * form, a UTF-16 surrogate, or a code point past U+10FFFF.
 */
static size_t utf8_sequence_length(const unsigned char *bytes,
                                   size_t available) {
  unsigned char lead = bytes[0];
  size_t length;
  uint32_t code_point;
  uint32_t smallest;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
    smallest = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    smallest = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    smallest = 0x10000;
  } else {
    return 0;
  }
  if (available < length) {
    return 0;
  }
  for (size_t i = 1; i < length; i++) {
    if ((bytes[i] & 0xC0) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6) | (bytes[i] & 0x3Fu);
  }
  if (code_point < smallest || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

/* The quoted, escaped text, with no separator before it. */
static void write_string(cli_json *json, const char *text, size_t length) {
  const unsigned char *bytes = (const unsigned char *)text;
  append(json, "\"", 1);
  size_t run_start = 0;
  size_t i = 0;
  while (i < length) {
    unsigned char byte = bytes[i];
    const char *escape = NULL;
    char unicode_escape[8];
    size_t consumed = 1;
    if (byte == '"') {
      escape = "\\\"";
    } else if (byte == '\\') {
      escape = "\\\\";
    } else if (byte == '\n') {
      escape = "\\n";
    } else if (byte == '\r') {
      escape = "\\r";
    } else if (byte == '\t') {
      escape = "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      snprintf(unicode_escape, sizeof(unicode_escape), "\\u%04x", byte);
      escape = unicode_escape;
    } else if (byte >= 0x80) {
      consumed = utf8_sequence_length(bytes + i, length - i);
      if (consumed == 0) {
        escape = "\\ufffd";
        consumed = 1;
      }
    }
    if (escape) {
      append(json, text + run_start, i - run_start);
      append_text(json, escape);
      run_start = i + consumed;
    }
    i += consumed;
  }
  append(json, text + run_start, length - run_start);
  append(json, "\"", 1);
}

void cli_json_key(cli_json *json, const char *key) {
  separate(json);
  write_string(json, key, strlen(key));
  append(json, ":", 1);
  json->after_key = 1;
}

void cli_json_string_bytes(cli_json *json, const char *text, size_t length) {
  separate(json);
  write_string(json, text, length);
}

void cli_json_string(cli_json *json, const char *text) {
  cli_json_string_bytes(json, text, strlen(text));
}

void cli_json_float(cli_json *json, float value) {
  separate(json);
  if (!isfinite(value)) {
    append_text(json, "null");
    return;
  }
  /* The shortest of %.6g .. %.9g that reads back as the same float: short
   * for the usual values, exact for every one. */
  char text[32];
  for (int precision = 6; precision <= 9; precision++) {
    snprintf(text, sizeof(text), "%.*g", precision, (double)value);
    if (strtof(text, NULL) == value) {
      break;
    }
  }
  append_text(json, text);
}

void cli_json_integer(cli_json *json, long long value) {
  separate(json);
  char text[32];
  snprintf(text, sizeof(text), "%lld", value);
  append_text(json, text);
}

void cli_json_boolean(cli_json *json, int value) {
  separate(json);
  append_text(json, value ? "true" : "false");
}

void cli_json_null(cli_json *json) {
  separate(json);
  append_text(json, "null");
}

int cli_json_write_line(cli_json *json, FILE *stream) {
  if (json->failed || json->depth != 0) {
    return -1;
  }
  if (json->length > 0 &&
      fwrite(json->data, 1, json->length, stream) != json->length) {
    return -1;
  }
  if (fputc('\n', stream) == EOF || fflush(stream) != 0) {
    return -1;
  }
  return 0;
}
