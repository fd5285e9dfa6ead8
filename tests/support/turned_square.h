/*
 * A square of a photo turned about a point, resampled with a windowed sinc
 * so that the turn itself changes the face's detail as little as possible.
 * Shared by the rotation test (tests/api/test_api_models.c) and the
 * rotation bench (bench/pipeline/bench_rotation.c); uses only the public
 * API and no test framework.
 */
#ifndef DAGER_TESTS_TURNED_SQUARE_H
#define DAGER_TESTS_TURNED_SQUARE_H

#include "dager.h"

/* A new side x side image of source around the pixel corner (centre_x,
 * centre_y), turned by degrees (counter-clockwise as seen); outside the
 * photo is black. NULL when memory runs out or the library refuses the
 * pixels. At 0 degrees, an integer centre and an even side it is an exact
 * copy of that part of the photo. */
dager_image *support_turned_square(const dager_image *source, double centre_x,
                                   double centre_y, int side, double degrees);

#endif /* DAGER_TESTS_TURNED_SQUARE_H */
