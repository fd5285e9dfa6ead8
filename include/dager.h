/*
 * dager.h: the public interface of libdager.
 *
 * libdager finds faces in photos, places 68 landmarks on each, and estimates
 * age, gender and emotion, following the DAGER system (Dehghan et al.,
 * 2017): detect, align, then one small network per attribute. It also
 * computes a 128-value face descriptor for comparing faces.
 *
 * A minimal program:
 *
 *   dager_engine *engine = NULL;
 *   dager_session *session = NULL;
 *   dager_result *result = NULL;
 *   if (dager_engine_create(NULL, &engine) != DAGER_OK ||
 *       dager_session_create(engine, &session) != DAGER_OK ||
 *       dager_analyze_file(session, "photo.jpg", &result) != DAGER_OK) {
 *     fprintf(stderr, "%s\n", dager_last_error_message());
 *   } else {
 *     for (size_t i = 0; i < dager_result_face_count(result); i++) {
 *       dager_face face = DAGER_FACE_INIT;
 *       if (dager_result_face(result, i, &face) != DAGER_OK) {
 *         fprintf(stderr, "%s\n", dager_last_error_message());
 *         break;
 *       }
 *       printf("age %.0f\n", (double)face.age);
 *     }
 *   }
 *   dager_result_destroy(result);
 *   dager_session_destroy(session);
 *   dager_engine_destroy(engine);
 *
 * Objects and their lifetimes
 *   dager_options  settings for an engine; create, set, pass, destroy.
 *   dager_engine   the loaded networks. Immutable once created, so one
 *                  engine may be shared by any number of threads.
 *   dager_session  scratch memory and worker threads for one thread at a
 *                  time. Make one per thread that analyses images.
 *   dager_image    decoded pixels in RGB8, upright (EXIF applied).
 *   dager_result   the faces found in one image; owned by the caller.
 * Every *_destroy call accepts NULL and does nothing with it.
 *
 * Errors
 *   Every call that can fail returns a dager_status; DAGER_OK is 0. The
 *   same failure also leaves a message for the calling thread, read with
 *   dager_last_error_message(). On failure, output handles are set to NULL
 *   and nothing needs freeing. The library never prints, never exits and
 *   never aborts on bad input.
 *
 * Coordinates
 *   Pixels, in the displayed (EXIF-rotated) frame of the image, origin at
 *   the top-left corner of the top-left pixel, x to the right, y down.
 *
 * Limitations
 *   - Only JPEG (baseline, progressive, greyscale, CMYK/YCCK with an Adobe
 *     marker) and PNG (all bit depths, palette, alpha, interlaced) are
 *     decoded; anything else is DAGER_ERROR_UNSUPPORTED_FORMAT, decided
 *     from the first bytes, never from a file name. So are 12-bit,
 *     arithmetic-coded, lossless and hierarchical JPEGs, JPEGs with more
 *     than 100 scans, 4-component JPEGs without an Adobe marker, and
 *     Apple's CgBI PNGs.
 *   - A JPEG must end with its EOI marker and every critical PNG chunk must
 *     have a correct CRC, else DAGER_ERROR_CORRUPT_IMAGE: a damaged file is
 *     never decoded into a partial picture.
 *   - Image sides above 2^24 pixels are refused, and the pixel limit cannot
 *     be raised above 2^28 pixels.
 *   - Only the first EXIF block is read, and its Orientation tag only when
 *     it is a SHORT with count 1 in a well-formed first IFD.
 *   - Detection runs the detector once over the whole image squeezed into
 *     its square input (as the reference implementation does). With the
 *     default "tiling" "auto" it adds: overlapping square tiles along
 *     strips whose long side is more than twice the short one (when the
 *     short side is at least 40 pixels: a thinner strip cannot hold a face
 *     the face networks can read); a pass over
 *     small images (long side under 400 pixels) centred in a black square
 *     twice their size, so a face that fills a thumbnail is found; and the
 *     adaptive refinement below. With "min_face_size", finer tiles (with
 *     either "tiling"). At most 64 passes per image; boxes from all passes
 *     are merged by non-maximum suppression.
 *   - Adaptive refinement ("tiling" "auto"): when the narrowest face the
 *     passes above found is less than 6.8 % of the detector's input wide
 *     in the finest of them (34.8 pixels of SSD's 512; about 1/15 of the
 *     long side of an ordinary photo), the photo holds faces at the
 *     detector's lower reach and likely smaller or weaker ones it missed.
 *     Then one grid of square tiles, half a tile apart and covering the
 *     whole image, is run at the scale that shows that face 7 % of the
 *     input wide (tile side = its width / 0.07, at least 64 pixels), with
 *     at most 16 tiles (larger tiles when more would be needed). A loose
 *     box of the first passes that a tile's box covers by half or more is
 *     replaced by it; a face only the first passes found is kept. One
 *     refinement at most, never on a photo where no face was found or all
 *     faces were larger: a photo with only faces too small for the first
 *     pass gets none (set "min_face_size" for those). The demo photos (all
 *     faces at least 38.8 pixels wide in SSD's input) run one pass, as
 *     the reference; 64 faces of about 80 pixels in 960 x 1200 run 3
 *     passes, the six demo photos at half size side by side (2880 x 1452)
 *     11. The thresholds were measured with SSD; the tiny detector's boxes
 *     are about 1.7 times wider, so it refines only for smaller faces.
 *   - Smallest face: one SSD pass squeezes the image's long side to 512
 *     pixels, so its reach is a fraction of that side. Below about 1/20
 *     of the long side it misses a growing share of faces: about half at
 *     1/30 (60 pixels in a 1920-pixel-wide photo, 16 in the detector's
 *     input), nearly all at 1/80. Measured on two demo photos (sample1,
 *     sample2) shrunk k times and tiled k x k into a 1920-pixel-wide
 *     image, boxes found for the faces present, "tiling" "off": 16 of 24
 *     at about 1/20 of the long side, 24 of 54 at 1/30, 53 of 96 at 1/45,
 *     12 of 384 at 1/80; "auto": 24 of 24, 54 of 54, 93 of 96, 240 of
 *     384. "auto" helps only beside faces the first pass found; a photo
 *     whose faces are all below its reach needs "min_face_size" (more
 *     passes: each halving of the tile side costs about four times the
 *     detector runs of the level above).
 *   - Age, gender and emotion are estimates from networks trained on public
 *     data; they carry the biases of that data and are not identity or
 *     medical facts. Faces cut by the image border get less reliable
 *     attributes; such faces are flagged.
 */
