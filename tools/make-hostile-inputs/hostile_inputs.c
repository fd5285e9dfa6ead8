/*
 * The generator behind hostile_inputs.h. PNG files are written by hand
 * (chunks, CRC, zlib framing, stored or fixed-Huffman deflate blocks) so
 * that every field can be made wrong on purpose; baseline JPEG comes from
 * stb_image_write and is then cut, spliced or patched.
 */
#include "hostile_inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* stb_image_write's implementation is compiled separately
 * (stb_image_write_impl.c), with its own flags. */
#include "stb_image_write.h"

#ifdef HOSTILE_HAVE_LIBJPEG
#include <jpeglib.h>
#include <setjmp.h>
#endif

uint8_t hostile_pattern(int x, int y, int c, int width, int height) {
  int wide = width > 1 ? width - 1 : 1;
  int tall = height > 1 ? height - 1 : 1;

  /* Blocks of 8 keep JPEG loss small; the gradient and the off-centre
   * bright square make every flip and rotation distinguishable. */
  switch (c) {
    case 0:
      return (uint8_t)(30 + (x / 8) * 8 * 200 / wide);
    case 1:
      return (uint8_t)(20 + (y / 8) * 8 * 210 / tall);
    default:
      return (uint8_t)((x < width / 3 && y < height / 3) ? 230 : 60);
  }
}

void hostile_buffer_free(hostile_buffer *buffer) {
  free(buffer->bytes);
  buffer->bytes = NULL;
  buffer->size = buffer->capacity = 0;
}

static int buffer_append(hostile_buffer *buffer, const void *bytes,
                         size_t size) {
  if (buffer->size + size > buffer->capacity) {
    size_t capacity = buffer->capacity ? buffer->capacity : 256;
    uint8_t *grown;

    while (capacity < buffer->size + size)
      capacity *= 2;
    grown = realloc(buffer->bytes, capacity);
    if (!grown)
      return 0;
    buffer->bytes = grown;
    buffer->capacity = capacity;
  }
  if (size)
    memcpy(buffer->bytes + buffer->size, bytes, size);
  buffer->size += size;
  return 1;
}

static int buffer_byte(hostile_buffer *buffer, unsigned value) {
  uint8_t byte = (uint8_t)value;

  return buffer_append(buffer, &byte, 1);
}

static int buffer_be16(hostile_buffer *buffer, unsigned value) {
  return buffer_byte(buffer, value >> 8) && buffer_byte(buffer, value);
}

static int buffer_be32(hostile_buffer *buffer, uint32_t value) {
  return buffer_be16(buffer, value >> 16) && buffer_be16(buffer, value);
}

static int buffer_copy(hostile_buffer *out, const uint8_t *bytes, size_t size) {
  out->size = 0;
  return buffer_append(out, bytes, size);
}

/* ------------------------------------------------------------------------
 * PNG
 */

static uint32_t crc_of(const uint8_t *bytes, size_t size, uint32_t crc) {
  for (size_t i = 0; i < size; i++) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; bit++) {
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  }
  return crc;
}

static int png_chunk(hostile_buffer *png, const char *type, const uint8_t *data,
                     size_t size) {
  uint32_t crc = crc_of((const uint8_t *)type, 4, 0xFFFFFFFFu);

  crc = crc_of(data, size, crc) ^ 0xFFFFFFFFu;
  return buffer_be32(png, (uint32_t)size) && buffer_append(png, type, 4) &&
         buffer_append(png, data, size) && buffer_be32(png, crc);
}

static int png_signature(hostile_buffer *png) {
  static const uint8_t signature[8] = {0x89, 'P',  'N',  'G',
                                       0x0D, 0x0A, 0x1A, 0x0A};
  png->size = 0;
  return buffer_append(png, signature, sizeof signature);
}

static int png_header(hostile_buffer *png, uint32_t width, uint32_t height,
                      int depth, int colour_type, int interlace) {
  uint8_t fields[13];

  fields[0] = (uint8_t)(width >> 24);
  fields[1] = (uint8_t)(width >> 16);
  fields[2] = (uint8_t)(width >> 8);
  fields[3] = (uint8_t)width;
  fields[4] = (uint8_t)(height >> 24);
  fields[5] = (uint8_t)(height >> 16);
  fields[6] = (uint8_t)(height >> 8);
  fields[7] = (uint8_t)height;
  fields[8] = (uint8_t)depth;
  fields[9] = (uint8_t)colour_type;
  fields[10] = 0;
  fields[11] = 0;
  fields[12] = (uint8_t)interlace;
  return png_chunk(png, "IHDR", fields, sizeof fields);
}

