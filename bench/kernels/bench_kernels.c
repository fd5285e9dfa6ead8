/*
 * bench_kernels: the kernels on the layer shapes of the seven networks,
 * per instruction set, single-threaded and on all cores.
 *
 * For each layer it prints the time per call, GFLOP/s and the fraction of
 * the FP32 peak that this same run measured with an FMA loop (the best
 * ISA's peak, i.e. the machine's), and for the memory-bound layers
 * (depthwise, pooling) the bytes moved per second against a memcpy
 * bandwidth measured the same way. Threads split rows through the
 * runtime's own thread pool, as a network run does. When built with
 * Debian's libxnnpack-dev, the same layers also run through XNNPACK and
 * the ratio of its time to ours is printed (above 1: we are faster).
 *
 *   bench_kernels [--isa NAME] [--threads N] [--time SECONDS]
 *                 [--filter TEXT] [--markdown]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernels/kernels.h"
#include "nn/thread_pool.h"
#include "peak.h"

#if defined(DAGER_BENCH_XNNPACK)
#include <math.h>
#include <pthreadpool.h>
#include <xnnpack.h>
#endif

typedef enum layer_kind {
  LAYER_CONV,
  /* A 3x3 stride-1 convolution through the Winograd slots; GFLOP/s count
   * the direct convolution's FLOPs, so the rows compare with LAYER_CONV's
   * of the same shape. */
  LAYER_WINOGRAD,
  LAYER_DEPTHWISE,
  LAYER_MAX_POOL,
  LAYER_FULLY_CONNECTED,
  /* The stem kernels, alone and fused with the 2x2/2 max pool after them
   * (same padding); the LAYER_CONV rows of the same shapes time conv2d. */
  LAYER_STEM,
  LAYER_STEM_MAX_POOL
} layer_kind;

typedef struct layer {
  const char *network;
  const char *name;
  layer_kind kind;
  uint32_t in_h, in_w, in_c, out_c, kernel, stride;
  int same;
} layer;

/*
 * Shapes as they occur in the networks (input sizes: SSD 512, tiny
 * detector 416, landmarks/age-gender/expression 112, recognition 150).
 */
