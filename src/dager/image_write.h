/*
 * Writing PNG and JPEG files for --annotate and --crops, through
 * stb_image_write (Debian's libstb-dev). Its implementation is compiled in
 * image_write.c alone, so its warnings stay out of our own files.
 */
#ifndef DAGER_CLI_IMAGE_WRITE_H
#define DAGER_CLI_IMAGE_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "args.h"

/*
 * Writes width x height RGB8 pixels, rows stride bytes apart, to path as
 * format. jpeg_quality (1..100) is used for JPEG only. Returns 0, or -1
 * when the file could not be written.
 */
int cli_write_image(const char *path, const uint8_t *pixels, int width,
                    int height, size_t stride, cli_image_format format,
                    int jpeg_quality);

#endif /* DAGER_CLI_IMAGE_WRITE_H */
