// osq_magic: a small synchronous Node-API binding to Debian's libmagic, so the
// magic table can call magic_file() from inside a generator (generators are sync).
//
// identify(dbFiles: string, paths: string[]) ->
//   null when the database list cannot be loaded, else one entry per path:
//   [description | null, mimeType | null, mimeEncoding | null]
#include <magic.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) return NULL;                                                            \
  } while (0)

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

// One magic_file() call with the given flags; the result belongs to the cookie.
static napi_value lookup(napi_env env, magic_t cookie, int flags, const char* path) {
  magic_setflags(cookie, flags);
  return string_or_null(env, magic_file(cookie, path));
}

static napi_value identify(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "identify(dbFiles, paths)");
    return NULL;
  }
  char* db = get_string(env, argv[0]);
  if (!db) return NULL;

  napi_value result;
  magic_t cookie = magic_open(MAGIC_NONE);
  if (cookie == NULL || magic_load(cookie, db[0] ? db : NULL) != 0) {
    if (cookie) magic_close(cookie);
    free(db);
    napi_get_null(env, &result);
    return result;
  }
  free(db);

  uint32_t count = 0;
  napi_get_array_length(env, argv[1], &count);
  napi_create_array_with_length(env, count, &result);
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    napi_get_element(env, argv[1], i, &item);
    char* path = get_string(env, item);
    if (!path) continue;
    napi_value triple;
    napi_create_array_with_length(env, 3, &triple);
    napi_set_element(env, triple, 0, lookup(env, cookie, MAGIC_NONE, path));
    napi_set_element(env, triple, 1, lookup(env, cookie, MAGIC_MIME_TYPE, path));
    napi_set_element(env, triple, 2, lookup(env, cookie, MAGIC_MIME_ENCODING, path));
    napi_set_element(env, result, i, triple);
    free(path);
  }
  magic_close(cookie);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "identify", NAPI_AUTO_LENGTH, identify, NULL, &fn);
  napi_set_named_property(env, exports, "identify", fn);
  return exports;
}