#ifndef DAGER_H
#define DAGER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one export macro. The library is built with hidden visibility and
 * only what carries DAGER_API is part of its ABI. */
#if defined(_WIN32)
#if defined(DAGER_BUILDING_LIBRARY)
#define DAGER_API __declspec(dllexport)
#else
#define DAGER_API
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define DAGER_API __attribute__((visibility("default")))
#else
#define DAGER_API
#endif

/* Results that must not be ignored (a status, a created handle). */
#if defined(__GNUC__) && __GNUC__ >= 4
#define DAGER_NODISCARD __attribute__((warn_unused_result))
#else
#define DAGER_NODISCARD
#endif

/* ------------------------------------------------------------------------
 * Version
 *
 * These three macros are the only place the version is written; the build
 * reads them for the shared library's soname (libdager.so.MAJOR). Within one
 * major version the ABI only grows.
 */
#define DAGER_VERSION_MAJOR 0
#define DAGER_VERSION_MINOR 1
#define DAGER_VERSION_PATCH 0

/* MAJOR * 10000 + MINOR * 100 + PATCH, for comparisons in code. */
#define DAGER_VERSION_NUMBER                                 \
  (DAGER_VERSION_MAJOR * 10000 + DAGER_VERSION_MINOR * 100 + \
   DAGER_VERSION_PATCH)

