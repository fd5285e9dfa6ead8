#include <stdint.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"

size_t dager_scalar_fully_connected_packed_size(uint32_t in, uint32_t out) {
  return (size_t)in * out * sizeof(float);
}

void dager_scalar_fully_connected_pack(uint32_t in, uint32_t out,
                                       const float *weights, float *packed) {
  memcpy(packed, weights, dager_scalar_fully_connected_packed_size(in, out));
}

/*
 * The weights are [in][out], so the columns asked for are accumulated in
 * place, one input at a time, walking a contiguous piece of a weight row.
 * The residual, when given, is a 1 x out row indexed by column.
 */
void dager_scalar_fully_connected(uint32_t in, uint32_t out, const float *input,
                                  const float *packed,
                                  const dager_epilogue *epilogue, float *output,
                                  uint32_t col_begin, uint32_t col_end) {
  for (uint32_t o = col_begin; o < col_end; o++)
    output[o] = 0.0f;

  for (uint32_t i = 0; i < in; i++) {
    const float x = input[i];
    const float *restrict row = packed + (size_t)i * out;
    for (uint32_t o = col_begin; o < col_end; o++)
      output[o] += x * row[o];
  }

  for (uint32_t o = col_begin; o < col_end; o++) {
    float residual = epilogue->residual ? epilogue->residual[o] : 0.0f;
    output[o] = dager_scalar_finish(epilogue, output[o], o, residual);
  }
}
