/*
 * Internal image API: decoding (JPEG and PNG through stb_image, behind our
 * own header checks), EXIF orientation, and the pixel operations the face
 * pipeline needs to turn a photo into network inputs and aligned crops.
 *
 * Every function here validates its arguments and sizes, never reads
 * outside its source buffer and allocates only through lib/core/memory.h.
 * Functions returning dager_status record a message with dager_fail on
 * failure and leave their outputs untouched (or NULL).
 */
#ifndef DAGER_IMAGE_H
#define DAGER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "dager.h"

/* Largest width or height accepted, whatever the pixel limit: longer sides
 * only come from hostile or broken headers. */
#define DAGER_IMAGE_MAX_SIDE (1 << 24)

/* Most scans a JPEG may have. Each progressive scan makes the decoder
 * visit every block again, so a small file with thousands of scans over a
 * large frame takes minutes (a decompression-time bomb); encoders write
 * about 10, mozjpeg's most thorough settings a few dozen. */
#define DAGER_IMAGE_MAX_JPEG_SCANS 100

/* Ceiling on max_pixels, whatever the caller asks: 2^28 pixels of 16-bit
 * RGBA stay below 2^31 bytes, the range of stb_image's int sizes. */
#define DAGER_IMAGE_MAX_DECODE_PIXELS (1u << 28)

/*
 * The public dager_image: RGB8 pixels in the displayed frame, rows of
 * width * 3 bytes with no padding. orientation is the EXIF value that was
 * applied while decoding (1 when none was).
 */
struct dager_image {
  int width;
  int height;
  int orientation;
  uint8_t *pixels;
};

/*
 * Makes an image of width x height with zeroed pixels (black). Fails with
 * DAGER_ERROR_INVALID_ARGUMENT for a side below 1 or above
 * DAGER_IMAGE_MAX_SIDE, DAGER_ERROR_OUT_OF_MEMORY otherwise.
 */
dager_status dager_image_create(int width, int height, dager_image **out);

/* Frees an image made by any function here; NULL is fine. */
void dager_image_free(dager_image *image);

/* ------------------------------------------------------------------------
 * Decoding
 */

/*
 * What the header checks learnt about an encoded image, before any pixel
 * is decoded. width and height are as stored (before orientation).
 */
typedef enum dager_image_format {
  DAGER_IMAGE_FORMAT_JPEG = 1,
  DAGER_IMAGE_FORMAT_PNG = 2
} dager_image_format;

typedef struct dager_image_info {
  dager_image_format format;
  int width;
  int height;
  /* JPEG components (1, 3 or 4) or PNG samples per pixel (1..4). */
  int channels;
  /* Bits per sample: 8 for JPEG, 1..16 for PNG. */
  int bits_per_sample;
  /* EXIF orientation to apply, 1..8 (1 for PNG and when absent). */
  int orientation;
} dager_image_info;

/*
 * Checks the encoded bytes without decoding pixels:
 * - the format from the first bytes only: JPEG (FF D8 FF) or PNG
 *   (its 8-byte signature); anything else, and 0 bytes, is
 *   DAGER_ERROR_UNSUPPORTED_FORMAT;
 * - width * height against max_pixels (0 means DAGER_DEFAULT_MAX_PIXELS;
 *   values above DAGER_IMAGE_MAX_DECODE_PIXELS mean that ceiling) and each
 *   side against DAGER_IMAGE_MAX_SIDE, as soon as the header that
 *   declares them is read: DAGER_ERROR_IMAGE_TOO_LARGE;
 * - JPEG: the marker structure from SOI to EOI, with a frame header
 *   (SOF0, SOF1 or SOF2, 8-bit, 1/3/4 components), valid Huffman tables
 *   (at most 256 codes each, inside their segment), every scan naming
 *   only tables defined before it, at least one scan and an EOI after the
 *   entropy-coded data. Arithmetic coding, lossless, hierarchical and
 *   12-bit JPEGs, JPEGs of more than DAGER_IMAGE_MAX_JPEG_SCANS scans, and
 *   4-component JPEGs without an Adobe APP14 marker saying CMYK or YCCK
 *   are DAGER_ERROR_UNSUPPORTED_FORMAT; anything cut short or out of
 *   order is DAGER_ERROR_CORRUPT_IMAGE. The EXIF orientation is read from
 *   the first APP1 Exif segment before the first scan;
 * - PNG: IHDR first and valid, every chunk inside the data, the CRC of
 *   every critical chunk, image data present and an IEND chunk:
 *   otherwise DAGER_ERROR_CORRUPT_IMAGE.
 * A successful check does not promise that the pixels decode.
 */