static const layer layers[] = {
    {"ssd", "conv0 3x3/2 3->32", LAYER_CONV, 512, 512, 3, 32, 3, 2, 1},
    {"ssd", "dw 3x3/1 256x256x32", LAYER_DEPTHWISE, 256, 256, 32, 32, 3, 1, 1},
    {"ssd", "pw 256x256 32->64", LAYER_CONV, 256, 256, 32, 64, 1, 1, 1},
    {"ssd", "dw 3x3/2 256x256x64", LAYER_DEPTHWISE, 256, 256, 64, 64, 3, 2, 1},
    {"ssd", "pw 128x128 64->128", LAYER_CONV, 128, 128, 64, 128, 1, 1, 1},
    {"ssd", "pw 128x128 128->128", LAYER_CONV, 128, 128, 128, 128, 1, 1, 1},
    {"ssd", "pw 64x64 128->256", LAYER_CONV, 64, 64, 128, 256, 1, 1, 1},
    {"ssd", "pw 64x64 256->256", LAYER_CONV, 64, 64, 256, 256, 1, 1, 1},
    {"ssd", "pw 32x32 256->512", LAYER_CONV, 32, 32, 256, 512, 1, 1, 1},
    {"ssd", "pw 32x32 512->512", LAYER_CONV, 32, 32, 512, 512, 1, 1, 1},
    {"ssd", "dw 3x3/1 32x32x512", LAYER_DEPTHWISE, 32, 32, 512, 512, 3, 1, 1},
    {"ssd", "pw 16x16 512->1024", LAYER_CONV, 16, 16, 512, 1024, 1, 1, 1},
    {"ssd", "pw 16x16 1024->1024", LAYER_CONV, 16, 16, 1024, 1024, 1, 1, 1},
    {"ssd", "dw 3x3/1 16x16x1024", LAYER_DEPTHWISE, 16, 16, 1024, 1024, 3, 1,
     1},
    {"ssd", "extra 3x3/2 16x16 256->512", LAYER_CONV, 16, 16, 256, 512, 3, 2,
     1},
    {"tiny", "conv 3x3/1 416x416x3->16", LAYER_CONV, 416, 416, 3, 16, 3, 1, 1},
    {"tiny", "maxpool 2x2/2 416x416x16", LAYER_MAX_POOL, 416, 416, 16, 16, 2, 2,
     1},
    {"tiny", "dw 3x3/1 104x104x32", LAYER_DEPTHWISE, 104, 104, 32, 32, 3, 1, 1},
    {"tiny", "pw 52x52 64->128", LAYER_CONV, 52, 52, 64, 128, 1, 1, 1},
    {"tiny", "pw 13x13 256->512", LAYER_CONV, 13, 13, 256, 512, 1, 1, 1},
    {"landmarks", "conv 3x3/2 112x112x3->32", LAYER_CONV, 112, 112, 3, 32, 3, 2,
     1},
    {"landmarks", "dense 3x3/1 56x56 32->32", LAYER_CONV, 56, 56, 32, 32, 3, 1,
     1},
    {"landmarks", "dense 3x3/1 28x28 64->64", LAYER_CONV, 28, 28, 64, 64, 3, 1,
     1},
    {"landmarks", "dense 3x3/1 14x14 128->128", LAYER_CONV, 14, 14, 128, 128, 3,
     1, 1},
    {"landmarks", "dense 3x3/1 7x7 256->256", LAYER_CONV, 7, 7, 256, 256, 3, 1,
     1},
    {"xception", "dw 3x3/1 28x28x128", LAYER_DEPTHWISE, 28, 28, 128, 128, 3, 1,
     1},
    {"xception", "pw 28x28 128->128", LAYER_CONV, 28, 28, 128, 128, 1, 1, 1},
    {"xception", "pw 1x1/2 28x28 128->256", LAYER_CONV, 28, 28, 128, 256, 1, 2,
     1},
    {"xception", "maxpool 3x3/2 28x28x256", LAYER_MAX_POOL, 28, 28, 256, 256, 3,
     2, 1},
    {"resnet", "conv 7x7/2 150x150x3->32", LAYER_CONV, 150, 150, 3, 32, 7, 2,
     1},
    {"resnet", "maxpool 3x3/2 75x75x32", LAYER_MAX_POOL, 75, 75, 32, 32, 3, 2,
     1},
    {"resnet", "conv 3x3/1 38x38 32->32", LAYER_CONV, 38, 38, 32, 32, 3, 1, 1},
    {"resnet", "conv 3x3/2 38x38 32->64", LAYER_CONV, 38, 38, 32, 64, 3, 2, 1},
    {"resnet", "conv 3x3/1 19x19 64->64", LAYER_CONV, 19, 19, 64, 64, 3, 1, 1},
    {"resnet", "conv 3x3/1 10x10 128->128", LAYER_CONV, 10, 10, 128, 128, 3, 1,
     1},
    {"resnet", "conv 3x3/1 5x5 256->256", LAYER_CONV, 5, 5, 256, 256, 3, 1, 1},
    {"resnet", "fc 256->128", LAYER_FULLY_CONNECTED, 1, 1, 256, 128, 1, 1, 0},
    {"landmarks", "winograd 3x3/1 56x56 32->32", LAYER_WINOGRAD, 56, 56, 32, 32,
     3, 1, 1},
    {"landmarks", "winograd 3x3/1 28x28 64->64", LAYER_WINOGRAD, 28, 28, 64, 64,
     3, 1, 1},
    {"landmarks", "winograd 3x3/1 14x14 128->128", LAYER_WINOGRAD, 14, 14, 128,
     128, 3, 1, 1},
    {"landmarks", "winograd 3x3/1 7x7 256->256", LAYER_WINOGRAD, 7, 7, 256, 256,
     3, 1, 1},
    {"resnet", "winograd 3x3/1 38x38 32->32", LAYER_WINOGRAD, 38, 38, 32, 32, 3,
     1, 1},
    {"resnet", "winograd 3x3/1 19x19 64->64", LAYER_WINOGRAD, 19, 19, 64, 64, 3,
     1, 1},
    {"resnet", "winograd 3x3/1 10x10 128->128", LAYER_WINOGRAD, 10, 10, 128,
     128, 3, 1, 1},
    {"resnet", "winograd 3x3/1 5x5 256->256", LAYER_WINOGRAD, 5, 5, 256, 256, 3,
     1, 1},
    {"ssd", "stem 3x3/2 512x512x3->32", LAYER_STEM, 512, 512, 3, 32, 3, 2, 1},
    {"tiny", "stem 3x3/1 416x416x3->16", LAYER_STEM, 416, 416, 3, 16, 3, 1, 1},
    {"tiny", "stem+maxpool 416x416x3->16", LAYER_STEM_MAX_POOL, 416, 416, 3, 16,
     3, 1, 1},
    {"landmarks", "stem 3x3/2 112x112x3->32", LAYER_STEM, 112, 112, 3, 32, 3, 2,
     1},
    {"resnet", "stem 7x7/2 150x150x3->32", LAYER_STEM, 150, 150, 3, 32, 7, 2,
     1},
};

