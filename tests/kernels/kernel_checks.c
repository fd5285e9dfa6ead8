/*
 * Every kernel of a table against the scalar reference. See
 * kernel_checks.h. Inputs are uniform in [-1, 1]; outputs start filled
 * with a sentinel NaN pattern and sit between guard zones of the same
 * pattern, so a kernel that writes a row it was not asked for, or one
 * float past its buffer, is caught bit for bit.
 */
#include "kernel_checks.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"

#define GUARD_FLOATS 64
#define SENTINEL_BITS 0x7fa5a5a5u
#define MAX_PRINTED 8

/* xorshift64*: small, fast and the same on every platform. */
typedef struct random_source {
  uint64_t state;
} random_source;

static uint64_t random_next(random_source *r) {
  r->state ^= r->state >> 12;
  r->state ^= r->state << 25;
  r->state ^= r->state >> 27;
  return r->state * 0x2545f4914f6cdd1dull;
}

static uint32_t random_below(random_source *r, uint32_t n) {
  return (uint32_t)((random_next(r) >> 33) % n);
}

static float random_float(random_source *r) {
  return (float)((random_next(r) >> 40) * (1.0 / 16777216.0)) * 2.0f - 1.0f;
}

static random_source random_seeded(uint64_t seed, uint64_t stream) {
  random_source r;
  r.state = (seed ^ (stream * 0x9e3779b97f4a7c15ull)) | 1u;
  for (int i = 0; i < 4; i++)
    random_next(&r);
  return r;
}

uint64_t dager_check_seed(void) {
  const char *text = getenv("DAGER_TEST_SEED");
  if (text && *text)
    return strtoull(text, NULL, 0);
  return 0x6461676572ull;
}

/* What one check is doing, for failure messages. */
typedef struct check_state {
  const char *check;
  const dager_kernels *reference;
  const dager_kernels *tested;
  uint64_t seed;
  unsigned failures;
  char shape[200];
} check_state;

static void check_fail(check_state *s, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void check_fail(check_state *s, const char *format, ...) {
  va_list args;

  s->failures++;
  if (s->failures > MAX_PRINTED)
    return;
  fprintf(stderr, "FAIL %s [%s] seed=0x%" PRIx64 " %s: ", s->check,
          s->tested->name, s->seed, s->shape);
  va_start(args, format);
  vfprintf(stderr, format, args);
  va_end(args);
  fputc('\n', stderr);
}

/* A float buffer with sentinel guard zones on both sides, 64-byte
 * aligned, as packed weights must be. */
typedef struct guarded {
  float *block;
  float *data;
  size_t count;
} guarded;

static void fill_sentinel(float *p, size_t n) {
  const uint32_t bits = SENTINEL_BITS;
  for (size_t i = 0; i < n; i++)
    memcpy(p + i, &bits, sizeof(bits));
}

static int is_sentinel(const float *p) {
  uint32_t bits;
  memcpy(&bits, p, sizeof(bits));
  return bits == SENTINEL_BITS;
}

static guarded guarded_make(size_t count) {
  guarded g;
  void *block = NULL;
  const size_t total = (count + 2 * GUARD_FLOATS) * sizeof(float);

  if (posix_memalign(&block, 64, total) != 0) {
    fprintf(stderr, "out of memory for %zu floats\n", count);
    exit(1);
  }
  g.block = block;
  g.data = g.block + GUARD_FLOATS;
  g.count = count;
  fill_sentinel(g.block, count + 2 * GUARD_FLOATS);
  return g;
}

static guarded guarded_bytes(size_t bytes) {
  return guarded_make((bytes + sizeof(float) - 1) / sizeof(float));
}

static void guarded_free(guarded *g) {
  free(g->block);
  g->block = g->data = NULL;
}

static void guarded_random(guarded *g, random_source *r) {
  for (size_t i = 0; i < g->count; i++)
    g->data[i] = random_float(r);
}

static int guards_intact(const guarded *g) {
  for (size_t i = 0; i < GUARD_FLOATS; i++) {
    if (!is_sentinel(g->block + i) || !is_sentinel(g->data + g->count + i))
      return 0;
  }
  return 1;
}

static void check_guards(check_state *s, const guarded *g, const char *what) {
  if (!guards_intact(g))
    check_fail(s, "%s: write outside the buffer (guard bytes changed)", what);
}

static int close_enough(float expected, float actual, float absolute,
                        float relative) {
  if (isnan(expected) || isnan(actual))
    return 0;
  return fabsf(expected - actual) <= absolute + relative * fabsf(expected);
}

/* Compares n values; reports the first mismatch only. */
static void compare_values(check_state *s, const char *what,
                           const float *expected, const float *actual, size_t n,
                           float absolute, float relative) {
  for (size_t i = 0; i < n; i++) {
    if (!close_enough(expected[i], actual[i], absolute, relative)) {
      check_fail(s, "%s: index %zu expected %.9g got %.9g", what, i,
                 (double)expected[i], (double)actual[i]);
      return;
    }
  }
}

static void compare_bits(check_state *s, const char *what,
                         const float *expected, const float *actual, size_t n) {
  if (memcmp(expected, actual, n * sizeof(float)) != 0) {
    for (size_t i = 0; i < n; i++) {
      if (memcmp(expected + i, actual + i, sizeof(float)) != 0) {
        check_fail(s, "%s: index %zu differs: %.9g vs %.9g", what, i,
                   (double)expected[i], (double)actual[i]);
        return;
      }
    }
  }
}

static void expect_untouched(check_state *s, const char *what, const float *p,
                             size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!is_sentinel(p + i)) {
      check_fail(s, "%s: index %zu written outside the requested range", what,
                 i);
      return;
    }
  }
}

/* ---- Epilogues: bit 0 scale, bit 1 bias, bit 2 residual, bits 3-4 the
 * activation. 32 combinations. */

#define EPILOGUE_COMBINATIONS 32

typedef struct epilogue_data {
  dager_epilogue epilogue;
  float *scale;
  float *bias;
  guarded residual;
  int has_residual;
} epilogue_data;

static const char *activation_name(dager_activation a) {
  switch (a) {
    case DAGER_ACTIVATION_RELU:
      return "relu";
    case DAGER_ACTIVATION_CLAMP:
      return "clamp";
    case DAGER_ACTIVATION_LEAKY_RELU:
      return "leaky";
    default:
      return "none";
  }
}

/* rows x row_floats of output; the residual gets its own row stride,
 * longer than the output's when `wide`, to catch a kernel using the
 * output's stride for it. */
