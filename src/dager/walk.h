/*
 * Turns the paths of the command line into the list of images to read,
 * walking folders in a stable order, and picks for each image the file name
 * stem that --annotate, --crops and --dump-ppm write under.
 */
#ifndef DAGER_CLI_WALK_H
#define DAGER_CLI_WALK_H

#include <stddef.h>

typedef struct cli_input {
  /* The path to read, as given or joined from a walked folder; "-" for
   * standard input. */
  char *path;
  /* Unique among all inputs of the run; no folder separators. */
  char *output_stem;
  /* When the walk itself failed for this path (an unreadable folder, a
   * folder without -r): the reason. The image is then reported as failed
   * with the status "io". NULL otherwise. */
  char *walk_error;
} cli_input;

typedef struct cli_input_list {
  cli_input *items;
  size_t count;
  size_t capacity;
} cli_input_list;

/*
 * Collects the inputs for paths in command-line order. A folder is walked
 * only when recursive is set: its entries are sorted byte-wise by name
 * (independent of locale and file system order) and visited depth first;
 * of the files inside, only those ending in .jpg, .jpeg or .png (any case)
 * are taken, and names beginning with '.' are skipped. Symbolic links to
 * folders are not followed, so a walk cannot loop. Files named on the
 * command line are always taken, whatever their name.
 * Returns 0, or -1 when memory ran out (the list is then freed).
 */
int cli_inputs_collect(const char *const *paths, size_t path_count,
                       int recursive, cli_input_list *out);

void cli_inputs_free(cli_input_list *list);

/* 1 when name ends in an image extension the walk takes. */
int cli_has_image_extension(const char *name);

#endif /* DAGER_CLI_WALK_H */