/*
 * Single-threaded runs are timed in this thread's CPU time, which leaves
 * out the time other processes hold the core: the numbers then hold on a
 * busy machine too. Runs on several threads use the wall clock, and are
 * only as good as the machine is idle.
 */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(bench_clock, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float *aligned_floats(size_t count) {
  void *p = NULL;
  if (posix_memalign(&p, 64, (count ? count : 1) * sizeof(float)) != 0) {
    fprintf(stderr, "bench_kernels: out of memory\n");
    exit(1);
  }
  return p;
}

static void fill(float *p, size_t n, uint32_t seed) {
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1664525u + 1013904223u;
    p[i] = (float)(seed >> 8) * (1.0f / 16777216.0f) - 0.5f;
  }
}

/* ---- one layer, ready to run */

#define MAX_THREADS 64

typedef struct prepared {
  const layer *l;
  const dager_kernels *k;
  dager_window w;
  dager_window pool; /* LAYER_STEM_MAX_POOL: the pool after w */
  dager_epilogue epilogue;
  float *input, *packed, *output, *bias;
  void *scratch[MAX_THREADS];
  double flops, bytes;
} prepared;

static void prepare(prepared *p, const layer *l, const dager_kernels *k,
                    uint32_t threads) {
  dager_window *w = &p->w;

  memset(p, 0, sizeof(*p));
  p->l = l;
  p->k = k;
  w->in_h = l->in_h;
  w->in_w = l->in_w;
  w->in_c = l->in_c;
  w->out_c = l->kind == LAYER_CONV || l->kind == LAYER_WINOGRAD ||
                     l->kind == LAYER_FULLY_CONNECTED ||
                     l->kind == LAYER_STEM || l->kind == LAYER_STEM_MAX_POOL
                 ? l->out_c
                 : l->in_c;
  w->kernel_h = w->kernel_w = l->kernel;
  w->stride_h = w->stride_w = l->stride;
  dager_window_axis(l->in_h, l->kernel, l->stride, l->same, &w->out_h,
                    &w->pad_top, &w->pad_bottom);
  dager_window_axis(l->in_w, l->kernel, l->stride, l->same, &w->out_w,
                    &w->pad_left, &w->pad_right);

  const size_t in_count = (size_t)w->in_h * w->in_w * w->in_c;
  const size_t out_count = (size_t)w->out_h * w->out_w * w->out_c;
  const size_t taps = (size_t)w->kernel_h * w->kernel_w;
  p->input = aligned_floats(in_count);
  p->output = aligned_floats(out_count);
  p->bias = aligned_floats(w->out_c);
  fill(p->input, in_count, 1);
  fill(p->bias, w->out_c, 2);
  p->epilogue.bias = p->bias;
  p->epilogue.activation = DAGER_ACTIVATION_RELU;
  p->bytes = (double)(in_count + out_count) * sizeof(float);

  if (l->kind == LAYER_CONV) {
    const size_t weights = taps * w->in_c * w->out_c;
    float *plain = aligned_floats(weights);
    fill(plain, weights, 3);
    p->packed = aligned_floats(k->conv2d_packed_size(w) / sizeof(float) + 1);
    k->conv2d_pack(w, plain, p->packed);
    free(plain);
    const uint32_t rows = (w->out_h + threads - 1) / threads;
    for (uint32_t t = 0; t < threads; t++)
      p->scratch[t] = aligned_floats(k->conv2d_scratch_size(w, rows) / 4 + 1);
    p->flops = 2.0 * (double)out_count * (double)(taps * w->in_c);
  } else if (l->kind == LAYER_WINOGRAD) {
    const size_t weights = taps * w->in_c * w->out_c;
    float *plain = aligned_floats(weights);
    fill(plain, weights, 3);
    p->packed = aligned_floats(k->winograd_packed_size(w) / sizeof(float) + 1);
    k->winograd_pack(w, plain, p->packed);
    free(plain);
    const uint32_t rows = (w->out_h + threads - 1) / threads;
    for (uint32_t t = 0; t < threads; t++) {
      p->scratch[t] = aligned_floats(k->winograd_scratch_size(w, rows) / 4 + 1);
    }
    p->flops = 2.0 * (double)out_count * (double)(taps * w->in_c);
  } else if (l->kind == LAYER_STEM || l->kind == LAYER_STEM_MAX_POOL) {
    const size_t weights = taps * w->in_c * w->out_c;
    float *plain = aligned_floats(weights);
    fill(plain, weights, 3);
    p->packed = aligned_floats(k->stem_packed_size(w) / sizeof(float) + 1);
    k->stem_pack(w, plain, p->packed);
    free(plain);
    p->flops = 2.0 * (double)out_count * (double)(taps * w->in_c);
    if (l->kind == LAYER_STEM_MAX_POOL) {
      dager_window *pool = &p->pool;
      pool->in_h = w->out_h;
      pool->in_w = w->out_w;
      pool->in_c = pool->out_c = w->out_c;
      pool->kernel_h = pool->kernel_w = 2;
      pool->stride_h = pool->stride_w = 2;
      dager_window_axis(w->out_h, 2, 2, 1, &pool->out_h, &pool->pad_top,
                        &pool->pad_bottom);
      dager_window_axis(w->out_w, 2, 2, 1, &pool->out_w, &pool->pad_left,
                        &pool->pad_right);
      p->bytes =
          (double)(in_count + (size_t)pool->out_h * pool->out_w * pool->out_c) *
          sizeof(float);
    }
  } else if (l->kind == LAYER_DEPTHWISE) {
    const size_t weights = taps * w->in_c;
    float *plain = aligned_floats(weights);
    fill(plain, weights, 3);
    p->packed = aligned_floats(k->depthwise_packed_size(w) / sizeof(float) + 1);
    k->depthwise_pack(w, plain, p->packed);
    free(plain);
    p->flops = 2.0 * (double)out_count * (double)taps;
  } else if (l->kind == LAYER_FULLY_CONNECTED) {
    const size_t weights = (size_t)l->in_c * l->out_c;
    float *plain = aligned_floats(weights);
    fill(plain, weights, 3);
    p->packed = aligned_floats(
        k->fully_connected_packed_size(l->in_c, l->out_c) / sizeof(float) + 1);
    k->fully_connected_pack(l->in_c, l->out_c, plain, p->packed);
    free(plain);
    p->flops = 2.0 * (double)weights;
    p->bytes = (double)(weights + l->in_c + l->out_c) * sizeof(float);
  } else {
    p->flops = (double)out_count * (double)taps;
  }
}

