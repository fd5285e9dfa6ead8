/*
 * The model reader against a synthetic file built here with the writer:
 * a round trip, then corruptions of every kind the format can suffer. Each
 * corrupt file must fail with a status, never crash or leak; run under the
 * ASan/UBSan build (tools/test.sh --sanitize) to see over-reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/memory.h"
#include "dager.h"
#include "model/format.h"
#include "model/model.h"
#include "model/shapes.h"
#include "model/writer.h"
#include "synthetic_model.h"

static uint8_t *model_bytes;
static size_t model_size;

static int setup(void **state) {
  (void)state;
  return synthetic_model_bytes(&model_bytes, &model_size) == DAGER_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  dager_mem_free(model_bytes);
  return 0;
}

static uint8_t *copy_of(size_t size) {
  uint8_t *copy = malloc(size ? size : 1);

  assert_non_null(copy);
  memcpy(copy, model_bytes, size < model_size ? size : model_size);
  return copy;
}

/* Reads a buffer that must be rejected with status, and checks that a
 * message was recorded. */
static void expect_failure(const uint8_t *bytes, size_t size,
                           dager_status expected) {
  dager_model *model = (dager_model *)1;
  dager_status status = dager_model_read_memory(bytes, size, &model);

  if (status != expected) {
    fail_msg("expected status %d, got %d (%s)", (int)expected, (int)status,
             dager_last_error_message());
  }
  assert_null(model);
  assert_true(strlen(dager_last_error_message()) > 0);
}

static void expect_message(const uint8_t *bytes, size_t size,
                           const char *fragment) {
  expect_failure(bytes, size, DAGER_ERROR_MODEL_INVALID);
  if (!strstr(dager_last_error_message(), fragment)) {
    fail_msg("message \"%s\" lacks \"%s\"", dager_last_error_message(),
             fragment);
  }
}

static uint64_t header_u64(unsigned offset) {
  return dager_format_load_u64(model_bytes + offset);
}

static void test_round_trip(void **state) {
  dager_model *model;
  const dager_model_tensor *filter;
  dager_model_shape shapes[SYNTHETIC_NODE_COUNT + 1];
  float anchors[8];
  uint32_t count;
  int32_t id;

  (void)state;
  assert_int_equal(dager_model_read_memory(model_bytes, model_size, &model),
                   DAGER_OK);
  assert_int_equal(model->format_version, 1);
  assert_string_equal(model->task, "test");
  assert_int_equal(model->input_h, 8);
  assert_int_equal(model->input_w, 8);
  assert_int_equal(model->input_c, 3);
  assert_string_equal(model->channel_order, "RGB");
  assert_true(model->mean[0] == 122.782f);
  assert_true(model->mean[2] == 104.298f);
  assert_true(model->divisor[1] == 255.0f);
  assert_int_equal(model->label_count, 3);
  assert_string_equal(model->labels[0], "one");
  assert_string_equal(model->labels[2], "three");
  assert_int_equal(model->tensor_count, SYNTHETIC_TENSOR_COUNT);
  assert_int_equal(model->node_count, SYNTHETIC_NODE_COUNT);
  assert_int_equal(model->value_count, SYNTHETIC_NODE_COUNT + 1);
  assert_int_equal(model->output_count, 2);
  assert_int_equal(dager_model_find_output(model, SYNTHETIC_OUTPUT_SCORES), 13);
  assert_int_equal(dager_model_find_output(model, "missing"), -1);

  id = dager_model_find_tensor(model, "conv/filter");
  assert_int_equal(id, 0);
  filter = &model->tensors[id];
  assert_int_equal(filter->stored_dtype, DAGER_DTYPE_U8_AFFINE);
  assert_int_equal(filter->rank, 4);
  assert_int_equal(filter->element_count, 108);
  assert_true(((uintptr_t)filter->data & 63) == 0);
  for (size_t i = 0; i < filter->element_count; i++) {
    float expected =
        (float)((double)synthetic_quantised_byte(i) * SYNTHETIC_SCALE +
                SYNTHETIC_MIN);

    assert_true(filter->data[i] == expected);
  }
  id = dager_model_find_tensor(model, "conv/bias");
  assert_true(model->tensors[id].data[0] == 0.1f - 8 * 0.015625f);
  assert_int_equal(dager_model_find_tensor(model, "nope"), -1);

  assert_int_equal(model->nodes[1].op, DAGER_OP_DEPTHWISE_CONV2D);
  assert_int_equal(model->nodes[1].stride_h, 2);
  assert_true(model->nodes[1].clamp_max == 6.0f);
  assert_true(model->nodes[4].alpha == 0.1f);
  assert_int_equal(model->nodes[7].pad_right, 1);
  assert_string_equal(model->nodes[10].name, "concat");

  assert_int_equal(
      dager_model_metadata_floats(model, "anchors", anchors, 8, &count),
      DAGER_OK);
  assert_int_equal(count, 6);
  assert_true(anchors[0] == 1.603231f);
  assert_true(anchors[3] == 7.080126f);
  assert_true(anchors[4] == -2.5e-3f);
  assert_true(anchors[5] == 100.0f);
  assert_int_equal(
      dager_model_metadata_floats(model, "anchors", anchors, 5, &count),
      DAGER_ERROR_MODEL_INVALID);
  assert_int_equal(dager_model_metadata_uint(model, "input_width", &count),
                   DAGER_OK);
  assert_int_equal(count, 8);
  assert_int_equal(dager_model_metadata_uint(model, "task", &count),
                   DAGER_ERROR_MODEL_INVALID);

  assert_int_equal(dager_model_infer_shapes(model, 8, 8, shapes), DAGER_OK);
  assert_int_equal(shapes[2].h, 4);
  assert_int_equal(shapes[8].h, 3);
  assert_int_equal(shapes[8].c, 8);
  assert_int_equal(shapes[11].c, 16);
  assert_int_equal(shapes[14].c, 3);
  /* A 4x4 input leaves the valid 3x3 average pool 2x2... then 1x1 the
   * concat still agrees; a 2x2 input makes the 3x3 valid pool impossible. */
  assert_int_equal(dager_model_infer_shapes(model, 2, 2, shapes),
                   DAGER_ERROR_MODEL_INVALID);
  dager_model_destroy(model);
  dager_model_destroy(NULL);
}