/*
 * The version of the library actually linked, as DAGER_VERSION_NUMBER.
 * Compare it with the header's to detect a program built against another
 * release. Thread-safe; never fails.
 */
DAGER_API unsigned dager_version(void);

/* The same as text, "MAJOR.MINOR.PATCH"; static storage, never NULL. */
DAGER_API const char *dager_version_string(void);

/* ------------------------------------------------------------------------
 * Status codes
 *
 * The values are fixed forever; new codes are only appended. A caller that
 * meets a code it does not know should treat it as a failure.
 */
typedef enum dager_status {
  /* Success. Finding no face in an image is also success. */
  DAGER_OK = 0,
  /* A NULL pointer where one is not allowed, a zero or negative size, a
   * stride smaller than a row, an unknown enum value. */
  DAGER_ERROR_INVALID_ARGUMENT = 1,
  /* An allocation failed. Nothing was leaked; the call can be retried. */
  DAGER_ERROR_OUT_OF_MEMORY = 2,
  /* A file could not be opened or read (missing, unreadable, a folder). */
  DAGER_ERROR_IO = 3,
  /* The bytes are empty or are not JPEG or PNG. */
  DAGER_ERROR_UNSUPPORTED_FORMAT = 4,
  /* A JPEG or PNG that is truncated or damaged. No partial image is ever
   * returned as success. */
  DAGER_ERROR_CORRUPT_IMAGE = 5,
  /* The image header declares more pixels than the limit (see
   * dager_image_load_file); refused before any pixel memory is taken. */
  DAGER_ERROR_IMAGE_TOO_LARGE = 6,
  /* A model file is damaged, truncated or inconsistent. */
  DAGER_ERROR_MODEL_INVALID = 7,
  /* A model file of a format version this library cannot read. */
  DAGER_ERROR_MODEL_VERSION = 8,
  /* A valid model file made for another task than the one asked for. */
  DAGER_ERROR_MODEL_WRONG_TASK = 9,
  /* An option name that this version does not know, or a value of the
   * wrong type or out of range for it. */
  DAGER_ERROR_UNKNOWN_OPTION = 10,
  /* An index past the end (a face index, a landmark index). */
  DAGER_ERROR_OUT_OF_RANGE = 11,
  /* The engine was created without the network this call needs. */
  DAGER_ERROR_NOT_LOADED = 12,
  /* A bug in libdager; please report it with the message. */
  DAGER_ERROR_INTERNAL = 13
} dager_status;

/*
 * A short English sentence for a status, e.g. "image is truncated or
 * corrupt". Static storage, never NULL; unknown values give a generic text.
 * Thread-safe.
 */
DAGER_API const char *dager_status_string(dager_status status);

/*
 * Details of the last failure on the calling thread, e.g. "PNG header
 * declares 20000 x 20000 pixels, more than the limit of 50000000". Empty
 * when the last call on this thread succeeded. The text stays valid until
 * the next libdager call on the same thread. Never NULL.
 *
 * Language bindings whose calls may move between OS threads (Go) must read
 * it in the same native call as the failing function.
 */
DAGER_API const char *dager_last_error_message(void);

/* ------------------------------------------------------------------------
 * Process-wide settings
 *
 * These two calls change state shared by the whole process. Make them
 * before any other libdager call and not while another thread uses the
 * library.
 */

typedef enum dager_log_level {
  DAGER_LOG_ERROR = 1,
  DAGER_LOG_WARNING = 2,
  DAGER_LOG_INFO = 3,
  DAGER_LOG_DEBUG = 4
} dager_log_level;

/*
 * Receives one message, without a trailing newline. May be called from any
 * thread that uses the library, also concurrently; message is valid only
 * during the call.
 */
