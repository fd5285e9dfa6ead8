/* --annotate and --crops: pictures made from an analysed image. */
#ifndef DAGER_CLI_ANNOTATE_H
#define DAGER_CLI_ANNOTATE_H

#include <dager.h>
#include <stddef.h>

#include "args.h"
#include "draw.h"
#include "report.h"

/*
 * Draws the faces of report (boxes, landmarks, a numbered label with age,
 * gender and emotion) on canvas, whose pixels are a copy of the image.
 * Needs no library call, so it can be tested on a blank canvas.
 */
void cli_draw_faces(cli_canvas *canvas, const cli_image_report *report);

/*
 * Writes a copy of image with the faces drawn to path. Returns 0, or -1
 * with a reason in error.
 */
int cli_write_annotated(const dager_image *image,
                        const cli_image_report *report, const char *path,
                        cli_image_format format, int jpeg_quality, char *error,
                        size_t error_size);

/*
 * Writes the aligned crop of face index (size x size) to path. Returns the
 * library's status; a failure to write the file is DAGER_ERROR_IO. The
 * reason goes into error.
 */
dager_status cli_write_crop(dager_session *session, const dager_image *image,
                            const dager_result *result, size_t index, int size,
                            const char *path, cli_image_format format,
                            int jpeg_quality, char *error, size_t error_size);

#endif /* DAGER_CLI_ANNOTATE_H */