static void test_file_round_trip(void **state) {
  char path[] = "/tmp/dager-model-test-XXXXXX";
  int descriptor = mkstemp(path);
  dager_model *model;

  (void)state;
  assert_true(descriptor >= 0);
  assert_int_equal(write(descriptor, model_bytes, model_size),
                   (ssize_t)model_size);
  close(descriptor);
  assert_int_equal(dager_model_read_file(path, &model), DAGER_OK);
  assert_string_equal(model->task, "test");
  dager_model_destroy(model);
  unlink(path);

  assert_int_equal(dager_model_read_file(path, &model), DAGER_ERROR_IO);
  assert_null(model);
  assert_int_equal(dager_model_read_file("/tmp", &model), DAGER_ERROR_IO);
  assert_int_equal(dager_model_read_file(NULL, &model),
                   DAGER_ERROR_INVALID_ARGUMENT);
  assert_int_equal(dager_model_read_memory(NULL, 10, &model),
                   DAGER_ERROR_INVALID_ARGUMENT);
}

/* Every prefix of the file is rejected (the header's size disagrees). */
static void test_truncated_at_every_byte(void **state) {
  (void)state;
  for (size_t size = 0; size < model_size; size++) {
    uint8_t *copy = copy_of(size);

    expect_failure(copy, size, DAGER_ERROR_MODEL_INVALID);
    free(copy);
  }
}

/* Truncated at each section boundary with the header made consistent
 * (size and checksum), so the section checks themselves must catch it. */
static void test_truncated_at_section_boundaries(void **state) {
  static const unsigned offsets[] = {
      DAGER_HEADER_STRINGS_OFFSET, DAGER_HEADER_METADATA_OFFSET,
      DAGER_HEADER_TENSORS_OFFSET, DAGER_HEADER_NODES_OFFSET,
      DAGER_HEADER_OUTPUTS_OFFSET, DAGER_HEADER_DATA_OFFSET};

  (void)state;
  for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
    size_t boundary = (size_t)header_u64(offsets[i]);

    for (size_t size = boundary > 8 ? boundary - 8 : DAGER_FORMAT_HEADER_SIZE;
         size <= boundary + 8 && size < model_size; size++) {
      uint8_t *copy;

      if (size < DAGER_FORMAT_HEADER_SIZE)
        continue;
      copy = copy_of(size);
      dager_format_store_u64(copy + DAGER_HEADER_FILE_SIZE, size);
      dager_format_seal(copy, size);
      expect_failure(copy, size, DAGER_ERROR_MODEL_INVALID);
      free(copy);
    }
  }
}