typedef void (*dager_log_fn)(void *user, dager_log_level level,
                             const char *message);

/*
 * Installs a log callback that receives messages up to and including
 * max_level. The library logs nothing until this is called. Pass NULL to
 * stop logging. user is handed back to every call unchanged.
 */
DAGER_API void dager_set_log_callback(dager_log_fn callback, void *user,
                                      dager_log_level max_level);

typedef void *(*dager_malloc_fn)(void *user, size_t size);
typedef void *(*dager_realloc_fn)(void *user, void *pointer, size_t size);
typedef void (*dager_free_fn)(void *user, void *pointer);

/*
 * Routes every allocation of the library (image decoding included) through
 * the given functions. All three are set together, or all three NULL to go
 * back to the C library's. The functions must be thread-safe if the library
 * is used from several threads. Blocks taken with one allocator must be
 * freed before another is installed.
 * Returns DAGER_ERROR_INVALID_ARGUMENT when only some are NULL.
 */
DAGER_API DAGER_NODISCARD dager_status
dager_set_allocator(dager_malloc_fn malloc_fn, dager_realloc_fn realloc_fn,
                    dager_free_fn free_fn, void *user);

/* ------------------------------------------------------------------------
 * Options
 *
 * Settings for an engine, by name, so new settings never change a struct.
 * Names and their defaults:
 *
 *   "models_dir"     string  folder with the converted model files. Default:
 *                            the DAGER_MODELS_DIR environment variable when
 *                            set, else the folder they were installed to.
 *   "detector"       string  "ssd" (SSD MobileNet v1, the default, more
 *                            accurate) or "tiny" (the tiny face detector,
 *                            about 4 times faster).
 *   "landmarks"      string  "full" (default) or "tiny" 68-point network.
 *   "attribute_crop" string  what the attribute networks look at: "box"
 *                            (the reference implementation's crop around
 *                            the landmarks, the default) or "aligned"
 *                            (rotated so the eyes are level).
 *   "landmark_passes" int    landmark network runs per face, 0..8. 1 is
 *                            the reference's single run on the detector's
 *                            box. More runs place the network on an
 *                            upright crop of the face, framed by the last
 *                            run's landmarks, until the crop moves by less
 *                            than 0.005 of a pixel (so often fewer than
 *                            asked): the landmarks, and the aligned crop
 *                            fitted to them, then hardly depend on how the
 *                            face is tilted (measured to 20 degrees;
 *                            faces on their side or upside down are not
 *                            handled, as the detector and the first run
 *                            expect upright faces). Runs that shrink,
 *                            turn or move the crop far from where the
 *                            first run put it are taken to be straying
 *                            from the face, and the first run's landmarks
 *                            are kept. 0 (the default) means 1 with
 *                            "box" and 8 with "aligned". Each run costs
 *                            about a landmark run and a warp.
 *   "aligned_views"  int     with "aligned": how many views of the aligned
 *                            crop the age/gender and expression networks
 *                            each look at, 1..5; default 5: the crop, then
 *                            the crop moved by 2 pixels (of 112) right,
 *                            left, down and up. The answers are averaged,
 *                            which makes them far less sensitive to small
 *                            differences of placement and resampling, as
 *                            between a face and the same face tilted. Each
 *                            view costs a warp and a run of each network.
 *   "networks"       string  comma-separated networks to load, from
 *                            "detector", "landmarks", "age_gender",
 *                            "expression", "descriptor". Default: all.
 *                            Calls needing an absent one fail with
 *                            DAGER_ERROR_NOT_LOADED.
 *   "min_score"      double  detection confidence threshold, 0..1;
 *                            default 0.5.
 *   "nms_iou"        double  overlap above which the weaker of two boxes
 *                            is dropped, 0..1; default 0.5 for "ssd" and
 *                            0.4 for "tiny" (the reference's values).
 *   "min_face_size"  int     smallest face width in pixels to search for
 *                            with extra tiled passes, 0..100000; default 0
 *                            (no such tiles; see Limitations).
 *   "tiling"         string  extra detector passes the library chooses
 *                            itself: "auto" (the default: tiles along
 *                            long strips, a padded pass for small images,
 *                            and the adaptive refinement when the first
 *                            pass found faces at the detector's lower
 *                            reach; see Limitations) or "off" (only the
 *                            reference's one pass over the whole image,
 *                            plus the tiles "min_face_size" asks for).
 *   "max_faces"      int     most faces reported per image, 1..100000;
 *                            default 1000. Hitting it is reported by
 *                            dager_result_truncated().
 *   "tiny_input_size" int    network input size for the tiny detector,
 *                            128..608 in steps of 32; default 416.
 *   "max_pixels"     int     largest image (width * height) that the
 *                            convenience calls decode, 1..268435456
 *                            (2^28, the decoder's ceiling); default
 *                            DAGER_DEFAULT_MAX_PIXELS.
 *   "threads"        int     worker threads per session, 1..256; default 1.
 *                            The detector's layers are split over them,
 *                            and the faces of a photo are analysed side by
 *                            side, one per thread at a time (each thread
 *                            then holds about 2 MiB of its own). Results
 *                            are the same for any count. For a stream of
 *                            photos, one single-threaded session per core
 *                            scales better.
 *
 * An options object is not thread-safe; the engine copies what it needs,
 * so the options may be destroyed right after dager_engine_create.
 */
