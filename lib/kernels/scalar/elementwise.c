#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"

/*
 * out may alias a or b: each element is read before it is written, and
 * nothing else is read after that.
 */
void dager_scalar_elementwise(size_t count, uint32_t channels, const float *a,
                              const float *b, const dager_epilogue *epilogue,
                              float *out) {
  uint32_t c = 0;

  for (size_t i = 0; i < count; i++) {
    float v = a[i];

    if (epilogue->scale)
      v *= epilogue->scale[c];
    if (epilogue->bias)
      v += epilogue->bias[c];
    if (b)
      v += b[i];
    out[i] = dager_scalar_activate(epilogue, v);
    if (++c == channels)
      c = 0;
  }
}

/* Subtracting the maximum keeps exp from overflowing; the result is the
 * same in exact arithmetic. */
void dager_scalar_softmax(size_t count, const float *input, float *output) {
  float largest;
  float sum = 0.0f;

  if (count == 0)
    return;
  largest = input[0];
  for (size_t i = 1; i < count; i++) {
    if (input[i] > largest)
      largest = input[i];
  }
  for (size_t i = 0; i < count; i++) {
    output[i] = expf(input[i] - largest);
    sum += output[i];
  }
  const float inverse = 1.0f / sum;
  for (size_t i = 0; i < count; i++)
    output[i] *= inverse;
}

void dager_scalar_sigmoid(size_t count, const float *input, float *output) {
  for (size_t i = 0; i < count; i++) {
    output[i] = 1.0f / (1.0f + expf(-input[i]));
  }
}
