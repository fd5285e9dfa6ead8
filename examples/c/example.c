/* Prints age, gender and emotion of every face in one photo. */
#include <dager.h>
#include <stdio.h>

int main(int argc, char **argv) {
  dager_engine *engine = NULL;
  dager_session *session = NULL;
  dager_result *result = NULL;
  int ok = argc == 2 && dager_engine_create(NULL, &engine) == DAGER_OK &&
           dager_session_create(engine, &session) == DAGER_OK &&
           dager_analyze_file(session, argv[1], &result) == DAGER_OK;
  if (!ok) {
    fprintf(stderr, "example PHOTO: %s\n",
            argc == 2 ? dager_last_error_message() : "give one photo");
  }
  for (size_t i = 0; i < dager_result_face_count(result); i++) {
    dager_face face = DAGER_FACE_INIT;
    if (dager_result_face(result, i, &face) == DAGER_OK) {
      printf("face %zu: age %.0f, %s, %s\n", i + 1, (double)face.age,
             dager_gender_name(face.gender),
             dager_emotion_name(face.dominant_emotion));
    }
  }
  dager_result_destroy(result);
  dager_session_destroy(session);
  dager_engine_destroy(engine);
  return ok ? 0 : 1;
}
