/*
 * Internal logging. Silent unless the host installed a callback with
 * dager_set_log_callback; messages above the host's level cost one branch.
 */
#ifndef DAGER_LOG_H
#define DAGER_LOG_H

#include "core/error.h"
#include "dager.h"

int dager_log_enabled(dager_log_level level);
void dager_log(dager_log_level level, const char *format, ...)
    DAGER_PRINTF_LIKE(2, 3);

#endif /* DAGER_LOG_H */