dager_status dager_image_inspect(const uint8_t *data, size_t size,
                                 uint64_t max_pixels, dager_image_info *info);

/*
 * Decodes JPEG or PNG bytes into an upright RGB8 image: runs
 * dager_image_inspect, decodes with stb_image under a memory budget derived
 * from the header (a compressed stream that inflates past what the header
 * allows is DAGER_ERROR_CORRUPT_IMAGE, not an allocation), converts every
 * channel layout to RGB8 (grey expanded, 16-bit samples to their high
 * byte, palette expanded, alpha dropped, CMYK/YCCK converted by stb_image
 * from Adobe's inverted convention) and applies the EXIF orientation.
 * Errors: those of dager_image_inspect, DAGER_ERROR_IMAGE_TOO_LARGE for
 * more than 2 GiB of encoded data, DAGER_ERROR_CORRUPT_IMAGE when the
 * decoder fails, DAGER_ERROR_OUT_OF_MEMORY, DAGER_ERROR_INVALID_ARGUMENT.
 */
dager_status dager_image_decode(const uint8_t *data, size_t size,
                                uint64_t max_pixels, dager_image **out);

/*
 * Reads a whole file and decodes it as above. Files larger than the
 * encoded size any image of max_pixels can need (16 bytes per pixel plus
 * 64 MiB of metadata) are refused with DAGER_ERROR_IMAGE_TOO_LARGE before
 * being read; missing or unreadable files are DAGER_ERROR_IO.
 */
dager_status dager_image_decode_file(const char *path, uint64_t max_pixels,
                                     dager_image **out);

/* ------------------------------------------------------------------------
 * EXIF
 */

typedef enum dager_exif_result {
  /* No Exif header, or no Orientation tag in IFD0. */
  DAGER_EXIF_ABSENT = 0,
  /* A valid tag with a value in 1..8, stored in *orientation. */
  DAGER_EXIF_FOUND = 1,
  /* A tag of the wrong type or count, or a value outside 1..8. */
  DAGER_EXIF_INVALID_VALUE = 2,
  /* A broken TIFF header, an IFD0 offset outside the block, or an entry
   * count whose entries do not fit in the block: the whole IFD is ignored
   * (some decoders use the entries that fit; we do not, so that one rule
   * covers every malformed block). */
  DAGER_EXIF_MALFORMED = 3
} dager_exif_result;

/*
 * Reads the Orientation tag (0x0112, SHORT, count 1) from IFD0 of the
 * payload of a JPEG APP1 segment (the bytes after the length field,
 * starting "Exif\0\0"), in either byte order. Only reads inside
 * payload[0, size). *orientation is set to the value for
 * DAGER_EXIF_FOUND and to 1 otherwise.
 */
dager_exif_result dager_image_exif_orientation(const uint8_t *payload,
                                               size_t size, int *orientation);

/*
 * Applies an EXIF orientation (1..8) to image in place: after the call the
 * image holds the displayed picture, with width and height swapped for 5..8,
 * and image->orientation set to the value. Orientations 1..4 need no extra
 * memory; 5..8 allocate a second pixel buffer. Fails with
 * DAGER_ERROR_INVALID_ARGUMENT for another value (image unchanged).
 */
dager_status dager_image_apply_orientation(dager_image *image, int orientation);

/* ------------------------------------------------------------------------
 * Pixel operations
 */

