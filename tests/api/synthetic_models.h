/*
 * A full set of small synthetic models, one per task, written with the
 * model writer into a folder, so the engine, sessions and the whole
 * analysis can be tested without the fetched face-api weights.
 *
 * The synthetic SSD detector looks at a 64 x 64 input through 8 x 8 cells:
 * every predictor has one anchor per cell (the cell's own square) and
 * scores a cell as a face when the cell is bright, so a white square on
 * black is "found" at the cells it covers. The face networks pool their
 * input to its mean colour and map it through fixed weights, so their
 * answers are deterministic and depend a little on the pixels.
 */
#ifndef DAGER_TESTS_SYNTHETIC_MODELS_H
#define DAGER_TESTS_SYNTHETIC_MODELS_H

#include <stddef.h>

#include "dager.h"

#define SYNTHETIC_DETECTOR_INPUT 64
#define SYNTHETIC_CELLS 8

/* Writes the seven model files (the fixed file names) into folder, which
 * must exist. Returns 0 on success. */
int synthetic_models_write(const char *folder);

/* Removes the seven model files from folder, then the folder. */
void synthetic_models_remove(const char *folder);

/* Writes one model of task (e.g. "age_gender") to path. Returns 0 on
 * success. */
int synthetic_model_write(const char *task, const char *path);

#endif
