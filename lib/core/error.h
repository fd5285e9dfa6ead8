/*
 * Failure details. A failing call records a message for the calling thread
 * (dager_last_error_message) and, when a log callback is installed, passes
 * it on at the error level. Messages are cut at DAGER_ERROR_MESSAGE_MAX.
 */
#ifndef DAGER_ERROR_H
#define DAGER_ERROR_H

#include "dager.h"

#define DAGER_ERROR_MESSAGE_MAX 512

#if defined(__GNUC__)
#define DAGER_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define DAGER_PRINTF_LIKE(f, a)
#endif

/* Records status and message for this thread and returns status, so a
 * failure reads: return dager_fail(DAGER_ERROR_..., "what", ...); */
dager_status dager_fail(dager_status status, const char *format, ...)
    DAGER_PRINTF_LIKE(2, 3);

/* Clears this thread's message; successful public calls start with it. */
void dager_clear_error(void);

#endif /* DAGER_ERROR_H */
