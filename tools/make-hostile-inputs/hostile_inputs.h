/*
 * make-hostile-inputs: builds small synthetic JPEG, PNG and non-image files
 * of every class of hard input the image decoder must handle (truncated
 * and corrupt files, decompression bombs, foreign headers named .jpg, EXIF
 * orientations and malformed EXIF, every PNG colour type and bit depth,
 * interlacing, progressive, greyscale and CMYK JPEG). No photo pixels: all
 * pictures come from hostile_pattern().
 *
 * Used by tests/image (which asserts what libdager does with each file)
 * and to seed the image fuzzer's corpus. Depends on libstb-dev's
 * stb_image_write for baseline JPEG, and on libjpeg when built with
 * HOSTILE_HAVE_LIBJPEG for greyscale, progressive and CMYK/YCCK JPEG.
 */
#ifndef HOSTILE_INPUTS_H
#define HOSTILE_INPUTS_H

#include <stddef.h>
#include <stdint.h>

/* Size of the base picture every JPEG case is made from (not a multiple of
 * the 16-pixel MCU, so padding is exercised). */
#define HOSTILE_BASE_WIDTH 52
#define HOSTILE_BASE_HEIGHT 36

/* Size of the PNG pictures. */
#define HOSTILE_PNG_WIDTH 23
#define HOSTILE_PNG_HEIGHT 17

/* The synthetic picture: channel c (0 red, 1 green, 2 blue) of pixel
 * (x, y) of a width x height image, an asymmetric gradient with a checker,
 * so that any flip or rotation changes it. */
uint8_t hostile_pattern(int x, int y, int c, int width, int height);

typedef struct hostile_buffer {
  uint8_t *bytes;
  size_t size;
  size_t capacity;
} hostile_buffer;

void hostile_buffer_free(hostile_buffer *buffer);

/*
 * Writes every case into folder (which must exist) as <name>; with
 * only_small, only files of at most 4 KiB (for a fuzz seed corpus).
 * Returns the number of files written, or -1 after printing why to stderr.
 */
int hostile_write_all(const char *folder, int only_small);

/* 1 when the JPEG cases that need libjpeg (greyscale, progressive, CMYK,
 * YCCK) were built in. */
int hostile_have_libjpeg(void);

/* --- Pieces the tests use directly ------------------------------------ */

/* The PNG files of every colour type and bit depth that must decode. */
typedef struct hostile_png_variant {
  const char *name;
  int colour_type;  /* 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA */
  int depth;        /* bits per sample */
  int interlace;    /* 1 for Adam7 */
  int transparency; /* 1 to add a tRNS chunk (types 0, 2, 3) */
} hostile_png_variant;

extern const hostile_png_variant hostile_png_variants[];
extern const int hostile_png_variant_count;

/* The RGB8 colour pixel (x, y) of a variant must decode to under
 * libdager's policy: grey replicated (low depths scaled to 0..255 by bit
 * replication), 16-bit samples to their high byte, palette expanded,
 * alpha dropped. */
void hostile_png_expected_rgb(const hostile_png_variant *variant, int x, int y,
                              uint8_t rgb[3]);

/* Encodes a variant (HOSTILE_PNG_WIDTH x HOSTILE_PNG_HEIGHT). */
int hostile_png_encode(const hostile_png_variant *variant, hostile_buffer *out);

/* Baseline JPEG of the base picture (4:2:0 as stb_image_write makes it),
 * quality 90. Returns 0 on failure. */
int hostile_jpeg_base(hostile_buffer *out);

/*
 * An APP1 Exif payload (after the segment length) holding IFD0 with a
 * dummy tag and Orientation = value, in big-endian ("MM") or little-endian
 * ("II") byte order. Returns 0 on failure.
 */
int hostile_exif_payload(hostile_buffer *out, int big_endian, int value);

/* A JPEG with an APP1 segment of payload inserted right after SOI. */
int hostile_jpeg_with_app1(const hostile_buffer *jpeg, const uint8_t *payload,
                           size_t payload_size, hostile_buffer *out);

/*
 * An independent reference: decodes a JPEG with libjpeg into malloc'ed
 * RGB8, CMYK and YCCK files as R = C * K / 255 (and so on) over the inks
 * libjpeg returns, which Adobe files store inverted. NULL without libjpeg
 * or when libjpeg fails.
 */
uint8_t *hostile_libjpeg_decode_rgb(const uint8_t *jpeg, size_t size,
                                    int *width, int *height);

/* Offset of the first SOS marker of a JPEG, or 0 if none. */
size_t hostile_jpeg_sos_offset(const hostile_buffer *jpeg);

#endif /* HOSTILE_INPUTS_H */