static void test_single_byte_flips_fail_checksum(void **state) {
  (void)state;
  for (size_t i = 0; i < model_size; i++) {
    uint8_t *copy = copy_of(model_size);
    dager_model *model;
    dager_status status;

    copy[i] ^= 0x5a;
    status = dager_model_read_memory(copy, model_size, &model);
    /* A flip in the version field is reported as a version problem. */
    if (i >= DAGER_HEADER_VERSION && i < DAGER_HEADER_VERSION + 4) {
      assert_int_equal(status, DAGER_ERROR_MODEL_VERSION);
    } else {
      assert_int_equal(status, DAGER_ERROR_MODEL_INVALID);
    }
    free(copy);
  }
}

/* Flips with a valid checksum: the structural checks alone must hold. Some
 * flips (inside a weight or a label) still give a valid model; the rest
 * must fail cleanly. */
static void test_resealed_flips_never_crash(void **state) {
  static const uint8_t masks[] = {0x01, 0x80, 0xff, 0x10};
  size_t accepted = 0;
  size_t rejected = 0;

  (void)state;
  for (size_t m = 0; m < sizeof masks; m++) {
    for (size_t i = DAGER_FORMAT_CHECKSUMMED_FROM; i < model_size; i++) {
      uint8_t *copy = copy_of(model_size);
      dager_model *model;
      dager_model_shape shapes[SYNTHETIC_NODE_COUNT + 1];

      copy[i] ^= masks[m];
      dager_format_seal(copy, model_size);
      if (dager_model_read_memory(copy, model_size, &model) == DAGER_OK) {
        if (model->value_count <= SYNTHETIC_NODE_COUNT + 1) {
          /* Its verdict may go either way; it must not crash. */
          (void)dager_model_infer_shapes(model, model->input_h, model->input_w,
                                         shapes);
        }
        dager_model_destroy(model);
        accepted++;
      } else {
        assert_null(model);
        rejected++;
      }
      free(copy);
    }
  }
  assert_true(rejected > accepted);
}

static void patch_u32_and_expect(unsigned offset, uint32_t value,
                                 const char *fragment) {
  uint8_t *copy = copy_of(model_size);

  dager_format_store_u32(copy + offset, value);
  dager_format_seal(copy, model_size);
  expect_message(copy, model_size, fragment);
  free(copy);
}

static void patch_u64_and_expect(unsigned offset, uint64_t value,
                                 const char *fragment) {
  uint8_t *copy = copy_of(model_size);

  dager_format_store_u64(copy + offset, value);
  dager_format_seal(copy, model_size);
  expect_message(copy, model_size, fragment);
  free(copy);
}

static void test_huge_counts(void **state) {
  (void)state;
  patch_u32_and_expect(DAGER_HEADER_TENSOR_COUNT, UINT32_MAX, "limits");
  patch_u32_and_expect(DAGER_HEADER_NODE_COUNT, UINT32_MAX, "limits");
  patch_u32_and_expect(DAGER_HEADER_METADATA_COUNT, 0x10000000u, "limits");
  patch_u32_and_expect(DAGER_HEADER_OUTPUT_COUNT, 100000, "limits");
  patch_u32_and_expect(DAGER_HEADER_VALUE_COUNT, UINT32_MAX, "values");
  /* Within the limits but past the end of the file. */
  patch_u32_and_expect(DAGER_HEADER_TENSOR_COUNT, 60000, "tensor section");
  patch_u32_and_expect(DAGER_HEADER_METADATA_COUNT, 60000, "section");
  patch_u64_and_expect(DAGER_HEADER_STRINGS_SIZE, UINT64_MAX, "string");
  patch_u64_and_expect(DAGER_HEADER_DATA_SIZE, UINT64_MAX - 10, "data");
  patch_u64_and_expect(DAGER_HEADER_DATA_OFFSET, UINT64_MAX - 63, "data");
  patch_u64_and_expect(DAGER_HEADER_TENSORS_OFFSET, 0, "tensor section");
}