typedef struct dager_options dager_options;

/* Makes an options object holding the defaults. */
DAGER_API DAGER_NODISCARD dager_status
dager_options_create(dager_options **out);
DAGER_API void dager_options_destroy(dager_options *options);

/*
 * Sets one option. Fails with DAGER_ERROR_UNKNOWN_OPTION for a name this
 * version does not know, a value of the wrong type (an int option may be
 * set with set_double only if the value is whole), or one out of range; the
 * option then keeps its old value. value is copied.
 */
DAGER_API DAGER_NODISCARD dager_status dager_options_set_string(
    dager_options *options, const char *name, const char *value);
DAGER_API DAGER_NODISCARD dager_status
dager_options_set_int(dager_options *options, const char *name, int64_t value);
DAGER_API DAGER_NODISCARD dager_status dager_options_set_double(
    dager_options *options, const char *name, double value);

/* ------------------------------------------------------------------------
 * Engine
 */
typedef struct dager_engine dager_engine;

/*
 * Loads and checks the model files named by options (NULL for defaults)
 * and prepares the networks for this CPU's instruction set. Slow (tens of
 * milliseconds); do it once. The engine is immutable afterwards and may be
 * used by any number of threads at once, each through its own session.
 * Fails with DAGER_ERROR_IO (a model file missing), DAGER_ERROR_MODEL_*,
 * DAGER_ERROR_UNKNOWN_OPTION, DAGER_ERROR_OUT_OF_MEMORY.
 */
DAGER_API DAGER_NODISCARD dager_status
dager_engine_create(const dager_options *options, dager_engine **out);

/* Frees the engine. Destroy every session of it first. */
DAGER_API void dager_engine_destroy(dager_engine *engine);

/* Name of the instruction set the kernels use ("avx512", "avx2", "sse41",
 * "neon" or "scalar"); "none" for NULL. Static storage. */
DAGER_API const char *dager_engine_isa(const dager_engine *engine);

/* ------------------------------------------------------------------------
 * Session
 */
typedef struct dager_session dager_session;

/*
 * Makes the scratch memory and worker threads for analysing images with
 * engine. A session is used by one thread at a time; make one per thread.
 * All memory a call needs is taken here, so analysing does not allocate
 * beyond the result and the image copies it makes.
 */
DAGER_API DAGER_NODISCARD dager_status
dager_session_create(const dager_engine *engine, dager_session **out);
DAGER_API void dager_session_destroy(dager_session *session);