static uint32_t adler_of(const uint8_t *bytes, size_t size) {
  uint32_t a = 1, b = 0;

  for (size_t i = 0; i < size; i++) {
    a = (a + bytes[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return b << 16 | a;
}

/* zlib stream of stored (uncompressed) deflate blocks. */
static int zlib_stored(const uint8_t *raw, size_t size, hostile_buffer *out) {
  size_t done = 0;

  out->size = 0;
  if (!buffer_byte(out, 0x78) || !buffer_byte(out, 0x01))
    return 0;
  do {
    size_t block = size - done > 65535 ? 65535 : size - done;
    int last = done + block == size;

    if (!buffer_byte(out, last) || !buffer_byte(out, block & 0xFF) ||
        !buffer_byte(out, block >> 8) || !buffer_byte(out, ~block & 0xFF) ||
        !buffer_byte(out, (~block >> 8) & 0xFF) ||
        !buffer_append(out, raw + done, block)) {
      return 0;
    }
    done += block;
  } while (done < size);
  return buffer_be32(out, adler_of(raw, size));
}

/* Bits of a deflate stream, least significant first. */
typedef struct bit_writer {
  hostile_buffer *out;
  uint32_t bits;
  int count;
} bit_writer;

static int put_bits(bit_writer *writer, uint32_t value, int count) {
  for (int i = 0; i < count; i++) {
    writer->bits |= ((value >> i) & 1u) << writer->count;
    if (++writer->count == 8) {
      if (!buffer_byte(writer->out, writer->bits))
        return 0;
      writer->bits = 0;
      writer->count = 0;
    }
  }
  return 1;
}

/* Huffman codes go out most significant bit first. */
static int put_code(bit_writer *writer, uint32_t code, int length) {
  uint32_t reversed = 0;

  for (int i = 0; i < length; i++)
    reversed |= ((code >> i) & 1u) << (length - 1 - i);
  return put_bits(writer, reversed, length);
}

/*
 * zlib stream of `size` zero bytes in one fixed-Huffman block: a literal
 * 0, then matches of 258 at distance 1 (about 13 bits per 258 bytes), the
 * shape of a decompression bomb.
 */
static int zlib_zeros(uint64_t size, hostile_buffer *out) {
  bit_writer writer = {out, 0, 0};
  uint64_t written = 0;
  uint32_t a = 1, b = 0;

  out->size = 0;
  if (!buffer_byte(out, 0x78) || !buffer_byte(out, 0x01))
    return 0;
  if (!put_bits(&writer, 1, 1) || !put_bits(&writer, 1, 2))
    return 0;
  while (written < size) {
    uint64_t left = size - written;

    if (written == 0 || left < 3) {
      /* Literal 0: fixed code 0x30, 8 bits. */
      if (!put_code(&writer, 0x30, 8))
        return 0;
      written++;
    } else {
      unsigned length = left >= 258 ? 258 : (unsigned)left;

      if (length == 258) {
        if (!put_code(&writer, 0xC5, 8))
          return 0; /* code 285 */
      } else if (length <= 10) {
        if (!put_code(&writer, length - 3 + 1, 7))
          return 0; /* 257.. */
      } else {
        /* Lengths 11..257 are only needed at the very end: use literals. */
        if (!put_code(&writer, 0x30, 8))
          return 0;
        written++;
        continue;
      }
      if (!put_code(&writer, 0, 5))
        return 0; /* distance 1 */
      written += length;
    }
  }
  if (!put_code(&writer, 0, 7))
    return 0; /* end of block, code 256 */
  if (writer.count && !put_bits(&writer, 0, 8 - writer.count))
    return 0;
  /* Adler-32 of zeros: a stays 1, b grows by 1 per byte. */
  b = (uint32_t)(size % 65521u);
  return buffer_be32(out, b << 16 | a);
}

const hostile_png_variant hostile_png_variants[] = {
    {"png_gray1.png", 0, 1, 0, 0},
    {"png_gray2.png", 0, 2, 0, 0},
    {"png_gray4.png", 0, 4, 0, 0},
    {"png_gray8.png", 0, 8, 0, 0},
    {"png_gray16.png", 0, 16, 0, 0},
    {"png_gray8_trns.png", 0, 8, 0, 1},
    {"png_rgb8.png", 2, 8, 0, 0},
    {"png_rgb16.png", 2, 16, 0, 0},
    {"png_rgb8_trns.png", 2, 8, 0, 1},
    {"png_palette1.png", 3, 1, 0, 0},
    {"png_palette2.png", 3, 2, 0, 0},
    {"png_palette4.png", 3, 4, 0, 0},
    {"png_palette8.png", 3, 8, 0, 0},
    {"png_palette8_trns.png", 3, 8, 0, 1},
    {"png_grayalpha8.png", 4, 8, 0, 0},
    {"png_grayalpha16.png", 4, 16, 0, 0},
    {"png_rgba8.png", 6, 8, 0, 0},
    {"png_rgba16.png", 6, 16, 0, 0},
    {"png_gray8_adam7.png", 0, 8, 1, 0},
    {"png_gray1_adam7.png", 0, 1, 1, 0},
    {"png_rgb8_adam7.png", 2, 8, 1, 0},
    {"png_rgba16_adam7.png", 6, 16, 1, 0},
    {"png_palette4_adam7.png", 3, 4, 1, 1},
};
const int hostile_png_variant_count =
    (int)(sizeof hostile_png_variants / sizeof hostile_png_variants[0]);

static int channel_count(int colour_type) {
  switch (colour_type) {
    case 2:
      return 3;
    case 4:
      return 2;
    case 6:
      return 4;
    default:
      return 1;
  }
}

static int palette_size(int depth) {
  return depth >= 8 ? 200 : 1 << depth;
}

static void palette_colour(int index, uint8_t rgb[3]) {
  rgb[0] = (uint8_t)(index * 37 + 11);
  rgb[1] = (uint8_t)(index * 91 + 5);
  rgb[2] = (uint8_t)(255 - index);
}

/* Stored sample (in 0 .. 2^depth - 1) of channel `channel` at (x, y). */
static unsigned png_sample(const hostile_png_variant *variant, int x, int y,
                           int channel) {
  int w = HOSTILE_PNG_WIDTH, h = HOSTILE_PNG_HEIGHT;
  int channels = channel_count(variant->colour_type);
  int depth = variant->depth;
  unsigned value8;

  if (variant->colour_type == 3) {
    return (unsigned)((x * 3 + y * 5) % palette_size(depth));
  }
  if ((channels == 2 && channel == 1) || (channels == 4 && channel == 3)) {
    int opaque = (x + y) % 3 != 0;
    return opaque ? (1u << depth) - 1 : 0;
  }
  if (channels <= 2) {
    value8 = (unsigned)(hostile_pattern(x, y, 0, w, h) +
                        hostile_pattern(x, y, 1, w, h) +
                        hostile_pattern(x, y, 2, w, h)) /
             3;
  } else {
    value8 = hostile_pattern(x, y, channel, w, h);
  }
  if (depth == 16) {
    /* A low byte unrelated to the high one: only the high byte may
     * survive the conversion. */
    return value8 << 8 | (unsigned)((x * 7 + y * 13 + channel * 29) & 0xFF);
  }
  return value8 >> (8 - depth);
}

void hostile_png_expected_rgb(const hostile_png_variant *variant, int x, int y,
                              uint8_t rgb[3]) {
  int channels = channel_count(variant->colour_type);

  if (variant->colour_type == 3) {
    palette_colour((int)png_sample(variant, x, y, 0), rgb);
    return;
  }
  for (int c = 0; c < 3; c++) {
    unsigned sample = png_sample(variant, x, y, channels <= 2 ? 0 : c);
    unsigned value;

    if (variant->depth == 16) {
      value = sample >> 8;
    } else {
      value = sample * 255u / ((1u << variant->depth) - 1);
    }
    rgb[c] = (uint8_t)value;
  }
}

static uint8_t paeth(int left, int up, int up_left) {
  int estimate = left + up - up_left;
  int to_left = abs(estimate - left);
  int to_up = abs(estimate - up);
  int to_up_left = abs(estimate - up_left);

  if (to_left <= to_up && to_left <= to_up_left)
    return (uint8_t)left;
  if (to_up <= to_up_left)
    return (uint8_t)up;
  return (uint8_t)up_left;
}

/* Filters one packed row with filter type `filter` into out (1 + size). */
static void filter_row(int filter, const uint8_t *row, const uint8_t *above,
                       size_t size, int step, uint8_t *out) {
  out[0] = (uint8_t)filter;
  for (size_t i = 0; i < size; i++) {
    int left = i >= (size_t)step ? row[i - step] : 0;
    int up = above[i];
    int up_left = i >= (size_t)step ? above[i - step] : 0;
    int predicted = 0;

    switch (filter) {
      case 1:
        predicted = left;
        break;
      case 2:
        predicted = up;
        break;
      case 3:
        predicted = (left + up) / 2;
        break;
      case 4:
        predicted = paeth(left, up, up_left);
        break;
      default:
        break;
    }
    out[1 + i] = (uint8_t)(row[i] - predicted);
  }
}

/* Raw (filtered) image data of a variant, Adam7 passes when interlaced. */
static int png_raw_data(const hostile_png_variant *variant,
                        hostile_buffer *raw) {
  static const int adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8},
                                  {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                                  {0, 1, 1, 2}};
  static const int whole[1][4] = {{0, 0, 1, 1}};
  const int(*passes)[4] = variant->interlace ? adam7 : whole;
  int pass_count = variant->interlace ? 7 : 1;
  int channels = channel_count(variant->colour_type);
  int bits = channels * variant->depth;
  int step = bits >= 8 ? bits / 8 : 1;
  int row_counter = 0;

  raw->size = 0;
  for (int pass = 0; pass < pass_count; pass++) {
    int x0 = passes[pass][0], y0 = passes[pass][1];
    int dx = passes[pass][2], dy = passes[pass][3];
    int pass_width = (HOSTILE_PNG_WIDTH - x0 + dx - 1) / dx;
    int pass_height = (HOSTILE_PNG_HEIGHT - y0 + dy - 1) / dy;
    size_t row_bytes;
    uint8_t *row, *above, *filtered;

    if (pass_width <= 0 || pass_height <= 0)
      continue;
    row_bytes = ((size_t)pass_width * bits + 7) / 8;
    row = calloc(row_bytes, 1);
    above = calloc(row_bytes, 1);
    filtered = malloc(row_bytes + 1);
    if (!row || !above || !filtered) {
      free(row);
      free(above);
      free(filtered);
      return 0;
    }
    for (int py = 0; py < pass_height; py++) {
      int y = y0 + py * dy;
      size_t bit = 0;

      memset(row, 0, row_bytes);
      for (int px = 0; px < pass_width; px++) {
        int x = x0 + px * dx;

        for (int c = 0; c < channels; c++) {
          unsigned sample = png_sample(variant, x, y, c);

          if (variant->depth == 16) {
            row[bit / 8] = (uint8_t)(sample >> 8);
            row[bit / 8 + 1] = (uint8_t)sample;
          } else if (variant->depth == 8) {
            row[bit / 8] = (uint8_t)sample;
          } else {
            int shift = 8 - variant->depth - (int)(bit % 8);
            row[bit / 8] |= (uint8_t)(sample << shift);
          }
          bit += (size_t)variant->depth;
        }
      }
      /* Every filter type in turn, so the decoder's unfiltering is
       * exercised on every kind of row. */
      filter_row(row_counter++ % 5, row, above, row_bytes, step, filtered);
      if (!buffer_append(raw, filtered, row_bytes + 1)) {
        free(row);
        free(above);
        free(filtered);
        return 0;
      }
      memcpy(above, row, row_bytes);
    }
    free(row);
    free(above);
    free(filtered);
  }
  return 1;
}

int hostile_png_encode(const hostile_png_variant *variant,
                       hostile_buffer *out) {
  hostile_buffer raw = {0}, compressed = {0};
  int ok = png_signature(out) &&
           png_header(out, HOSTILE_PNG_WIDTH, HOSTILE_PNG_HEIGHT,
                      variant->depth, variant->colour_type, variant->interlace);

  if (ok && variant->colour_type == 3) {
    uint8_t palette[256 * 3];
    int entries = palette_size(variant->depth);

    for (int i = 0; i < entries; i++)
      palette_colour(i, palette + i * 3);
    ok = png_chunk(out, "PLTE", palette, (size_t)entries * 3);
  }
  if (ok && variant->transparency) {
    uint8_t trns[16] = {0};
    size_t size = 0;

    if (variant->colour_type == 3) {
      trns[0] = 0;
      trns[1] = 128;
      size = 2;
    } else if (variant->colour_type == 0) {
      trns[1] = (uint8_t)png_sample(variant, 0, 0, 0);
      size = 2;
    } else {
      for (int c = 0; c < 3; c++) {
        trns[c * 2 + 1] = (uint8_t)png_sample(variant, 0, 0, c);
      }
      size = 6;
    }
    ok = png_chunk(out, "tRNS", trns, size);
  }
  ok = ok && png_raw_data(variant, &raw) &&
       zlib_stored(raw.bytes, raw.size, &compressed) &&
       png_chunk(out, "IDAT", compressed.bytes, compressed.size) &&
       png_chunk(out, "IEND", NULL, 0);
  hostile_buffer_free(&raw);
  hostile_buffer_free(&compressed);
  return ok;
}

/* An 8-bit RGB PNG whose IDAT holds `compressed` as given. */
static int png_with_idat(uint32_t width, uint32_t height,
                         const hostile_buffer *compressed, int with_end,
                         hostile_buffer *out) {
  return png_signature(out) && png_header(out, width, height, 8, 2, 0) &&
         png_chunk(out, "IDAT", compressed->bytes, compressed->size) &&
         (!with_end || png_chunk(out, "IEND", NULL, 0));
}

/* Raw rows (filter byte 0 + pattern) of a width x height RGB8 image. */
static int rgb_rows(int width, int height, int rows, hostile_buffer *raw) {
  raw->size = 0;
  for (int y = 0; y < rows; y++) {
    if (!buffer_byte(raw, 0))
      return 0;
    for (int x = 0; x < width; x++) {
      for (int c = 0; c < 3; c++) {
        if (!buffer_byte(raw, hostile_pattern(x, y, c, width, height))) {
          return 0;
        }
      }
    }
  }
  return 1;
}

/* ------------------------------------------------------------------------
 * JPEG
 */

static void write_to_buffer(void *context, void *data, int size) {
  /* A failed append leaves the JPEG short; it is then rejected by the
   * size check of the caller's decoding, never written half. */
  (void)buffer_append(context, data, (size_t)size);
}

static int jpeg_of_pattern(int width, int height, hostile_buffer *out) {
  uint8_t *pixels = malloc((size_t)width * height * 3);
  int ok;

  if (!pixels)
    return 0;
  for (int y = 0; y < height; y++) {
    for (int x = 0; x < width; x++) {
      for (int c = 0; c < 3; c++) {
        pixels[((size_t)y * width + x) * 3 + c] =
            hostile_pattern(x, y, c, width, height);
      }
    }
  }
  out->size = 0;
  ok = stbi_write_jpg_to_func(write_to_buffer, out, width, height, 3, pixels,
                              90);
  free(pixels);
  return ok && out->size > 0;
}

int hostile_jpeg_base(hostile_buffer *out) {
  return jpeg_of_pattern(HOSTILE_BASE_WIDTH, HOSTILE_BASE_HEIGHT, out);
}

/* Offset of the first marker `wanted` in the header part of a JPEG. */
static size_t jpeg_find_marker(const hostile_buffer *jpeg, int wanted) {
  size_t position = 2;

  while (position + 4 <= jpeg->size && jpeg->bytes[position] == 0xFF) {
    int marker = jpeg->bytes[position + 1];

    if (marker == wanted)
      return position;
    if (marker == 0xDA || marker == 0xD9)
      return 0;
    position += 2 + ((size_t)jpeg->bytes[position + 2] << 8 |
                     jpeg->bytes[position + 3]);
  }
  return 0;
}

size_t hostile_jpeg_sos_offset(const hostile_buffer *jpeg) {
  return jpeg_find_marker(jpeg, 0xDA);
}

int hostile_jpeg_with_app1(const hostile_buffer *jpeg, const uint8_t *payload,
                           size_t payload_size, hostile_buffer *out) {
  out->size = 0;
  return payload_size + 2 <= 65535 && buffer_append(out, jpeg->bytes, 2) &&
         buffer_byte(out, 0xFF) && buffer_byte(out, 0xE1) &&
         buffer_be16(out, (unsigned)payload_size + 2) &&
         buffer_append(out, payload, payload_size) &&
         buffer_append(out, jpeg->bytes + 2, jpeg->size - 2);
}

static int put_u16(hostile_buffer *out, int big_endian, unsigned value) {
  if (big_endian)
    return buffer_be16(out, value);
  return buffer_byte(out, value) && buffer_byte(out, value >> 8);
}

static int put_u32(hostile_buffer *out, int big_endian, uint32_t value) {
  if (big_endian)
    return buffer_be32(out, value);
  return put_u16(out, 0, value & 0xFFFF) && put_u16(out, 0, value >> 16);
}

/* One IFD entry with a value that fits in the 4-byte field. */
static int put_entry(hostile_buffer *out, int big_endian, unsigned tag,
                     unsigned type, uint32_t count, uint32_t value) {
  if (!put_u16(out, big_endian, tag) || !put_u16(out, big_endian, type) ||
      !put_u32(out, big_endian, count)) {
    return 0;
  }
  if (type == 3 && count == 1) {
    return put_u16(out, big_endian, value) && put_u16(out, big_endian, 0);
  }
  return put_u32(out, big_endian, value);
}

/* Exif payload with IFD0 = {XResolution-like dummy, Orientation, ...}
 * where the Orientation entry has the given type and count. */
static int exif_payload_typed(hostile_buffer *out, int big_endian, int value,
                              unsigned type, uint32_t count) {
  out->size = 0;
  return buffer_append(out, "Exif\0\0", 6) &&
         buffer_append(out, big_endian ? "MM" : "II", 2) &&
         put_u16(out, big_endian, 42) && put_u32(out, big_endian, 8) &&
         put_u16(out, big_endian, 3) &&
         put_entry(out, big_endian, 0x0100, 4, 1, HOSTILE_BASE_WIDTH) &&
         put_entry(out, big_endian, 0x0112, type, count, (uint32_t)value) &&
         put_entry(out, big_endian, 0x0131, 2, 4, 0x00616264) &&
         put_u32(out, big_endian, 0);
}

int hostile_exif_payload(hostile_buffer *out, int big_endian, int value) {
  return exif_payload_typed(out, big_endian, value, 3, 1);
}

#ifdef HOSTILE_HAVE_LIBJPEG
/* Encodes pixels of `components` per pixel in colour space `input` as a
 * JPEG in colour space `stored`, optionally progressive. */
static int libjpeg_encode(uint8_t *pixels, int width, int height,
                          int components, J_COLOR_SPACE input,
                          J_COLOR_SPACE stored, int progressive,
                          int restart_rows, int adobe_marker,
                          hostile_buffer *out) {
  struct jpeg_compress_struct compress;
  struct jpeg_error_mgr errors;
  unsigned char *memory = NULL;
  unsigned long memory_size = 0;
  int ok;

  compress.err = jpeg_std_error(&errors);
  jpeg_create_compress(&compress);
  jpeg_mem_dest(&compress, &memory, &memory_size);
  compress.image_width = (JDIMENSION)width;
  compress.image_height = (JDIMENSION)height;
  compress.input_components = components;
  compress.in_color_space = input;
  jpeg_set_defaults(&compress);
  jpeg_set_colorspace(&compress, stored);
  jpeg_set_quality(&compress, 92, TRUE);
  if (progressive)
    jpeg_simple_progression(&compress);
  compress.restart_in_rows = restart_rows;
  if (!adobe_marker)
    compress.write_Adobe_marker = FALSE;
  jpeg_start_compress(&compress, TRUE);
  while (compress.next_scanline < compress.image_height) {
    JSAMPROW row = pixels + (size_t)compress.next_scanline * width * components;
    jpeg_write_scanlines(&compress, &row, 1);
  }
  jpeg_finish_compress(&compress);
  jpeg_destroy_compress(&compress);
  ok = buffer_copy(out, memory, memory_size);
  free(memory);
  return ok;
}

/* The same DCT coefficients as `baseline`, written as a progressive JPEG
 * (what jpegtran -progressive does): pixels must decode identically. */
static int libjpeg_make_progressive(const hostile_buffer *baseline,
                                    hostile_buffer *out) {
  struct jpeg_decompress_struct decompress;
  struct jpeg_compress_struct compress;
  struct jpeg_error_mgr errors_in, errors_out;
  jvirt_barray_ptr *coefficients;
  unsigned char *memory = NULL;
  unsigned long memory_size = 0;
  int ok;

  decompress.err = jpeg_std_error(&errors_in);
  jpeg_create_decompress(&decompress);
  jpeg_mem_src(&decompress, baseline->bytes, baseline->size);
  jpeg_read_header(&decompress, TRUE);
  coefficients = jpeg_read_coefficients(&decompress);
  compress.err = jpeg_std_error(&errors_out);
  jpeg_create_compress(&compress);
  jpeg_mem_dest(&compress, &memory, &memory_size);
  jpeg_copy_critical_parameters(&decompress, &compress);
  jpeg_simple_progression(&compress);
  jpeg_write_coefficients(&compress, coefficients);
  jpeg_finish_compress(&compress);
  jpeg_destroy_compress(&compress);
  jpeg_finish_decompress(&decompress);
  jpeg_destroy_decompress(&decompress);
  ok = buffer_copy(out, memory, memory_size);
  free(memory);
  return ok;
}
#endif

#ifdef HOSTILE_HAVE_LIBJPEG
typedef struct jump_errors {
  struct jpeg_error_mgr manager;
  jmp_buf jump;
} jump_errors;

static void jump_on_error(j_common_ptr common) {
  longjmp(((jump_errors *)common->err)->jump, 1);
}
#endif

uint8_t *hostile_libjpeg_decode_rgb(const uint8_t *jpeg, size_t size,
                                    int *width, int *height) {
#ifdef HOSTILE_HAVE_LIBJPEG
  struct jpeg_decompress_struct decompress;
  jump_errors errors;
  uint8_t *volatile samples = NULL;
  uint8_t *rgb = NULL;
  int components;

  decompress.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jump_on_error;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&decompress);
    free(samples);
    return NULL;
  }
  jpeg_create_decompress(&decompress);
  jpeg_mem_src(&decompress, jpeg, (unsigned long)size);
  jpeg_read_header(&decompress, TRUE);
  if (decompress.jpeg_color_space == JCS_CMYK ||
      decompress.jpeg_color_space == JCS_YCCK) {
    decompress.out_color_space = JCS_CMYK;
  } else {
    decompress.out_color_space = JCS_RGB;
  }
  jpeg_start_decompress(&decompress);
  components = decompress.output_components;
  *width = (int)decompress.output_width;
  *height = (int)decompress.output_height;
  samples = malloc((size_t)*width * *height * components);
  if (!samples)
    longjmp(errors.jump, 1);
  while (decompress.output_scanline < decompress.output_height) {
    JSAMPROW row =
        samples + (size_t)decompress.output_scanline * *width * components;
    jpeg_read_scanlines(&decompress, &row, 1);
  }
  jpeg_finish_decompress(&decompress);
  jpeg_destroy_decompress(&decompress);
  if (components == 3)
    return samples;
  rgb = malloc((size_t)*width * *height * 3);
  for (size_t i = 0; rgb && i < (size_t)*width * *height; i++) {
    const uint8_t *ink = samples + i * 4;

    for (int c = 0; c < 3; c++) {
      rgb[i * 3 + c] = (uint8_t)((ink[c] * ink[3] + 127) / 255);
    }
  }
  free(samples);
  return rgb;
#else
  (void)jpeg;
  (void)size;
  (void)width;
  (void)height;
  return NULL;
#endif
}