static void release(prepared *p) {
  free(p->input);
  free(p->output);
  free(p->bias);
  free(p->packed);
  for (int t = 0; t < MAX_THREADS; t++)
    free(p->scratch[t]);
}

static void run_range(void *context, uint32_t begin, uint32_t end,
                      uint32_t thread) {
  prepared *p = context;
  const dager_kernels *k = p->k;

  switch (p->l->kind) {
    case LAYER_CONV:
      k->conv2d(&p->w, p->input, p->packed, &p->epilogue, p->output, begin, end,
                p->scratch[thread]);
      break;
    case LAYER_WINOGRAD:
      k->winograd_conv2d(&p->w, p->input, p->packed, &p->epilogue, p->output,
                         begin, end, p->scratch[thread]);
      break;
    case LAYER_DEPTHWISE:
      k->depthwise_conv2d(&p->w, p->input, p->packed, &p->epilogue, p->output,
                          begin, end);
      break;
    case LAYER_MAX_POOL:
      k->max_pool(&p->w, p->input, p->output, begin, end);
      break;
    case LAYER_FULLY_CONNECTED:
      k->fully_connected(p->l->in_c, p->l->out_c, p->input, p->packed,
                         &p->epilogue, p->output, begin, end);
      break;
    case LAYER_STEM:
      k->stem_conv2d(&p->w, p->input, p->packed, &p->epilogue, p->output, begin,
                     end);
      break;
    case LAYER_STEM_MAX_POOL:
      k->stem_conv2d_max_pool(&p->w, &p->pool, p->input, p->packed,
                              &p->epilogue, p->output, begin, end);
      break;
  }
}

