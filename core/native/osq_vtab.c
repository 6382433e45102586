/*
 * osq_vtab: osquery's virtual tables for better-sqlite3.
 *
 * This one shared object is both a Node-API addon and a SQLite loadable extension:
 *   - JS require()s it, registers a dispatcher function and the thread's tables;
 *   - better-sqlite3's db.loadExtension() loads the same file into a connection, and
 *     the entry point creates one eponymous virtual-table module per table there.
 *
 * The reason it exists: better-sqlite3's db.table() only passes `=` on hidden
 * columns. osquery's generators need every usable constraint (=, <, >, LIKE, GLOB,
 * ...) on any column, IN lists, join values once per outer row, and colsUsed.
 *
 * xFilter calls the JS dispatcher synchronously on the same thread; the dispatcher
 * returns one flat row-major array that xColumn reads lazily. No SQLite is linked:
 * every sqlite3_* call goes through better-sqlite3's sqlite3_api pointer.
 *
 * Writable tables (osquery's extension tables) get a module with xUpdate, which calls a
 * second JS function, the write dispatcher, the same synchronous way. Their rows carry
 * one hidden trailing cell, the row's rowid, so UPDATE and DELETE can name rows.
 * Read-only tables get a module without xUpdate: SQLite refuses writes to them while
 * preparing the statement ("table X may not be modified"), before any scan.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"
#include "version.h"
SQLITE_EXTENSION_INIT1

#define OSQ_EXPORT __attribute__((visibility("default")))

/* Column types, in the order the JS side numbers them. */
enum { T_TEXT = 0, T_INTEGER = 1, T_BIGINT = 2, T_UNSIGNED_BIGINT = 3, T_DOUBLE = 4, T_BLOB = 5 };

/* osquery's constraint operators (SQLite's values). */
static int op_supported(int op) {
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
    case SQLITE_INDEX_CONSTRAINT_GT:
    case SQLITE_INDEX_CONSTRAINT_LE:
    case SQLITE_INDEX_CONSTRAINT_LT:
    case SQLITE_INDEX_CONSTRAINT_GE:
    case SQLITE_INDEX_CONSTRAINT_MATCH:
    case SQLITE_INDEX_CONSTRAINT_LIKE:
    case SQLITE_INDEX_CONSTRAINT_GLOB:
    case SQLITE_INDEX_CONSTRAINT_REGEXP:
      return 1;
    default:
      return 0;
  }
}

static int op_is_range(int op) {
  return op == SQLITE_INDEX_CONSTRAINT_GT || op == SQLITE_INDEX_CONSTRAINT_LE ||
         op == SQLITE_INDEX_CONSTRAINT_LT || op == SQLITE_INDEX_CONSTRAINT_GE;
}

struct osq_env;

typedef struct osq_table {
  int id;              /* index the JS dispatcher knows the table by */
  char *name;
  char *create_sql;    /* CREATE TABLE text handed to sqlite3_declare_vtab */
  int ncols;
  int *col_type;
  int *col_required;
  int *col_index;      /* index or required: cheap to look up by `=` */
  int has_required;
  char *required_message; /* error for a scan without a required constraint */
  int writable;        /* 1: has xUpdate, and each row has a trailing rowid cell */
  int live;            /* 0 once unregistered */
  struct osq_env *env;
} osq_table;

typedef struct osq_conn {
  sqlite3 *db;
  struct osq_env *env; /* NULL once the env is gone */
  struct osq_conn *next;
} osq_conn;

typedef struct osq_env {
  napi_env env;
  napi_ref dispatcher;
  napi_ref write_dispatcher;
  osq_table **tables;
  int ntables;
  int cap;
  osq_conn *conns;
  char *buf; /* reused UTF-8 scratch for strings read in xColumn */
  size_t buflen;
} osq_env;

/* The env of the JS thread running right now; loadExtension runs on that thread. */
static __thread osq_env *tls_env = NULL;