static unsigned tensor_field(uint32_t tensor, unsigned field) {
  return (unsigned)header_u64(DAGER_HEADER_TENSORS_OFFSET) +
         tensor * DAGER_FORMAT_TENSOR_RECORD_SIZE + field;
}

static unsigned node_field(uint32_t node, unsigned field) {
  return (unsigned)header_u64(DAGER_HEADER_NODES_OFFSET) +
         node * DAGER_FORMAT_NODE_RECORD_SIZE + field;
}

static void test_bad_tensors(void **state) {
  uint64_t first_offset =
      dager_format_load_u64(model_bytes + tensor_field(0, 32));
  uint64_t data_size = header_u64(DAGER_HEADER_DATA_SIZE);

  (void)state;
  /* Overlap: tensor 1 (4 floats) moved onto tensor 0's bytes. */
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_DATA_OFFSET), first_offset,
                       "share data bytes");
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_DATA_OFFSET), data_size,
                       "outside");
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_DATA_OFFSET),
                       UINT64_MAX - 15, "outside");
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_DATA_OFFSET), 8, "aligned");
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_DATA_SIZE), 20,
                       "do not match");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_SHAPE), 0xffffffffu,
                       "do not match");
  patch_u32_and_expect(tensor_field(0, DAGER_TENSOR_SHAPE + 4), 0xffffffffu,
                       "do not match");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_SHAPE + 4), 5,
                       "dimension 1");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_RANK), 7, "rank 7");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_DTYPE), 3, "dtype");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_NAME), 0x7fffffff,
                       "string");
  patch_u32_and_expect(tensor_field(1, DAGER_TENSOR_NAME),
                       dager_format_load_u32(model_bytes + tensor_field(0, 0)),
                       "appears twice");
  patch_u64_and_expect(tensor_field(0, DAGER_TENSOR_SCALE), 0x7ff0000000000000u,
                       "quantisation");
  patch_u64_and_expect(tensor_field(1, DAGER_TENSOR_SCALE), 0x3ff0000000000000u,
                       "quantisation");
  /* A NaN weight. */
  patch_u32_and_expect(
      (unsigned)(header_u64(DAGER_HEADER_DATA_OFFSET) +
                 dager_format_load_u64(model_bytes + tensor_field(1, 32))),
      0x7fc00000u, "not finite");
}

static void test_bad_nodes(void **state) {
  (void)state;
  patch_u32_and_expect(node_field(3, DAGER_NODE_OP), 99, "unknown op");
  patch_u32_and_expect(node_field(3, DAGER_NODE_OP), 0, "unknown op");
  patch_u32_and_expect(node_field(3, DAGER_NODE_INPUT_COUNT), 1, "inputs");
  patch_u32_and_expect(node_field(3, DAGER_NODE_INPUT_COUNT), 9, "inputs");
  patch_u32_and_expect(node_field(3, DAGER_NODE_INPUTS + 12), 1, "unused");
  patch_u32_and_expect(node_field(0, DAGER_NODE_WEIGHT_COUNT), 5, "weights");
  patch_u32_and_expect(node_field(0, DAGER_NODE_WEIGHTS), 4000, "tensor");
  patch_u32_and_expect(node_field(0, DAGER_NODE_KERNEL_H), 5, "filter");
  patch_u32_and_expect(node_field(0, DAGER_NODE_KERNEL_H), 0, "kernel");
  patch_u32_and_expect(node_field(0, DAGER_NODE_STRIDE_W), 1000, "stride");
  patch_u32_and_expect(node_field(0, DAGER_NODE_PADDING), 2, "padding");
  patch_u32_and_expect(node_field(0, DAGER_NODE_ACTIVATION), 4, "activation");
  patch_u32_and_expect(node_field(10, DAGER_NODE_ACTIVATION), 1, "activation");
  patch_u32_and_expect(node_field(3, DAGER_NODE_STRIDE_H), 1, "no window");
  patch_u32_and_expect(node_field(1, DAGER_NODE_CLAMP_MIN), 0x40e00000u,
                       "clamp");
  patch_u32_and_expect(node_field(0, DAGER_NODE_ALPHA), 0x3f800000u, "alpha");
  patch_u32_and_expect(node_field(6, DAGER_NODE_OUT_CHANNELS), 0,
                       "out_channels");
  patch_u32_and_expect(node_field(7, DAGER_NODE_PADS), 100000, "padding");
  patch_u32_and_expect(node_field(5, DAGER_NODE_PADS), 1, "pad fields");
  /* A bias of the wrong length: the conv bias (4) swapped for fc's (3). */
  patch_u32_and_expect(node_field(0, DAGER_NODE_WEIGHTS + 4), 8, "bias");
  /* A depthwise filter with several outputs per channel. */
  patch_u32_and_expect(node_field(1, DAGER_NODE_WEIGHTS), 0, "outputs per");
  {
    uint8_t *copy = copy_of(model_size);

    dager_format_store_u32(copy + node_field(4, DAGER_NODE_WEIGHT_COUNT), 1);
    dager_format_store_u32(copy + node_field(4, DAGER_NODE_WEIGHTS + 4), 0);
    dager_format_seal(copy, model_size);
    expect_message(copy, model_size, "scale and bias");
    free(copy);
  }
  patch_u32_and_expect(node_field(0, DAGER_NODE_RESERVED), 1, "reserved");
}

