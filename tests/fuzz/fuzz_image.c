/*
 * libFuzzer target of the image area: decoding (format sniffing, header
 * checks, JPEG marker walk, PNG chunk walk, stb_image, orientation) and the
 * EXIF reader on its own. Any input must give a status, never a crash, a
 * hang, a leak or an out-of-bounds access; a decoded image must satisfy
 * the limits it was decoded under.
 *
 * Seeds: tests/fuzz/corpus/image, written by
 *   <build>/tests/image/make-hostile-inputs tests/fuzz/corpus/image --small
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dager.h"
#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 megapixel: every header check still matters, and no input takes
 * long enough under sanitizers to trip libFuzzer's wall-clock timeout on
 * a busy machine (a 1.8 MP CMYK frame took over 6 s there). */
enum { FUZZ_MAX_PIXELS = 1 << 20 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dager_image *image = NULL;
  dager_status status;
  int orientation = 0;
  dager_exif_result exif;

  status = dager_image_load_memory(data, size, FUZZ_MAX_PIXELS, &image);
  if (status == DAGER_OK) {
    const uint8_t *pixels = dager_image_pixels(image);
    int width = dager_image_width(image);
    int height = dager_image_height(image);
    unsigned checksum = 0;

    if (width < 1 || height < 1 ||
        (uint64_t)width * (uint64_t)height > FUZZ_MAX_PIXELS ||
        dager_image_orientation(image) < 1 ||
        dager_image_orientation(image) > 8) {
      abort();
    }
    /* Touch every byte, so a buffer shorter than width * height * 3 is
     * an AddressSanitizer report. */
    for (size_t i = 0; i < (size_t)width * (size_t)height * 3; i++) {
      checksum += pixels[i];
    }
    if (checksum == 1u)
      status = DAGER_OK; /* keep the loop */
  } else if (image != NULL || status == DAGER_ERROR_INTERNAL) {
    abort();
  }
  dager_image_destroy(image);

  /* The same bytes as the payload of an APP1 segment. */
  exif = dager_image_exif_orientation(data, size, &orientation);
  if (exif == DAGER_EXIF_FOUND ? orientation < 1 || orientation > 8
                               : orientation != 1) {
    abort();
  }
  return 0;
}