/* ------------------------------------------------------------------------
 * Images
 *
 * An image holds RGB8 pixels, upright: the EXIF Orientation tag (values 1
 * to 8) of a JPEG is applied when it is decoded, so width, height and every
 * coordinate the library reports are those of the displayed picture. A tag
 * with another value, or an EXIF block that is malformed, is ignored (the
 * image is used as stored). PNG files are used as stored.
 *
 * Channels: grey becomes R = G = B; 16-bit samples keep their high byte;
 * palettes are expanded; CMYK and YCCK JPEGs are converted to RGB. Alpha is
 * dropped (the colour under a transparent pixel is used as it is stored),
 * because the networks were trained on opaque photos and compositing onto
 * a chosen background would change their answers.
 */
typedef struct dager_image dager_image;

typedef enum dager_pixel_format {
  DAGER_PIXEL_RGB8 = 1,
  DAGER_PIXEL_BGR8 = 2,
  DAGER_PIXEL_RGBA8 = 3,
  DAGER_PIXEL_BGRA8 = 4,
  DAGER_PIXEL_GRAY8 = 5
} dager_pixel_format;

/* Default largest image, in pixels (50 megapixels). */
#define DAGER_DEFAULT_MAX_PIXELS 50000000u

/*
 * Decodes a JPEG or PNG file. max_pixels bounds width * height and is
 * checked from the header before any pixel memory is allocated; 0 means
 * DAGER_DEFAULT_MAX_PIXELS. Decoding needs about 3 bytes per pixel plus the
 * decoder's own buffers.
 * Fails with DAGER_ERROR_IO, DAGER_ERROR_UNSUPPORTED_FORMAT (empty, or not
 * JPEG or PNG), DAGER_ERROR_CORRUPT_IMAGE, DAGER_ERROR_IMAGE_TOO_LARGE,
 * DAGER_ERROR_OUT_OF_MEMORY, DAGER_ERROR_INVALID_ARGUMENT (NULL).
 */
DAGER_API DAGER_NODISCARD dager_status
dager_image_load_file(const char *path, uint64_t max_pixels, dager_image **out);

/* As dager_image_load_file, from size bytes at data; the bytes are not kept
 * after the call. */
DAGER_API DAGER_NODISCARD dager_status dager_image_load_memory(
    const void *data, size_t size, uint64_t max_pixels, dager_image **out);

/*
 * Copies caller pixels into a new image, converting to RGB8 (alpha is
 * dropped, grey is expanded). stride is the distance in bytes between the
 * starts of two rows and must be at least width times the bytes per pixel
 * and at most 2^32, with the whole buffer (stride x (height - 1) plus one
 * row) at most 2^44 bytes: larger values are refused as no real buffer's.
 * width and height must be positive and their product at most
 * DAGER_DEFAULT_MAX_PIXELS * 4. No orientation is applied.
 */
DAGER_API DAGER_NODISCARD dager_status dager_image_from_pixels(
    const void *pixels, int width, int height, size_t stride,
    dager_pixel_format format, dager_image **out);

DAGER_API void dager_image_destroy(dager_image *image);

/* Size of the displayed image in pixels; 0 for NULL. */
DAGER_API int dager_image_width(const dager_image *image);
DAGER_API int dager_image_height(const dager_image *image);

/* The EXIF orientation applied at decoding (1 when none was, and 1 for
 * NULL). */
DAGER_API int dager_image_orientation(const dager_image *image);

/* RGB8 pixels, rows of width * 3 bytes with no padding, owned by the
 * image; NULL for NULL. */
DAGER_API const uint8_t *dager_image_pixels(const dager_image *image);

/* ------------------------------------------------------------------------
 * Results
 */