/* ------------------------------------------------------------------ vtab */

typedef struct {
  sqlite3_vtab base;
  osq_table *table;
} osq_vtab;

typedef struct {
  sqlite3_vtab_cursor base;
  napi_ref rows; /* flat row-major JS array */
  int64_t nrows;
  int64_t row;
} osq_cursor;

/* Cells per row in the dispatcher's flat array: the columns, then the rowid if writable. */
static int row_stride(const osq_table *t) { return t->ncols + (t->writable ? 1 : 0); }

static int x_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                     char **err) {
  (void)argc;
  (void)argv;
  osq_table *t = (osq_table *)aux;
  int rc = sqlite3_declare_vtab(db, t->create_sql);
  if (rc != SQLITE_OK) {
    *err = sqlite3_mprintf("osq: cannot declare table %s: %s", t->name, sqlite3_errmsg(db));
    return rc;
  }
  osq_vtab *v = sqlite3_malloc(sizeof(*v));
  if (!v) return SQLITE_NOMEM;
  memset(v, 0, sizeof(*v));
  v->table = t;
  *out = &v->base;
  return SQLITE_OK;
}

static int x_disconnect(sqlite3_vtab *vt) {
  sqlite3_free(vt);
  return SQLITE_OK;
}

/*
 * Planning. Every usable constraint with one of osquery's ops goes to the generator
 * (omit = 0: SQLite re-checks each row, so generators may return a superset). Range
 * ops on TEXT columns are dropped as osquery does: SQLite adds hidden range terms for
 * its LIKE optimisation that must not reach generators.
 *
 * idxStr carries "<colsUsed hex>;" then "<col>,<op>,<in>;" per argv slot.
 * idxNum is 1 when a required column has no constraint at all: that plan gets an
 * enormous cost, and if SQLite still picks it xFilter fails with a clear message.
 * (Failing here would break `path = 'a' OR path LIKE 'b%'`, planned per branch.)
 */
static int x_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  osq_table *t = ((osq_vtab *)vt)->table;
  int argc = 0, required_ok = 0, required_unusable = 0, eq_on_index = 0;
  size_t cap = 32 + (size_t)info->nConstraint * 48;
  char *s = sqlite3_malloc64(cap);
  if (!s) return SQLITE_NOMEM;
  size_t len = (size_t)snprintf(s, cap, "%llx;", (unsigned long long)info->colUsed);

  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int col = c->iColumn;
    if (col < 0 || col >= t->ncols || !op_supported(c->op)) continue;
    if (op_is_range(c->op) && t->col_type[col] == T_TEXT) continue;
    if (!c->usable) {
      if (t->col_required[col]) required_unusable = 1;
      continue;
    }
    int in = c->op == SQLITE_INDEX_CONSTRAINT_EQ && sqlite3_vtab_in(info, i, -1);
    if (in) sqlite3_vtab_in(info, i, 1); /* deliver the whole IN list in one scan */
    info->aConstraintUsage[i].argvIndex = ++argc;
    info->aConstraintUsage[i].omit = 0;
    if (t->col_required[col]) required_ok = 1;
    if (c->op == SQLITE_INDEX_CONSTRAINT_EQ && t->col_index[col]) eq_on_index = 1;
    len += (size_t)snprintf(s + len, cap - len, "%d,%d,%d;", col, c->op, in);
  }

  info->idxNum = 0;
  if (t->has_required && !required_ok) {
    if (required_unusable) {
      /* A join order exists that binds the required column: make SQLite pick it. */
      sqlite3_free(s);
      return SQLITE_CONSTRAINT;
    }
    info->idxNum = 1;
    info->estimatedCost = 1e12;
    info->estimatedRows = 1000000000;
  } else if (eq_on_index) {
    info->estimatedCost = 10;
    info->estimatedRows = 10;
  } else if (argc > 0) {
    info->estimatedCost = 100000;
    info->estimatedRows = 100000;
  } else {
    info->estimatedCost = 1000000;
    info->estimatedRows = 1000000;
  }
  info->idxStr = s;
  info->needToFreeIdxStr = 1;
  return SQLITE_OK;
}

