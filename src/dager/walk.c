#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Deeper folders than this are reported rather than walked: a guard
 * against pathological trees, far beyond any photo collection. */
#define MAX_WALK_DEPTH 64

static char *copy_text(const char *text) {
  size_t length = strlen(text);
  char *copy = malloc(length + 1);
  if (copy) {
    memcpy(copy, text, length + 1);
  }
  return copy;
}

static char *join_path(const char *folder, const char *name, char separator) {
  size_t folder_length = strlen(folder);
  size_t name_length = strlen(name);
  int needs_separator =
      folder_length > 0 && folder[folder_length - 1] != separator;
  size_t length = folder_length + (size_t)needs_separator + name_length;
  char *joined = malloc(length + 1);
  if (!joined) {
    return NULL;
  }
  memcpy(joined, folder, folder_length);
  if (needs_separator) {
    joined[folder_length] = separator;
  }
  memcpy(joined + folder_length + needs_separator, name, name_length + 1);
  return joined;
}

/* Takes ownership of path, relative_name and walk_error (any may be NULL
 * only as noted in cli_input). */
static int add_input(cli_input_list *list, char *path, char *relative_name,
                     char *walk_error) {
  if (!path || !relative_name) {
    free(path);
    free(relative_name);
    free(walk_error);
    return -1;
  }
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? list->capacity * 2 : 16;
    cli_input *grown = realloc(list->items, capacity * sizeof(*grown));
    if (!grown) {
      free(path);
      free(relative_name);
      free(walk_error);
      return -1;
    }
    list->items = grown;
    list->capacity = capacity;
  }
  cli_input *input = &list->items[list->count++];
  input->path = path;
  /* Holds the name the stem is made from until assign_stems replaces it. */
  input->output_stem = relative_name;
  input->walk_error = walk_error;
  return 0;
}

static int add_error(cli_input_list *list, const char *path,
                     const char *reason) {
  return add_input(list, copy_text(path), copy_text(path), copy_text(reason));
}

int cli_has_image_extension(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot) {
    return 0;
  }
  return strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
         strcasecmp(dot, ".png") == 0;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(names[i]);
  }
  free(names);
}

/* Reads the names in folder (without "." entries), sorted. Returns 0, -1
 * when out of memory, or 1 when the folder could not be read (errno set). */
static int read_sorted_names(const char *folder, char ***names_out,
                             size_t *count_out) {
  DIR *directory = opendir(folder);
  if (!directory) {
    return 1;
  }
  char **names = NULL;
  size_t count = 0;
  size_t capacity = 0;
  int status = 0;
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(directory);
    if (!entry) {
      if (errno != 0) {
        status = 1;
      }
      break;
    }
    if (entry->d_name[0] == '.') {
      continue;
    }
    if (count == capacity) {
      capacity = capacity ? capacity * 2 : 32;
      char **grown = realloc(names, capacity * sizeof(*grown));
      if (!grown) {
        status = -1;
        break;
      }
      names = grown;
    }
    names[count] = copy_text(entry->d_name);
    if (!names[count]) {
      status = -1;
      break;
    }
    count++;
  }
  int saved_errno = errno;
  closedir(directory);
  if (status != 0) {
    free_names(names, count);
    errno = saved_errno;
    return status;
  }
  if (count > 1) {
    qsort(names, count, sizeof(names[0]), compare_names);
  }
  *names_out = names;
  *count_out = count;
  return 0;
}

static int walk_folder(cli_input_list *list, const char *folder,
                       const char *relative, int depth) {
  if (depth > MAX_WALK_DEPTH) {
    return add_error(list, folder, "folders nested too deeply to walk");
  }
  char **names = NULL;
  size_t count = 0;
  int status = read_sorted_names(folder, &names, &count);
  if (status < 0) {
    return -1;
  }
  if (status > 0) {
    char reason[256];
    snprintf(reason, sizeof(reason), "cannot read folder: %s", strerror(errno));
    return add_error(list, folder, reason);
  }

  int result = 0;
  for (size_t i = 0; i < count && result == 0; i++) {
    char *path = join_path(folder, names[i], '/');
    char *relative_name =
        relative[0] ? join_path(relative, names[i], '_') : copy_text(names[i]);
    if (!path || !relative_name) {
      free(path);
      free(relative_name);
      result = -1;
      break;
    }
    /* lstat: a link to a folder is not followed (no cycles); a link to a
     * file is taken like the file. */
    struct stat link_info;
    struct stat info;
    if (lstat(path, &link_info) == 0 && S_ISDIR(link_info.st_mode)) {
      result = walk_folder(list, path, relative_name, depth + 1);
      free(path);
      free(relative_name);
    } else if (stat(path, &info) == 0 && S_ISREG(info.st_mode) &&
               cli_has_image_extension(names[i])) {
      result = add_input(list, path, relative_name, NULL);
    } else {
      free(path);
      free(relative_name);
    }
  }
  free_names(names, count);
  return result;
}