int hostile_have_libjpeg(void) {
#ifdef HOSTILE_HAVE_LIBJPEG
  return 1;
#else
  return 0;
#endif
}

/* ------------------------------------------------------------------------
 * Writing every case
 */

typedef struct writer_state {
  const char *folder;
  int only_small;
  int written;
  int failed;
} writer_state;

static void emit(writer_state *state, const char *name, const uint8_t *bytes,
                 size_t size) {
  char path[4096];
  FILE *file;

  if (state->failed)
    return;
  if (state->only_small && size > 4096)
    return;
  snprintf(path, sizeof path, "%s/%s", state->folder, name);
  file = fopen(path, "wb");
  if (!file || (size > 0 && fwrite(bytes, 1, size, file) != size)) {
    fprintf(stderr, "make-hostile-inputs: cannot write %s\n", path);
    if (file)
      fclose(file);
    state->failed = 1;
    return;
  }
  if (fclose(file) != 0) {
    fprintf(stderr, "make-hostile-inputs: cannot write %s\n", path);
    state->failed = 1;
    return;
  }
  state->written++;
}

static void emit_buffer(writer_state *state, const char *name, int ok,
                        const hostile_buffer *buffer) {
  if (!ok) {
    fprintf(stderr, "make-hostile-inputs: cannot build %s\n", name);
    state->failed = 1;
    return;
  }
  emit(state, name, buffer->bytes, buffer->size);
}