static int x_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  osq_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *out = &c->base;
  return SQLITE_OK;
}

static void cursor_release(osq_cursor *c, napi_env env) {
  if (c->rows && env) napi_delete_reference(env, c->rows);
  c->rows = NULL;
  c->nrows = 0;
  c->row = 0;
}

static int x_close(sqlite3_vtab_cursor *cur) {
  osq_cursor *c = (osq_cursor *)cur;
  osq_table *t = ((osq_vtab *)cur->pVtab)->table;
  cursor_release(c, t->env ? t->env->env : NULL);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* A SQLite value as a JS value. */
static napi_value to_js(napi_env env, sqlite3_value *v) {
  napi_value out = NULL;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: {
      sqlite3_int64 i = sqlite3_value_int64(v);
      if (i > 9007199254740991LL || i < -9007199254740991LL)
        napi_create_bigint_int64(env, i, &out);
      else
        napi_create_double(env, (double)i, &out);
      break;
    }
    case SQLITE_FLOAT:
      napi_create_double(env, sqlite3_value_double(v), &out);
      break;
    case SQLITE_TEXT:
      napi_create_string_utf8(env, (const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v),
                              &out);
      break;
    case SQLITE_BLOB: {
      void *data = NULL;
      int n = sqlite3_value_bytes(v);
      napi_create_buffer_copy(env, (size_t)n, sqlite3_value_blob(v), &data, &out);
      break;
    }
    default:
      napi_get_null(env, &out);
  }
  return out;
}

/* [column, op, value] appended to the constraint list. */
static void push_constraint(napi_env env, napi_value list, uint32_t *n, int col, int op, napi_value val) {
  napi_value entry, jcol, jop;
  napi_create_array_with_length(env, 3, &entry);
  napi_create_int32(env, col, &jcol);
  napi_create_int32(env, op, &jop);
  napi_set_element(env, entry, 0, jcol);
  napi_set_element(env, entry, 1, jop);
  napi_set_element(env, entry, 2, val);
  napi_set_element(env, list, (*n)++, entry);
}

/* A SQLite value for a write: integers are always BigInt, so JS can tell 1 from 1.0. */
static napi_value to_js_typed(napi_env env, sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_INTEGER) return to_js(env, v);
  napi_value out = NULL;
  napi_create_bigint_int64(env, sqlite3_value_int64(v), &out);
  return out;
}

/* Turn a pending JS exception into the vtab's error message. */
static int fail_with_exception(sqlite3_vtab *vt, napi_env env) {
  napi_value exc, msg;
  char text[1024] = "osq: table callback failed";
  if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) {
    napi_valuetype ty;
    napi_typeof(env, exc, &ty);
    if (ty == napi_object && napi_get_named_property(env, exc, "message", &msg) == napi_ok) {
      napi_coerce_to_string(env, msg, &msg);
    } else {
      napi_coerce_to_string(env, exc, &msg);
    }
    size_t n = 0;
    napi_get_value_string_utf8(env, msg, text, sizeof(text), &n);
  }
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = sqlite3_mprintf("%s", text);
  return SQLITE_ERROR;
}

