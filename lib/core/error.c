#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/log.h"

/* One message per thread, so a shared engine never mixes up callers. */
static _Thread_local char last_message[DAGER_ERROR_MESSAGE_MAX];

dager_status dager_fail(dager_status status, const char *format, ...) {
  va_list arguments;

  va_start(arguments, format);
  vsnprintf(last_message, sizeof last_message, format, arguments);
  va_end(arguments);
  if (dager_log_enabled(DAGER_LOG_ERROR)) {
    dager_log(DAGER_LOG_ERROR, "%s: %s", dager_status_string(status),
              last_message);
  }
  return status;
}

void dager_clear_error(void) {
  last_message[0] = '\0';
}

const char *dager_last_error_message(void) {
  return last_message;
}
