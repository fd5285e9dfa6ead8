/* Output files next to the JSON: names, folders, and the PPM dump. */
#ifndef DAGER_CLI_FILES_H
#define DAGER_CLI_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* "folder/stem" + suffix + "." + extension, newly allocated; NULL when out
 * of memory. */
char *cli_output_path(const char *folder, const char *stem, const char *suffix,
                      const char *extension);

/* Creates folder and its missing parents, like mkdir -p. Returns 0, or -1
 * with errno set. */
int cli_make_folders(const char *folder);

/* Writes RGB8 pixels (rows of width * 3 bytes) as a binary PPM (P6).
 * Returns 0, or -1 with errno set. */
int cli_write_ppm(const char *path, const uint8_t *pixels, int width,
                  int height);

/* Reads all of stream into a new buffer, refusing more than limit bytes.
 * Returns 0; -1 on a read error; -2 when out of memory; -3 over limit. */
int cli_read_stream(FILE *stream, size_t limit, uint8_t **data_out,
                    size_t *size_out);

#endif /* DAGER_CLI_FILES_H */