static int x_filter(sqlite3_vtab_cursor *cur, int idx_num, const char *idx_str, int argc,
                    sqlite3_value **argv) {
  osq_cursor *c = (osq_cursor *)cur;
  sqlite3_vtab *vt = cur->pVtab;
  osq_table *t = ((osq_vtab *)vt)->table;
  osq_env *e = t->env;
  if (!e || !t->live) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("osq: table %s is no longer available", t->name);
    return SQLITE_ERROR;
  }
  napi_env env = e->env;
  cursor_release(c, env);

  if (idx_num == 1) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("%s", t->required_message);
    return SQLITE_CONSTRAINT;
  }

  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int rc = SQLITE_OK;

  napi_value list;
  uint32_t n = 0;
  napi_create_array(env, &list);
  const char *p = strchr(idx_str ? idx_str : "", ';');
  unsigned long long used = idx_str ? strtoull(idx_str, NULL, 16) : ~0ULL;
  for (int k = 0; k < argc && p; k++) {
    int col, op, in;
    if (sscanf(p + 1, "%d,%d,%d;", &col, &op, &in) != 3) break;
    if (in) {
      sqlite3_value *item = NULL;
      for (int r = sqlite3_vtab_in_first(argv[k], &item); r == SQLITE_OK && item;
           r = sqlite3_vtab_in_next(argv[k], &item)) {
        push_constraint(env, list, &n, col, op, to_js(env, item));
      }
    } else {
      push_constraint(env, list, &n, col, op, to_js(env, argv[k]));
    }
    p = strchr(p + 1, ';');
  }

  napi_value fn, global, args[3], result;
  napi_get_reference_value(env, e->dispatcher, &fn);
  napi_get_global(env, &global);
  napi_create_int32(env, t->id, &args[0]);
  args[1] = list;
  napi_create_bigint_uint64(env, used, &args[2]);
  napi_status st = napi_call_function(env, global, fn, 3, args, &result);
  if (st != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      rc = fail_with_exception(vt, env);
    }
    /* No exception pending: the thread is being terminated. Return no rows rather
       than an error, which would make better-sqlite3 abort the process. */
  } else {
    bool is_array = false;
    napi_is_array(env, result, &is_array);
    if (!is_array) {
      sqlite3_free(vt->zErrMsg);
      vt->zErrMsg = sqlite3_mprintf("osq: generator of %s did not return rows", t->name);
      rc = SQLITE_ERROR;
    } else {
      uint32_t total = 0;
      napi_get_array_length(env, result, &total);
      c->nrows = row_stride(t) ? (int64_t)(total / (uint32_t)row_stride(t)) : 0;
      napi_create_reference(env, result, 1, &c->rows);
    }
  }
  napi_close_handle_scope(env, scope);
  return rc;
}

static int x_next(sqlite3_vtab_cursor *cur) {
  ((osq_cursor *)cur)->row++;
  return SQLITE_OK;
}

static int x_eof(sqlite3_vtab_cursor *cur) {
  osq_cursor *c = (osq_cursor *)cur;
  return c->row >= c->nrows;
}

/*
 * The row's position, or for writable tables the rowid the row carries (osquery's
 * `rowid` key): a number, or null for "use the position". Anything else is a rowid
 * the table could not parse, which fails the scan as osquery does.
 */
static int x_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
  osq_cursor *c = (osq_cursor *)cur;
  osq_table *t = ((osq_vtab *)cur->pVtab)->table;
  osq_env *e = t->env;
  *rowid = c->row;
  if (!t->writable || !e || !c->rows) return SQLITE_OK;
  napi_env env = e->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int rc = SQLITE_OK;
  napi_value rows, v;
  napi_valuetype ty = napi_undefined;
  napi_get_reference_value(env, c->rows, &rows);
  if (napi_get_element(env, rows, (uint32_t)(c->row * row_stride(t) + t->ncols), &v) == napi_ok)
    napi_typeof(env, v, &ty);
  if (ty == napi_number) {
    double d = 0;
    napi_get_value_double(env, v, &d);
    *rowid = (sqlite3_int64)d;
  } else if (ty == napi_bigint) {
    int64_t i = 0;
    bool lossless = false;
    napi_get_value_bigint_int64(env, v, &i, &lossless);
    *rowid = i;
  } else if (ty != napi_null && ty != napi_undefined) {
    rc = SQLITE_ERROR;
  }
  napi_close_handle_scope(env, scope);
  return rc;
}

