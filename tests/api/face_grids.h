/*
 * Makes the "many faces in a large photo" inputs of ../shared/bugcases
 * (C37, C38) from face-api's demo photos, so that class is tested where
 * that folder is absent. Pixels are only the demo photos', shrunk by area
 * averaging and laid out on black.
 */
#ifndef DAGER_TESTS_FACE_GRIDS_H
#define DAGER_TESTS_FACE_GRIDS_H

#include "dager.h"

/*
 * Like C38: the six demo photos, each shrunk to half its size, in a grid
 * of 3 columns by 2 rows of 960 x 769 cells (photo at the cell's top-left,
 * black below it), 2880 x 1538 in all; about 75..110 pixel faces. photos
 * holds sample1..sample6. Returns NULL when out of memory.
 */
dager_image *face_grid_of_photos(const dager_image *const photos[6]);

/*
 * Like C37: columns x rows copies of the square region (x, y, side) of
 * photo, each shrunk to cell x cell pixels. Returns NULL when the region
 * leaves the photo or out of memory.
 */
dager_image *face_grid_of_copies(const dager_image *photo, int x, int y,
                                 int side, int cell, int columns, int rows);

#endif