static epilogue_data epilogue_make(unsigned combination, size_t channels,
                                   size_t rows, size_t row_floats, int wide,
                                   random_source *r) {
  epilogue_data d;

  memset(&d, 0, sizeof(d));
  d.scale = malloc((channels ? channels : 1) * sizeof(float));
  d.bias = malloc((channels ? channels : 1) * sizeof(float));
  for (size_t c = 0; c < channels; c++) {
    d.scale[c] = 0.5f + random_float(r) * 0.5f + 0.5f;
    d.bias[c] = random_float(r) * 0.5f;
  }
  d.epilogue.scale = combination & 1 ? d.scale : NULL;
  d.epilogue.bias = combination & 2 ? d.bias : NULL;
  d.has_residual = (combination & 4) != 0;
  if (d.has_residual) {
    const size_t stride = row_floats + (wide ? 5 : 0);
    d.residual = guarded_make(rows * stride);
    guarded_random(&d.residual, r);
    d.epilogue.residual = d.residual.data;
    d.epilogue.residual_row_stride = stride;
  }
  d.epilogue.activation = (dager_activation)((combination >> 3) & 3);
  d.epilogue.alpha = 0.125f;
  d.epilogue.clamp_min = -0.3f;
  d.epilogue.clamp_max = 0.4f;
  return d;
}

static void epilogue_free(epilogue_data *d) {
  free(d->scale);
  free(d->bias);
  if (d->has_residual)
    guarded_free(&d->residual);
}

static void describe_epilogue(char *text, size_t size,
                              const dager_epilogue *e) {
  snprintf(text, size, "%s%s%s%s", e->scale ? "scale+" : "",
           e->bias ? "bias+" : "", e->residual ? "residual+" : "",
           activation_name(e->activation));
}

/* ---- Geometry. */

enum { PAD_VALID, PAD_SAME, PAD_RANDOM };

/* Fills the output size and paddings of one axis; returns 0 when the
 * window does not fit. */
static int make_axis(uint32_t in, uint32_t kernel, uint32_t stride, int mode,
                     random_source *r, uint32_t *out, uint32_t *before,
                     uint32_t *after) {
  if (mode == PAD_SAME || mode == PAD_VALID)
    return dager_window_axis(in, kernel, stride, mode == PAD_SAME, out, before,
                             after) == 0;
  *before = random_below(r, kernel);
  *after = random_below(r, kernel);
  if (in + *before + *after < kernel)
    return 0;
  *out = (in + *before + *after - kernel) / stride + 1;
  return 1;
}

static int make_window(dager_window *w, uint32_t in_h, uint32_t in_w,
                       uint32_t in_c, uint32_t out_c, uint32_t kernel_h,
                       uint32_t kernel_w, uint32_t stride_h, uint32_t stride_w,
                       int mode, random_source *r) {
  memset(w, 0, sizeof(*w));
  w->in_h = in_h;
  w->in_w = in_w;
  w->in_c = in_c;
  w->out_c = out_c;
  w->kernel_h = kernel_h;
  w->kernel_w = kernel_w;
  w->stride_h = stride_h;
  w->stride_w = stride_w;
  return make_axis(in_h, kernel_h, stride_h, mode, r, &w->out_h, &w->pad_top,
                   &w->pad_bottom) &&
         make_axis(in_w, kernel_w, stride_w, mode, r, &w->out_w, &w->pad_left,
                   &w->pad_right) &&
         w->out_h > 0 && w->out_w > 0;
}

static void describe_window(check_state *s, const dager_window *w,
                            const dager_epilogue *e) {
  char epilogue[64] = "";
  if (e)
    describe_epilogue(epilogue, sizeof(epilogue), e);
  snprintf(s->shape, sizeof(s->shape),
           "in %ux%ux%u out %ux%ux%u kernel %ux%u stride %u,%u pad t%u l%u "
           "b%u r%u %s",
           w->in_h, w->in_w, w->in_c, w->out_h, w->out_w, w->out_c, w->kernel_h,
           w->kernel_w, w->stride_h, w->stride_w, w->pad_top, w->pad_left,
           w->pad_bottom, w->pad_right, epilogue);
}

/* Up to three random cut points of [0, rows), sorted. */
static unsigned split_rows(uint32_t rows, random_source *r, uint32_t cuts[5]) {
  unsigned n = 0;
  cuts[n++] = 0;
  for (int i = 0; i < 3 && rows > 1; i++) {
    const uint32_t cut = 1 + random_below(r, rows - 1);
    unsigned at = n;
    while (at > 0 && cuts[at - 1] > cut) {
      cuts[at] = cuts[at - 1];
      at--;
    }
    cuts[at] = cut;
    n++;
  }
  cuts[n++] = rows;
  return n;
}

/* The three ways a row-range kernel is run on one shape: whole, split into
 * pieces (in reverse order, each with its own scratch), and one sub-range
 * alone. */
typedef void (*row_runner)(void *context, float *output, uint32_t row_begin,
                           uint32_t row_end);

static void check_row_ranges(check_state *s, const guarded *reference_out,
                             size_t out_rows, size_t row_floats, float absolute,
                             float relative, row_runner run, void *context,
                             random_source *r) {
  guarded whole = guarded_make(out_rows * row_floats);
  guarded pieces = guarded_make(out_rows * row_floats);
  guarded part = guarded_make(out_rows * row_floats);
  uint32_t cuts[5];
  const unsigned n = split_rows((uint32_t)out_rows, r, cuts);

  run(context, whole.data, 0, (uint32_t)out_rows);
  compare_values(s, "whole range vs reference", reference_out->data, whole.data,
                 whole.count, absolute, relative);
  check_guards(s, &whole, "output");

  for (unsigned i = n - 1; i > 0; i--)
    run(context, pieces.data, cuts[i - 1], cuts[i]);
  compare_bits(s, "split rows vs one call", whole.data, pieces.data,
               whole.count);
  check_guards(s, &pieces, "output (split)");

  const uint32_t begin = random_below(r, (uint32_t)out_rows);
  const uint32_t end = begin + 1 + random_below(r, (uint32_t)out_rows - begin);
  run(context, part.data, begin, end);
  expect_untouched(s, "rows before range", part.data, begin * row_floats);
  compare_bits(s, "sub-range vs one call", whole.data + begin * row_floats,
               part.data + begin * row_floats, (end - begin) * row_floats);
  expect_untouched(s, "rows after range", part.data + end * row_floats,
                   (out_rows - end) * row_floats);
  check_guards(s, &part, "output (sub-range)");

  guarded_free(&whole);
  guarded_free(&pieces);
  guarded_free(&part);
}

