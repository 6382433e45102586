// osq_yara: a small synchronous Node-API binding to Debian's libyara for the
// yara_file (alias yara) and yara_process tables.
//
// compileFile(path)                 -> rules handle, or an error message string
// compileString(source, private)    -> rules handle, or an error message string
//   (private: mark each rule's first string private, as osquery does for sigrule)
// scanFile(rules, path)             -> [matches, count, strings, tags] or null on error
// scanProcess(rules, pid)           -> [matches, count, strings, tags] or null on error
//
// matches/tags are comma-joined rule identifiers/tags; strings is a comma-joined
// list of `$identifier:hexoffset` for every (non-private) string match.
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yara.h>

// --- a growable, comma-joined text buffer ---------------------------------------
typedef struct {
  char* data;
  size_t len;
  size_t cap;
} Text;

static void text_append(Text* t, const char* s) {
  size_t n = strlen(s);
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    while (cap < t->len + n + 1) cap *= 2;
    char* grown = realloc(t->data, cap);
    if (!grown) return;
    t->data = grown;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n + 1);
  t->len += n;
}

static void text_item(Text* t, const char* s) {
  if (t->len > 0) text_append(t, ",");
  text_append(t, s);
}

typedef struct {
  Text matches;
  Text strings;
  Text tags;
  int count;
} ScanResult;

static char* js_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char* s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value make_string(napi_env env, const char* s) {
  napi_value out;
  napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &out);
  return out;
}

// --- rules handles -----------------------------------------------------------------
static void destroy_rules(napi_env env, void* data, void* hint) {
  yr_rules_destroy((YR_RULES*)data);
}

static napi_value wrap_rules(napi_env env, YR_RULES* rules) {
  napi_value out;
  napi_create_external(env, rules, destroy_rules, NULL, &out);
  return out;
}

static YR_RULES* unwrap_rules(napi_env env, napi_value v) {
  void* data = NULL;
  napi_valuetype type;
  napi_typeof(env, v, &type);
  if (type != napi_external) return NULL;
  napi_get_value_external(env, v, &data);
  return data;
}

// Compiler diagnostics: keep the first error for the caller's message.
static void on_compile_error(int level, const char* file, int line, const YR_RULE* rule,
                             const char* message, void* user) {
  Text* t = user;
  if (level != YARA_ERROR_LEVEL_ERROR || t->len > 0) return;
  char buf[64];
  text_append(t, file ? file : "rule string");
  snprintf(buf, sizeof buf, "(%d): ", line);
  text_append(t, buf);
  text_append(t, message);
}

static napi_value compile_result(napi_env env, YR_COMPILER* compiler, Text* err, int errors,
                                 int make_private) {
  YR_RULES* rules = NULL;
  if (errors > 0 || yr_compiler_get_rules(compiler, &rules) != ERROR_SUCCESS) {
    yr_compiler_destroy(compiler);
    napi_value msg = make_string(env, err->len ? err->data : "YARA compile error");
    free(err->data);
    return msg;
  }
  yr_compiler_destroy(compiler);
  free(err->data);
  if (make_private) {
    YR_RULE* rule;
    yr_rules_foreach(rules, rule) {
      if (rule->strings) rule->strings->flags |= STRING_FLAGS_PRIVATE;
    }
  }
  return wrap_rules(env, rules);
}

static napi_value compile_file(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* path = argc > 0 ? js_string(env, argv[0]) : NULL;
  if (!path) return make_string(env, "compileFile(path)");

  // A file saved by yarac loads as is; anything else is compiled as source.
  YR_RULES* saved = NULL;
  int rc = yr_rules_load(path, &saved);
  if (rc == ERROR_SUCCESS) {
    free(path);
    return wrap_rules(env, saved);
  }
  if (rc != ERROR_INVALID_FILE) {
    free(path);
    return make_string(env, "Error loading YARA rules");
  }
  struct stat sb;
  FILE* f = fopen(path, "r");
  if (f == NULL || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
    if (f) fclose(f);
    free(path);
    return make_string(env, "Could not open file");
  }
  YR_COMPILER* compiler = NULL;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) {
    fclose(f);
    free(path);
    return make_string(env, "Could not create compiler");
  }
  Text err = {0};
  yr_compiler_set_callback(compiler, on_compile_error, &err);
  int errors = yr_compiler_add_file(compiler, f, NULL, path);
  fclose(f);
  free(path);
  return compile_result(env, compiler, &err, errors, 0);
}

