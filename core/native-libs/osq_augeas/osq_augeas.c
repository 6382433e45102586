// osq_augeas: a small synchronous Node-API binding to Debian's libaugeas for the
// augeas table. One augeas handle is kept per lens directory (as osquery keeps
// one for the process) and re-loaded on every query so edited files are seen.
//
// match(lensDir: string, expr: string) ->
//   null when augeas cannot be initialised, else [[node, value, label, file], ...]
//   where value/label/file are null when augeas has none.
#include <augeas.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  augeas* aug;
  char* dir;
} State;

static void free_state(napi_env env, void* data, void* hint) {
  State* st = data;
  if (st->aug) aug_close(st->aug);
  free(st->dir);
  free(st);
}

static char* get_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char* s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value string_or_null(napi_env env, const char* s) {
  napi_value out;
  if (s == NULL) {
    napi_get_null(env, &out);
  } else {
    napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  }
  return out;
}

// The handle for a lens directory: no standard include path (only the given
// lenses), no autoload at init (aug_load runs per query), never write files.
static augeas* handle_for(napi_env env, const char* dir) {
  State* st = NULL;
  napi_get_instance_data(env, (void**)&st);
  if (st == NULL) {
    st = calloc(1, sizeof(State));
    if (st == NULL) return NULL;
    napi_set_instance_data(env, st, free_state, NULL);
  }
  if (st->dir && strcmp(st->dir, dir) == 0) return st->aug;
  if (st->aug) aug_close(st->aug);
  free(st->dir);
  st->aug = aug_init(NULL, dir, AUG_NO_ERR_CLOSE | AUG_NO_LOAD | AUG_NO_STDINC | AUG_SAVE_NOOP);
  st->dir = strdup(dir);
  if (st->aug && aug_error(st->aug) != AUG_NOERROR) {
    aug_close(st->aug);
    st->aug = NULL;
  }
  return st->aug;
}

static napi_value match(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "match(lensDir, expr)");
    return NULL;
  }
  char* dir = get_string(env, argv[0]);
  char* expr = get_string(env, argv[1]);
  augeas* aug = (dir && expr) ? handle_for(env, dir) : NULL;
  free(dir);
  if (aug == NULL) {
    free(expr);
    napi_get_null(env, &result);
    return result;
  }
  aug_load(aug);
  napi_create_array(env, &result);
  if (aug_defvar(aug, "matches", expr) < 0) {
    free(expr);
    return result;
  }
  free(expr);

  char** matches = NULL;
  int len = aug_match(aug, "$matches", &matches);
  if (len < 0 || matches == NULL) return result;
  uint32_t out = 0;
  for (int i = 0; i < len; i++) {
    if (matches[i] == NULL) continue;
    const char* value = NULL;
    const char* label = NULL;
    char* file = NULL;
    if (aug_ns_attr(aug, "matches", i, &value, &label, &file) < 0) {
      free(matches[i]);
      continue;
    }
    napi_value row;
    napi_create_array_with_length(env, 4, &row);
    napi_set_element(env, row, 0, string_or_null(env, matches[i]));
    napi_set_element(env, row, 1, string_or_null(env, value));
    napi_set_element(env, row, 2, string_or_null(env, label));
    napi_set_element(env, row, 3, string_or_null(env, file));
    napi_set_element(env, result, out++, row);
    free(file);
    free(matches[i]);
  }
  free(matches);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "match", NAPI_AUTO_LENGTH, match, NULL, &fn);
  napi_set_named_property(env, exports, "match", fn);
  return exports;
}