/* ---- conv2d */

/*
 * What every convolution check starts from: random input, filter and
 * epilogue for w, the filter packed by the table under test (pack, into
 * packed_bytes), and the reference table's direct convolution of all rows
 * in ref_out.
 */
typedef struct conv_fixture {
  size_t depth;      /* multiply-adds per output value */
  size_t row_floats; /* floats per output row */
  guarded input, weights, packed, ref_out;
  epilogue_data e;
} conv_fixture;

typedef void (*filter_packer)(const dager_window *w, const float *weights,
                              float *packed);

static void conv_fixture_make(check_state *s, const dager_window *w,
                              unsigned combination, random_source *r,
                              size_t packed_bytes, filter_packer pack,
                              conv_fixture *f) {
  guarded ref_packed = guarded_bytes(s->reference->conv2d_packed_size(w));
  guarded ref_scratch =
      guarded_bytes(s->reference->conv2d_scratch_size(w, w->out_h) + 1);

  f->depth = (size_t)w->kernel_h * w->kernel_w * w->in_c;
  f->row_floats = (size_t)w->out_w * w->out_c;
  f->input = guarded_make((size_t)w->in_h * w->in_w * w->in_c);
  f->weights = guarded_make(f->depth * w->out_c);
  f->e = epilogue_make(combination, w->out_c, w->out_h, f->row_floats,
                       combination & 8, r);
  f->packed = guarded_bytes(packed_bytes);
  f->ref_out = guarded_make(w->out_h * f->row_floats);

  describe_window(s, w, &f->e.epilogue);
  guarded_random(&f->input, r);
  guarded_random(&f->weights, r);
  s->reference->conv2d_pack(w, f->weights.data, ref_packed.data);
  pack(w, f->weights.data, f->packed.data);
  check_guards(s, &f->packed, "packed weights");
  s->reference->conv2d(w, f->input.data, ref_packed.data, &f->e.epilogue,
                       f->ref_out.data, 0, w->out_h, ref_scratch.data);
  guarded_free(&ref_packed);
  guarded_free(&ref_scratch);
}

/* The tolerance of a convolution of this depth against the reference. */
static float conv_tolerance(const conv_fixture *f) {
  return 2e-6f * (float)f->depth + 1e-6f;
}

/* Checks that the input (and residual) were not written, then frees. */
static void conv_fixture_finish(check_state *s, conv_fixture *f) {
  check_guards(s, &f->input, "input");
  if (f->e.has_residual)
    check_guards(s, &f->e.residual, "residual");
  guarded_free(&f->input);
  guarded_free(&f->weights);
  epilogue_free(&f->e);
  guarded_free(&f->packed);
  guarded_free(&f->ref_out);
}

typedef struct conv_context {
  const dager_kernels *k;
  const dager_window *w;
  const float *input;
  const float *packed;
  const dager_epilogue *epilogue;
  check_state *s;
} conv_context;

static void run_conv(void *context, float *output, uint32_t row_begin,
                     uint32_t row_end) {
  conv_context *c = context;
  const size_t bytes = c->k->conv2d_scratch_size(c->w, row_end - row_begin);
  guarded scratch = guarded_bytes(bytes ? bytes : 1);

  c->k->conv2d(c->w, c->input, c->packed, c->epilogue, output, row_begin,
               row_end, bytes ? scratch.data : NULL);
  check_guards(c->s, &scratch, "scratch");
  guarded_free(&scratch);
}

static void conv_case(check_state *s, const dager_window *w,
                      unsigned combination, random_source *r) {
  conv_fixture f;

  conv_fixture_make(s, w, combination, r, s->tested->conv2d_packed_size(w),
                    s->tested->conv2d_pack, &f);
  conv_context context = {s->tested,     w, f.input.data, f.packed.data,
                          &f.e.epilogue, s};
  check_row_ranges(s, &f.ref_out, w->out_h, f.row_floats, conv_tolerance(&f),
                   1e-5f, run_conv, &context, r);
  conv_fixture_finish(s, &f);
}

/* Shapes chosen around the tiles: MR is 4..8 pixels and NR 8..32 channels
 * depending on the ISA, vectors 4..16 floats. */
typedef struct shape {
  uint32_t in_h, in_w, in_c, out_c, kernel, stride;
  int mode;
} shape;

static const shape conv_shapes[] = {
    {1, 1, 1, 1, 1, 1, PAD_VALID},
    {3, 5, 3, 8, 1, 1, PAD_VALID},
    {4, 4, 16, 16, 1, 1, PAD_VALID},
    {5, 7, 17, 33, 1, 1, PAD_VALID},
    {2, 3, 64, 70, 1, 1, PAD_VALID},
    {8, 8, 32, 32, 1, 1, PAD_VALID},
    {3, 3, 4, 64, 1, 1, PAD_VALID},
    {7, 7, 8, 17, 1, 2, PAD_SAME},
    {5, 5, 3, 5, 3, 1, PAD_SAME},
    {8, 9, 16, 32, 3, 1, PAD_SAME},
    {6, 6, 17, 31, 3, 1, PAD_SAME},
    {1, 1, 4, 8, 3, 1, PAD_SAME},
    {2, 2, 5, 17, 3, 1, PAD_SAME},
    {9, 9, 3, 16, 3, 2, PAD_SAME},
    {8, 8, 32, 64, 3, 2, PAD_SAME},
    {7, 6, 5, 33, 3, 2, PAD_SAME},
    {5, 6, 4, 16, 3, 1, PAD_VALID},
    {15, 13, 3, 17, 7, 2, PAD_SAME},
    {9, 8, 6, 12, 5, 1, PAD_RANDOM},
    {6, 8, 7, 9, 2, 2, PAD_SAME},
    {12, 12, 8, 48, 3, 1, PAD_RANDOM},
    {4, 13, 2, 3, 3, 2, PAD_RANDOM},
    /* Wide rows, so that whole tiles of every ISA fall inside one row
     * (the gather's fast path) as well as across rows and edges. */
    {3, 40, 5, 20, 3, 1, PAD_SAME},
    {4, 33, 3, 16, 3, 2, PAD_SAME},
    {2, 30, 8, 33, 1, 1, PAD_VALID},
    {3, 29, 4, 17, 7, 2, PAD_RANDOM},
    /* Deep enough that the panels of B are visited in several blocks. */
    {4, 5, 520, 70, 3, 1, PAD_SAME},
};