static napi_value compile_string(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* source = argc > 0 ? js_string(env, argv[0]) : NULL;
  if (!source) return make_string(env, "compileString(source, private)");
  bool make_private = false;
  if (argc > 1) napi_get_value_bool(env, argv[1], &make_private);
  YR_COMPILER* compiler = NULL;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) {
    free(source);
    return make_string(env, "Could not create compiler");
  }
  Text err = {0};
  yr_compiler_set_callback(compiler, on_compile_error, &err);
  int errors = yr_compiler_add_string(compiler, source, NULL);
  free(source);
  return compile_result(env, compiler, &err, errors, make_private);
}

// --- scanning --------------------------------------------------------------------------
static int on_scan(YR_SCAN_CONTEXT* context, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  ScanResult* r = user;
  YR_RULE* rule = data;
  text_item(&r->matches, rule->identifier);
  YR_STRING* string;
  yr_rule_strings_foreach(rule, string) {
    YR_MATCH* match;
    yr_string_matches_foreach(context, string, match) {
      char buf[40];
      snprintf(buf, sizeof buf, ":%llx", (unsigned long long)(match->base + match->offset));
      text_item(&r->strings, string->identifier);
      text_append(&r->strings, buf);
    }
  }
  const char* tag;
  yr_rule_tags_foreach(rule, tag) { text_item(&r->tags, tag); }
  r->count++;
  return CALLBACK_CONTINUE;
}

static napi_value scan_result(napi_env env, ScanResult* r, int rc) {
  napi_value out;
  if (rc != ERROR_SUCCESS) {
    napi_get_null(env, &out);
  } else {
    napi_value count;
    napi_create_array_with_length(env, 4, &out);
    napi_create_int32(env, r->count, &count);
    napi_set_element(env, out, 0, make_string(env, r->matches.data));
    napi_set_element(env, out, 1, count);
    napi_set_element(env, out, 2, make_string(env, r->strings.data));
    napi_set_element(env, out, 3, make_string(env, r->tags.data));
  }
  free(r->matches.data);
  free(r->strings.data);
  free(r->tags.data);
  return out;
}

static napi_value scan_file(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  YR_RULES* rules = argc > 1 ? unwrap_rules(env, argv[0]) : NULL;
  char* path = rules ? js_string(env, argv[1]) : NULL;
  if (!path) {
    napi_throw_type_error(env, NULL, "scanFile(rules, path)");
    return NULL;
  }
  ScanResult r = {0};
  int rc = yr_rules_scan_file(rules, path, SCAN_FLAGS_FAST_MODE, on_scan, &r, 0);
  free(path);
  return scan_result(env, &r, rc);
}

static napi_value scan_process(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  YR_RULES* rules = argc > 1 ? unwrap_rules(env, argv[0]) : NULL;
  int32_t pid = 0;
  if (!rules || napi_get_value_int32(env, argv[1], &pid) != napi_ok) {
    napi_throw_type_error(env, NULL, "scanProcess(rules, pid)");
    return NULL;
  }
  ScanResult r = {0};
  int rc = yr_rules_scan_proc(rules, pid, SCAN_FLAGS_FAST_MODE, on_scan, &r, 0);
  return scan_result(env, &r, rc);
}

NAPI_MODULE_INIT() {
  // yr_initialize keeps a reference count, so each worker's load is balanced.
  if (yr_initialize() != ERROR_SUCCESS) return NULL;
  napi_property_descriptor props[] = {
      {"compileFile", NULL, compile_file, NULL, NULL, NULL, napi_default, NULL},
      {"compileString", NULL, compile_string, NULL, NULL, NULL, napi_default, NULL},
      {"scanFile", NULL, scan_file, NULL, NULL, NULL, napi_default, NULL},
      {"scanProcess", NULL, scan_process, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