static void test_graph_order(void **state) {
  (void)state;
  /* A forward reference: node 1 reads the value node 2 writes. */
  patch_u32_and_expect(node_field(1, DAGER_NODE_INPUTS), 3, "no earlier node");
  /* A node reading its own output: the smallest cycle. */
  patch_u32_and_expect(node_field(1, DAGER_NODE_INPUTS), 2, "no earlier node");
  patch_u32_and_expect(node_field(1, DAGER_NODE_INPUTS), 4000, "no earlier");
  /* Two nodes writing one value. */
  patch_u32_and_expect(node_field(2, DAGER_NODE_OUTPUT), 2, "already written");
  patch_u32_and_expect(node_field(2, DAGER_NODE_OUTPUT), 0, "out of range");
  patch_u32_and_expect(node_field(2, DAGER_NODE_OUTPUT), 99, "out of range");
}

/* A two-node cycle written from scratch: each reads the other's value. */
static void test_cycle_from_writer(void **state) {
  static const uint32_t shape[1] = {4};
  static const float values[4] = {1, 2, 3, 4};
  dager_model_writer *writer;
  dager_model_node node;
  uint32_t id;
  uint8_t *bytes;
  size_t size;

  (void)state;
  assert_int_equal(dager_model_writer_create(&writer), DAGER_OK);
  assert_int_equal(dager_model_writer_add_tensor(writer, "w", DAGER_DTYPE_F32,
                                                 1, shape, values, 0, 0, &id),
                   DAGER_OK);
  memset(&node, 0, sizeof node);
  node.op = DAGER_OP_ADD;
  node.input_count = 2;
  node.name = "a";
  node.inputs[0] = 0;
  node.inputs[1] = 2;
  node.output = 1;
  assert_int_equal(dager_model_writer_add_node(writer, &node), DAGER_OK);
  node.name = "b";
  node.inputs[1] = 1;
  node.output = 2;
  assert_int_equal(dager_model_writer_add_node(writer, &node), DAGER_OK);
  assert_int_equal(dager_model_writer_add_output(writer, "out", 2), DAGER_OK);
  assert_int_equal(dager_model_writer_set_metadata(writer, "task", "t"),
                   DAGER_OK);
  assert_int_equal(dager_model_writer_finish(writer, &bytes, &size), DAGER_OK);
  dager_model_writer_destroy(writer);
  expect_message(bytes, size, "node 0 (a): input 1 reads value 2");
  dager_mem_free(bytes);
}

/* The published check value of CRC-64/XZ, and the tail loop. */
static void test_checksum(void **state) {
  (void)state;
  assert_true(dager_format_checksum("123456789", 9) == 0x995DC9BBDF1939FAu);
  assert_true(dager_format_checksum("", 0) == 0);
  assert_true(dager_format_checksum("12345678", 8) !=
              dager_format_checksum("12345679", 8));
}