typedef struct ours_call {
  prepared *p;
  dager_thread_pool *pool;
} ours_call;

static void run_ours(void *context) {
  ours_call *c = context;
  const uint32_t count = c->p->l->kind == LAYER_FULLY_CONNECTED ? c->p->l->out_c
                         : c->p->l->kind == LAYER_STEM_MAX_POOL
                             ? c->p->pool.out_h
                             : c->p->w.out_h;
  dager_thread_pool_run(c->pool, count, run_range, c->p);
}

/* Best mean time per call over five batches of at least min_time/5. */
static double time_per_call(void (*call)(void *), void *context,
                            double min_time) {
  double best = 1e30;
  uint64_t calls = 1;

  call(context);
  for (;;) {
    const double start = now_seconds();
    for (uint64_t i = 0; i < calls; i++)
      call(context);
    const double spent = now_seconds() - start;
    if (spent >= min_time / 5 || calls >= (1u << 30))
      break;
    calls *= 2;
  }
  for (int batch = 0; batch < 5; batch++) {
    const double start = now_seconds();
    for (uint64_t i = 0; i < calls; i++)
      call(context);
    const double per_call = (now_seconds() - start) / (double)calls;
    if (per_call < best)
      best = per_call;
  }
  return best;
}

#if defined(DAGER_BENCH_XNNPACK)
/*
 * The same layer through Debian's XNNPACK (libxnnpack-dev), when the
 * benchmark was built with it: same input, bias and ReLU, weights packed
 * by XNNPACK at operator creation, its own pthreadpool of as many
 * threads. Returns the time per call, or 0 when XNNPACK refused the layer.
 */
typedef struct xnnpack_call {
  xnn_operator_t op;
  pthreadpool_t pool;
} xnnpack_call;

static void run_xnnpack(void *context) {
  xnnpack_call *c = context;
  xnn_run_operator(c->op, c->pool);
}

