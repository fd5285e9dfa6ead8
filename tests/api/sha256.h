#ifndef DAGER_TESTS_SHA256_H
#define DAGER_TESTS_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex SHA-256 of size bytes at data. */
void sha256_hex(const uint8_t *data, size_t size, char hex[65]);

#endif
