/*
 * Header checks and decoding. stb_image decodes pixels, but it trusts
 * headers it should not (sizes), returns images for truncated JPEGs and
 * answers with another format's reason when it fails, so every input first
 * passes our own walk over its structure; stb only sees bytes that are
 * complete, of a supported kind and within the size limit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/memory.h"
#include "image/image.h"
#include "image/stb_decode.h"

static const uint8_t png_signature[8] = {0x89, 'P',  'N',  'G',
                                         0x0D, 0x0A, 0x1A, 0x0A};

static uint32_t read_be16(const uint8_t *bytes) {
  return (uint32_t)bytes[0] << 8 | bytes[1];
}

static uint32_t read_be32(const uint8_t *bytes) {
  return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 |
         (uint32_t)bytes[2] << 8 | bytes[3];
}

static dager_status check_dimensions(const char *format, uint64_t width,
                                     uint64_t height, uint64_t max_pixels) {
  if (width > DAGER_IMAGE_MAX_SIDE || height > DAGER_IMAGE_MAX_SIDE) {
    return dager_fail(DAGER_ERROR_IMAGE_TOO_LARGE,
                      "%s header declares %llu x %llu pixels, a side longer "
                      "than %d",
                      format, (unsigned long long)width,
                      (unsigned long long)height, DAGER_IMAGE_MAX_SIDE);
  }
  /* Both sides are below 2^24, so the product fits in 64 bits. */
  if (width * height > max_pixels) {
    return dager_fail(DAGER_ERROR_IMAGE_TOO_LARGE,
                      "%s header declares %llu x %llu pixels, more than the "
                      "limit of %llu",
                      format, (unsigned long long)width,
                      (unsigned long long)height,
                      (unsigned long long)max_pixels);
  }
  return DAGER_OK;
}

/* ------------------------------------------------------------------------
 * JPEG
 */

enum {
  MARKER_SOF0 = 0xC0,
  MARKER_SOF1 = 0xC1,
  MARKER_SOF2 = 0xC2,
  MARKER_DHT = 0xC4,
  MARKER_JPG = 0xC8,
  MARKER_DAC = 0xCC,
  MARKER_RST0 = 0xD0,
  MARKER_RST7 = 0xD7,
  MARKER_SOI = 0xD8,
  MARKER_EOI = 0xD9,
  MARKER_SOS = 0xDA,
  MARKER_APP1 = 0xE1,
  MARKER_APP14 = 0xEE,
  MARKER_TEM = 0x01
};

static dager_status jpeg_truncated(const char *where) {
  return dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "JPEG is truncated %s", where);
}

static dager_status jpeg_frame(const uint8_t *segment, size_t length,
                               uint64_t max_pixels, dager_image_info *info) {
  uint32_t precision, height, width, components;
  dager_status status;

  if (length < 6) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "JPEG frame header of %zu "
                      "bytes is too short",
                      length);
  }
  precision = segment[0];
  height = read_be16(segment + 1);
  width = read_be16(segment + 3);
  components = segment[5];
  if (precision != 8) {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                      "%u-bit JPEG samples are not supported (only 8-bit)",
                      precision);
  }
  if (height == 0) {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                      "JPEG whose height is given after the scan (DNL) is "
                      "not supported");
  }
  if (width == 0) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "JPEG width is 0");
  }
  status = check_dimensions("JPEG", width, height, max_pixels);
  if (status != DAGER_OK)
    return status;
  if (components != 1 && components != 3 && components != 4) {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                      "JPEG with %u colour components is not supported",
                      components);
  }
  if (length < 6 + 3 * (size_t)components) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "JPEG frame header is shorter than its components");
  }
  info->width = (int)width;
  info->height = (int)height;
  info->channels = (int)components;
  info->bits_per_sample = 8;
  return DAGER_OK;
}

/*
 * Checks a DHT segment table by table: class 0 or 1, slot 0..3, and at
 * most 256 codes that fit in the segment. stb_image 2.27 writes its
 * code-length list without a bound, so a table claiming more codes would
 * overrun it (found by our fuzzer).
 */
