/*
 * Writes the model reader's seed corpus into a folder: the synthetic model
 * of tests/model (every op, both dtypes), a minimal one-node model, and a
 * header-only file. No weights of any real network. The committed copies
 * in tests/fuzz/corpus/model/ are this program's output; the test
 * fuzz_model_corpus checks that they still are.
 */
#include <stdio.h>
#include <string.h>

#include "core/memory.h"
#include "model/format.h"
#include "model/writer.h"
#include "synthetic_model.h"

static int write_seed(const char *folder, const char *name,
                      const uint8_t *bytes, size_t size) {
  char path[4096];
  FILE *stream;

  snprintf(path, sizeof path, "%s/%s", folder, name);
  stream = fopen(path, "wb");
  if (!stream || fwrite(bytes, 1, size, stream) != size ||
      fclose(stream) != 0) {
    fprintf(stderr, "make_model_corpus: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

static dager_status minimal_model(uint8_t **bytes, size_t *size) {
  static const uint32_t shape[1] = {3};
  static const float values[3] = {0.5f, -1.0f, 2.0f};
  static const char *const metadata[][2] = {
      {"task", "minimal"},     {"input_height", "1"},    {"input_width", "1"},
      {"input_channels", "3"}, {"channel_order", "RGB"}, {"mean", "0,0,0"},
      {"divisor", "1,1,1"}};
  dager_model_writer *writer;
  dager_model_node node;
  uint32_t id;
  dager_status status = dager_model_writer_create(&writer);

  if (status)
    return status;
  for (size_t i = 0; i < sizeof metadata / sizeof metadata[0] && !status; i++) {
    status =
        dager_model_writer_set_metadata(writer, metadata[i][0], metadata[i][1]);
  }
  if (!status) {
    status = dager_model_writer_add_tensor(writer, "scale", DAGER_DTYPE_F32, 1,
                                           shape, values, 0, 0, &id);
  }
  if (!status) {
    status = dager_model_writer_add_tensor(writer, "bias", DAGER_DTYPE_F32, 1,
                                           shape, values, 0, 0, &id);
  }
  memset(&node, 0, sizeof node);
  node.name = "affine";
  node.op = DAGER_OP_AFFINE;
  node.input_count = 1;
  node.output = 1;
  node.weight_count = 2;
  node.weights[1] = 1;
  if (!status)
    status = dager_model_writer_add_node(writer, &node);
  if (!status)
    status = dager_model_writer_add_output(writer, "y", 1);
  if (!status)
    status = dager_model_writer_finish(writer, bytes, size);
  dager_model_writer_destroy(writer);
  return status;
}

int main(int argc, char **argv) {
  uint8_t *bytes;
  size_t size;
  int failures = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: make_model_corpus FOLDER\n");
    return 2;
  }
  if (synthetic_model_bytes(&bytes, &size) != DAGER_OK)
    return 1;
  failures += write_seed(argv[1], "synthetic.dager", bytes, size);
  /* The same file cut after its header, with the header made consistent:
   * a start for the section checks. */
  dager_format_store_u64(bytes + DAGER_HEADER_FILE_SIZE,
                         DAGER_FORMAT_HEADER_SIZE);
  dager_format_seal(bytes, DAGER_FORMAT_HEADER_SIZE);
  failures +=
      write_seed(argv[1], "header-only.dager", bytes, DAGER_FORMAT_HEADER_SIZE);
  dager_mem_free(bytes);
  if (minimal_model(&bytes, &size) != DAGER_OK)
    return 1;
  failures += write_seed(argv[1], "minimal.dager", bytes, size);
  dager_mem_free(bytes);
  return failures ? 1 : 0;
}
