#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/stem.h"
#include "kernels/winograd.h"

/* Every slot is set here; the dispatch starts each SIMD table from this
 * one and overwrites only the slots that ISA improves. */
void dager_kernels_fill_scalar(dager_kernels *table) {
  table->isa = DAGER_ISA_SCALAR;
  table->name = "scalar";

  table->conv2d_packed_size = dager_scalar_conv2d_packed_size;
  table->conv2d_pack = dager_scalar_conv2d_pack;
  table->conv2d_scratch_size = dager_scalar_conv2d_scratch_size;
  table->conv2d = dager_scalar_conv2d;

  table->winograd_packed_size = dager_scalar_winograd_packed_size;
  table->winograd_pack = dager_scalar_winograd_pack;
  table->winograd_scratch_size = dager_scalar_winograd_scratch_size;
  table->winograd_conv2d = dager_scalar_winograd_conv2d;

  table->depthwise_packed_size = dager_scalar_depthwise_packed_size;
  table->depthwise_pack = dager_scalar_depthwise_pack;
  table->depthwise_conv2d = dager_scalar_depthwise_conv2d;

  table->fully_connected_packed_size = dager_scalar_fully_connected_packed_size;
  table->fully_connected_pack = dager_scalar_fully_connected_pack;
  table->fully_connected = dager_scalar_fully_connected;

  table->max_pool = dager_scalar_max_pool;
  table->average_pool = dager_scalar_average_pool;
  table->global_average_pool = dager_scalar_global_average_pool;

  table->elementwise = dager_scalar_elementwise;
  table->softmax = dager_scalar_softmax;
  table->sigmoid = dager_scalar_sigmoid;

  dager_kernels_fill_scalar_stem(table);
}