/* Open addressing over the stems given so far, to keep names unique
 * without a quadratic search. */
typedef struct stem_set {
  const char **slots;
  size_t capacity;
} stem_set;

static uint64_t hash_text(const char *text) {
  uint64_t hash = 1469598103934665603u; /* FNV-1a */
  for (const unsigned char *byte = (const unsigned char *)text; *byte; byte++) {
    hash = (hash ^ *byte) * 1099511628211u;
  }
  return hash;
}

static int stem_set_contains(const stem_set *set, const char *stem) {
  size_t index = (size_t)(hash_text(stem) & (set->capacity - 1));
  while (set->slots[index]) {
    if (strcmp(set->slots[index], stem) == 0) {
      return 1;
    }
    index = (index + 1) & (set->capacity - 1);
  }
  return 0;
}

static void stem_set_insert(stem_set *set, const char *stem) {
  size_t index = (size_t)(hash_text(stem) & (set->capacity - 1));
  while (set->slots[index]) {
    index = (index + 1) & (set->capacity - 1);
  }
  set->slots[index] = stem;
}

/* Turns the name held in output_stem into the final stem: the extension
 * is dropped, and a clash with an earlier input gets "-2", "-3", ... */
static int assign_stems(cli_input_list *list) {
  stem_set set = {NULL, 16};
  while (set.capacity < list->count * 2 + 2) {
    set.capacity *= 2;
  }
  set.slots = calloc(set.capacity, sizeof(set.slots[0]));
  if (!set.slots) {
    return -1;
  }
  for (size_t i = 0; i < list->count; i++) {
    char *name = list->items[i].output_stem;
    for (char *letter = name; *letter; letter++) {
      if (*letter == '/') {
        *letter = '_';
      }
    }
    char *dot = strrchr(name, '.');
    if (dot && dot != name) {
      *dot = '\0';
    }
    if (name[0] == '\0' || strcmp(name, ".") == 0) {
      free(name);
      name = copy_text("image");
      list->items[i].output_stem = name;
      if (!name) {
        free(set.slots);
        return -1;
      }
    }
    if (stem_set_contains(&set, name)) {
      size_t length = strlen(name);
      char *numbered = malloc(length + 24);
      if (!numbered) {
        free(set.slots);
        return -1;
      }
      for (unsigned long suffix = 2;; suffix++) {
        snprintf(numbered, length + 24, "%s-%lu", name, suffix);
        if (!stem_set_contains(&set, numbered)) {
          break;
        }
      }
      free(name);
      list->items[i].output_stem = numbered;
    }
    stem_set_insert(&set, list->items[i].output_stem);
  }
  free(set.slots);
  return 0;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int cli_inputs_collect(const char *const *paths, size_t path_count,
                       int recursive, cli_input_list *out) {
  memset(out, 0, sizeof(*out));
  int result = 0;
  for (size_t i = 0; i < path_count && result == 0; i++) {
    const char *path = paths[i];
    struct stat info;
    if (strcmp(path, "-") == 0) {
      result = add_input(out, copy_text(path), copy_text("stdin"), NULL);
    } else if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
      if (recursive) {
        result = walk_folder(out, path, "", 0);
      } else {
        result = add_error(out, path, "is a folder; give -r to walk it");
      }
    } else {
      /* Missing or unreadable files are left to the decoder, whose error
       * then names the cause. */
      result =
          add_input(out, copy_text(path), copy_text(base_name(path)), NULL);
    }
  }
  if (result == 0) {
    result = assign_stems(out);
  }
  if (result != 0) {
    cli_inputs_free(out);
    return -1;
  }
  return 0;
}

void cli_inputs_free(cli_input_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].path);
    free(list->items[i].output_stem);
    free(list->items[i].walk_error);
  }
  free(list->items);
  memset(list, 0, sizeof(*list));
}
