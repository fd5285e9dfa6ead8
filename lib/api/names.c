/* Label names and descriptor comparisons: the pure part of the public API. */
#include <math.h>
#include <stddef.h>

#include "core/error.h"
#include "dager.h"

const char *dager_emotion_name(dager_emotion emotion) {
  switch (emotion) {
    case DAGER_EMOTION_ANGRY:
      return "angry";
    case DAGER_EMOTION_DISGUSTED:
      return "disgusted";
    case DAGER_EMOTION_FEARFUL:
      return "fearful";
    case DAGER_EMOTION_HAPPY:
      return "happy";
    case DAGER_EMOTION_NEUTRAL:
      return "neutral";
    case DAGER_EMOTION_SAD:
      return "sad";
    case DAGER_EMOTION_SURPRISED:
      return "surprised";
    case DAGER_EMOTION_COUNT:
      break;
  }
  return "unknown";
}

const char *dager_gender_name(dager_gender gender) {
  switch (gender) {
    case DAGER_GENDER_FEMALE:
      return "female";
    case DAGER_GENDER_MALE:
      return "male";
    case DAGER_GENDER_UNKNOWN:
      break;
  }
  return "unknown";
}

/* Sums in double so the answer does not depend on the order of 128 float
 * additions more than float rounding of the result. */
float dager_descriptor_distance(const float *a, const float *b) {
  double sum = 0.0;

  if (!a || !b)
    return -1.0f;
  for (int i = 0; i < DAGER_DESCRIPTOR_SIZE; i++) {
    double difference = (double)a[i] - (double)b[i];
    sum += difference * difference;
  }
  return (float)sqrt(sum);
}

float dager_descriptor_similarity(const float *a, const float *b) {
  double dot = 0.0, norm_a = 0.0, norm_b = 0.0, similarity;

  if (!a || !b)
    return -2.0f;
  for (int i = 0; i < DAGER_DESCRIPTOR_SIZE; i++) {
    double x = (double)a[i], y = (double)b[i];

    dot += x * y;
    norm_a += x * x;
    norm_b += y * y;
  }
  /* A zero descriptor points nowhere; call it unrelated rather than divide
   * by zero. */
  if (norm_a == 0.0 || norm_b == 0.0)
    return 0.0f;
  similarity = dot / (sqrt(norm_a) * sqrt(norm_b));
  if (similarity > 1.0)
    similarity = 1.0;
  if (similarity < -1.0)
    similarity = -1.0;
  return (float)similarity;
}