unsigned dager_check_conv2d(const dager_kernels *reference,
                            const dager_kernels *tested, uint64_t seed) {
  check_state s = {"conv2d", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 1);
  const size_t fixed = sizeof(conv_shapes) / sizeof(conv_shapes[0]);
  dager_window w;

  for (size_t i = 0; i < fixed; i++) {
    const shape *t = &conv_shapes[i];
    if (make_window(&w, t->in_h, t->in_w, t->in_c, t->out_c, t->kernel,
                    t->kernel, t->stride, t->stride, t->mode, &r))
      conv_case(&s, &w, (unsigned)i % EPILOGUE_COMBINATIONS, &r);
  }
  /* Every epilogue on one shape with a partial tile in both directions. */
  if (make_window(&w, 5, 5, 7, 37, 3, 3, 1, 1, PAD_SAME, &r)) {
    for (unsigned e = 0; e < EPILOGUE_COMBINATIONS; e++)
      conv_case(&s, &w, e, &r);
  }
  for (int i = 0; i < 80; i++) {
    static const uint32_t kernels[] = {1, 1, 2, 3, 3, 5, 7};
    const uint32_t kh = kernels[random_below(&r, 7)];
    const uint32_t kw = random_below(&r, 4) ? kh : kernels[random_below(&r, 7)];
    if (make_window(&w, 1 + random_below(&r, 12), 1 + random_below(&r, 36),
                    1 + random_below(&r, 40), 1 + random_below(&r, 80), kh, kw,
                    1 + random_below(&r, 2), 1 + random_below(&r, 2),
                    (int)random_below(&r, 3), &r))
      conv_case(&s, &w, random_below(&r, EPILOGUE_COMBINATIONS), &r);
  }
  return s.failures;
}

/* ---- stem: the convolution over few input channels, alone and fused
 * with a 2x2/2 max pool, against the reference's conv2d (and max_pool),
 * so the scalar stem is checked against the scalar convolution too. */

typedef struct stem_context {
  const dager_kernels *k;
  const dager_window *w;
  const dager_window *pool; /* NULL: the convolution alone */
  const float *input;
  const float *packed;
  const dager_epilogue *epilogue;
} stem_context;

static void run_stem(void *context, float *output, uint32_t row_begin,
                     uint32_t row_end) {
  stem_context *c = context;
  if (c->pool) {
    c->k->stem_conv2d_max_pool(c->w, c->pool, c->input, c->packed, c->epilogue,
                               output, row_begin, row_end);
  } else {
    c->k->stem_conv2d(c->w, c->input, c->packed, c->epilogue, output, row_begin,
                      row_end);
  }
}

/* The 2x2/2 max pool over w's output, "same" or "valid". */
static int make_stem_pool(const dager_window *w, int same, dager_window *pool) {
  memset(pool, 0, sizeof(*pool));
  pool->in_h = w->out_h;
  pool->in_w = w->out_w;
  pool->in_c = pool->out_c = w->out_c;
  pool->kernel_h = pool->kernel_w = 2;
  pool->stride_h = pool->stride_w = 2;
  return dager_window_axis(w->out_h, 2, 2, same, &pool->out_h, &pool->pad_top,
                           &pool->pad_bottom) == 0 &&
         dager_window_axis(w->out_w, 2, 2, same, &pool->out_w, &pool->pad_left,
                           &pool->pad_right) == 0;
}

static void stem_case(check_state *s, const dager_window *w, int pooled,
                      int same_pool, unsigned combination, random_source *r) {
  dager_window pool;
  const int with_pool = pooled && make_stem_pool(w, same_pool, &pool);
  conv_fixture f;

  if (pooled && !with_pool)
    return;
  if (!dager_stem_supports(w, with_pool ? &pool : NULL)) {
    describe_window(s, w, NULL);
    check_fail(s, "window not supported by the stem");
    return;
  }
  conv_fixture_make(s, w, combination, r, s->tested->stem_packed_size(w),
                    s->tested->stem_pack, &f);
  if (with_pool) {
    snprintf(s->shape + strlen(s->shape), sizeof(s->shape) - strlen(s->shape),
             " +maxpool 2x2/2 %s", same_pool ? "same" : "valid");
  }
  const size_t out_rows = with_pool ? pool.out_h : w->out_h;
  const size_t out_row =
      with_pool ? (size_t)pool.out_w * pool.out_c : f.row_floats;
  guarded ref_out = guarded_make(out_rows * out_row);

  if (with_pool)
    s->reference->max_pool(&pool, f.ref_out.data, ref_out.data, 0, pool.out_h);
  else
    memcpy(ref_out.data, f.ref_out.data, f.ref_out.count * sizeof(float));

  stem_context context = {
      s->tested,    w, with_pool ? &pool : NULL, f.input.data, f.packed.data,
      &f.e.epilogue};
  check_row_ranges(s, &ref_out, out_rows, out_row, conv_tolerance(&f), 1e-5f,
                   run_stem, &context, r);
  guarded_free(&ref_out);
  conv_fixture_finish(s, &f);
}

/* The stems of the networks, and shapes around the tiles: up to 16 pixels
 * by one or two vectors of 4..16 channels, two rows when pooling. */
static const shape stem_shapes[] = {
    {1, 1, 3, 16, 3, 1, PAD_SAME},    {5, 5, 3, 16, 3, 1, PAD_VALID},
    {9, 20, 3, 16, 3, 1, PAD_VALID},  {8, 34, 3, 16, 3, 1, PAD_VALID},
    {9, 35, 3, 16, 3, 1, PAD_SAME},   {6, 40, 3, 32, 3, 2, PAD_SAME},
    {7, 41, 3, 32, 3, 2, PAD_SAME},   {11, 30, 3, 32, 7, 2, PAD_VALID},
    {12, 31, 3, 32, 7, 2, PAD_SAME},  {4, 37, 1, 8, 3, 1, PAD_SAME},
    {5, 33, 2, 24, 3, 2, PAD_SAME},   {6, 29, 4, 17, 3, 1, PAD_RANDOM},
    {5, 26, 4, 33, 3, 2, PAD_RANDOM}, {4, 50, 3, 4, 3, 1, PAD_SAME},
    {6, 19, 3, 48, 5, 1, PAD_RANDOM}, {3, 45, 3, 70, 1, 1, PAD_VALID},
    {5, 18, 3, 15, 2, 2, PAD_SAME},   {8, 8, 3, 64, 7, 1, PAD_RANDOM},
};