/*
 * INSERT, UPDATE and DELETE on a writable table. The write dispatcher gets
 * (tableId, kind: 0 delete | 1 insert | 2 update, argv[0], argv[1], column values) and
 * answers [sqlite result code, error message or null, rowid or null]; the rowid is
 * what an INSERT gives SQLite as the new row's rowid.
 */
static int x_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *out_rowid) {
  osq_table *t = ((osq_vtab *)vt)->table;
  osq_env *e = t->env;
  if (!e || !t->live) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("osq: table %s is no longer available", t->name);
    return SQLITE_ERROR;
  }
  if (!t->writable || !e->write_dispatcher) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("table %s may not be modified", t->name);
    return SQLITE_READONLY;
  }
  int kind;
  if (argc == 1)
    kind = 0;
  else if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
    kind = 1;
  else if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER)
    kind = 2;
  else
    return SQLITE_ERROR;

  napi_env env = e->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  int rc = SQLITE_OK;

  napi_value fn, global, args[5], result;
  napi_get_reference_value(env, e->write_dispatcher, &fn);
  napi_get_global(env, &global);
  napi_create_int32(env, t->id, &args[0]);
  napi_create_int32(env, kind, &args[1]);
  args[2] = to_js_typed(env, argv[0]);
  if (argc > 1)
    args[3] = to_js_typed(env, argv[1]);
  else
    napi_get_null(env, &args[3]);
  int nvalues = argc > 2 ? argc - 2 : 0;
  napi_create_array_with_length(env, (size_t)nvalues, &args[4]);
  for (int i = 0; i < nvalues; i++) napi_set_element(env, args[4], (uint32_t)i, to_js_typed(env, argv[i + 2]));

  napi_status st = napi_call_function(env, global, fn, 5, args, &result);
  if (st != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) rc = fail_with_exception(vt, env);
    /* No exception pending: the thread is being terminated. An error here would make
       better-sqlite3 abort the process; report nothing. */
  } else {
    napi_value v;
    napi_valuetype ty = napi_undefined;
    int32_t code = SQLITE_ERROR;
    if (napi_get_element(env, result, 0, &v) == napi_ok && napi_get_value_int32(env, v, &code) == napi_ok)
      rc = code;
    else
      rc = SQLITE_ERROR;
    if (napi_get_element(env, result, 1, &v) == napi_ok && napi_typeof(env, v, &ty) == napi_ok &&
        ty == napi_string) {
      size_t n = 0;
      napi_get_value_string_utf8(env, v, NULL, 0, &n);
      char *text = sqlite3_malloc64(n + 1);
      if (text) napi_get_value_string_utf8(env, v, text, n + 1, &n);
      sqlite3_free(vt->zErrMsg);
      vt->zErrMsg = text; /* SQLite frees it with sqlite3_free */
    }
    if (rc == SQLITE_OK && kind == 1) {
      ty = napi_undefined;
      if (napi_get_element(env, result, 2, &v) == napi_ok) napi_typeof(env, v, &ty);
      if (ty == napi_bigint) {
        int64_t i = 0;
        bool lossless = false;
        napi_get_value_bigint_int64(env, v, &i, &lossless);
        *out_rowid = i;
      } else if (ty == napi_number) {
        double d = 0;
        napi_get_value_double(env, v, &d);
        *out_rowid = (sqlite3_int64)d;
      } else {
        rc = SQLITE_ERROR; /* an INSERT must give SQLite a rowid */
      }
    }
  }
  napi_close_handle_scope(env, scope);
  return rc;
}