/* Emotions, in this order everywhere (arrays, JSON, bindings). */
typedef enum dager_emotion {
  DAGER_EMOTION_ANGRY = 0,
  DAGER_EMOTION_DISGUSTED = 1,
  DAGER_EMOTION_FEARFUL = 2,
  DAGER_EMOTION_HAPPY = 3,
  DAGER_EMOTION_NEUTRAL = 4,
  DAGER_EMOTION_SAD = 5,
  DAGER_EMOTION_SURPRISED = 6,
  DAGER_EMOTION_COUNT = 7
} dager_emotion;

/* Lower-case English name ("angry", ...); "unknown" for other values. */
DAGER_API const char *dager_emotion_name(dager_emotion emotion);

typedef enum dager_gender {
  DAGER_GENDER_UNKNOWN = 0,
  DAGER_GENDER_FEMALE = 1,
  DAGER_GENDER_MALE = 2
} dager_gender;

/* "female", "male" or "unknown". */
DAGER_API const char *dager_gender_name(dager_gender gender);

#define DAGER_LANDMARK_COUNT 68
#define DAGER_DESCRIPTOR_SIZE 128

/*
 * One face. The caller sets struct_size (DAGER_FACE_INIT does it) and the
 * library fills only the fields that fit in it, so a program built with an
 * older, shorter dager_face keeps working with a newer library. New fields
 * are only ever appended.
 *
 * The 68 landmarks follow the iBUG 300-W numbering: 0-16 jaw line, 17-26
 * eyebrows, 27-35 nose, 36-47 eyes (36-41 the person's right eye, 42-47
 * left), 48-67 mouth.
 */
typedef struct dager_face {
  size_t struct_size;

  /* Box in pixels, clipped to the image; width and height > 0. */
  float x, y, width, height;
  /* Detector confidence, 0..1. */
  float score;
  /* 1 when the face is cut by the image border: the detector's box reached
   * past an edge and was clipped, or landmarks lie outside the image. The
   * attributes of such a face are less reliable. */
  int cut_by_border;

  /* 1 when landmarks are filled in (dager_detect and dager_analyze do). */
  int has_landmarks;
  float landmarks[DAGER_LANDMARK_COUNT][2]; /* x, y in image pixels */

  /* 1 when age and gender, or emotion, are filled in (dager_analyze); an
   * engine without one of those networks leaves its fields at 0. */
  int has_attributes;
  float age; /* years */
  dager_gender gender;
  float gender_probability;            /* of the gender given, 0.5..1 */
  float emotions[DAGER_EMOTION_COUNT]; /* probabilities, summing to 1 */
  dager_emotion dominant_emotion;

  /* 1 when dager_result_descriptor has a descriptor for this face. */
  int has_descriptor;
} dager_face;

#define DAGER_FACE_INIT \
  { .struct_size = sizeof(dager_face) }

/* The faces found in one image, strongest first. Owned by the caller. */
typedef struct dager_result dager_result;

DAGER_API void dager_result_destroy(dager_result *result);

/* Number of faces; 0 for NULL or when none was found. */
DAGER_API size_t dager_result_face_count(const dager_result *result);

/* 1 when more faces passed the threshold than the "max_faces" option
 * allows; the weakest were left out. 0 for NULL. */
DAGER_API int dager_result_truncated(const dager_result *result);

/* Size of the image the result was computed on; 0 for NULL. */
DAGER_API int dager_result_image_width(const dager_result *result);
DAGER_API int dager_result_image_height(const dager_result *result);

/*
 * Copies face index into *face, whose struct_size the caller has set.
 * Fails with DAGER_ERROR_OUT_OF_RANGE for a bad index and
 * DAGER_ERROR_INVALID_ARGUMENT for NULL or a struct_size below that of the
 * first release.
 */
DAGER_API DAGER_NODISCARD dager_status
dager_result_face(const dager_result *result, size_t index, dager_face *face);