static void stem_sweep(check_state *s, random_source *r, int pooled) {
  const size_t fixed = sizeof(stem_shapes) / sizeof(stem_shapes[0]);
  dager_window w;

  for (size_t i = 0; i < fixed; i++) {
    const shape *t = &stem_shapes[i];
    if (make_window(&w, t->in_h, t->in_w, t->in_c, t->out_c, t->kernel,
                    t->kernel, t->stride, t->stride, t->mode, r))
      stem_case(s, &w, pooled, (int)(i & 1),
                (unsigned)(i * 7 + pooled) % EPILOGUE_COMBINATIONS, r);
  }
  /* Every epilogue on shapes with edge pixels, tiles and partial
   * vectors. */
  if (make_window(&w, 7, 29, 3, 21, 3, 3, 1, 1, PAD_SAME, r)) {
    for (unsigned e = 0; e < EPILOGUE_COMBINATIONS; e++)
      stem_case(s, &w, pooled, (int)(e & 1), e, r);
  }
  if (make_window(&w, 9, 38, 3, 32, 3, 3, 2, 2, PAD_SAME, r)) {
    for (unsigned e = 0; e < EPILOGUE_COMBINATIONS; e++)
      stem_case(s, &w, pooled, (int)(e & 1), e, r);
  }
  for (int i = 0; i < 60; i++) {
    const uint32_t kh = 1 + random_below(r, DAGER_STEM_MAX_KERNEL);
    const uint32_t kw =
        random_below(r, 4) ? kh : 1 + random_below(r, DAGER_STEM_MAX_KERNEL);
    if (make_window(&w, 1 + random_below(r, 14), 1 + random_below(r, 48),
                    1 + random_below(r, DAGER_STEM_MAX_IN_C),
                    1 + random_below(r, 72), kh, kw, 1 + random_below(r, 3),
                    1 + random_below(r, 2), (int)random_below(r, 3), r))
      stem_case(s, &w, pooled, (int)random_below(r, 2),
                random_below(r, EPILOGUE_COMBINATIONS), r);
  }
}

unsigned dager_check_stem(const dager_kernels *reference,
                          const dager_kernels *tested, uint64_t seed) {
  check_state s = {"stem", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 7);

  stem_sweep(&s, &r, 0);
  return s.failures;
}

unsigned dager_check_stem_max_pool(const dager_kernels *reference,
                                   const dager_kernels *tested, uint64_t seed) {
  check_state s = {"stem_max_pool", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 8);

  stem_sweep(&s, &r, 1);
  return s.failures;
}

/* ---- depthwise */

typedef struct depthwise_context {
  const dager_kernels *k;
  const dager_window *w;
  const float *input;
  const float *packed;
  const dager_epilogue *epilogue;
} depthwise_context;

static void run_depthwise(void *context, float *output, uint32_t row_begin,
                          uint32_t row_end) {
  depthwise_context *c = context;
  c->k->depthwise_conv2d(c->w, c->input, c->packed, c->epilogue, output,
                         row_begin, row_end);
}

static void depthwise_case(check_state *s, const dager_window *w,
                           unsigned combination, random_source *r) {
  const size_t row_floats = (size_t)w->out_w * w->out_c;
  guarded input = guarded_make((size_t)w->in_h * w->in_w * w->in_c);
  guarded weights = guarded_make((size_t)w->kernel_h * w->kernel_w * w->in_c);
  epilogue_data e = epilogue_make(combination, w->out_c, w->out_h, row_floats,
                                  combination & 8, r);
  guarded ref_packed = guarded_bytes(s->reference->depthwise_packed_size(w));
  guarded packed = guarded_bytes(s->tested->depthwise_packed_size(w));
  guarded ref_out = guarded_make(w->out_h * row_floats);

  describe_window(s, w, &e.epilogue);
  guarded_random(&input, r);
  guarded_random(&weights, r);
  s->reference->depthwise_pack(w, weights.data, ref_packed.data);
  s->tested->depthwise_pack(w, weights.data, packed.data);
  check_guards(s, &packed, "packed weights");
  s->reference->depthwise_conv2d(w, input.data, ref_packed.data, &e.epilogue,
                                 ref_out.data, 0, w->out_h);

  depthwise_context context = {s->tested, w, input.data, packed.data,
                               &e.epilogue};
  check_row_ranges(s, &ref_out, w->out_h, row_floats, 1e-5f, 1e-5f,
                   run_depthwise, &context, r);

  guarded_free(&input);
  guarded_free(&weights);
  epilogue_free(&e);
  guarded_free(&ref_packed);
  guarded_free(&packed);
  guarded_free(&ref_out);
}

static const uint32_t channel_sweep[] = {1,  2,  3,  4,  5,   7,  8,  9,
                                         15, 16, 17, 31, 32,  33, 47, 48,
                                         63, 64, 65, 96, 128, 131};
#define CHANNEL_SWEEP (sizeof(channel_sweep) / sizeof(channel_sweep[0]))

unsigned dager_check_depthwise(const dager_kernels *reference,
                               const dager_kernels *tested, uint64_t seed) {
  check_state s = {"depthwise", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 2);
  dager_window w;

  for (size_t i = 0; i < CHANNEL_SWEEP; i++) {
    const uint32_t c = channel_sweep[i];
    for (uint32_t stride = 1; stride <= 2; stride++) {
      if (make_window(&w, 3 + random_below(&r, 8), 3 + random_below(&r, 8), c,
                      c, 3, 3, stride, stride, (int)(i % 3), &r))
        depthwise_case(&s, &w,
                       (unsigned)(i * 2 + stride) % EPILOGUE_COMBINATIONS, &r);
    }
  }
  if (make_window(&w, 6, 7, 21, 21, 3, 3, 2, 2, PAD_SAME, &r)) {
    for (unsigned e = 0; e < EPILOGUE_COMBINATIONS; e++)
      depthwise_case(&s, &w, e, &r);
  }
  for (int i = 0; i < 40; i++) {
    static const uint32_t kernels[] = {1, 2, 3, 3, 5};
    const uint32_t kh = kernels[random_below(&r, 5)];
    const uint32_t kw = random_below(&r, 4) ? kh : kernels[random_below(&r, 5)];
    const uint32_t c = 1 + random_below(&r, 70);
    if (make_window(&w, 1 + random_below(&r, 10), 1 + random_below(&r, 10), c,
                    c, kh, kw, 1 + random_below(&r, 2), 1 + random_below(&r, 2),
                    (int)random_below(&r, 3), &r))
      depthwise_case(&s, &w, random_below(&r, EPILOGUE_COMBINATIONS), &r);
  }
  /* Rows wide enough for the 3x3 kernels' groups of pixels to run whole
   * and with every remainder, each padding mode at both strides. */
  for (uint32_t width = 9; width <= 21; width++) {
    static const uint32_t wide_channels[] = {1, 5, 16, 19, 48};
    const uint32_t c = wide_channels[width % 5];
    for (uint32_t stride = 1; stride <= 2; stride++) {
      if (make_window(&w, 4 + random_below(&r, 3), width, c, c, 3, 3, stride,
                      stride, (int)((width + stride) % 3), &r))
        depthwise_case(&s, &w, (width * 3 + stride) % EPILOGUE_COMBINATIONS,
                       &r);
    }
  }
  return s.failures;
}