static dager_status jpeg_huffman_tables(const uint8_t *segment, size_t length,
                                        unsigned *defined) {
  size_t offset = 0;

  while (offset < length) {
    size_t codes = 0;

    if (length - offset < 17 || segment[offset] >> 4 > 1 ||
        (segment[offset] & 15) > 3) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG Huffman table header is invalid");
    }
    for (int bits = 1; bits <= 16; bits++)
      codes += segment[offset + bits];
    if (codes > 256 || codes > length - offset - 17) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG Huffman table declares %zu codes", codes);
    }
    /* Bit (class * 4 + slot) of *defined marks the table as present. */
    *defined |= 1u << ((segment[offset] >> 4) * 4 + (segment[offset] & 15));
    offset += 17 + codes;
  }
  return DAGER_OK;
}

/*
 * Checks that a scan header only names Huffman tables that were defined
 * before it: stb_image 2.27 decodes with an undefined table's uninitialised
 * memory and then indexes its symbol list far out of bounds (found by our
 * fuzzer). Which tables a scan uses follows the JPEG coding process: a
 * sequential scan uses both, a progressive DC scan the DC table (none when
 * refining), a progressive AC scan the AC table.
 */
static dager_status jpeg_scan_tables(const uint8_t *segment, size_t length,
                                     int progressive, unsigned defined) {
  size_t count;
  int spectral_start, refining;

  if (length < 1 || segment[0] < 1 || segment[0] > 4 ||
      length < 1 + 2 * (size_t)segment[0] + 3) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "JPEG scan header is invalid");
  }
  count = segment[0];
  spectral_start = segment[1 + 2 * count];
  refining = segment[3 + 2 * count] >> 4 != 0;
  for (size_t i = 0; i < count; i++) {
    unsigned dc = segment[2 + 2 * i] >> 4;
    unsigned ac = segment[2 + 2 * i] & 15;
    int uses_dc = !progressive || (spectral_start == 0 && !refining);
    int uses_ac = !progressive || spectral_start > 0;

    if ((uses_dc && (dc > 3 || !(defined & (1u << dc)))) ||
        (uses_ac && (ac > 3 || !(defined & (1u << (4 + ac)))))) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG scan uses a Huffman table never defined");
    }
  }
  return DAGER_OK;
}

/*
 * Skips the entropy-coded data after a scan header: it ends at the first
 * 0xFF that is followed by neither a stuffed 0x00 nor a restart marker.
 * Returns the offset of that 0xFF, or size when the data runs out first.
 */
static size_t jpeg_skip_entropy_data(const uint8_t *data, size_t size,
                                     size_t position) {
  while (position < size) {
    const uint8_t *next = memchr(data + position, 0xFF, size - position);
    uint8_t after;

    if (!next)
      return size;
    position = (size_t)(next - data);
    if (position + 1 >= size)
      return size;
    after = data[position + 1];
    if (after == 0x00 || (after >= MARKER_RST0 && after <= MARKER_RST7)) {
      position += 2;
    } else if (after == 0xFF) {
      /* Fill bytes before a marker. */
      position += 1;
    } else {
      return position;
    }
  }
  return size;
}