/*
 * Copies the 128-value descriptor of face index into out. Descriptors of
 * the same person lie close together (see dager_descriptor_distance). Fails
 * with DAGER_ERROR_INVALID_ARGUMENT for a NULL result or out,
 * DAGER_ERROR_OUT_OF_RANGE for a bad index, and DAGER_ERROR_NOT_LOADED when
 * the face has none.
 */
DAGER_API DAGER_NODISCARD dager_status dager_result_descriptor(
    const dager_result *result, size_t index, float out[DAGER_DESCRIPTOR_SIZE]);

/*
 * Euclidean distance between two descriptors. Below about 0.6, the two
 * faces are likely the same person (the threshold of the reference
 * implementation). Thread-safe; NULL gives a negative value.
 */
DAGER_API float dager_descriptor_distance(const float *a, const float *b);

/* Cosine similarity of two descriptors, -1..1; NULL gives -2. */
DAGER_API float dager_descriptor_similarity(const float *a, const float *b);

/* ------------------------------------------------------------------------
 * Analysis
 *
 * All of these use session's scratch memory, so one session must not be
 * used by two threads at once. The image is only read and may be shared.
 */

/*
 * Finds faces and their 68 landmarks (boxes only when the engine was
 * created without the landmark network). *out receives a new result (with
 * zero faces when none was found, which is success).
 */
DAGER_API DAGER_NODISCARD dager_status dager_detect(dager_session *session,
                                                    const dager_image *image,
                                                    dager_result **out);

/*
 * Finds faces, landmarks, and for each face age, gender, emotion and
 * descriptor (those whose networks are loaded).
 */
DAGER_API DAGER_NODISCARD dager_status dager_analyze(dager_session *session,
                                                     const dager_image *image,
                                                     dager_result **out);

/*
 * Analyses an image that is one pre-cropped face, such as the face chips of
 * public age and emotion datasets, without running the detector: the
 * result has exactly one face whose box is the whole image (score 1;
 * cut_by_border set when landmarks fall outside it), with landmarks found
 * in it and, from them, age,
 * gender, emotion and descriptor as dager_analyze computes them. Needs the
 * landmark network (DAGER_ERROR_NOT_LOADED otherwise); the detector need
 * not be loaded. Landmarks and attributes are meaningful only when the face
 * fills most of the image.
 */
DAGER_API DAGER_NODISCARD dager_status dager_analyze_crop(
    dager_session *session, const dager_image *image, dager_result **out);

/*
 * The convenience call: decodes the file (bounded by the engine's
 * "max_pixels"), analyses it, and frees the pixels.
 */
DAGER_API DAGER_NODISCARD dager_status dager_analyze_file(
    dager_session *session, const char *path, dager_result **out);

/*
 * Writes an aligned crop of face index of result into a caller buffer of
 * size x size RGB8 pixels whose rows start stride bytes apart (stride >=
 * size * 3, and within the bounds dager_image_from_pixels sets). The crop
 * is rotated and scaled so that the eyes are level and at fixed positions,
 * with a bilinear warp that averages up to 2 x 2 samples
 * per crop pixel when the crop is smaller than the face (so a face's crop
 * does not alias differently with its angle); parts outside the image are
 * black. result must come from image, with landmarks. size: 16..1024.
 * Fails with DAGER_ERROR_INVALID_ARGUMENT for NULL (session, image, result
 * or out), a size outside 16..1024, a stride below size * 3 (or past the
 * bounds of dager_image_from_pixels), a result whose image size differs
 * from image's (another image's result; one of the same size is not
 * detected), or a face without landmarks or with degenerate ones;
 * DAGER_ERROR_OUT_OF_RANGE for an index past the last face.
 */
DAGER_API DAGER_NODISCARD dager_status
dager_align_face(dager_session *session, const dager_image *image,
                 const dager_result *result, size_t index, int size,
                 uint8_t *out, size_t stride);

#ifdef __cplusplus
}
#endif

#endif /* DAGER_H */