static void test_header(void **state) {
  uint8_t *copy = copy_of(model_size);

  (void)state;
  copy[DAGER_FORMAT_CHECKSUM_OFFSET] ^= 1;
  expect_message(copy, model_size, "checksum");
  memcpy(copy, model_bytes, model_size);
  copy[0] = 'X';
  expect_message(copy, model_size, "magic");
  memcpy(copy, model_bytes, model_size);
  dager_format_store_u32(copy + DAGER_HEADER_VERSION, 2);
  dager_format_seal(copy, model_size);
  expect_failure(copy, model_size, DAGER_ERROR_MODEL_VERSION);
  free(copy);
  patch_u32_and_expect(DAGER_HEADER_HEADER_SIZE, 256, "header size");
  patch_u64_and_expect(DAGER_HEADER_FILE_SIZE, 12, "truncated");
  patch_u32_and_expect(DAGER_HEADER_RESERVED0, 1, "reserved");
  patch_u32_and_expect(DAGER_HEADER_OUTPUT_COUNT, 0, "no output");
  patch_u64_and_expect(DAGER_HEADER_NODES_OFFSET,
                       header_u64(DAGER_HEADER_TENSORS_OFFSET), "overlap");
  patch_u64_and_expect(DAGER_HEADER_DATA_OFFSET,
                       header_u64(DAGER_HEADER_DATA_OFFSET) - 8, "multiple");
}

/* Metadata defects need a rebuilt file, since values are strings. */
static void expect_metadata_failure(const char *key, const char *value,
                                    const char *fragment) {
  dager_model_writer *writer;
  uint8_t *bytes;
  size_t size;
  static const char *const base[][2] = {
      {"task", "t"},           {"input_height", "8"},    {"input_width", "8"},
      {"input_channels", "3"}, {"channel_order", "RGB"}, {"mean", "0,0,0"},
      {"divisor", "1,1,1"},
  };
  static const uint32_t shape[1] = {1};
  static const float one = 1.0f;
  dager_model_node node;
  uint32_t id;

  assert_int_equal(dager_model_writer_create(&writer), DAGER_OK);
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
    assert_int_equal(
        dager_model_writer_set_metadata(writer, base[i][0], base[i][1]),
        DAGER_OK);
  }
  if (key) {
    assert_int_equal(dager_model_writer_set_metadata(writer, key, value),
                     DAGER_OK);
  }
  assert_int_equal(dager_model_writer_add_tensor(writer, "w", DAGER_DTYPE_F32,
                                                 1, shape, &one, 0, 0, &id),
                   DAGER_OK);
  memset(&node, 0, sizeof node);
  node.op = DAGER_OP_SIGMOID;
  node.input_count = 1;
  node.output = 1;
  assert_int_equal(dager_model_writer_add_node(writer, &node), DAGER_OK);
  assert_int_equal(dager_model_writer_add_output(writer, "y", 1), DAGER_OK);
  assert_int_equal(dager_model_writer_finish(writer, &bytes, &size), DAGER_OK);
  dager_model_writer_destroy(writer);
  if (fragment) {
    expect_message(bytes, size, fragment);
  } else {
    dager_model *model;

    assert_int_equal(dager_model_read_memory(bytes, size, &model), DAGER_OK);
    dager_model_destroy(model);
  }
  dager_mem_free(bytes);
}

static void test_metadata(void **state) {
  (void)state;
  expect_metadata_failure(NULL, NULL, NULL);
  expect_metadata_failure("input_height", "0", "input_height");
  expect_metadata_failure("input_height", "99999999999", "too large");
  expect_metadata_failure("input_width", "12x", "whole number");
  expect_metadata_failure("input_width", "", "empty");
  expect_metadata_failure("input_channels", "4", "not 3");
  expect_metadata_failure("channel_order", "BGR", "not RGB");
  expect_metadata_failure("mean", "1,2", "not 3");
  expect_metadata_failure("mean", "1,2,3,4", "more than 3");
  expect_metadata_failure("mean", "1,,3", "malformed");
  expect_metadata_failure("mean", "1,2,1e999", "malformed");
  expect_metadata_failure("mean", "1;2;3", "unexpected");
  expect_metadata_failure("divisor", "1,0,1", "zero");
  expect_metadata_failure("labels", "a,,b", "empty");
  expect_metadata_failure("labels", "", "empty");
  expect_metadata_failure("task", "", "task is empty");
  expect_metadata_failure("", "x", "empty key");
}

/* Fail the n-th allocation for every n until reading succeeds: each
 * failure must be a clean DAGER_ERROR_OUT_OF_MEMORY without leaks. */
static int allocations_left;

static void *failing_malloc(void *user, size_t size) {
  (void)user;
  if (allocations_left-- <= 0)
    return NULL;
  return malloc(size);
}

static void *failing_realloc(void *user, void *pointer, size_t size) {
  (void)user;
  if (allocations_left-- <= 0)
    return NULL;
  return realloc(pointer, size);
}