/* ---- fully connected */

static void fully_connected_case(check_state *s, uint32_t in, uint32_t out,
                                 unsigned combination, random_source *r) {
  guarded input = guarded_make(in);
  guarded weights = guarded_make((size_t)in * out);
  epilogue_data e = epilogue_make(combination, out, 1, out, 0, r);
  guarded ref_packed =
      guarded_bytes(s->reference->fully_connected_packed_size(in, out));
  guarded packed =
      guarded_bytes(s->tested->fully_connected_packed_size(in, out));
  guarded ref_out = guarded_make(out);
  guarded whole = guarded_make(out);
  guarded pieces = guarded_make(out);
  guarded part = guarded_make(out);
  uint32_t cuts[5];

  describe_epilogue(s->shape, sizeof(s->shape), &e.epilogue);
  snprintf(s->shape + strlen(s->shape), sizeof(s->shape) - strlen(s->shape),
           " in %u out %u", in, out);
  guarded_random(&input, r);
  guarded_random(&weights, r);
  s->reference->fully_connected_pack(in, out, weights.data, ref_packed.data);
  s->tested->fully_connected_pack(in, out, weights.data, packed.data);
  check_guards(s, &packed, "packed weights");
  s->reference->fully_connected(in, out, input.data, ref_packed.data,
                                &e.epilogue, ref_out.data, 0, out);

  s->tested->fully_connected(in, out, input.data, packed.data, &e.epilogue,
                             whole.data, 0, out);
  compare_values(s, "whole range vs reference", ref_out.data, whole.data, out,
                 2e-6f * (float)in + 1e-6f, 1e-5f);
  check_guards(s, &whole, "output");

  const unsigned n = split_rows(out, r, cuts);
  for (unsigned i = n - 1; i > 0; i--) {
    s->tested->fully_connected(in, out, input.data, packed.data, &e.epilogue,
                               pieces.data, cuts[i - 1], cuts[i]);
  }
  compare_bits(s, "split columns vs one call", whole.data, pieces.data, out);
  check_guards(s, &pieces, "output (split)");

  const uint32_t begin = random_below(r, out);
  const uint32_t end = begin + 1 + random_below(r, out - begin);
  s->tested->fully_connected(in, out, input.data, packed.data, &e.epilogue,
                             part.data, begin, end);
  expect_untouched(s, "columns before range", part.data, begin);
  compare_bits(s, "sub-range vs one call", whole.data + begin,
               part.data + begin, end - begin);
  expect_untouched(s, "columns after range", part.data + end, out - end);
  check_guards(s, &part, "output (sub-range)");

  guarded_free(&input);
  guarded_free(&weights);
  epilogue_free(&e);
  guarded_free(&ref_packed);
  guarded_free(&packed);
  guarded_free(&ref_out);
  guarded_free(&whole);
  guarded_free(&pieces);
  guarded_free(&part);
}

unsigned dager_check_fully_connected(const dager_kernels *reference,
                                     const dager_kernels *tested,
                                     uint64_t seed) {
  static const uint32_t ins[] = {1, 2, 3, 4, 5, 7, 8, 16, 33, 100, 256};
  check_state s = {"fully_connected", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 3);
  unsigned combination = 0;

  for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
    for (size_t j = 0; j < CHANNEL_SWEEP; j++) {
      fully_connected_case(&s, ins[i], channel_sweep[j],
                           combination++ % EPILOGUE_COMBINATIONS, &r);
    }
  }
  return s.failures;
}

/* ---- pooling */

typedef struct pool_context {
  void (*pool)(const dager_window *w, const float *input, float *output,
               uint32_t row_begin, uint32_t row_end);
  const dager_window *w;
  const float *input;
} pool_context;

static void run_pool(void *context, float *output, uint32_t row_begin,
                     uint32_t row_end) {
  pool_context *c = context;
  c->pool(c->w, c->input, output, row_begin, row_end);
}

static void pool_case(check_state *s, const dager_window *w, int average,
                      random_source *r) {
  const size_t row_floats = (size_t)w->out_w * w->out_c;
  guarded input = guarded_make((size_t)w->in_h * w->in_w * w->in_c);
  guarded ref_out = guarded_make(w->out_h * row_floats);

  describe_window(s, w, NULL);
  snprintf(s->shape + strlen(s->shape), sizeof(s->shape) - strlen(s->shape),
           "%s", average ? "average" : "max");
  guarded_random(&input, r);
  if (average)
    s->reference->average_pool(w, input.data, ref_out.data, 0, w->out_h);
  else
    s->reference->max_pool(w, input.data, ref_out.data, 0, w->out_h);

  pool_context context = {
      average ? s->tested->average_pool : s->tested->max_pool, w, input.data};
  check_row_ranges(s, &ref_out, w->out_h, row_floats, 1e-6f, 1e-6f, run_pool,
                   &context, r);
  guarded_free(&input);
  guarded_free(&ref_out);
}

static void global_pool_case(check_state *s, uint32_t pixels, uint32_t channels,
                             random_source *r) {
  guarded input = guarded_make((size_t)pixels * channels);
  guarded expected = guarded_make(channels);
  guarded actual = guarded_make(channels);

  snprintf(s->shape, sizeof(s->shape), "global average %u pixels x %u", pixels,
           channels);
  guarded_random(&input, r);
  s->reference->global_average_pool(pixels, channels, input.data,
                                    expected.data);
  s->tested->global_average_pool(pixels, channels, input.data, actual.data);
  compare_values(s, "global average pool", expected.data, actual.data, channels,
                 1e-6f, 1e-6f);
  check_guards(s, &actual, "output");
  guarded_free(&input);
  guarded_free(&expected);
  guarded_free(&actual);
}

