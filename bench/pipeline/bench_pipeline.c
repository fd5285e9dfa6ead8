/*
 * Times the seven networks alone and the whole pipeline per photo, for
 * each instruction set this CPU has and for each thread count asked for,
 * and prints a table or JSON (--json).
 *
 *   bench_pipeline [--models DIR] [--images DIR|FILE]...
 *                  [--isa all|best|LIST]
 *                  [--threads 1,2] [--networks all|none|LIST]
 *                  [--warmup N] [--runs N] [--pipeline-warmup N]
 *                  [--pipeline-runs N] [--detector ssd|tiny]
 *                  [--tiny-input-size N] [--json]
 *                  [--pipeline-networks LIST]  (the engine's "networks")
 *   bench_pipeline --write-ppm DIR --images ...
 *   bench_pipeline --memory [--models DIR]
 *   bench_pipeline --profile [--models DIR] [--networks ...] [--runs N]
 *   bench_pipeline --throughput N [--images ...] [--pipeline-runs ROUNDS]
 *
 * The kernel table is chosen once per process (dager_kernels_best reads
 * DAGER_ISA), so the program runs itself once per ISA with DAGER_ISA set
 * and gathers what each run prints. Each network is timed on the fixed
 * input pattern of tests/fixtures/README.md, as bench/node/ does, so the
 * two sides see the same numbers. --write-ppm writes the photos as libdager
 * decodes them, for the Node pipeline, and exits. --memory loads all seven
 * models and networks with the best kernels and says where the resident
 * memory goes. --profile runs each network on one thread through a copy
 * of the best kernel table whose slots time every call, and splits the
 * thread's CPU time by kind of operation. --throughput N compares photos
 * per second of one session on one thread with N sessions on N threads
 * (throughput.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "dager.h"
#include "image/image.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "nn/network_internal.h"
#include "nn/nn.h"
#include "nn/thread_pool.h"
#include "staged.h"
#include "throughput.h"

#define MAX_RUNS 1000
#define MAX_PHOTOS 64
#define MAX_THREAD_COUNTS 8
#define NETWORK_COUNT 7

static const char *const network_names[NETWORK_COUNT] = {
    "ssd_mobilenetv1",       "tiny_face_detector", "face_landmark_68",
    "face_landmark_68_tiny", "age_gender",         "face_expression",
    "face_recognition"};

typedef struct settings {
  const char *models;
  const char *photos[MAX_PHOTOS];
  size_t photo_count;
  const char *isa_list;
  unsigned thread_counts[MAX_THREAD_COUNTS];
  size_t thread_count_count;
  int network_wanted[NETWORK_COUNT];
  int warmup, runs;
  int pipeline_warmup, pipeline_runs;
  const char *detector;
  int tiny_input_size;
  int json;
  const char *write_ppm;
  int memory;
  int profile;
  const char *pipeline_networks; /* the engine's "networks" option */
  unsigned throughput;   /* threads of the --throughput run, 0: not asked */
  const char *child_isa; /* set in the per-ISA runs */
} settings;

typedef struct timing {
  int runs;
  double median, p90, min, max, cpu_median;
} timing;

typedef struct network_result {
  int done;
  char error[160];
  dager_tensor_shape input;
  uint64_t macs;
  size_t arena_bytes;
  double read_ms, build_ms;
  timing time;
} network_result;

typedef struct photo_result {
  int done;
  char error[160];
  char name[64];
  int width, height;
  size_t faces;
  int matches_api;
  char mismatch[160];
  timing decode, analyse, api;
  timing stages[BENCH_STAGE_COUNT];
} photo_result;

static const char *const stage_names[BENCH_STAGE_COUNT] = {
    "detect", "landmarks", "align", "attributes"};

typedef struct thread_result {
  unsigned threads;
  network_result networks[NETWORK_COUNT];
  double engine_load_ms;
  char engine_error[160];
  photo_result photos[MAX_PHOTOS];
} thread_result;