static dager_status jpeg_inspect(const uint8_t *data, size_t size,
                                 uint64_t max_pixels, dager_image_info *info) {
  size_t position = 2;
  int have_frame = 0;
  unsigned huffman_tables = 0;
  int progressive = 0;
  int scans = 0;
  int have_exif = 0;
  int adobe_transform = -1;

  info->format = DAGER_IMAGE_FORMAT_JPEG;
  info->orientation = 1;
  for (;;) {
    uint8_t marker;
    size_t length;
    const uint8_t *segment;

    if (position >= size)
      return jpeg_truncated("between segments");
    if (data[position] != 0xFF) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG has stray byte 0x%02X where a marker belongs "
                        "(offset %zu)",
                        data[position], position);
    }
    while (position < size && data[position] == 0xFF)
      position++;
    if (position >= size)
      return jpeg_truncated("inside a marker");
    marker = data[position++];

    if (marker == MARKER_EOI)
      break;
    if (marker == MARKER_SOI) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG has a second start-of-image marker");
    }
    if (marker == MARKER_TEM ||
        (marker >= MARKER_RST0 && marker <= MARKER_RST7)) {
      continue; /* markers without a length */
    }
    if (marker == 0x00) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG has a stuffed byte outside scan data");
    }
    if (size - position < 2)
      return jpeg_truncated("in a segment length");
    length = read_be16(data + position);
    if (length < 2) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "JPEG segment 0x%02X has length %zu", marker, length);
    }
    if (length > size - position)
      return jpeg_truncated("inside a segment");
    segment = data + position + 2;
    length -= 2;
    position += 2 + length;

    if (marker == MARKER_SOF0 || marker == MARKER_SOF1 ||
        marker == MARKER_SOF2) {
      dager_status status;

      if (have_frame) {
        return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                          "JPEG has two frame headers");
      }
      status = jpeg_frame(segment, length, max_pixels, info);
      if (status != DAGER_OK)
        return status;
      have_frame = 1;
      progressive = marker == MARKER_SOF2;
    } else if (marker >= 0xC3 && marker <= 0xCF && marker != MARKER_DHT &&
               marker != MARKER_JPG && marker != MARKER_DAC) {
      return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                        "JPEG coding process SOF%d (lossless, hierarchical "
                        "or arithmetic) is not supported",
                        marker - MARKER_SOF0);
    } else if (marker == MARKER_DHT) {
      dager_status status =
          jpeg_huffman_tables(segment, length, &huffman_tables);

      if (status != DAGER_OK)
        return status;
    } else if (marker == MARKER_APP1 && !have_exif && scans == 0 &&
               length >= 6 && memcmp(segment, "Exif\0\0", 6) == 0) {
      int orientation = 1;

      /* The first Exif block decides, valid or not; XMP and other APP1
       * payloads are skipped. */
      have_exif = 1;
      if (dager_image_exif_orientation(segment, length, &orientation) ==
          DAGER_EXIF_FOUND) {
        info->orientation = orientation;
      }
    } else if (marker == MARKER_APP14 && length >= 12 &&
               memcmp(segment, "Adobe\0", 6) == 0) {
      /* Read where stb_image reads it: after the tag, version and flags. */
      adobe_transform = segment[11];
    } else if (marker == MARKER_SOS) {
      if (!have_frame) {
        return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                          "JPEG scan comes before the frame header");
      }
      dager_status status =
          jpeg_scan_tables(segment, length, progressive, huffman_tables);

      if (status != DAGER_OK)
        return status;
      if (++scans > DAGER_IMAGE_MAX_JPEG_SCANS) {
        return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                          "JPEG has more than %d scans", scans - 1);
      }
      position = jpeg_skip_entropy_data(data, size, position);
      if (position >= size)
        return jpeg_truncated("inside scan data");
    }
  }

  if (!have_frame) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "JPEG ends without a frame header");
  }
  if (scans == 0) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "JPEG ends without any scan data");
  }
  /* Four components are CMYK (Adobe transform 0) or YCCK (2); without
   * that marker their meaning is a guess, and stb_image would return
   * wrong colours rather than fail. */
  if (info->channels == 4 && adobe_transform != 0 && adobe_transform != 2) {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                      "4-component JPEG without an Adobe CMYK or YCCK "
                      "marker: unknown colour space");
  }
  return DAGER_OK;
}

/* ------------------------------------------------------------------------
 * PNG
 */