unsigned dager_check_pool(const dager_kernels *reference,
                          const dager_kernels *tested, uint64_t seed) {
  /* The pools of the seven networks (2x2/2, 3x3/1 and 3x3/2 same,
   * 7x7/2 valid) and odd ones around them. */
  static const uint32_t windows[][3] = {{2, 2, PAD_SAME},   {3, 1, PAD_SAME},
                                        {3, 2, PAD_SAME},   {7, 2, PAD_VALID},
                                        {2, 1, PAD_RANDOM}, {3, 2, PAD_RANDOM},
                                        {5, 3, PAD_RANDOM}};
  static const uint32_t pixel_counts[] = {0, 1, 2, 7, 49, 64};
  check_state s = {"pool", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 4);
  dager_window w;

  for (size_t i = 0; i < CHANNEL_SWEEP; i++) {
    for (size_t k = 0; k < sizeof(windows) / sizeof(windows[0]); k++) {
      const uint32_t c = channel_sweep[i];
      const uint32_t size = windows[k][0];
      if (!make_window(&w, size + random_below(&r, 9),
                       size + random_below(&r, 9), c, c, size, size,
                       windows[k][1], windows[k][1], (int)windows[k][2], &r))
        continue;
      pool_case(&s, &w, 0, &r);
      pool_case(&s, &w, 1, &r);
    }
  }
  for (size_t i = 0; i < sizeof(pixel_counts) / sizeof(pixel_counts[0]); i++) {
    for (size_t j = 0; j < CHANNEL_SWEEP; j++)
      global_pool_case(&s, pixel_counts[i], channel_sweep[j], &r);
  }
  return s.failures;
}

/* ---- element-wise */

static void elementwise_case(check_state *s, size_t pixels, uint32_t channels,
                             unsigned combination, int alias,
                             random_source *r) {
  const size_t count = pixels * channels;
  guarded a = guarded_make(count);
  guarded b = guarded_make(count);
  guarded expected = guarded_make(count);
  guarded actual = guarded_make(count);
  /* Bit 2 of the combination (the residual for the convolutions) says
   * whether b is given here. */
  epilogue_data e = epilogue_make(combination & ~4u, channels, 1, 0, 0, r);
  const int with_b = (combination & 4) != 0;

  describe_epilogue(s->shape, sizeof(s->shape), &e.epilogue);
  snprintf(s->shape + strlen(s->shape), sizeof(s->shape) - strlen(s->shape),
           " %zu pixels x %u channels%s%s", pixels, channels,
           with_b ? " +b" : "",
           alias == 1   ? " out=a"
           : alias == 2 ? " out=b"
                        : "");
  guarded_random(&a, r);
  guarded_random(&b, r);
  s->reference->elementwise(count, channels, a.data, with_b ? b.data : NULL,
                            &e.epilogue, expected.data);
  if (alias == 1) {
    s->tested->elementwise(count, channels, a.data, with_b ? b.data : NULL,
                           &e.epilogue, a.data);
    compare_values(s, "elementwise in place (a)", expected.data, a.data, count,
                   1e-6f, 1e-6f);
    check_guards(s, &a, "output");
  } else if (alias == 2 && with_b) {
    s->tested->elementwise(count, channels, a.data, b.data, &e.epilogue,
                           b.data);
    compare_values(s, "elementwise in place (b)", expected.data, b.data, count,
                   1e-6f, 1e-6f);
    check_guards(s, &b, "output");
  } else {
    s->tested->elementwise(count, channels, a.data, with_b ? b.data : NULL,
                           &e.epilogue, actual.data);
    compare_values(s, "elementwise", expected.data, actual.data, count, 1e-6f,
                   1e-6f);
    check_guards(s, &actual, "output");
  }
  epilogue_free(&e);
  guarded_free(&a);
  guarded_free(&b);
  guarded_free(&expected);
  guarded_free(&actual);
}

unsigned dager_check_elementwise(const dager_kernels *reference,
                                 const dager_kernels *tested, uint64_t seed) {
  static const size_t pixel_counts[] = {1, 2, 3, 5, 17};
  check_state s = {"elementwise", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 5);
  unsigned combination = 0;

  for (size_t i = 0; i < sizeof(pixel_counts) / sizeof(pixel_counts[0]); i++) {
    for (size_t j = 0; j < CHANNEL_SWEEP; j++) {
      for (int alias = 0; alias < 3; alias++) {
        elementwise_case(&s, pixel_counts[i], channel_sweep[j],
                         combination++ % EPILOGUE_COMBINATIONS, alias, &r);
      }
    }
  }
  return s.failures;
}

/* ---- softmax and sigmoid (scalar in every table today; checked all the
 * same, so a SIMD version added later is covered). */

unsigned dager_check_softmax_sigmoid(const dager_kernels *reference,
                                     const dager_kernels *tested,
                                     uint64_t seed) {
  check_state s = {"softmax_sigmoid", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 6);

  for (uint32_t count = 1; count <= 70; count++) {
    guarded input = guarded_make(count);
    guarded expected = guarded_make(count);
    guarded actual = guarded_make(count);

    snprintf(s.shape, sizeof(s.shape), "count %u", count);
    for (uint32_t i = 0; i < count; i++)
      input.data[i] = random_float(&r) * 12.0f;
    reference->softmax(count, input.data, expected.data);
    tested->softmax(count, input.data, actual.data);
    compare_values(&s, "softmax", expected.data, actual.data, count, 1e-6f,
                   1e-5f);
    check_guards(&s, &actual, "softmax output");
    reference->sigmoid(count, input.data, expected.data);
    tested->sigmoid(count, input.data, actual.data);
    compare_values(&s, "sigmoid", expected.data, actual.data, count, 1e-6f,
                   1e-5f);
    check_guards(&s, &actual, "sigmoid output");
    guarded_free(&input);
    guarded_free(&expected);
    guarded_free(&actual);
  }
  return s.failures;
}

/* ---- the table itself */