static void write_foreign(writer_state *state) {
  static const char text[] =
      "This is a text file, not a picture, whatever its name says.\n";
  /* TGA: uncompressed true colour, 23040 x 23040, 32 bits per pixel. */
  static const uint8_t tga[18] = {0, 0, 2, 0,    0,    0,    0,    0,  0,
                                  0, 0, 0, 0x00, 0x5A, 0x00, 0x5A, 32, 8};
  /* PSD: signature, version 1, 3 channels, 20000 x 20000, 8 bits, RGB. */
  static const uint8_t psd[26] = {'8', 'B', 'P',  'S',  0, 1, 0, 0,    0,
                                  0,   0,   0,    0,    3, 0, 0, 0x4E, 0x20,
                                  0,   0,   0x4E, 0x20, 0, 8, 0, 3};
  /* GIF: 65535 x 65535 logical screen, then an image descriptor. */
  static const uint8_t gif[23] = {
      'G', 'I',  'F', '8', '9', 'a', 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0,
      0,   0x2C, 0,   0,   0,   0,   0xFF, 0xFF, 0xFF, 0xFF, 0};
  static const uint8_t bmp[30] = {'B', 'M', 0, 0,    0,  0, 0, 0, 0,  0,
                                  54,  0,   0, 0,    40, 0, 0, 0, 0,  0x4E,
                                  0,   0,   0, 0x4E, 0,  0, 1, 0, 24, 0};
  static const char hdr[] =
      "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n"
      "-Y 30000 +X 30000\n";
  static const uint8_t jpeg_magic_only[3] = {0xFF, 0xD8, 0xFF};
  static const uint8_t png_signature_only[8] = {0x89, 'P',  'N',  'G',
                                                0x0D, 0x0A, 0x1A, 0x0A};

  emit(state, "empty_0byte.jpg", NULL, 0);
  emit(state, "text_named.jpg", (const uint8_t *)text, sizeof text - 1);
  emit(state, "tga_header_named.jpg", tga, sizeof tga);
  emit(state, "psd_header_named.jpg", psd, sizeof psd);
  emit(state, "gif_header_named.jpg", gif, sizeof gif);
  emit(state, "bmp_header_named.png", bmp, sizeof bmp);
  emit(state, "hdr_header_named.jpg", (const uint8_t *)hdr, sizeof hdr - 1);
  emit(state, "jpeg_magic_only.jpg", jpeg_magic_only, 3);
  emit(state, "png_signature_only.png", png_signature_only, 8);
}