static double time_xnnpack(prepared *p, uint32_t threads, double min_time) {
  const dager_window *w = &p->w;
  const size_t taps = (size_t)w->kernel_h * w->kernel_w;
  const size_t weights = p->l->kind == LAYER_DEPTHWISE ? taps * w->in_c
                         : p->l->kind == LAYER_FULLY_CONNECTED
                             ? (size_t)p->l->in_c * p->l->out_c
                             : taps * w->in_c * w->out_c;
  float *kernel = aligned_floats(weights);
  xnnpack_call c = {NULL, threads > 1 ? pthreadpool_create(threads) : NULL};
  enum xnn_status status = xnn_status_invalid_parameter;
  double seconds = 0.0;

  fill(kernel, weights, 3);
  switch (p->l->kind) {
    case LAYER_STEM_MAX_POOL:
      /* No fused counterpart in XNNPACK: not timed. */
      break;
    case LAYER_STEM:
    case LAYER_CONV:
    case LAYER_WINOGRAD:
      status = xnn_create_convolution2d_nhwc_f32(
          w->pad_top, w->pad_right, w->pad_bottom, w->pad_left, w->kernel_h,
          w->kernel_w, w->stride_h, w->stride_w, 1, 1, 1, w->in_c, w->out_c,
          w->in_c, w->out_c, kernel, p->bias, 0.0f, INFINITY, 0, &c.op);
      if (status == xnn_status_success)
        status = xnn_setup_convolution2d_nhwc_f32(c.op, 1, w->in_h, w->in_w,
                                                  p->input, p->output, c.pool);
      break;
    case LAYER_DEPTHWISE:
      status = xnn_create_convolution2d_nhwc_f32(
          w->pad_top, w->pad_right, w->pad_bottom, w->pad_left, w->kernel_h,
          w->kernel_w, w->stride_h, w->stride_w, 1, 1, w->in_c, 1, 1, w->in_c,
          w->in_c, kernel, p->bias, 0.0f, INFINITY,
          XNN_FLAG_DEPTHWISE_CONVOLUTION, &c.op);
      if (status == xnn_status_success)
        status = xnn_setup_convolution2d_nhwc_f32(c.op, 1, w->in_h, w->in_w,
                                                  p->input, p->output, c.pool);
      break;
    case LAYER_MAX_POOL:
      status = xnn_create_max_pooling2d_nhwc_f32(
          w->pad_top, w->pad_right, w->pad_bottom, w->pad_left, w->kernel_h,
          w->kernel_w, w->stride_h, w->stride_w, 1, 1, w->in_c, w->in_c,
          w->in_c, -INFINITY, INFINITY, 0, &c.op);
      if (status == xnn_status_success)
        status = xnn_setup_max_pooling2d_nhwc_f32(c.op, 1, w->in_h, w->in_w,
                                                  p->input, p->output, c.pool);
      break;
    case LAYER_FULLY_CONNECTED:
      status = xnn_create_fully_connected_nc_f32(
          p->l->in_c, p->l->out_c, p->l->in_c, p->l->out_c, kernel, p->bias,
          0.0f, INFINITY, 0, &c.op);
      if (status == xnn_status_success)
        status = xnn_setup_fully_connected_nc_f32(c.op, 1, p->input, p->output,
                                                  c.pool);
      break;
  }
  free(kernel);
  if (status == xnn_status_success)
    seconds = time_per_call(run_xnnpack, &c, min_time);
  if (c.op)
    xnn_delete_operator(c.op);
  if (c.pool)
    pthreadpool_destroy(c.pool);
  return seconds;
}
#endif

/* ---- peak and bandwidth */

typedef double (*peak_function)(uint64_t iterations, float *sink);

typedef struct peak_context {
  peak_function loop;
  uint64_t iterations;
  float sink[MAX_THREADS];
  double flops[MAX_THREADS];
} peak_context;

static void peak_body(void *context, uint32_t begin, uint32_t end,
                      uint32_t thread) {
  peak_context *c = context;
  (void)thread;
  for (uint32_t i = begin; i < end; i++)
    c->flops[i] = c->loop(c->iterations, &c->sink[i]);
}