static int x_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  osq_cursor *c = (osq_cursor *)cur;
  osq_table *t = ((osq_vtab *)cur->pVtab)->table;
  osq_env *e = t->env;
  if (!e || !c->rows) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  napi_env env = e->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value rows, v;
  napi_valuetype ty = napi_undefined;
  napi_get_reference_value(env, c->rows, &rows);
  if (napi_get_element(env, rows, (uint32_t)(c->row * row_stride(t) + col), &v) == napi_ok)
    napi_typeof(env, v, &ty);
  switch (ty) {
    case napi_number: {
      double d = 0;
      napi_get_value_double(env, v, &d);
      int integral = d == (double)(int64_t)d && d < 9.3e18 && d > -9.3e18;
      if (integral && t->col_type[col] != T_DOUBLE)
        sqlite3_result_int64(ctx, (sqlite3_int64)d);
      else
        sqlite3_result_double(ctx, d);
      break;
    }
    case napi_bigint: {
      int64_t i = 0;
      bool lossless = false;
      napi_get_value_bigint_int64(env, v, &i, &lossless);
      sqlite3_result_int64(ctx, i);
      break;
    }
    case napi_string: {
      size_t n = 0;
      napi_get_value_string_utf8(env, v, NULL, 0, &n);
      if (n + 1 > e->buflen) {
        size_t want = n + 1 < 4096 ? 4096 : n + 1;
        char *nb = realloc(e->buf, want);
        if (!nb) {
          napi_close_handle_scope(env, scope);
          return SQLITE_NOMEM;
        }
        e->buf = nb;
        e->buflen = want;
      }
      napi_get_value_string_utf8(env, v, e->buf, e->buflen, &n);
      sqlite3_result_text(ctx, e->buf, (int)n, SQLITE_TRANSIENT);
      break;
    }
    case napi_boolean: {
      bool b = false;
      napi_get_value_bool(env, v, &b);
      sqlite3_result_int(ctx, b ? 1 : 0);
      break;
    }
    case napi_object: {
      bool is_buf = false;
      napi_is_buffer(env, v, &is_buf);
      if (is_buf) {
        void *data = NULL;
        size_t n = 0;
        napi_get_buffer_info(env, v, &data, &n);
        sqlite3_result_blob64(ctx, data, n, SQLITE_TRANSIENT);
      } else {
        sqlite3_result_null(ctx);
      }
      break;
    }
    default:
      sqlite3_result_null(ctx);
  }
  napi_close_handle_scope(env, scope);
  return SQLITE_OK;
}

/* Reading is the same for every table; `xCreate = NULL` makes the modules
   eponymous-only: `SELECT * FROM processes` needs no CREATE VIRTUAL TABLE. */
#define OSQ_READ_METHODS                                                               \
  .iVersion = 0, .xCreate = NULL, .xConnect = x_connect, .xBestIndex = x_best_index,  \
  .xDisconnect = x_disconnect, .xDestroy = x_disconnect, .xOpen = x_open,             \
  .xClose = x_close, .xFilter = x_filter, .xNext = x_next, .xEof = x_eof,             \
  .xColumn = x_column, .xRowid = x_rowid

static sqlite3_module osq_module = {OSQ_READ_METHODS};
static sqlite3_module osq_module_writable = {OSQ_READ_METHODS, .xUpdate = x_update};

/* ------------------------------------------------------------------ connections */

/* A module that is never queried: its destructor tells us the connection closed. */
static sqlite3_module sentinel_module = {0};

static void conn_closed(void *p) {
  osq_conn *c = (osq_conn *)p;
  if (c->env) {
    osq_conn **pp = &c->env->conns;
    while (*pp && *pp != c) pp = &(*pp)->next;
    if (*pp) *pp = c->next;
  }
  free(c);
}

/*
 * osquery's authorizer: reading, views, temporary objects and the vtab writes osquery
 * allows; no ATTACH/DETACH, no PRAGMA outside a safe few. The main database is
 * in memory, so nothing a query does reaches the filesystem.
 * (docs/architecture.md#sql-functions-and-the-authorizer)
 */