static void write_jpeg_cases(writer_state *state) {
  hostile_buffer base = {0}, out = {0}, payload = {0};
  size_t sos;
  int ok = hostile_jpeg_base(&base);

  emit_buffer(state, "jpeg_base.jpg", ok, &base);
  if (!ok)
    return;
  sos = hostile_jpeg_sos_offset(&base);

  /* Truncations: inside the headers, right before the scan, half-way
   * through it, and only the final EOI missing. */
  emit(state, "jpeg_trunc_in_headers.jpg", base.bytes, 40);
  emit(state, "jpeg_trunc_before_sos.jpg", base.bytes, sos);
  emit(state, "jpeg_trunc_half.jpg", base.bytes, sos + (base.size - sos) / 2);
  emit(state, "jpeg_no_eoi.jpg", base.bytes, base.size - 2);

  /* A Huffman table claiming more than 256 codes. */
  {
    size_t table = jpeg_find_marker(&base, 0xC4);

    ok = table != 0 && buffer_copy(&out, base.bytes, base.size);
    if (ok)
      memset(out.bytes + table + 5, 0xFF, 4);
    emit_buffer(state, "jpeg_huffman_overfull.jpg", ok, &out);
  }

  /* A scan naming Huffman tables (slot 3) that no DHT defined. */
  ok = buffer_copy(&out, base.bytes, base.size);
  if (ok)
    out.bytes[sos + 6] = 0x33;
  emit_buffer(state, "jpeg_undefined_huffman.jpg", ok, &out);

  /* A decompression-time bomb's shape: the scan repeated 101 times. */
  ok = buffer_copy(&out, base.bytes, sos);
  for (int i = 0; ok && i < 101; i++) {
    ok = buffer_append(&out, base.bytes + sos, base.size - 2 - sos);
  }
  ok = ok && buffer_append(&out, base.bytes + base.size - 2, 2);
  emit_buffer(state, "jpeg_101_scans.jpg", ok, &out);

  /* Bytes after EOI are not part of the image and are ignored. */
  ok = buffer_copy(&out, base.bytes, base.size) &&
       buffer_append(&out, "trailing bytes after the end of the image", 41);
  emit_buffer(state, "jpeg_trailing_bytes.jpg", ok, &out);

  /* Headers and a scan marker but no entropy data at all, then EOI. */
  ok = buffer_copy(&out, base.bytes, sos) && buffer_byte(&out, 0xFF) &&
       buffer_byte(&out, 0xD9);
  emit_buffer(state, "jpeg_no_scan.jpg", ok, &out);

  /* Frame header patched: 12-bit samples; arithmetic coding (SOF9);
   * 65535 x 65535 declared; width 0. */
  {
    size_t frame = jpeg_find_marker(&base, 0xC0);
    struct {
      const char *name;
      size_t offset;
      uint8_t values[4];
      int count;
    } patches[] = {
        {"jpeg_12bit.jpg", 4, {12}, 1},
        {"jpeg_arithmetic.jpg", 1, {0xC9}, 1},
        {"jpeg_huge_declared.jpg", 5, {0xFF, 0xFF, 0xFF, 0xFF}, 4},
        {"jpeg_width0.jpg", 7, {0, 0}, 2},
    };

    for (size_t i = 0; frame && i < sizeof patches / sizeof patches[0]; i++) {
      ok = buffer_copy(&out, base.bytes, base.size);
      if (ok) {
        memcpy(out.bytes + frame + patches[i].offset, patches[i].values,
               (size_t)patches[i].count);
      }
      emit_buffer(state, patches[i].name, ok, &out);
    }
  }

  /* EXIF orientations 0..9 in both byte orders. */
  for (int big_endian = 0; big_endian <= 1; big_endian++) {
    for (int value = 0; value <= 9; value++) {
      char name[64];

      snprintf(name, sizeof name, "exif_%s_orient%d.jpg",
               big_endian ? "be" : "le", value);
      ok = hostile_exif_payload(&payload, big_endian, value) &&
           hostile_jpeg_with_app1(&base, payload.bytes, payload.size, &out);
      emit_buffer(state, name, ok, &out);
    }
  }

  /* Malformed EXIF around a valid Orientation = 6 entry: every one must
   * be ignored as a whole (result: orientation 1). */
  if (hostile_exif_payload(&payload, 1, 6)) {
    hostile_buffer bad = {0};

    /* IFD0 claims 32767 entries in a block of about 40 bytes. */
    ok = buffer_copy(&bad, payload.bytes, payload.size);
    if (ok) {
      bad.bytes[14] = 0x7F;
      bad.bytes[15] = 0xFF;
    }
    ok = ok && hostile_jpeg_with_app1(&base, bad.bytes, bad.size, &out);
    emit_buffer(state, "exif_bad_ifd_count.jpg", ok, &out);

    /* IFD0 offset past the end of the block. */
    ok = buffer_copy(&bad, payload.bytes, payload.size);
    if (ok)
      bad.bytes[13] = 0xF0;
    ok = ok && hostile_jpeg_with_app1(&base, bad.bytes, bad.size, &out);
    emit_buffer(state, "exif_ifd_offset_outside.jpg", ok, &out);

    /* IFD0 offset 0xFFFFFFFF (wraps a careless 32-bit addition). */
    ok = buffer_copy(&bad, payload.bytes, payload.size);
    if (ok)
      memset(bad.bytes + 10, 0xFF, 4);
    ok = ok && hostile_jpeg_with_app1(&base, bad.bytes, bad.size, &out);
    emit_buffer(state, "exif_ifd_offset_wraps.jpg", ok, &out);

    /* Block cut inside the TIFF header, and inside the entries. */
    ok = hostile_jpeg_with_app1(&base, payload.bytes, 10, &out);
    emit_buffer(state, "exif_cut_in_header.jpg", ok, &out);
    ok = hostile_jpeg_with_app1(&base, payload.bytes, 30, &out);
    emit_buffer(state, "exif_cut_in_entries.jpg", ok, &out);

    /* Unknown byte order mark. */
    ok = buffer_copy(&bad, payload.bytes, payload.size);
    if (ok)
      memcpy(bad.bytes + 6, "XY", 2);
    ok = ok && hostile_jpeg_with_app1(&base, bad.bytes, bad.size, &out);
    emit_buffer(state, "exif_bad_byte_order.jpg", ok, &out);
    hostile_buffer_free(&bad);
  }
  ok = exif_payload_typed(&payload, 0, 6, 4, 1) &&
       hostile_jpeg_with_app1(&base, payload.bytes, payload.size, &out);
  emit_buffer(state, "exif_orientation_as_long.jpg", ok, &out);
  ok = exif_payload_typed(&payload, 1, 6, 3, 2) &&
       hostile_jpeg_with_app1(&base, payload.bytes, payload.size, &out);
  emit_buffer(state, "exif_orientation_count2.jpg", ok, &out);

  /* 1 x 1 JPEG. */
  ok = jpeg_of_pattern(1, 1, &out);
  emit_buffer(state, "tiny_1x1.jpg", ok, &out);

#ifdef HOSTILE_HAVE_LIBJPEG
  {
    int w = HOSTILE_BASE_WIDTH, h = HOSTILE_BASE_HEIGHT;
    uint8_t *grey = malloc((size_t)w * h);
    uint8_t *cmyk = malloc((size_t)w * h * 4);

    if (!grey || !cmyk) {
      state->failed = 1;
    } else {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          uint8_t *ink = cmyk + ((size_t)y * w + x) * 4;

          grey[(size_t)y * w + x] = hostile_pattern(x, y, 0, w, h);
          /* Adobe's convention stores inverted ink: with K = 255 (no
           * black) the stored C, M, Y are the R, G, B to expect. */
          for (int c = 0; c < 3; c++)
            ink[c] = hostile_pattern(x, y, c, w, h);
          ink[3] = 255;
        }
      }
      ok = libjpeg_encode(grey, w, h, 1, JCS_GRAYSCALE, JCS_GRAYSCALE, 0, 0, 1,
                          &out);
      emit_buffer(state, "jpeg_gray.jpg", ok, &out);
      ok = libjpeg_encode(grey, w, h, 1, JCS_GRAYSCALE, JCS_GRAYSCALE, 1, 0, 1,
                          &out);
      emit_buffer(state, "jpeg_gray_progressive.jpg", ok, &out);
      ok = libjpeg_encode(cmyk, w, h, 4, JCS_CMYK, JCS_CMYK, 0, 0, 1, &out);
      emit_buffer(state, "jpeg_cmyk_adobe.jpg", ok, &out);
      ok = libjpeg_encode(cmyk, w, h, 4, JCS_CMYK, JCS_CMYK, 0, 0, 0, &out);
      emit_buffer(state, "jpeg_cmyk_no_adobe.jpg", ok, &out);
      ok = libjpeg_encode(cmyk, w, h, 4, JCS_CMYK, JCS_YCCK, 0, 0, 1, &out);
      emit_buffer(state, "jpeg_ycck_adobe.jpg", ok, &out);
      {
        /* Restart markers after every MCU row: RSTn inside scan data. */
        uint8_t *rgb = malloc((size_t)w * h * 3);

        ok = rgb != NULL;
        for (size_t i = 0; ok && i < (size_t)w * h; i++) {
          memcpy(rgb + i * 3, cmyk + i * 4, 3);
        }
        ok = ok &&
             libjpeg_encode(rgb, w, h, 3, JCS_RGB, JCS_YCbCr, 0, 1, 1, &out);
        emit_buffer(state, "jpeg_restart_markers.jpg", ok, &out);
        free(rgb);
      }
      ok = libjpeg_make_progressive(&base, &out);
      emit_buffer(state, "jpeg_progressive.jpg", ok, &out);
      if (ok) {
        /* Cut between two progressive scans: every marker is whole, but
         * the image is not complete and there is no EOI. */
        size_t position = out.size / 2;

        while (position + 1 < out.size && !(out.bytes[position] == 0xFF &&
                                            out.bytes[position + 1] == 0xDA)) {
          position++;
        }
        emit(state, "jpeg_progressive_trunc.jpg", out.bytes, position);
      }
    }
    free(grey);
    free(cmyk);
  }