/* CRC-32 of PNG (and zlib), bit by bit over a small table. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *bytes, size_t size) {
  static const uint32_t nibble_table[16] = {
      0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
      0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
      0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C};

  for (size_t i = 0; i < size; i++) {
    crc ^= bytes[i];
    crc = (crc >> 4) ^ nibble_table[crc & 15];
    crc = (crc >> 4) ^ nibble_table[crc & 15];
  }
  return crc;
}

static int png_depth_allowed(uint32_t colour_type, uint32_t depth,
                             int *channels) {
  switch (colour_type) {
    case 0:
      *channels = 1;
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
             depth == 16;
    case 2:
      *channels = 3;
      return depth == 8 || depth == 16;
    case 3:
      *channels = 1;
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 4:
      *channels = 2;
      return depth == 8 || depth == 16;
    case 6:
      *channels = 4;
      return depth == 8 || depth == 16;
    default:
      return 0;
  }
}

static dager_status png_header(const uint8_t *fields, uint64_t max_pixels,
                               dager_image_info *info) {
  uint32_t width = read_be32(fields);
  uint32_t height = read_be32(fields + 4);
  uint32_t depth = fields[8];
  uint32_t colour_type = fields[9];
  int channels = 0;
  dager_status status;

  if (width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "PNG header declares an invalid size %u x %u", width,
                      height);
  }
  status = check_dimensions("PNG", width, height, max_pixels);
  if (status != DAGER_OK)
    return status;
  if (!png_depth_allowed(colour_type, depth, &channels)) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "PNG colour type %u with bit depth %u is invalid",
                      colour_type, depth);
  }
  if (fields[10] != 0 || fields[11] != 0 || fields[12] > 1) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                      "PNG compression, filter or interlace method is "
                      "invalid");
  }
  info->width = (int)width;
  info->height = (int)height;
  info->channels = channels;
  info->bits_per_sample = (int)depth;
  return DAGER_OK;
}

static dager_status png_inspect(const uint8_t *data, size_t size,
                                uint64_t max_pixels, dager_image_info *info) {
  size_t position = sizeof png_signature;
  int chunk_index = 0;
  int have_data = 0;

  info->format = DAGER_IMAGE_FORMAT_PNG;
  info->orientation = 1;
  for (;; chunk_index++) {
    uint32_t length;
    const uint8_t *type;
    int critical;

    if (size - position < 12) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "PNG is truncated (chunk %d incomplete, no IEND)",
                        chunk_index);
    }
    length = read_be32(data + position);
    type = data + position + 4;
    if (length > INT32_MAX || length > size - position - 12) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "PNG is truncated (chunk %d declares %u bytes)",
                        chunk_index, length);
    }
    critical = (type[0] & 0x20) == 0;

    if (chunk_index == 0) {
      if (memcmp(type, "CgBI", 4) == 0) {
        return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                          "Apple's CgBI variant of PNG is not supported");
      }
      if (memcmp(type, "IHDR", 4) != 0 || length != 13) {
        return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                          "PNG does not start with a valid IHDR chunk");
      }
      /* Size first: a bomb is refused whatever follows its header. */
      dager_status status = png_header(type + 4, max_pixels, info);
      if (status != DAGER_OK)
        return status;
    } else if (memcmp(type, "IHDR", 4) == 0) {
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "PNG has two IHDR chunks");
    }

    if (critical) {
      uint32_t stored = read_be32(type + 4 + length);
      uint32_t computed =
          crc32_update(0xFFFFFFFFu, type, (size_t)length + 4) ^ 0xFFFFFFFFu;

      if (stored != computed) {
        return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                          "PNG chunk %.4s has a wrong CRC", (const char *)type);
      }
    }
    if (memcmp(type, "IDAT", 4) == 0)
      have_data = 1;
    if (memcmp(type, "IEND", 4) == 0)
      break;
    position += (size_t)length + 12;
  }
  if (!have_data) {
    return dager_fail(DAGER_ERROR_CORRUPT_IMAGE, "PNG has no image data");
  }
  return DAGER_OK;
}

/* ------------------------------------------------------------------------
 * Entry points
 */

dager_status dager_image_inspect(const uint8_t *data, size_t size,
                                 uint64_t max_pixels, dager_image_info *info) {
  dager_image_info found = {0};
  dager_status status;

  if ((!data && size > 0) || !info) {
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT,
                      "image data or info is NULL");
  }
  if (max_pixels == 0)
    max_pixels = DAGER_DEFAULT_MAX_PIXELS;
  if (max_pixels > DAGER_IMAGE_MAX_DECODE_PIXELS)
    max_pixels = DAGER_IMAGE_MAX_DECODE_PIXELS;
  if (size == 0) {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT, "image data is empty");
  }
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
    status = jpeg_inspect(data, size, max_pixels, &found);
  } else if (size >= sizeof png_signature &&
             memcmp(data, png_signature, sizeof png_signature) == 0) {
    status = png_inspect(data, size, max_pixels, &found);
  } else {
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT,
                      "data is neither JPEG nor PNG (first bytes %02X %02X "
                      "%02X %02X)",
                      data[0], size > 1 ? data[1] : 0, size > 2 ? data[2] : 0,
                      size > 3 ? data[3] : 0);
  }
  if (status == DAGER_OK)
    *info = found;
  return status;
}

/*
 * The largest single block a valid image of this header can make stb_image
 * ask for: 16-bit RGBA is 8 bytes per pixel (inflated rows, or the 16-bit
 * result before its conversion), with slack for JPEG's padding to whole
 * blocks and PNG's filter bytes; compressed data is gathered into one
 * block that grows by doubling, so twice the input size is allowed too.
 */
static size_t decoder_budget(const dager_image_info *info, size_t size) {
  uint64_t padded =
      ((uint64_t)info->width + 32) * ((uint64_t)info->height + 32);
  uint64_t budget = padded * 8;
  uint64_t input = (uint64_t)size * 2;

  if (input > budget)
    budget = input;
  budget += (uint64_t)4 << 20;
  if (budget > SIZE_MAX)
    return SIZE_MAX;
  return (size_t)budget;
}