/*
 * Copies the rectangle (x, y, width, height) of source into a new image of
 * width x height; the parts of the rectangle outside source are black. x
 * and y may be negative or past the image. Fails with
 * DAGER_ERROR_INVALID_ARGUMENT for a non-positive or too large size.
 */
dager_status dager_image_crop(const dager_image *source, int x, int y,
                              int width, int height, dager_image **out);

typedef enum dager_pad_mode {
  /* The image stays at the top-left; black is added at the bottom or right
   * (the detectors' padding). */
  DAGER_PAD_BOTTOM_RIGHT = 0,
  /* The image is centred: floor(d / 2) black rows or columns before it and
   * ceil(d / 2) after, for a difference d between the sides (the face
   * networks' padding). */
  DAGER_PAD_CENTRED = 1
} dager_pad_mode;

/*
 * Where a width x height image lies inside its square of side
 * max(width, height) when padded with mode: offsets of its top-left corner.
 */
void dager_image_square_offsets(int width, int height, dager_pad_mode mode,
                                int *offset_x, int *offset_y);

/* Pads source with black into a new square image (see dager_pad_mode). */
dager_status dager_image_pad_square(const dager_image *source,
                                    dager_pad_mode mode, dager_image **out);

/*
 * A virtual canvas: a canvas_width x canvas_height picture, black
 * everywhere except where source lies, with source's top-left pixel at
 * (offset_x, offset_y) of the canvas (either may be negative). It describes
 * a crop, a padding or both without copying pixels: a crop (x, y, w, h) is
 * a w x h canvas at offset (-x, -y); padding to a square is the square
 * canvas at dager_image_square_offsets.
 */
typedef struct dager_image_canvas {
  const dager_image *source;
  int canvas_width;
  int canvas_height;
  int offset_x;
  int offset_y;
} dager_image_canvas;

/*
 * Resizes the canvas to out_width x out_height with TensorFlow's legacy
 * bilinear resize (tf.image.resize_bilinear, align_corners false,
 * half_pixel_centers false): output pixel (x, y) samples the canvas at
 * (x * canvas_width / out_width, y * canvas_height / out_height), computed
 * in float, between the neighbours floor() and min(floor() + 1, side - 1),
 * interpolating along x first; no antialiasing, so shrinking skips pixels
 * exactly as TensorFlow does. Each value v is then written as
 * (v - mean[c]) / divisor[c] into out, HWC order, RGB, out_width * 3 floats
 * per row, row after row (out_width * out_height * 3 floats in all).
 * Fails with DAGER_ERROR_INVALID_ARGUMENT for NULL, a non-positive size, a
 * zero divisor or a canvas side above DAGER_IMAGE_MAX_SIDE.
 */
dager_status dager_image_resize_to_tensor(const dager_image_canvas *canvas,
                                          int out_width, int out_height,
                                          const float mean[3],
                                          const float divisor[3], float *out);

/*
 * Inverts a 2x3 affine matrix [a b c; d e f] (x' = a x + b y + c,
 * y' = d x + e y + f). Returns 0, leaving inverse untouched, when it is
 * singular or not finite; 1 otherwise.
 */
int dager_image_affine_invert(const double matrix[6], double inverse[6]);

/*
 * Affine warp into a caller buffer of out_width x out_height RGB8 pixels
 * whose rows start stride bytes apart. destination_to_source maps an
 * output pixel (x, y) to the source position it shows (pixel centres at
 * integer coordinates); invert a source-to-output transform with
 * dager_image_affine_invert. Bilinear interpolation; neighbours outside
 * the source count as black, so edges fade into black outside. Rounds to
 * nearest. Fails with DAGER_ERROR_INVALID_ARGUMENT for NULL, a
 * non-positive size, stride < out_width * 3 or a non-finite matrix.
 */
dager_status dager_image_warp_affine(const dager_image *source,
                                     const double destination_to_source[6],
                                     int out_width, int out_height,
                                     uint8_t *out, size_t stride);

#endif /* DAGER_IMAGE_H */
