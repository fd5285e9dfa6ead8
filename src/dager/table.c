/* The --pretty output: a short block of aligned columns per image. */
#include <string.h>

#include "report.h"

/* A path as it can be shown on a terminal: control characters, which
 * could move the cursor or change colours, are shown as '?'. */
static int print_path(FILE *stream, const char *path) {
  for (const unsigned char *byte = (const unsigned char *)path; *byte; byte++) {
    int shown = *byte < 0x20 || *byte == 0x7F ? '?' : *byte;
    if (fputc(shown, stream) == EOF) {
      return -1;
    }
  }
  return 0;
}

int cli_table_image(FILE *stream, const cli_image_report *report) {
  if (print_path(stream, report->path) != 0) {
    return -1;
  }
  fprintf(stream, ": %d x %d", report->width, report->height);
  if (!report->analysed) {
    fprintf(stream, "\n");
    return ferror(stream) ? -1 : 0;
  }
  fprintf(stream, ", %zu face%s%s\n", report->face_count,
          report->face_count == 1 ? "" : "s",
          report->truncated ? " (more were found; see --max-faces)" : "");
  if (report->face_count > 0) {
    fprintf(stream, "  %4s %7s %7s %7s %7s %6s %5s %-14s %s\n", "face", "x",
            "y", "width", "height", "score", "age", "gender", "emotion");
  }
  for (size_t i = 0; i < report->face_count; i++) {
    const dager_face *face = &report->faces[i].face;
    fprintf(stream, "  %4zu %7.1f %7.1f %7.1f %7.1f %6.3f", i + 1,
            (double)face->x, (double)face->y, (double)face->width,
            (double)face->height, (double)face->score);
    if (face->has_attributes) {
      char gender[32];
      char emotion[32];
      snprintf(gender, sizeof(gender), "%s %.0f%%",
               dager_gender_name(face->gender),
               (double)face->gender_probability * 100.0);
      unsigned dominant = (unsigned)face->dominant_emotion;
      double probability = dominant < DAGER_EMOTION_COUNT
                               ? (double)face->emotions[dominant]
                               : 0.0;
      snprintf(emotion, sizeof(emotion), "%s %.0f%%",
               dager_emotion_name(face->dominant_emotion), probability * 100.0);
      fprintf(stream, " %5.1f %-14s %s", (double)face->age, gender, emotion);
    }
    fprintf(stream, "%s\n", face->cut_by_border ? ", cut by border" : "");
  }
  return ferror(stream) ? -1 : 0;
}

int cli_table_failure(FILE *stream, const char *path, const char *status,
                      const char *message) {
  if (print_path(stream, path) != 0) {
    return -1;
  }
  fprintf(stream, ": failed (%s): ", status);
  print_path(stream, message);
  fprintf(stream, "\n");
  return ferror(stream) ? -1 : 0;
}