static int authorizer(void *p, int action, const char *a, const char *b, const char *db, const char *trigger) {
  (void)p;
  (void)b;
  (void)db;
  (void)trigger;
  switch (action) {
    case SQLITE_READ:
    case SQLITE_SELECT:
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_CREATE_VTABLE:
    case SQLITE_DROP_VTABLE:
    case SQLITE_CREATE_VIEW:
    case SQLITE_DROP_VIEW:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_TRANSACTION:
      return SQLITE_OK;
    case SQLITE_PRAGMA: {
      static const char *allowed[] = {"table_info", "table_xinfo",        "function_list",
                                      "journal_mode", "case_sensitive_like", "collation_list"};
      for (size_t i = 0; a && i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (sqlite3_stricmp(a, allowed[i]) == 0) return SQLITE_OK;
      return SQLITE_DENY;
    }
    default:
      return SQLITE_DENY;
  }
}

static int create_table_module(sqlite3 *db, osq_table *t) {
  return sqlite3_create_module_v2(db, t->name, t->writable ? &osq_module_writable : &osq_module, t, NULL);
}

/* The loadable-extension entry point, run by db.loadExtension() on each connection. */
OSQ_EXPORT int sqlite3_osqvtab_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  osq_env *e = tls_env;
  if (!e) {
    *err = sqlite3_mprintf("osq: the vtab addon is not initialised on this thread");
    return SQLITE_ERROR;
  }
  /* osquery's SQLite accepts double-quoted string literals (`remote_address <> ""`). */
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 1, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 1, (int *)0);

  int rc = osq_register_version(db); /* version_compare and the version collations */
  if (rc != SQLITE_OK) return rc;
  for (int i = 0; i < e->ntables; i++) {
    if (!e->tables[i]->live) continue;
    rc = create_table_module(db, e->tables[i]);
    if (rc != SQLITE_OK) return rc;
  }
  osq_conn *c = calloc(1, sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  c->db = db;
  c->env = e;
  c->next = e->conns;
  e->conns = c;
  rc = sqlite3_create_module_v2(db, "osq_connection_sentinel", &sentinel_module, c, conn_closed);
  if (rc != SQLITE_OK) return rc;
  sqlite3_set_authorizer(db, authorizer, NULL);
  return SQLITE_OK;
}

/* ------------------------------------------------------------------ Node-API */