unsigned dager_check_table(const dager_kernels *reference,
                           const dager_kernels *tested, uint64_t seed) {
  check_state s = {"table", reference, tested, seed, 0, "slots"};
  const int slots[] = {
      tested->conv2d_packed_size != NULL,
      tested->conv2d_pack != NULL,
      tested->conv2d_scratch_size != NULL,
      tested->conv2d != NULL,
      tested->winograd_packed_size != NULL,
      tested->winograd_pack != NULL,
      tested->winograd_scratch_size != NULL,
      tested->winograd_conv2d != NULL,
      tested->depthwise_packed_size != NULL,
      tested->depthwise_pack != NULL,
      tested->depthwise_conv2d != NULL,
      tested->fully_connected_packed_size != NULL,
      tested->fully_connected_pack != NULL,
      tested->fully_connected != NULL,
      tested->max_pool != NULL,
      tested->average_pool != NULL,
      tested->global_average_pool != NULL,
      tested->elementwise != NULL,
      tested->softmax != NULL,
      tested->sigmoid != NULL,
      tested->stem_packed_size != NULL,
      tested->stem_pack != NULL,
      tested->stem_preferred != NULL,
      tested->stem_conv2d != NULL,
      tested->stem_conv2d_max_pool != NULL,
  };

  for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
    if (!slots[i])
      check_fail(&s, "slot %zu is empty", i);
  }
  if (!tested->name || strcmp(tested->name, dager_isa_name(tested->isa)) != 0)
    check_fail(&s, "name does not match the isa field");
  return s.failures;
}

const dager_named_check dager_kernel_checks[] = {
    {"table", dager_check_table},
    {"conv2d", dager_check_conv2d},
    {"depthwise", dager_check_depthwise},
    {"fully_connected", dager_check_fully_connected},
    {"pool", dager_check_pool},
    {"elementwise", dager_check_elementwise},
    {"softmax_sigmoid", dager_check_softmax_sigmoid},
    {"winograd", dager_check_winograd},
    {"stem", dager_check_stem},
    {"stem_max_pool", dager_check_stem_max_pool},
};
const unsigned dager_kernel_check_count =
    sizeof(dager_kernel_checks) / sizeof(dager_kernel_checks[0]);

/* ---- Winograd F(2x2, 3x3) against the direct scalar convolution.
 * Every table's Winograd slots (the scalar one included) run through the
 * same row-range checks as conv2d, with the same tolerance: on these
 * inputs the transforms' extra roundings stay well inside it (max error
 * about 2e-6 of the output's scale on 3x3x256x256). */

static void run_winograd(void *context, float *output, uint32_t row_begin,
                         uint32_t row_end) {
  conv_context *c = context;
  const size_t bytes = c->k->winograd_scratch_size(c->w, row_end - row_begin);
  guarded scratch = guarded_bytes(bytes ? bytes : 1);

  c->k->winograd_conv2d(c->w, c->input, c->packed, c->epilogue, output,
                        row_begin, row_end, bytes ? scratch.data : NULL);
  check_guards(c->s, &scratch, "scratch");
  guarded_free(&scratch);
}

static void winograd_case(check_state *s, const dager_window *w,
                          unsigned combination, random_source *r) {
  conv_fixture f;

  conv_fixture_make(s, w, combination, r, s->tested->winograd_packed_size(w),
                    s->tested->winograd_pack, &f);
  conv_context context = {s->tested,     w, f.input.data, f.packed.data,
                          &f.e.epilogue, s};
  check_row_ranges(s, &f.ref_out, w->out_h, f.row_floats, conv_tolerance(&f),
                   1e-5f, run_winograd, &context, r);
  conv_fixture_finish(s, &f);
}

/* Channel counts below, at and above the vector widths (4, 8, 16) and
 * panel widths (8, 16, 32); sizes from one pixel to more tiles than one
 * block holds, on both sides of the F(2x2)/F(4x4) rule (20 tiles of 4x4);
 * sizes not a multiple of the tile leave part tiles at the right and
 * bottom. */
static const shape winograd_shapes[] = {
    {1, 1, 1, 1, 3, 1, PAD_SAME},      {1, 2, 3, 5, 3, 1, PAD_SAME},
    {2, 1, 4, 8, 3, 1, PAD_SAME},      {3, 3, 16, 16, 3, 1, PAD_SAME},
    {5, 5, 17, 33, 3, 1, PAD_SAME},    {4, 7, 32, 32, 3, 1, PAD_SAME},
    {7, 4, 8, 64, 3, 1, PAD_SAME},     {6, 6, 33, 31, 3, 1, PAD_SAME},
    {9, 11, 5, 15, 3, 1, PAD_SAME},    {5, 6, 4, 16, 3, 1, PAD_VALID},
    {8, 9, 7, 9, 3, 1, PAD_VALID},     {12, 12, 8, 48, 3, 1, PAD_RANDOM},
    {11, 10, 3, 17, 3, 1, PAD_RANDOM}, {3, 40, 5, 20, 3, 1, PAD_SAME},
    {19, 19, 12, 20, 3, 1, PAD_SAME},  {38, 37, 2, 3, 3, 1, PAD_SAME},
    {4, 5, 260, 70, 3, 1, PAD_SAME},   {10, 10, 64, 64, 3, 1, PAD_SAME},
    {20, 17, 33, 40, 3, 1, PAD_SAME},  {23, 22, 16, 64, 3, 1, PAD_RANDOM},
    {18, 21, 5, 7, 3, 1, PAD_VALID},   {35, 35, 32, 32, 3, 1, PAD_SAME},
};

unsigned dager_check_winograd(const dager_kernels *reference,
                              const dager_kernels *tested, uint64_t seed) {
  check_state s = {"winograd", reference, tested, seed, 0, ""};
  random_source r = random_seeded(seed, 8);
  const size_t fixed = sizeof(winograd_shapes) / sizeof(winograd_shapes[0]);
  dager_window w;

  for (size_t i = 0; i < fixed; i++) {
    const shape *t = &winograd_shapes[i];
    if (make_window(&w, t->in_h, t->in_w, t->in_c, t->out_c, 3, 3, 1, 1,
                    t->mode, &r))
      winograd_case(&s, &w, (unsigned)(i * 7) % EPILOGUE_COMBINATIONS, &r);
  }
  if (make_window(&w, 5, 7, 7, 37, 3, 3, 1, 1, PAD_SAME, &r)) {
    for (unsigned e = 0; e < EPILOGUE_COMBINATIONS; e++)
      winograd_case(&s, &w, e, &r);
  }
  for (int i = 0; i < 60; i++) {
    if (make_window(&w, 1 + random_below(&r, 24), 1 + random_below(&r, 30),
                    1 + random_below(&r, 40), 1 + random_below(&r, 80), 3, 3, 1,
                    1, (int)random_below(&r, 3), &r))
      winograd_case(&s, &w, random_below(&r, EPILOGUE_COMBINATIONS), &r);
  }
  return s.failures;
}
