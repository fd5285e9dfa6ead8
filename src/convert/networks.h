/* The architectures the converter knows, one builder per network. */
#ifndef DAGER_CONVERT_NETWORKS_H
#define DAGER_CONVERT_NETWORKS_H

#include <stddef.h>

#include "graph.h"

typedef struct network_spec {
  const char *name;        /* our file is <name>.dager */
  const char *source_name; /* face-api's <source_name>-weights_manifest */
  void (*build)(graph *g);
} network_spec;

extern const network_spec network_specs[];
extern const size_t network_spec_count;

#endif
