/*
 * stb_image_write (libstb-dev), compiled alone: it is third-party code
 * with warnings and a signed left shift that UBSan reports, so meson
 * builds this file with warnings off and without the shift check. Only
 * the generator uses it; it never goes into libdager.
 */
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include "stb_image_write.h"
