#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

/* Set once by the host before use (documented in dager.h). */
static dager_log_fn log_callback;
static void *log_user;
static dager_log_level log_max_level;

void dager_set_log_callback(dager_log_fn callback, void *user,
                            dager_log_level max_level) {
  log_callback = callback;
  log_user = user;
  log_max_level = callback ? max_level : (dager_log_level)0;
}

int dager_log_enabled(dager_log_level level) {
  return log_callback != NULL && level <= log_max_level;
}

void dager_log(dager_log_level level, const char *format, ...) {
  char message[DAGER_ERROR_MESSAGE_MAX + 64];
  va_list arguments;

  if (!dager_log_enabled(level))
    return;
  va_start(arguments, format);
  vsnprintf(message, sizeof message, format, arguments);
  va_end(arguments);
  log_callback(log_user, level, message);
}