static void usage(void) {
  fprintf(stderr,
          "usage: bench_pipeline [--models DIR] [--images DIR|FILE]...\n"
          "  [--isa all|best|scalar,sse41,avx2,avx512,neon] [--threads 1,2]\n"
          "  [--networks all|none|name,...] [--warmup N] [--runs N]\n"
          "  [--pipeline-warmup N] [--pipeline-runs N]\n"
          "  [--detector ssd|tiny] [--tiny-input-size N] [--json]\n"
          "  [--pipeline-networks detector,landmarks,...]\n"
          "  [--write-ppm DIR] [--memory] [--profile] [--throughput N]\n");
  exit(2);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

static double median_of(double *values, int count) {
  qsort(values, (size_t)count, sizeof *values, compare_doubles);
  if (count % 2)
    return values[count / 2];
  return (values[count / 2 - 1] + values[count / 2]) / 2;
}

/* Median and nearest-rank 90th percentile, as bench/node/bench.js. */
static timing summarise(double *wall, double *cpu, int count) {
  timing t;
  int rank = (int)((90 * count + 99) / 100);

  memset(&t, 0, sizeof t);
  if (count <= 0)
    return t;
  t.runs = count;
  t.median = median_of(wall, count);
  t.p90 = wall[(rank < 1 ? 1 : rank) - 1];
  t.min = wall[0];
  t.max = wall[count - 1];
  t.cpu_median = cpu ? median_of(cpu, count) : 0.0;
  return t;
}

static long peak_rss_kib(void) {
  struct rusage usage;

  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int parse_count(const char *text, int low, int high) {
  char *end;
  long value;

  errno = 0;
  value = strtol(text, &end, 10);
  if (errno || *end || value < low || value > high)
    usage();
  return (int)value;
}

static int has_suffix(const char *name, const char *suffix) {
  size_t n = strlen(name), s = strlen(suffix);

  return n >= s && strcmp(name + n - s, suffix) == 0;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds a file, or every JPEG and PNG of a folder, to the photo list. */
static void add_photos(settings *s, const char *path) {
  DIR *folder = opendir(path);
  struct dirent *entry;
  size_t first = s->photo_count;

  if (!folder) {
    if (s->photo_count == MAX_PHOTOS)
      usage();
    s->photos[s->photo_count++] = path;
    return;
  }
  while ((entry = readdir(folder)) != NULL) {
    const char *name = entry->d_name;
    size_t length;
    char *joined;

    if (!has_suffix(name, ".jpg") && !has_suffix(name, ".jpeg") &&
        !has_suffix(name, ".png")) {
      continue;
    }
    if (s->photo_count == MAX_PHOTOS)
      break;
    length = strlen(path) + strlen(name) + 2;
    joined = malloc(length);
    if (!joined)
      exit(1);
    snprintf(joined, length, "%s/%s", path, name);
    s->photos[s->photo_count++] = joined;
  }
  closedir(folder);
  qsort(&s->photos[first], s->photo_count - first, sizeof s->photos[0],
        compare_strings);
}

static void parse_networks(settings *s, const char *text) {
  char copy[512];
  char *save = NULL;

  memset(s->network_wanted, 0, sizeof s->network_wanted);
  if (strcmp(text, "none") == 0)
    return;
  if (strcmp(text, "all") == 0) {
    for (int i = 0; i < NETWORK_COUNT; i++)
      s->network_wanted[i] = 1;
    return;
  }
  snprintf(copy, sizeof copy, "%s", text);
  for (char *name = strtok_r(copy, ",", &save); name;
       name = strtok_r(NULL, ",", &save)) {
    int found = 0;

    for (int i = 0; i < NETWORK_COUNT; i++) {
      if (strcmp(name, network_names[i]) == 0) {
        s->network_wanted[i] = 1;
        found = 1;
      }
    }
    if (!found) {
      fprintf(stderr, "bench_pipeline: unknown network %s\n", name);
      usage();
    }
  }
}

static void parse_threads(settings *s, const char *text) {
  char copy[128];
  char *save = NULL;

  s->thread_count_count = 0;
  snprintf(copy, sizeof copy, "%s", text);
  for (char *item = strtok_r(copy, ",", &save); item;
       item = strtok_r(NULL, ",", &save)) {
    if (s->thread_count_count == MAX_THREAD_COUNTS)
      usage();
    s->thread_counts[s->thread_count_count++] =
        (unsigned)parse_count(item, 1, 256);
  }
  if (s->thread_count_count == 0)
    usage();
}

static void parse_arguments(int argc, char **argv, settings *s) {
  memset(s, 0, sizeof *s);
  s->models = getenv("DAGER_MODELS_DIR");
  s->isa_list = "all";
  s->thread_counts[0] = 1;
  s->thread_counts[1] = 2;
  s->thread_count_count = 2;
  for (int i = 0; i < NETWORK_COUNT; i++)
    s->network_wanted[i] = 1;
  s->warmup = 3;
  s->runs = 15;
  s->pipeline_warmup = 1;
  s->pipeline_runs = 5;
  s->detector = "ssd";
  s->tiny_input_size = 416;

  for (int i = 1; i < argc; i++) {
    const char *option = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;

    if (strcmp(option, "--json") == 0) {
      s->json = 1;
      continue;
    }
    if (strcmp(option, "--memory") == 0) {
      s->memory = 1;
      continue;
    }
    if (strcmp(option, "--profile") == 0) {
      s->profile = 1;
      continue;
    }
    if (!value)
      usage();
    i++;
    if (strcmp(option, "--models") == 0)
      s->models = value;
    else if (strcmp(option, "--images") == 0)
      add_photos(s, value);
    else if (strcmp(option, "--isa") == 0)
      s->isa_list = value;
    else if (strcmp(option, "--threads") == 0)
      parse_threads(s, value);
    else if (strcmp(option, "--networks") == 0)
      parse_networks(s, value);
    else if (strcmp(option, "--warmup") == 0)
      s->warmup = parse_count(value, 0, MAX_RUNS);
    else if (strcmp(option, "--runs") == 0)
      s->runs = parse_count(value, 1, MAX_RUNS);
    else if (strcmp(option, "--pipeline-warmup") == 0)
      s->pipeline_warmup = parse_count(value, 0, MAX_RUNS);
    else if (strcmp(option, "--pipeline-runs") == 0)
      s->pipeline_runs = parse_count(value, 1, MAX_RUNS);
    else if (strcmp(option, "--detector") == 0)
      s->detector = value;
    else if (strcmp(option, "--tiny-input-size") == 0)
      s->tiny_input_size = parse_count(value, 128, 608);
    else if (strcmp(option, "--pipeline-networks") == 0)
      s->pipeline_networks = value;
    else if (strcmp(option, "--throughput") == 0)
      s->throughput = (unsigned)parse_count(value, 1, 64);
    else if (strcmp(option, "--write-ppm") == 0)
      s->write_ppm = value;
    else if (strcmp(option, "--child-isa") == 0)
      s->child_isa = value;
    else
      usage();
  }
  if (strcmp(s->detector, "ssd") != 0 && strcmp(s->detector, "tiny") != 0)
    usage();
  if (!s->models && !s->write_ppm) {
    fprintf(stderr, "bench_pipeline: give --models or set DAGER_MODELS_DIR\n");
    exit(2);
  }
}

/* The photo's name without folder and extension: the key both sides use. */
static void photo_name(const char *path, char *name, size_t size) {
  const char *base = strrchr(path, '/');
  char *dot;

  snprintf(name, size, "%s", base ? base + 1 : path);
  dot = strrchr(name, '.');
  if (dot && dot != name)
    *dot = '\0';
}

/* ------------------------------------------------------------------------
 * Networks alone
 */

/* tests/fixtures/README.md's input: an integer pattern, normalised the way
 * the model's metadata says. */
static void write_pattern(const dager_model *model, dager_tensor_shape shape,
                          float *input) {
  for (uint32_t y = 0; y < shape.h; y++) {
    for (uint32_t x = 0; x < shape.w; x++) {
      for (uint32_t c = 0; c < shape.c && c < 3; c++) {
        uint32_t value =
            (3 * x * x + 5 * (c + 1) * y * y + 7 * x * (y + 1) + 61 * c) % 256;

        input[((size_t)y * shape.w + x) * shape.c + c] =
            ((float)value - model->mean[c]) / model->divisor[c];
      }
    }
  }
}

static void bench_network(const settings *s, int which, dager_thread_pool *pool,
                          network_result *result) {
  char path[4096];
  dager_model *model = NULL;
  dager_network *network = NULL;
  dager_network_workspace *workspace = NULL;
  static double wall[MAX_RUNS], cpu[MAX_RUNS];
  double start;
  dager_status status;

  memset(result, 0, sizeof *result);
  snprintf(path, sizeof path, "%s/%s.dager", s->models, network_names[which]);
  start = bench_wall_ms();
  status = dager_model_read_file(path, &model);
  result->read_ms = bench_wall_ms() - start;
  if (status != DAGER_OK)
    goto fail;

  start = bench_wall_ms();
  /* The reference runs the tiny detector at 416 in the Node harness. */
  if (which == 1 && model->input_h != (uint32_t)s->tiny_input_size) {
    status =
        dager_network_create_sized(model, NULL, (uint32_t)s->tiny_input_size,
                                   (uint32_t)s->tiny_input_size, &network);
  } else {
    status = dager_network_create(model, NULL, &network);
  }
  result->build_ms = bench_wall_ms() - start;
  if (status != DAGER_OK)
    goto fail;
  status = dager_network_workspace_create(network, pool, &workspace);
  if (status != DAGER_OK)
    goto fail;

  result->input = dager_network_input_shape(network);
  result->macs = dager_network_mac_count(network);
  result->arena_bytes = dager_network_arena_size(network);
  write_pattern(model, result->input, dager_network_input(workspace));
  for (int i = 0; i < s->warmup; i++) {
    status = dager_network_run(network, workspace);
    if (status != DAGER_OK)
      goto fail;
  }
  for (int i = 0; i < s->runs; i++) {
    double wall_start = bench_wall_ms(), cpu_start = bench_cpu_ms();

    status = dager_network_run(network, workspace);
    wall[i] = bench_wall_ms() - wall_start;
    cpu[i] = bench_cpu_ms() - cpu_start;
    if (status != DAGER_OK)
      goto fail;
  }
  result->time = summarise(wall, cpu, s->runs);
  result->done = 1;
  dager_network_workspace_destroy(workspace);
  dager_network_destroy(network);
  dager_model_destroy(model);
  return;

fail:
  snprintf(result->error, sizeof result->error, "%s: %s",
           dager_status_string(status), dager_last_error_message());
  dager_network_workspace_destroy(workspace);
  dager_network_destroy(network);
  dager_model_destroy(model);
}

/* ------------------------------------------------------------------------
 * Pipeline
 */

/* Compares the timed analysis with an untimed dager_analyze of the same
 * pixels: the hook must not change a single result, and a difference here
 * would also expose a session that remembers something between calls.
 * Fills why with the first difference. */
static int same_faces(const dager_result *untimed, const dager_result *timed,
                      char *why, size_t why_size) {
  size_t count = dager_result_face_count(timed);

  if (dager_result_face_count(untimed) != count) {
    snprintf(why, why_size, "dager_analyze found %zu faces, timed run %zu",
             dager_result_face_count(untimed), count);
    return 0;
  }
  for (size_t i = 0; i < count; i++) {
    dager_face one = DAGER_FACE_INIT, two = DAGER_FACE_INIT;
    float first[DAGER_DESCRIPTOR_SIZE], second[DAGER_DESCRIPTOR_SIZE];
    int same;

    if (dager_result_face(untimed, i, &one) != DAGER_OK ||
        dager_result_face(timed, i, &two) != DAGER_OK)
      return 0;
    same = one.x == two.x && one.y == two.y && one.width == two.width &&
           one.height == two.height && one.age == two.age &&
           one.has_landmarks == two.has_landmarks &&
           one.has_descriptor == two.has_descriptor &&
           memcmp(one.landmarks, two.landmarks, sizeof one.landmarks) == 0 &&
           memcmp(one.emotions, two.emotions, sizeof one.emotions) == 0;
    if (same && one.has_descriptor) {
      same = dager_result_descriptor(untimed, i, first) == DAGER_OK &&
             dager_result_descriptor(timed, i, second) == DAGER_OK &&
             memcmp(first, second, sizeof first) == 0;
    }
    if (!same) {
      snprintf(why, why_size, "face %zu differs from dager_analyze's", i);
      return 0;
    }
  }
  return 1;
}

static void bench_photo(const settings *s, dager_session *session,
                        const char *path, photo_result *result) {
  static double decode[2][MAX_RUNS], analyse[2][MAX_RUNS], api[2][MAX_RUNS];
  static double stages[BENCH_STAGE_COUNT][2][MAX_RUNS];
  dager_status status = DAGER_OK;
  int total = s->pipeline_warmup + s->pipeline_runs;

  memset(result, 0, sizeof *result);
  photo_name(path, result->name, sizeof result->name);
  result->matches_api = 1;
  for (int run = 0; run < total; run++) {
    int kept = run - s->pipeline_warmup;
    bench_stage_times times;
    dager_image *image = NULL;
    dager_result *reference = NULL, *timed = NULL;
    double wall = bench_wall_ms(), cpu = bench_cpu_ms();

    memset(&times, 0, sizeof times);
    status = dager_image_load_file(path, 0, &image);
    if (status != DAGER_OK)
      break;
    if (kept >= 0) {
      decode[0][kept] = bench_wall_ms() - wall;
      decode[1][kept] = bench_cpu_ms() - cpu;
    }
    result->width = image->width;
    result->height = image->height;

    wall = bench_wall_ms();
    cpu = bench_cpu_ms();
    status = bench_staged_analyse(session, image, &times, &timed);
    if (kept >= 0) {
      analyse[0][kept] = bench_wall_ms() - wall;
      analyse[1][kept] = bench_cpu_ms() - cpu;
      for (int i = 0; i < BENCH_STAGE_COUNT; i++) {
        stages[i][0][kept] = times.wall[i];
        stages[i][1][kept] = times.cpu[i];
      }
    }
    if (status == DAGER_OK) {
      /* The call without the hook on the same pixels, for the cross-check
       * and to show what the stage clocks cost. */
      wall = bench_wall_ms();
      cpu = bench_cpu_ms();
      status = dager_analyze(session, image, &reference);
      if (kept >= 0) {
        api[0][kept] = bench_wall_ms() - wall;
        api[1][kept] = bench_cpu_ms() - cpu;
      }
    }
    if (status == DAGER_OK && result->matches_api &&
        !same_faces(reference, timed, result->mismatch,
                    sizeof result->mismatch)) {
      result->matches_api = 0;
    }
    if (timed)
      result->faces = dager_result_face_count(timed);
    dager_result_destroy(reference);
    dager_result_destroy(timed);
    dager_image_destroy(image);
    if (status != DAGER_OK)
      break;
  }
  if (status != DAGER_OK) {
    snprintf(result->error, sizeof result->error, "%s: %s",
             dager_status_string(status), dager_last_error_message());
    return;
  }
  result->decode = summarise(decode[0], decode[1], s->pipeline_runs);
  result->analyse = summarise(analyse[0], analyse[1], s->pipeline_runs);
  result->api = summarise(api[0], api[1], s->pipeline_runs);
  for (int i = 0; i < BENCH_STAGE_COUNT; i++) {
    result->stages[i] = summarise(stages[i][0], stages[i][1], s->pipeline_runs);
  }
  result->done = 1;
}

static void bench_pipeline(const settings *s, thread_result *result) {
  dager_options *options = NULL;
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_status status;
  double start = bench_wall_ms();

  status = dager_options_create(&options);
  if (status == DAGER_OK)
    status = dager_options_set_string(options, "models_dir", s->models);
  if (status == DAGER_OK)
    status = dager_options_set_string(options, "detector", s->detector);
  if (status == DAGER_OK) {
    status =
        dager_options_set_int(options, "tiny_input_size", s->tiny_input_size);
  }
  if (status == DAGER_OK)
    status = dager_options_set_int(options, "threads", result->threads);
  if (status == DAGER_OK && s->pipeline_networks) {
    status =
        dager_options_set_string(options, "networks", s->pipeline_networks);
  }
  if (status == DAGER_OK)
    status = dager_engine_create(options, &engine);
  result->engine_load_ms = bench_wall_ms() - start;
  if (status == DAGER_OK)
    status = dager_session_create(engine, &session);
  dager_options_destroy(options);
  if (status != DAGER_OK) {
    snprintf(result->engine_error, sizeof result->engine_error, "%s: %s",
             dager_status_string(status), dager_last_error_message());
  } else {
    for (size_t i = 0; i < s->photo_count; i++)
      bench_photo(s, session, s->photos[i], &result->photos[i]);
  }
  dager_session_destroy(session);
  dager_engine_destroy(engine);
}

/* ------------------------------------------------------------------------
 * Output of one ISA's run
 */

static double gflops(const network_result *n) {
  return n->time.median > 0 ? 2.0 * (double)n->macs / (n->time.median * 1e6)
                            : 0.0;
}

static void json_timing(const char *name, const timing *t, int with_cpu) {
  printf(
      "\"%s\": {\"runs\": %d, \"median_ms\": %.3f, \"p90_ms\": %.3f, "
      "\"min_ms\": %.3f, \"max_ms\": %.3f",
      name, t->runs, t->median, t->p90, t->min, t->max);
  if (with_cpu)
    printf(", \"cpu_median_ms\": %.3f", t->cpu_median);
  printf("}");
}

/* Strings this program prints come from its own tables, file names and
 * the library's messages; quotes and backslashes are all JSON needs
 * escaped among them, with control characters dropped. */
static void json_string(const char *text) {
  putchar('"');
  for (const char *c = text; *c; c++) {
    if (*c == '"' || *c == '\\')
      printf("\\%c", *c);
    else if ((unsigned char)*c >= 0x20)
      putchar(*c);
  }
  putchar('"');
}

static void print_json(const settings *s, const char *isa,
                       const thread_result *results, long rss_kib) {
  printf("{\"isa\": \"%s\", \"peak_rss_kib\": %ld, \"by_threads\": [", isa,
         rss_kib);
  for (size_t t = 0; t < s->thread_count_count; t++) {
    const thread_result *r = &results[t];
    int first = 1;

    printf("%s\n  {\"threads\": %u, \"networks\": {", t ? "," : "", r->threads);
    for (int i = 0; i < NETWORK_COUNT; i++) {
      const network_result *n = &r->networks[i];

      if (!s->network_wanted[i])
        continue;
      printf("%s\n   \"%s\": {", first ? "" : ",", network_names[i]);
      first = 0;
      if (!n->done) {
        printf("\"error\": ");
        json_string(n->error);
        printf("}");
        continue;
      }
      printf(
          "\"input\": [%u, %u, %u], \"macs\": %llu, \"arena_bytes\": %zu, "
          "\"read_ms\": %.3f, \"build_ms\": %.3f, \"gflops\": %.3f, ",
          n->input.h, n->input.w, n->input.c, (unsigned long long)n->macs,
          n->arena_bytes, n->read_ms, n->build_ms, gflops(n));
      json_timing("time", &n->time, 1);
      printf("}");
    }
    printf("}");
    if (s->photo_count) {
      printf(",\n  \"detector\": \"%s\", \"engine_load_ms\": %.3f", s->detector,
             r->engine_load_ms);
      if (r->engine_error[0]) {
        printf(", \"engine_error\": ");
        json_string(r->engine_error);
      }
      printf(", \"pipeline\": {");
      for (size_t p = 0; p < s->photo_count && !r->engine_error[0]; p++) {
        const photo_result *ph = &r->photos[p];

        printf("%s\n   ", p ? "," : "");
        json_string(ph->name);
        printf(": {");
        if (!ph->done) {
          printf("\"error\": ");
          json_string(ph->error);
          printf("}");
          continue;
        }
        printf(
            "\"width\": %d, \"height\": %d, \"faces\": %zu, "
            "\"matches_api\": %s, ",
            ph->width, ph->height, ph->faces,
            ph->matches_api ? "true" : "false");
        if (!ph->matches_api) {
          printf("\"mismatch\": ");
          json_string(ph->mismatch);
          printf(", ");
        }
        printf("\"per_face_ms\": ");
        if (ph->faces)
          printf("%.3f, ", ph->analyse.median / (double)ph->faces);
        else
          printf("null, ");
        json_timing("decode", &ph->decode, 1);
        printf(", ");
        json_timing("analyse", &ph->analyse, 1);
        printf(", ");
        json_timing("dager_analyze", &ph->api, 1);
        for (int i = 0; i < BENCH_STAGE_COUNT; i++) {
          printf(", ");
          json_timing(stage_names[i], &ph->stages[i], 1);
        }
        printf("}");
      }
      printf("}");
    }
    printf("}");
  }
  printf("]}");
}

static void print_table(const settings *s, const char *isa,
                        const thread_result *results, long rss_kib) {
  printf("\n== ISA %s ==\n", isa);
  for (size_t t = 0; t < s->thread_count_count; t++) {
    const thread_result *r = &results[t];
    int any = 0;

    for (int i = 0; i < NETWORK_COUNT; i++)
      any |= s->network_wanted[i];
    if (any) {
      printf(
          "\n%s, %u thread%s: networks (ms over %d runs after %d "
          "warm-up)\n",
          isa, r->threads, r->threads > 1 ? "s" : "", s->runs, s->warmup);
      printf("%-22s %-11s %8s %8s %8s %8s %7s %7s %7s\n", "network", "input",
             "MMAC", "median", "p90", "cpu med", "GFLOP/s", "read", "build");
    }
    for (int i = 0; i < NETWORK_COUNT; i++) {
      const network_result *n = &r->networks[i];
      char input[32];

      if (!s->network_wanted[i])
        continue;
      if (!n->done) {
        printf("%-22s failed: %s\n", network_names[i], n->error);
        continue;
      }
      snprintf(input, sizeof input, "%ux%ux%u", n->input.h, n->input.w,
               n->input.c);
      printf("%-22s %-11s %8.1f %8.2f %8.2f %8.2f %7.2f %7.1f %7.1f\n",
             network_names[i], input, (double)n->macs / 1e6, n->time.median,
             n->time.p90, n->time.cpu_median, gflops(n), n->read_ms,
             n->build_ms);
    }
    if (!s->photo_count)
      continue;
    printf(
        "\n%s, %u thread%s: pipeline, %s detector (median ms over %d "
        "runs; engine load %.1f ms)\n",
        isa, r->threads, r->threads > 1 ? "s" : "", s->detector,
        s->pipeline_runs, r->engine_load_ms);
    if (r->engine_error[0]) {
      printf("engine failed: %s\n", r->engine_error);
      continue;
    }
    printf("%-10s %-9s %5s %7s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", "photo",
           "size", "faces", "decode", "detect", "landmk", "align", "attrib",
           "total", "p90", "per face", "cpu", "api");
    for (size_t p = 0; p < s->photo_count; p++) {
      const photo_result *ph = &r->photos[p];
      char size[32];

      if (!ph->done) {
        printf("%-10s failed: %s\n", ph->name, ph->error);
        continue;
      }
      snprintf(size, sizeof size, "%dx%d", ph->width, ph->height);
      printf("%-10s %-9s %5zu %7.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f ",
             ph->name, size, ph->faces, ph->decode.median,
             ph->stages[BENCH_STAGE_DETECT].median,
             ph->stages[BENCH_STAGE_LANDMARKS].median,
             ph->stages[BENCH_STAGE_ALIGN].median,
             ph->stages[BENCH_STAGE_ATTRIBUTES].median, ph->analyse.median,
             ph->analyse.p90);
      if (ph->faces)
        printf("%8.2f", ph->analyse.median / (double)ph->faces);
      else
        printf("%8s", "-");
      printf(" %8.2f %8.2f%s\n", ph->analyse.cpu_median, ph->api.median,
             ph->matches_api ? "" : "  MISMATCH");
      if (!ph->matches_api)
        printf("  %s\n", ph->mismatch);
    }
    printf(
        "(wall clock; total = detect + landmarks + align + attributes, "
        "decode not included; cpu = process CPU time of total; api = "
        "dager_analyze on the decoded pixels)\n");
  }
  printf("\npeak resident memory of this ISA's process: %.1f MiB\n",
         (double)rss_kib / 1024.0);
}

/* One ISA: the process's kernel table was chosen from DAGER_ISA. */
static int run_child(const settings *s) {
  const dager_kernels *kernels = dager_kernels_best();
  static thread_result results[MAX_THREAD_COUNTS];

  if (strcmp(kernels->name, s->child_isa) != 0) {
    fprintf(stderr, "bench_pipeline: DAGER_ISA=%s gave the %s kernels\n",
            s->child_isa, kernels->name);
    return 1;
  }
  for (size_t t = 0; t < s->thread_count_count; t++) {
    thread_result *r = &results[t];
    dager_thread_pool *pool = NULL;

    r->threads = s->thread_counts[t];
    if (r->threads > 1 &&
        dager_thread_pool_create(r->threads, &pool) != DAGER_OK) {
      fprintf(stderr, "bench_pipeline: no thread pool of %u\n", r->threads);
      return 1;
    }
    for (int i = 0; i < NETWORK_COUNT; i++) {
      if (!s->network_wanted[i])
        continue;
      fprintf(stderr, "bench %s %u thread(s) %s\n", kernels->name, r->threads,
              network_names[i]);
      bench_network(s, i, pool, &r->networks[i]);
    }
    dager_thread_pool_destroy(pool);
    if (s->photo_count) {
      fprintf(stderr, "bench %s %u thread(s) pipeline\n", kernels->name,
              r->threads);
      bench_pipeline(s, r);
    }
  }
  if (s->json)
    print_json(s, kernels->name, results, peak_rss_kib());
  else
    print_table(s, kernels->name, results, peak_rss_kib());
  fflush(stdout);
  return 0;
}

/* ------------------------------------------------------------------------
 * Memory: what a loaded model and its network keep resident.
 */

static double resident_mib(void) {
  FILE *stream = fopen("/proc/self/statm", "r");
  unsigned long size = 0, resident = 0;

  if (!stream)
    return -1;
  if (fscanf(stream, "%lu %lu", &size, &resident) != 2)
    resident = 0;
  fclose(stream);
  return (double)resident * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

/* Bytes of the model's float tensors, and of those among them that the
 * network packs into its own copy (filters of convolutions, depthwise
 * convolutions and fully connected layers), and of the packed copy. */
static void weight_bytes(const dager_network *network, size_t *all_floats,
                         size_t *packed_sources, size_t *packed) {
  const dager_model *model = network->model;
  const dager_kernels *kernels = network->kernels;

  *all_floats = *packed_sources = *packed = 0;
  for (uint32_t i = 0; i < model->tensor_count; i++)
    *all_floats += model->tensors[i].element_count * sizeof(float);
  for (uint32_t i = 0; i < network->step_count; i++) {
    const dager_nn_step *step = &network->steps[i];
    size_t bytes;

    if (step->op == DAGER_OP_CONV2D)
      bytes = kernels->conv2d_packed_size(&step->window);
    else if (step->op == DAGER_OP_DEPTHWISE_CONV2D)
      bytes = kernels->depthwise_packed_size(&step->window);
    else if (step->op == DAGER_OP_FULLY_CONNECTED)
      bytes = kernels->fully_connected_packed_size(step->fc_in, step->fc_out);
    else
      continue;
    *packed += (bytes + 63) / 64 * 64;
    *packed_sources +=
        model->tensors[step->node->weights[0]].element_count * sizeof(float);
  }
}

static int report_memory(const settings *s) {
  dager_model *models[NETWORK_COUNT] = {NULL};
  dager_network *networks[NETWORK_COUNT] = {NULL};
  double start = resident_mib();
  double totals[3] = {0, 0, 0};
  int failed = 0;

  printf("kernels %s; resident at start %.1f MiB\n", dager_kernels_best()->name,
         start);
  printf("%-22s %9s %9s %9s %9s %9s %9s %9s\n", "model", "file", "floats",
         "packable", "packed", "arena", "+RSS rd", "+RSS bld");
  for (int i = 0; i < NETWORK_COUNT && !failed; i++) {
    char path[4096];
    size_t floats, sources, packed;
    double before, after_read;
    FILE *file;
    long file_bytes = -1;

    snprintf(path, sizeof path, "%s/%s.dager", s->models, network_names[i]);
    file = fopen(path, "rb");
    if (file && fseek(file, 0, SEEK_END) == 0)
      file_bytes = ftell(file);
    if (file)
      fclose(file);
    before = resident_mib();
    if (dager_model_read_file(path, &models[i]) != DAGER_OK ||
        (after_read = resident_mib(),
         dager_network_create(models[i], NULL, &networks[i]) != DAGER_OK)) {
      fprintf(stderr, "bench_pipeline: %s: %s\n", path,
              dager_last_error_message());
      failed = 1;
      break;
    }
    weight_bytes(networks[i], &floats, &sources, &packed);
    totals[0] += (double)floats;
    totals[1] += (double)sources;
    totals[2] += (double)packed;
    printf("%-22s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f\n",
           network_names[i], (double)file_bytes / 1048576.0,
           (double)floats / 1048576.0, (double)sources / 1048576.0,
           (double)packed / 1048576.0,
           (double)dager_network_arena_size(networks[i]) / 1048576.0,
           after_read - before, resident_mib() - after_read);
  }
  printf("%-22s %9s %9.2f %9.2f %9.2f\n", "all", "", totals[0] / 1048576.0,
         totals[1] / 1048576.0, totals[2] / 1048576.0);
  printf(
      "resident with all loaded %.1f MiB, peak %.1f MiB (MiB columns; "
      "packable = float filters the network has packed its own copy "
      "of, still held by the model)\n",
      resident_mib(), (double)peak_rss_kib() / 1024.0);
  for (int i = 0; i < NETWORK_COUNT; i++) {
    dager_network_destroy(networks[i]);
    dager_model_destroy(models[i]);
  }
  return failed;
}

/* ------------------------------------------------------------------------
 * Profile: thread CPU time per kind of operation.
 */

typedef enum op_kind {
  OP_STEM,      /* convolution over at most 4 input channels */
  OP_POINTWISE, /* 1x1 convolution */
  OP_CONV,      /* other convolutions */
  OP_DEPTHWISE,
  OP_FULLY_CONNECTED,
  OP_POOL,
  OP_ELEMENTWISE, /* add, affine, activations, softmax, sigmoid */
  OP_WINOGRAD,    /* 3x3 stride-1 convolutions run as Winograd */
  OP_KIND_COUNT
} op_kind;

static const char *const op_kind_names[OP_KIND_COUNT] = {
    "stem conv", "1x1 conv", "kxk conv", "depthwise",
    "fc",        "pool",     "eltwise",  "winograd"};

/* The kernel slots carry no context, so the timed copy reaches the real
 * table and the counters through file-scope state; --profile runs on one
 * thread only. */
static const dager_kernels *profiled_base;
static double profiled_ms[OP_KIND_COUNT];

static double thread_cpu_ms(void) {
  struct timespec time;

  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
  return (double)time.tv_sec * 1e3 + (double)time.tv_nsec * 1e-6;
}

static void timed_conv2d(const dager_window *w, const float *input,
                         const float *packed, const dager_epilogue *epilogue,
                         float *output, uint32_t row_begin, uint32_t row_end,
                         void *scratch) {
  double start = thread_cpu_ms();
  op_kind kind = w->in_c <= 4                           ? OP_STEM
                 : w->kernel_h == 1 && w->kernel_w == 1 ? OP_POINTWISE
                                                        : OP_CONV;

  profiled_base->conv2d(w, input, packed, epilogue, output, row_begin, row_end,
                        scratch);
  profiled_ms[kind] += thread_cpu_ms() - start;
}

static void timed_winograd(const dager_window *w, const float *input,
                           const float *packed, const dager_epilogue *epilogue,
                           float *output, uint32_t row_begin, uint32_t row_end,
                           void *scratch) {
  double start = thread_cpu_ms();

  profiled_base->winograd_conv2d(w, input, packed, epilogue, output, row_begin,
                                 row_end, scratch);
  profiled_ms[OP_WINOGRAD] += thread_cpu_ms() - start;
}

/* The stem kernels count as stem convolutions; the fused one includes
 * the 2x2/2 max pool it computes. */
static void timed_stem_conv2d(const dager_window *w, const float *input,
                              const float *packed,
                              const dager_epilogue *epilogue, float *output,
                              uint32_t row_begin, uint32_t row_end) {
  double start = thread_cpu_ms();

  profiled_base->stem_conv2d(w, input, packed, epilogue, output, row_begin,
                             row_end);
  profiled_ms[OP_STEM] += thread_cpu_ms() - start;
}

static void timed_stem_conv2d_max_pool(const dager_window *conv,
                                       const dager_window *pool,
                                       const float *input, const float *packed,
                                       const dager_epilogue *epilogue,
                                       float *output, uint32_t row_begin,
                                       uint32_t row_end) {
  double start = thread_cpu_ms();

  profiled_base->stem_conv2d_max_pool(conv, pool, input, packed, epilogue,
                                      output, row_begin, row_end);
  profiled_ms[OP_STEM] += thread_cpu_ms() - start;
}

static void timed_depthwise(const dager_window *w, const float *input,
                            const float *packed, const dager_epilogue *epilogue,
                            float *output, uint32_t row_begin,
                            uint32_t row_end) {
  double start = thread_cpu_ms();

  profiled_base->depthwise_conv2d(w, input, packed, epilogue, output, row_begin,
                                  row_end);
  profiled_ms[OP_DEPTHWISE] += thread_cpu_ms() - start;
}

static void timed_fully_connected(uint32_t in, uint32_t out, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t col_begin, uint32_t col_end) {
  double start = thread_cpu_ms();

  profiled_base->fully_connected(in, out, input, packed, epilogue, output,
                                 col_begin, col_end);
  profiled_ms[OP_FULLY_CONNECTED] += thread_cpu_ms() - start;
}

static void timed_max_pool(const dager_window *w, const float *input,
                           float *output, uint32_t row_begin,
                           uint32_t row_end) {
  double start = thread_cpu_ms();

  profiled_base->max_pool(w, input, output, row_begin, row_end);
  profiled_ms[OP_POOL] += thread_cpu_ms() - start;
}

static void timed_average_pool(const dager_window *w, const float *input,
                               float *output, uint32_t row_begin,
                               uint32_t row_end) {
  double start = thread_cpu_ms();

  profiled_base->average_pool(w, input, output, row_begin, row_end);
  profiled_ms[OP_POOL] += thread_cpu_ms() - start;
}

static void timed_global_average_pool(uint32_t pixels, uint32_t channels,
                                      const float *input, float *output) {
  double start = thread_cpu_ms();

  profiled_base->global_average_pool(pixels, channels, input, output);
  profiled_ms[OP_POOL] += thread_cpu_ms() - start;
}

static void timed_elementwise(size_t count, uint32_t channels, const float *a,
                              const float *b, const dager_epilogue *epilogue,
                              float *out) {
  double start = thread_cpu_ms();

  profiled_base->elementwise(count, channels, a, b, epilogue, out);
  profiled_ms[OP_ELEMENTWISE] += thread_cpu_ms() - start;
}

static void timed_softmax(size_t count, const float *input, float *output) {
  double start = thread_cpu_ms();

  profiled_base->softmax(count, input, output);
  profiled_ms[OP_ELEMENTWISE] += thread_cpu_ms() - start;
}

static void timed_sigmoid(size_t count, const float *input, float *output) {
  double start = thread_cpu_ms();

  profiled_base->sigmoid(count, input, output);
  profiled_ms[OP_ELEMENTWISE] += thread_cpu_ms() - start;
}

static int report_profile(const settings *s) {
  dager_kernels timed = *dager_kernels_best();

  profiled_base = dager_kernels_best();
  timed.conv2d = timed_conv2d;
  timed.winograd_conv2d = timed_winograd;
  timed.depthwise_conv2d = timed_depthwise;
  timed.fully_connected = timed_fully_connected;
  timed.max_pool = timed_max_pool;
  timed.average_pool = timed_average_pool;
  timed.global_average_pool = timed_global_average_pool;
  timed.elementwise = timed_elementwise;
  timed.softmax = timed_softmax;
  timed.sigmoid = timed_sigmoid;
  timed.stem_conv2d = timed_stem_conv2d;
  timed.stem_conv2d_max_pool = timed_stem_conv2d_max_pool;

  printf(
      "kernels %s, one thread; thread CPU ms per run (mean over %d runs "
      "after %d warm-up), and share of it per kind of operation; rest = "
      "runtime and clock overhead\n",
      profiled_base->name, s->runs, s->warmup);
  printf("%-22s %8s", "network", "ms");
  for (int k = 0; k < OP_KIND_COUNT; k++)
    printf(" %9s", op_kind_names[k]);
  printf(" %6s\n", "rest");
  for (int i = 0; i < NETWORK_COUNT; i++) {
    char path[4096];
    dager_model *model = NULL;
    dager_network *network = NULL;
    dager_network_workspace *workspace = NULL;
    double total = 0, accounted = 0;

    if (!s->network_wanted[i])
      continue;
    snprintf(path, sizeof path, "%s/%s.dager", s->models, network_names[i]);
    if (dager_model_read_file(path, &model) != DAGER_OK ||
        (i == 1 && model->input_h != (uint32_t)s->tiny_input_size
             ? dager_network_create_sized(
                   model, &timed, (uint32_t)s->tiny_input_size,
                   (uint32_t)s->tiny_input_size, &network)
             : dager_network_create(model, &timed, &network)) != DAGER_OK ||
        dager_network_workspace_create(network, NULL, &workspace) != DAGER_OK) {
      fprintf(stderr, "bench_pipeline: %s: %s\n", path,
              dager_last_error_message());
      dager_network_destroy(network);
      dager_model_destroy(model);
      return 1;
    }
    write_pattern(model, dager_network_input_shape(network),
                  dager_network_input(workspace));
    for (int r = 0; r < s->warmup; r++)
      (void)dager_network_run(network, workspace);
    memset(profiled_ms, 0, sizeof profiled_ms);
    for (int r = 0; r < s->runs; r++) {
      double start = thread_cpu_ms();

      (void)dager_network_run(network, workspace);
      total += thread_cpu_ms() - start;
    }
    printf("%-22s %8.2f", network_names[i], total / s->runs);
    for (int k = 0; k < OP_KIND_COUNT; k++) {
      printf(" %8.1f%%", total > 0 ? 100 * profiled_ms[k] / total : 0.0);
      accounted += profiled_ms[k];
    }
    printf(" %5.1f%%\n", total > 0 ? 100 * (total - accounted) / total : 0.0);
    dager_network_workspace_destroy(workspace);
    dager_network_destroy(network);
    dager_model_destroy(model);
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * The driver: machine description, one child process per ISA.
 */

/* Copies the first "model name" line and whether the flags that matter to
 * the kernels are present. */
static void describe_cpu(char *model, size_t model_size, char *flags,
                         size_t flags_size) {
  static const char *const wanted[] = {
      "sse4_1", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "asimd"};
  FILE *info = fopen("/proc/cpuinfo", "r");
  char line[8192];
  int have_model = 0, have_flags = 0;

  snprintf(model, model_size, "unknown");
  flags[0] = '\0';
  if (!info)
    return;
  while (fgets(line, sizeof line, info)) {
    char *colon = strchr(line, ':');

    if (!colon)
      continue;
    colon[strcspn(colon, "\n")] = '\0';
    if (!have_model && strncmp(line, "model name", 10) == 0) {
      snprintf(model, model_size, "%s", colon + 2);
      have_model = 1;
    } else if (!have_flags && (strncmp(line, "flags", 5) == 0 ||
                               strncmp(line, "Features", 8) == 0)) {
      for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        char padded[32];
        char *copy = colon + 1;
        size_t used = strlen(flags);

        snprintf(padded, sizeof padded, " %s", wanted[i]);
        /* Whole words only: " fma" must not match " fma4". */
        for (char *at = strstr(copy, padded); at; at = strstr(at + 1, padded)) {
          char after = at[strlen(padded)];

          if (after == ' ' || after == '\0') {
            snprintf(flags + used, flags_size - used, "%s%s", used ? " " : "",
                     wanted[i]);
            break;
          }
        }
      }
      have_flags = 1;
    }
  }
  fclose(info);
}

static void load_average(double values[3]) {
  FILE *stream = fopen("/proc/loadavg", "r");

  values[0] = values[1] = values[2] = -1;
  if (!stream)
    return;
  if (fscanf(stream, "%lf %lf %lf", &values[0], &values[1], &values[2]) != 3)
    values[0] = values[1] = values[2] = -1;
  fclose(stream);
}

static int isa_wanted(const settings *s, const char *name) {
  char copy[128];
  char *save = NULL;

  if (strcmp(s->isa_list, "all") == 0)
    return 1;
  if (strcmp(s->isa_list, "best") == 0)
    return strcmp(name, dager_kernels_best()->name) == 0;
  snprintf(copy, sizeof copy, "%s", s->isa_list);
  for (char *item = strtok_r(copy, ",", &save); item;
       item = strtok_r(NULL, ",", &save)) {
    if (strcmp(item, name) == 0)
      return 1;
  }
  return 0;
}

static int run_isa(int argc, char **argv, const char *isa) {
  static char child_flag[] = "--child-isa";
  char isa_copy[32];
  char **child_argv = calloc((size_t)argc + 3, sizeof *child_argv);
  pid_t pid;
  int status = 0;

  if (!child_argv)
    return 1;
  for (int i = 0; i < argc; i++)
    child_argv[i] = argv[i];
  snprintf(isa_copy, sizeof isa_copy, "%s", isa);
  child_argv[argc] = child_flag;
  child_argv[argc + 1] = isa_copy;
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    setenv("DAGER_ISA", isa, 1);
    execv("/proc/self/exe", child_argv);
    perror("bench_pipeline: execv");
    _exit(127);
  }
  free(child_argv);
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    return 1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int write_ppms(const settings *s) {
  for (size_t i = 0; i < s->photo_count; i++) {
    char name[64], path[4096];
    dager_image *image = NULL;
    FILE *out;
    size_t bytes;

    if (dager_image_load_file(s->photos[i], 0, &image) != DAGER_OK) {
      fprintf(stderr, "bench_pipeline: %s: %s\n", s->photos[i],
              dager_last_error_message());
      return 1;
    }
    photo_name(s->photos[i], name, sizeof name);
    snprintf(path, sizeof path, "%s/%s.ppm", s->write_ppm, name);
    out = fopen(path, "wb");
    bytes = (size_t)dager_image_width(image) *
            (size_t)dager_image_height(image) * 3;
    if (!out ||
        fprintf(out, "P6\n%d %d\n255\n", dager_image_width(image),
                dager_image_height(image)) < 0 ||
        fwrite(dager_image_pixels(image), 1, bytes, out) != bytes) {
      fprintf(stderr, "bench_pipeline: cannot write %s\n", path);
      if (out)
        fclose(out);
      dager_image_destroy(image);
      return 1;
    }
    fclose(out);
    dager_image_destroy(image);
  }
  return 0;
}

int main(int argc, char **argv) {
  settings s;
  char model[256], flags[256];
  double load_start[3], load_end[3];
  int failures = 0, first = 1;

  parse_arguments(argc, argv, &s);
  if (s.write_ppm)
    return write_ppms(&s);
  if (s.child_isa)
    return run_child(&s);
  if (s.memory)
    return report_memory(&s);
  if (s.profile)
    return report_profile(&s);
  if (s.throughput) {
    return bench_throughput(s.models, s.detector, s.photos, s.photo_count,
                            s.throughput, s.pipeline_runs, s.json);
  }

  describe_cpu(model, sizeof model, flags, sizeof flags);
  load_average(load_start);
  if (s.json) {
    printf("{\"tool\": \"bench/pipeline/bench_pipeline\", \"libdager\": ");
    json_string(dager_version_string());
    printf(", \"cpu\": ");
    json_string(model);
    printf(
        ", \"cpu_flags\": \"%s\", \"online_cpus\": %ld, "
        "\"load_average_at_start\": [%.2f, %.2f, %.2f], "
        "\"warmup\": %d, \"runs\": %d, \"pipeline_warmup\": %d, "
        "\"pipeline_runs\": %d,\n\"isas\": [",
        flags, sysconf(_SC_NPROCESSORS_ONLN), load_start[0], load_start[1],
        load_start[2], s.warmup, s.runs, s.pipeline_warmup, s.pipeline_runs);
  } else {
    printf(
        "libdager %s; %s; flags: %s; %ld CPUs online; load average "
        "%.2f %.2f %.2f\n",
        dager_version_string(), model, flags, sysconf(_SC_NPROCESSORS_ONLN),
        load_start[0], load_start[1], load_start[2]);
  }
  for (int isa = 0; isa < DAGER_ISA_COUNT; isa++) {
    const char *name = dager_isa_name((dager_isa)isa);

    if (!dager_kernels_for_isa((dager_isa)isa) || !isa_wanted(&s, name))
      continue;
    if (s.json && !first)
      printf(",\n");
    first = 0;
    if (run_isa(argc, argv, name) != 0) {
      failures++;
      /* A failed run printed nothing; keep the JSON whole. */
      if (s.json)
        printf("{\"isa\": \"%s\", \"error\": \"run failed\"}", name);
    }
  }
  load_average(load_end);
  if (s.json) {
    printf("],\n\"load_average_at_end\": [%.2f, %.2f, %.2f]}\n", load_end[0],
           load_end[1], load_end[2]);
  } else {
    printf("\nload average at end %.2f %.2f %.2f\n", load_end[0], load_end[1],
           load_end[2]);
  }
  return failures ? 1 : 0;
}