static void plain_free(void *user, void *pointer) {
  (void)user;
  free(pointer);
}

static void test_allocation_failures(void **state) {
  int succeeded = 0;

  (void)state;
  for (int n = 0; n < 100 && !succeeded; n++) {
    dager_model *model;
    dager_status status;

    allocations_left = n;
    assert_int_equal(
        dager_set_allocator(failing_malloc, failing_realloc, plain_free, NULL),
        DAGER_OK);
    status = dager_model_read_memory(model_bytes, model_size, &model);
    assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
    if (status == DAGER_OK) {
      dager_model_destroy(model);
      succeeded = 1;
    } else {
      assert_int_equal(status, DAGER_ERROR_OUT_OF_MEMORY);
      assert_null(model);
    }
  }
  assert_true(succeeded);
}

/* Live blocks under a counting allocator, to see what release frees. */
static int live_blocks;

static void *counting_malloc(void *user, size_t size) {
  (void)user;
  live_blocks++;
  return malloc(size);
}

static void *counting_realloc(void *user, void *pointer, size_t size) {
  (void)user;
  if (!pointer)
    live_blocks++;
  return realloc(pointer, size);
}

static void counting_free(void *user, void *pointer) {
  (void)user;
  if (pointer)
    live_blocks--;
  free(pointer);
}

/*
 * Releasing the tensor data frees the one float block and nothing else:
 * names, shapes, counts, metadata, nodes and outputs stay readable, a
 * second release and a destroy afterwards are harmless.
 */
static void test_release_tensor_data(void **state) {
  dager_model *model;
  size_t counts[SYNTHETIC_TENSOR_COUNT];
  uint32_t shapes[SYNTHETIC_TENSOR_COUNT][DAGER_MODEL_MAX_RANK];
  int blocks_before;

  (void)state;
  live_blocks = 0;
  assert_int_equal(dager_set_allocator(counting_malloc, counting_realloc,
                                       counting_free, NULL),
                   DAGER_OK);
  assert_int_equal(dager_model_read_memory(model_bytes, model_size, &model),
                   DAGER_OK);
  for (uint32_t i = 0; i < model->tensor_count; i++) {
    assert_non_null(model->tensors[i].data);
    counts[i] = model->tensors[i].element_count;
    memcpy(shapes[i], model->tensors[i].shape, sizeof shapes[i]);
  }
  blocks_before = live_blocks;

  dager_model_release_tensor_data(model);
  assert_int_equal(live_blocks, blocks_before - 1);
  for (uint32_t i = 0; i < model->tensor_count; i++) {
    assert_null(model->tensors[i].data);
    assert_int_equal(model->tensors[i].element_count, counts[i]);
    assert_memory_equal(model->tensors[i].shape, shapes[i], sizeof shapes[i]);
  }
  assert_int_equal(dager_model_find_tensor(model, "conv/filter"), 0);
  assert_string_equal(model->task, "test");
  assert_string_equal(model->labels[2], "three");
  assert_string_equal(model->nodes[10].name, "concat");
  assert_int_equal(dager_model_find_output(model, SYNTHETIC_OUTPUT_SCORES), 13);

  dager_model_release_tensor_data(model);
  assert_int_equal(live_blocks, blocks_before - 1);
  dager_model_release_tensor_data(NULL);
  dager_model_destroy(model);
  assert_int_equal(live_blocks, 0);
  assert_int_equal(dager_set_allocator(NULL, NULL, NULL, NULL), DAGER_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_file_round_trip),
      cmocka_unit_test(test_truncated_at_every_byte),
      cmocka_unit_test(test_truncated_at_section_boundaries),
      cmocka_unit_test(test_single_byte_flips_fail_checksum),
      cmocka_unit_test(test_resealed_flips_never_crash),
      cmocka_unit_test(test_huge_counts),
      cmocka_unit_test(test_bad_tensors),
      cmocka_unit_test(test_bad_nodes),
      cmocka_unit_test(test_graph_order),
      cmocka_unit_test(test_cycle_from_writer),
      cmocka_unit_test(test_checksum),
      cmocka_unit_test(test_header),
      cmocka_unit_test(test_metadata),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_release_tensor_data),
  };

  return cmocka_run_group_tests_name("model_reader", tests, setup, teardown);
}