#endif
  hostile_buffer_free(&base);
  hostile_buffer_free(&out);
  hostile_buffer_free(&payload);
}

static void write_png_cases(writer_state *state) {
  hostile_buffer out = {0}, raw = {0}, compressed = {0};
  int ok;

  for (int i = 0; i < hostile_png_variant_count; i++) {
    ok = hostile_png_encode(&hostile_png_variants[i], &out);
    emit_buffer(state, hostile_png_variants[i].name, ok, &out);
  }

  /* 1 x 1. */
  ok = rgb_rows(1, 1, 1, &raw) &&
       zlib_stored(raw.bytes, raw.size, &compressed) &&
       png_with_idat(1, 1, &compressed, 1, &out);
  emit_buffer(state, "tiny_1x1.png", ok, &out);

  /* Bomb: 20000 x 20000 RGB declared, 4 rows of data. */
  ok = zlib_zeros(4 * (1 + 20000 * 3), &compressed) &&
       png_with_idat(20000, 20000, &compressed, 1, &out);
  emit_buffer(state, "bomb_png_20000x20000_4rows.png", ok, &out);

  /* Bomb: a complete, valid 1-bit 20000 x 20000 grey PNG (400 MP). */
  ok = zlib_zeros((uint64_t)20000 * (1 + 2500), &compressed) &&
       png_signature(&out) && png_header(&out, 20000, 20000, 1, 0, 0) &&
       png_chunk(&out, "IDAT", compressed.bytes, compressed.size) &&
       png_chunk(&out, "IEND", NULL, 0);
  emit_buffer(state, "bomb_png_20000x20000_1bit_valid.png", ok, &out);

  /* Zlib bomb inside a small image: 16 x 16 declared, 64 MiB of zeros. */
  ok = zlib_zeros((uint64_t)64 << 20, &compressed) &&
       png_with_idat(16, 16, &compressed, 1, &out);
  emit_buffer(state, "png_zlib_bomb_16x16.png", ok, &out);

  /* Side longer than the library's maximum but few pixels. */
  ok = zlib_zeros(1 + 20000000, &compressed) && png_signature(&out) &&
       png_header(&out, 20000000, 1, 8, 0, 0) &&
       png_chunk(&out, "IDAT", compressed.bytes, compressed.size) &&
       png_chunk(&out, "IEND", NULL, 0);
  emit_buffer(state, "png_side_20000000x1.png", ok, &out);

  /* Deflate block of the reserved type 3, chunk CRC valid. */
  static const uint8_t reserved_block[5] = {0x78, 0x01, 0x07, 0x00, 0x00};
  ok = buffer_copy(&compressed, reserved_block, sizeof reserved_block) &&
       png_with_idat(16, 16, &compressed, 1, &out);
  emit_buffer(state, "png_corrupt_zlib.png", ok, &out);

  /* A valid stream with 4 of 16 rows. */
  ok = rgb_rows(16, 16, 4, &raw) &&
       zlib_stored(raw.bytes, raw.size, &compressed) &&
       png_with_idat(16, 16, &compressed, 1, &out);
  emit_buffer(state, "png_short_data.png", ok, &out);

  /* Complete 16 x 16 image, then damaged copies of it. */
  ok = rgb_rows(16, 16, 16, &raw) &&
       zlib_stored(raw.bytes, raw.size, &compressed) &&
       png_with_idat(16, 16, &compressed, 1, &out);
  emit_buffer(state, "png_rgb_16x16.png", ok, &out);
  if (ok) {
    hostile_buffer copy = {0};
    size_t idat_crc = out.size - 12 - 4;

    emit(state, "png_no_iend.png", out.bytes, out.size - 12);

    /* The same image with its zlib stream split over many IDAT chunks and
     * a text chunk whose CRC is wrong (ancillary: ignored). */
    {
      hostile_buffer split = {0};
      static const uint8_t text[] = "Comment\0made by make-hostile-inputs";
      size_t done = 0;

      ok = png_signature(&split) && png_header(&split, 16, 16, 8, 2, 0) &&
           png_chunk(&split, "tEXt", text, sizeof text - 1);
      if (ok)
        split.bytes[split.size - 1] ^= 0x01;
      while (ok && done < compressed.size) {
        size_t piece = compressed.size - done < 7 ? compressed.size - done : 7;

        ok = png_chunk(&split, "IDAT", compressed.bytes + done, piece);
        done += piece;
      }
      ok = ok && png_chunk(&split, "IEND", NULL, 0);
      emit_buffer(state, "png_split_idat.png", ok, &split);
      hostile_buffer_free(&split);
    }
    emit(state, "png_trunc_half.png", out.bytes, out.size / 2);
    if (buffer_copy(&copy, out.bytes, out.size)) {
      copy.bytes[idat_crc] ^= 0x5A;
      emit(state, "png_bad_crc.png", copy.bytes, copy.size);
      memcpy(copy.bytes, out.bytes, out.size);
      copy.bytes[24] = 3; /* bit depth 3 */
      emit(state, "png_bad_depth.png", copy.bytes, copy.size);
      memcpy(copy.bytes, out.bytes, out.size);
      memset(copy.bytes + 16, 0, 4); /* width 0 */
      emit(state, "png_width0.png", copy.bytes, copy.size);
    }
    hostile_buffer_free(&copy);
  }

  /* Palette image without PLTE: 4 rows of a filter byte and 4 indices. */
  {
    static const uint8_t rows[20] = {0};

    ok = png_signature(&out) && png_header(&out, 4, 4, 8, 3, 0) &&
         zlib_stored(rows, sizeof rows, &compressed) &&
         png_chunk(&out, "IDAT", compressed.bytes, compressed.size) &&
         png_chunk(&out, "IEND", NULL, 0);
  }
  emit_buffer(state, "png_palette_without_plte.png", ok, &out);

  hostile_buffer_free(&out);
  hostile_buffer_free(&raw);
  hostile_buffer_free(&compressed);
}

int hostile_write_all(const char *folder, int only_small) {
  writer_state state = {folder, only_small, 0, 0};

  write_foreign(&state);
  write_jpeg_cases(&state);
  write_png_cases(&state);
  return state.failed ? -1 : state.written;
}