#define NAPI_CHECK(call)                                         \
  do {                                                           \
    if ((call) != napi_ok) {                                     \
      napi_throw_error(env, NULL, "osq_vtab: " #call " failed"); \
      return NULL;                                               \
    }                                                            \
  } while (0)

static osq_env *get_env(napi_env env) {
  osq_env *e = NULL;
  napi_get_instance_data(env, (void **)&e);
  return e;
}

static char *dup_string(napi_env env, napi_value v) {
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return NULL;
  char *s = malloc(n + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, n + 1, &n);
  return s;
}

static int *int_array(napi_env env, napi_value arr, int n) {
  int *out = calloc((size_t)(n ? n : 1), sizeof(int));
  for (int i = 0; out && i < n; i++) {
    napi_value v;
    int32_t x = 0;
    napi_get_element(env, arr, (uint32_t)i, &v);
    napi_get_value_int32(env, v, &x);
    out[i] = x;
  }
  return out;
}

/* setDispatcher(fn): fn(tableId, constraints, colsUsed) -> flat row array */
static napi_value js_set_dispatcher(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  osq_env *e = get_env(env);
  if (e->dispatcher) napi_delete_reference(env, e->dispatcher);
  NAPI_CHECK(napi_create_reference(env, argv[0], 1, &e->dispatcher));
  tls_env = e;
  return NULL;
}

/* setWriteDispatcher(fn): fn(tableId, kind, argv0, argv1, values[]) -> [code, message, rowid] */
static napi_value js_set_write_dispatcher(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  osq_env *e = get_env(env);
  if (e->write_dispatcher) napi_delete_reference(env, e->write_dispatcher);
  NAPI_CHECK(napi_create_reference(env, argv[0], 1, &e->write_dispatcher));
  return NULL;
}

/* registerTable(name, createSql, types[], required[], indexed[], requiredMessage, writable?) -> id.
   Also creates the module on every open connection of this thread. */
static napi_value js_register_table(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  NAPI_CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  osq_env *e = get_env(env);
  uint32_t ncols = 0;
  NAPI_CHECK(napi_get_array_length(env, argv[2], &ncols));
  osq_table *t = calloc(1, sizeof(*t));
  if (!t) return NULL;
  t->name = dup_string(env, argv[0]);
  t->create_sql = dup_string(env, argv[1]);
  t->ncols = (int)ncols;
  t->col_type = int_array(env, argv[2], t->ncols);
  t->col_required = int_array(env, argv[3], t->ncols);
  t->col_index = int_array(env, argv[4], t->ncols);
  t->required_message = dup_string(env, argv[5]);
  bool writable = false;
  if (argc >= 7 && napi_get_value_bool(env, argv[6], &writable) != napi_ok) writable = false;
  t->writable = writable ? 1 : 0;
  for (int i = 0; i < t->ncols; i++) {
    if (t->col_required[i]) {
      t->has_required = 1;
      t->col_index[i] = 1;
    }
  }
  t->live = 1;
  t->env = e;
  /* A table registered again under the same name replaces the old one. */
  for (int i = 0; i < e->ntables; i++)
    if (e->tables[i]->live && strcmp(e->tables[i]->name, t->name) == 0) e->tables[i]->live = 0;
  if (e->ntables == e->cap) {
    int cap = e->cap ? e->cap * 2 : 64;
    osq_table **nt = realloc(e->tables, (size_t)cap * sizeof(*nt));
    if (!nt) return NULL;
    e->tables = nt;
    e->cap = cap;
  }
  t->id = e->ntables;
  e->tables[e->ntables++] = t;
  for (osq_conn *c = e->conns; c; c = c->next) create_table_module(c->db, t);
  napi_value id;
  NAPI_CHECK(napi_create_int32(env, t->id, &id));
  return id;
}

/* unregisterTable(name): drops the module from every open connection of this thread. */
static napi_value js_unregister_table(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  osq_env *e = get_env(env);
  char *name = dup_string(env, argv[0]);
  if (!name) return NULL;
  for (int i = 0; i < e->ntables; i++) {
    osq_table *t = e->tables[i];
    if (!t->live || strcmp(t->name, name) != 0) continue;
    t->live = 0; /* kept allocated: prepared statements may still point at it */
    for (osq_conn *c = e->conns; c; c = c->next) sqlite3_create_module_v2(c->db, name, NULL, NULL, NULL);
  }
  free(name);
  return NULL;
}

static void env_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  osq_env *e = (osq_env *)data;
  if (tls_env == e) tls_env = NULL;
  for (osq_conn *c = e->conns; c; c = c->next) c->env = NULL;
  for (int i = 0; i < e->ntables; i++) e->tables[i]->env = NULL; /* tables leak on purpose */
  free(e->buf);
  free(e);
}

NAPI_MODULE_INIT() {
  osq_env *e = calloc(1, sizeof(*e));
  if (!e) return NULL;
  e->env = env;
  napi_set_instance_data(env, e, env_finalize, NULL);
  tls_env = e;
  napi_property_descriptor props[] = {
      {"setDispatcher", NULL, js_set_dispatcher, NULL, NULL, NULL, napi_default, NULL},
      {"setWriteDispatcher", NULL, js_set_write_dispatcher, NULL, NULL, NULL, napi_default, NULL},
      {"registerTable", NULL, js_register_table, NULL, NULL, NULL, napi_default, NULL},
      {"unregisterTable", NULL, js_unregister_table, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