static peak_function peak_of(dager_isa isa) {
  switch (isa) {
#if defined(DAGER_BENCH_X86)
    case DAGER_ISA_SSE41:
      return dager_bench_peak_sse41;
    case DAGER_ISA_AVX2:
      return dager_bench_peak_avx2;
    case DAGER_ISA_AVX512:
      return dager_bench_peak_avx512;
#endif
#if defined(DAGER_BENCH_NEON)
    case DAGER_ISA_NEON:
      return dager_bench_peak_neon;
#endif
    default:
      return NULL;
  }
}

/* GFLOP/s of the FMA loop on every thread of the pool at once. */
static double measure_peak(peak_function loop, dager_thread_pool *pool,
                           uint32_t threads) {
  peak_context c;
  double best = 0.0;

  bench_clock = threads == 1 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
  memset(&c, 0, sizeof(c));
  c.loop = loop;
  c.iterations = 1u << 16;
  for (;;) {
    const double start = now_seconds();
    dager_thread_pool_run(pool, threads, peak_body, &c);
    if (now_seconds() - start > 0.05)
      break;
    c.iterations *= 2;
  }
  for (int round = 0; round < 5; round++) {
    const double start = now_seconds();
    dager_thread_pool_run(pool, threads, peak_body, &c);
    const double spent = now_seconds() - start;
    double flops = 0.0;
    for (uint32_t t = 0; t < threads; t++)
      flops += c.flops[t];
    if (flops / spent > best)
      best = flops / spent;
  }
  return best * 1e-9;
}

/* memcpy of 256 MiB, bytes read plus bytes written per second. */
static double measure_bandwidth(void) {
  const size_t count = (size_t)64 << 20;

  bench_clock = CLOCK_THREAD_CPUTIME_ID;
  float *from = aligned_floats(count);
  float *to = aligned_floats(count);
  double best = 0.0;

  fill(from, count, 5);
  memset(to, 0, count * sizeof(float));
  for (int round = 0; round < 3; round++) {
    const double start = now_seconds();
    memcpy(to, from, count * sizeof(float));
    const double rate =
        2.0 * (double)count * sizeof(float) / (now_seconds() - start);
    if (rate > best)
      best = rate;
  }
  if (to[count / 2] != from[count / 2])
    fprintf(stderr, "bench_kernels: memcpy check failed\n");
  free(from);
  free(to);
  return best * 1e-9;
}

/* ---- main */

static void usage(void) {
  fprintf(stderr,
          "usage: bench_kernels [--isa NAME] [--threads N] [--time SECONDS]"
          " [--filter TEXT] [--markdown]\n");
}

int main(int argc, char **argv) {
  const char *only_isa = NULL;
  const char *filter = NULL;
  double min_time = 0.25;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  uint32_t thread_counts[2] = {1, cores > 1 ? (uint32_t)cores : 1};
  unsigned thread_variants = cores > 1 ? 2 : 1;
  int markdown = 0;

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
      only_isa = argv[++i];
    } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      thread_counts[0] = (uint32_t)atoi(argv[++i]);
      thread_variants = 1;
    } else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc) {
      min_time = atof(argv[++i]);
    } else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) {
      filter = argv[++i];
    } else if (strcmp(argv[i], "--markdown") == 0) {
      markdown = 1;
    } else {
      usage();
      return 2;
    }
  }
  for (unsigned t = 0; t < thread_variants; t++) {
    if (thread_counts[t] < 1 || thread_counts[t] > MAX_THREADS) {
      usage();
      return 2;
    }
  }

#if defined(DAGER_BENCH_XNNPACK)
  if (xnn_initialize(NULL) != xnn_status_success) {
    fprintf(stderr, "bench_kernels: xnn_initialize failed\n");
    return 1;
  }