dager_status dager_image_decode(const uint8_t *data, size_t size,
                                uint64_t max_pixels, dager_image **out) {
  dager_image_info info = {0};
  dager_image *image;
  dager_status status;
  uint8_t *pixels = NULL;
  int width = 0;
  int height = 0;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  status = dager_image_inspect(data, size, max_pixels, &info);
  if (status != DAGER_OK)
    return status;
  /* stb_image takes an int length. */
  if (size > INT32_MAX) {
    return dager_fail(DAGER_ERROR_IMAGE_TOO_LARGE,
                      "%zu bytes of encoded image, more than 2 GiB", size);
  }

  switch (dager_image_stb_decode(data, size, info.bits_per_sample == 16,
                                 decoder_budget(&info, size), &pixels, &width,
                                 &height)) {
    case DAGER_STB_DECODED:
      break;
    case DAGER_STB_OUT_OF_MEMORY:
      return dager_fail(DAGER_ERROR_OUT_OF_MEMORY,
                        "no memory to decode a %d x %d image", info.width,
                        info.height);
    case DAGER_STB_OVER_BUDGET:
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "%s data expands beyond its declared %d x %d pixels",
                        info.format == DAGER_IMAGE_FORMAT_PNG ? "PNG" : "JPEG",
                        info.width, info.height);
    default:
      return dager_fail(DAGER_ERROR_CORRUPT_IMAGE,
                        "%s data is corrupt (the decoder failed)",
                        info.format == DAGER_IMAGE_FORMAT_PNG ? "PNG" : "JPEG");
  }
  if (width != info.width || height != info.height) {
    dager_mem_free(pixels);
    return dager_fail(DAGER_ERROR_INTERNAL,
                      "decoder returned %d x %d for a %d x %d header", width,
                      height, info.width, info.height);
  }

  image = dager_mem_alloc(sizeof *image);
  if (!image) {
    dager_mem_free(pixels);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory for an image");
  }
  image->width = width;
  image->height = height;
  image->orientation = 1;
  image->pixels = pixels;
  if (info.orientation != 1) {
    status = dager_image_apply_orientation(image, info.orientation);
    if (status != DAGER_OK) {
      dager_image_free(image);
      return status;
    }
  }
  *out = image;
  return DAGER_OK;
}

dager_status dager_image_decode_file(const char *path, uint64_t max_pixels,
                                     dager_image **out) {
  FILE *file;
  struct stat file_status;
  uint64_t largest_file;
  uint8_t *bytes;
  size_t size;
  dager_status status;

  if (!out)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!path)
    return dager_fail(DAGER_ERROR_INVALID_ARGUMENT, "path is NULL");
  if (max_pixels == 0)
    max_pixels = DAGER_DEFAULT_MAX_PIXELS;

  file = fopen(path, "rb");
  if (!file) {
    return dager_fail(DAGER_ERROR_IO, "cannot open %s: %s", path,
                      strerror(errno));
  }
  if (fstat(fileno(file), &file_status) != 0 || !S_ISREG(file_status.st_mode)) {
    fclose(file);
    return dager_fail(DAGER_ERROR_IO, "%s is not a regular file", path);
  }
  largest_file = max_pixels > (UINT64_MAX >> 5) ? UINT64_MAX
                                                : max_pixels * 16 + (64u << 20);
  if ((uint64_t)file_status.st_size > largest_file ||
      (uint64_t)file_status.st_size > SIZE_MAX) {
    fclose(file);
    return dager_fail(DAGER_ERROR_IMAGE_TOO_LARGE,
                      "%s has %lld bytes, more than any image of %llu pixels "
                      "needs",
                      path, (long long)file_status.st_size,
                      (unsigned long long)max_pixels);
  }
  size = (size_t)file_status.st_size;
  if (size == 0) {
    fclose(file);
    return dager_fail(DAGER_ERROR_UNSUPPORTED_FORMAT, "%s is empty", path);
  }
  bytes = dager_mem_alloc(size);
  if (!bytes) {
    fclose(file);
    return dager_fail(DAGER_ERROR_OUT_OF_MEMORY, "no memory to read %s", path);
  }
  if (fread(bytes, 1, size, file) != size) {
    fclose(file);
    dager_mem_free(bytes);
    return dager_fail(DAGER_ERROR_IO, "cannot read %s", path);
  }
  fclose(file);

  status = dager_image_decode(bytes, size, max_pixels, out);
  dager_mem_free(bytes);
  return status;
}