#endif
  dager_thread_pool *pools[2] = {NULL, NULL};
  for (unsigned t = 0; t < thread_variants; t++) {
    if (dager_thread_pool_create(thread_counts[t], &pools[t]) != DAGER_OK) {
      fprintf(stderr, "bench_kernels: cannot create %u threads\n",
              thread_counts[t]);
      return 1;
    }
  }

  /* The machine's peak is the best ISA's; every layer is measured
   * against it, whatever ISA runs the layer. */
  double machine_peak[2] = {0.0, 0.0};
  printf("# FP32 peak measured with FMA loops (GFLOP/s)\n");
  for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    peak_function loop = peak_of((dager_isa)isa);
    if (!loop || !dager_kernels_for_isa((dager_isa)isa))
      continue;
    for (unsigned t = 0; t < thread_variants; t++) {
      const double peak = measure_peak(loop, pools[t], thread_counts[t]);
      printf("#   %-7s %u thread%s: %8.1f\n", dager_isa_name((dager_isa)isa),
             thread_counts[t], thread_counts[t] > 1 ? "s" : " ", peak);
      if (peak > machine_peak[t])
        machine_peak[t] = peak;
    }
  }
  const double bandwidth = measure_bandwidth();
  printf("# memcpy bandwidth (read + write), 1 thread: %.1f GB/s\n", bandwidth);
  printf("# 1 thread: thread CPU time; more threads: wall clock\n");

  if (markdown) {
    printf(
        "\n| network | layer | isa | threads | us/call | GFLOP/s | "
        "%% of peak | GB/s | XNNPACK us/call | XNNPACK / ours |\n");
    printf("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
  } else {
    printf("\n%-9s %-28s %-7s %3s %11s %9s %9s %8s %11s %7s\n", "network",
           "layer", "isa", "thr", "us/call", "GFLOP/s", "%peak", "GB/s",
           "xnnpack us", "xnn/us");
  }
  for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
    const layer *l = &layers[i];
    if (filter && !strstr(l->name, filter) && !strstr(l->network, filter))
      continue;
    for (unsigned isa = 0; isa < DAGER_ISA_COUNT; isa++) {
      const dager_kernels *k = dager_kernels_for_isa((dager_isa)isa);
      if (!k || (only_isa && strcmp(only_isa, k->name) != 0))
        continue;
      /* XNNPACK picks its own ISA, so it is timed once per layer, on the
       * row of the best table. */
      const int with_xnnpack = k == dager_kernels_best();
      (void)with_xnnpack;
      for (unsigned t = 0; t < thread_variants; t++) {
        prepared p;
        prepare(&p, l, k, thread_counts[t]);
        bench_clock =
            thread_counts[t] == 1 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
        ours_call call = {&p, pools[t]};
        const double seconds = time_per_call(run_ours, &call, min_time);
        double xnnpack = 0.0;
#if defined(DAGER_BENCH_XNNPACK)
        if (with_xnnpack)
          xnnpack = time_xnnpack(&p, thread_counts[t], min_time);
#endif
        const double gflops = p.flops / seconds * 1e-9;
        const double gbytes = p.bytes / seconds * 1e-9;
        const double share = 100.0 * gflops / machine_peak[t];
        char versus[2][32] = {"-", "-"};
        if (xnnpack > 0.0) {
          snprintf(versus[0], sizeof(versus[0]), "%.1f", xnnpack * 1e6);
          snprintf(versus[1], sizeof(versus[1]), "%.2f", xnnpack / seconds);
        }
        if (markdown) {
          printf(
              "| %s | %s | %s | %u | %.1f | %.1f | %.1f | %.1f | %s | %s "
              "|\n",
              l->network, l->name, k->name, thread_counts[t], seconds * 1e6,
              gflops, share, gbytes, versus[0], versus[1]);
        } else {
          printf("%-9s %-28s %-7s %3u %11.1f %9.1f %8.1f%% %8.1f %11s %7s\n",
                 l->network, l->name, k->name, thread_counts[t], seconds * 1e6,
                 gflops, share, gbytes, versus[0], versus[1]);
        }
        fflush(stdout);
        release(&p);
      }
    }
  }
  for (unsigned t = 0; t < thread_variants; t++)
    dager_thread_pool_destroy(pools[t]);
  return 0;
}
