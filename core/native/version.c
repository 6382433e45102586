/*
 * Version comparison as osquery does it (version_compare() and the version_*
 * collations).
 *
 * osquery does not parse versions into numbers. It walks both strings byte by
 * byte, splitting them into segments at the delimiters `~ - ^ . :`:
 *   - inside a segment it remembers the first differing byte;
 *   - when one side reaches a delimiter while the other does not, the side with
 *     the longer segment is greater (so "1.10" > "1.9": the segment "10" is longer);
 *   - when both reach a delimiter, the remembered difference decides, and with
 *     the DPKG/RHEL flavours the delimiters themselves are ranked ~ < - < ^ < . < :
 *   - what remains after the shorter string decides last (see compare_tail).
 * Flavours switch on extra rules:
 *   epoch       (ARCH, DPKG, RHEL) a version with a `:` beats one without; two with
 *               one compare the position of their first `:`;
 *   delim_rank  (DPKG, RHEL) delimiters compare by rank;
 *   tail_marks  (ARCH, RHEL) a remainder starting with `~` is less, with `^` is
 *               greater and with `-` is equal ("1.0~rc1" < "1.0" < "1.0^git");
 *   tail_digits (ARCH) after a digit, a remainder decides by length, not by the
 *               remembered byte difference.
 * This reproduces osquery's results, including where they differ from dpkg or rpm
 * (e.g. the DPKG flavour does not treat `~` specially).
 *
 * This file is part of the osq_vtab loadable extension: sqlite3_api comes from
 * the main file (SQLITE_EXTENSION_INIT1 there).
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include <string.h>
#include <strings.h>

#include "version.h"

typedef struct {
  int epoch;
  int delim_rank;
  int tail_marks;
  int tail_digits;
} flavor_rules;

static const flavor_rules RULES_PLAIN = {0, 0, 0, 0};
static const flavor_rules RULES_ARCH = {1, 0, 1, 1};
static const flavor_rules RULES_DPKG = {1, 1, 0, 0};
static const flavor_rules RULES_RHEL = {1, 1, 1, 0};

/* 0 for ordinary bytes, else the delimiter's rank (~ lowest, : highest). */
static int delimiter_rank(char c) {
  switch (c) {
    case '~': return 1;
    case '-': return 2;
    case '^': return 3;
    case '.': return 4;
    case ':': return 5;
    default: return 0;
  }
}

static int is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* Index of the first ':' in s[0..len), or -1. */
static int colon_at(const char *s, int len) {
  for (int i = 0; i < len; i++) {
    if (s[i] == ':') return i;
  }
  return -1;
}

/* Epoch rule: a `:` anywhere makes a version greater than one without. */
static int compare_epoch(const char *l, int llen, const char *r, int rlen) {
  int lc = colon_at(l, llen);
  int rc = colon_at(r, rlen);
  if (lc >= 0 && rc >= 0) return lc - rc;
  if (lc >= 0) return 1;
  if (rc >= 0) return -1;
  return 0;
}

/*
 * One string is a prefix-length longer than the other (pos = length of the
 * shorter one). `diff` is the byte difference remembered in the last segment.
 */
static int compare_tail(const char *l, int llen, const char *r, int rlen, int pos, int diff,
                        const flavor_rules *f) {
  if (llen == pos) {
    /* The right version has more. */
    if (f->tail_marks) {
      switch (r[pos]) {
        case '~': return 1;
        case '-': return 0;
        case '^': return -1;
        default:
          if (diff != 0 && (!f->tail_digits || !is_ascii_digit(l[pos - 1]))) return diff;
      }
    } else if (diff != 0 && delimiter_rank(r[pos]) > 0) {
      return diff;
    }
  }
  if (rlen == pos) {
    /* The left version has more. */
    if (f->tail_marks) {
      switch (l[pos]) {
        case '~': return -1;
        case '-': return 0;
        case '^': return 1;
        default:
          if (diff != 0 && (!f->tail_digits || !is_ascii_digit(r[pos - 1]))) return diff;
      }
    } else if (diff != 0 && delimiter_rank(l[pos]) > 0) {
      return diff;
    }
  }
  return llen - rlen;
}

/* <0, 0 or >0 as l sorts before, with or after r (not clamped). */
static int version_cmp(const char *l, int llen, const char *r, int rlen, const flavor_rules *f) {
  if (llen == 0 || rlen == 0) return (llen != 0) - (rlen != 0);
  if (llen == rlen && memcmp(l, r, (size_t)llen) == 0) return 0;

  if (f->epoch) {
    int e = compare_epoch(l, llen, r, rlen);
    if (e != 0) return e;
  }

  int first_diff = 0;
  int min = llen < rlen ? llen : rlen;
  for (int i = 0; i < min; i++) {
    int ld = delimiter_rank(l[i]);
    int rd = delimiter_rank(r[i]);
    if (ld == 0 && rd == 0) {
      /* Bytes compare as signed chars, as osquery's do on x86-64 and arm64 Linux
       * builds with signed char. */
      if (first_diff == 0) first_diff = (int)(signed char)l[i] - (int)(signed char)r[i];
      continue;
    }
    if (ld == 0) return 1;  /* left segment is longer */
    if (rd == 0) return -1; /* right segment is longer */
    if (first_diff != 0) return first_diff;
    if (f->delim_rank && ld != rd) return ld - rd;
  }

  if (llen == rlen) return first_diff;
  return compare_tail(l, llen, r, rlen, min, first_diff, f);
}

/* ---------------------------------------------------------------- SQL glue */

static void version_compare_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 2 || sqlite3_value_type(argv[0]) != SQLITE_TEXT || sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
    sqlite3_result_error(ctx, "Must provide two version strings to compare.", -1);
    return;
  }
  const flavor_rules *f = &RULES_PLAIN;
  if (argc > 2) {
    if (sqlite3_value_type(argv[2]) != SQLITE_TEXT) {
      sqlite3_result_error(ctx, "The optional third parameter is not a string.", -1);
      return;
    }
    const char *name = (const char *)sqlite3_value_text(argv[2]);
    if (name && strcasecmp(name, "ARCH") == 0) {
      f = &RULES_ARCH;
    } else if (name && strcasecmp(name, "DPKG") == 0) {
      f = &RULES_DPKG;
    } else if (name && strcasecmp(name, "RHEL") == 0) {
      f = &RULES_RHEL;
    } else {
      sqlite3_result_error(ctx, "The optional third parameter does not match one of: (ARCH, DPKG, RHEL).", -1);
      return;
    }
  }
  /* Like osquery, the function reads its arguments as C strings (up to a NUL). */
  const char *l = (const char *)sqlite3_value_text(argv[0]);
  const char *r = (const char *)sqlite3_value_text(argv[1]);
  if (!l || !r) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int rc = version_cmp(l, (int)strlen(l), r, (int)strlen(r), f);
  sqlite3_result_int(ctx, rc < 0 ? -1 : rc > 0 ? 1 : 0);
}

static int collate_plain(void *u, int n1, const void *k1, int n2, const void *k2) {
  (void)u;
  return version_cmp((const char *)k1, n1, (const char *)k2, n2, &RULES_PLAIN);
}

static int collate_arch(void *u, int n1, const void *k1, int n2, const void *k2) {
  (void)u;
  return version_cmp((const char *)k1, n1, (const char *)k2, n2, &RULES_ARCH);
}

static int collate_dpkg(void *u, int n1, const void *k1, int n2, const void *k2) {
  (void)u;
  return version_cmp((const char *)k1, n1, (const char *)k2, n2, &RULES_DPKG);
}

static int collate_rhel(void *u, int n1, const void *k1, int n2, const void *k2) {
  (void)u;
  return version_cmp((const char *)k1, n1, (const char *)k2, n2, &RULES_RHEL);
}

int osq_register_version(sqlite3 *db) {
  int rc = sqlite3_create_function(db, "version_compare", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   version_compare_func, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_collation(db, "version", SQLITE_UTF8, NULL, collate_plain);
  if (rc == SQLITE_OK) rc = sqlite3_create_collation(db, "version_arch", SQLITE_UTF8, NULL, collate_arch);
  if (rc == SQLITE_OK) rc = sqlite3_create_collation(db, "version_dpkg", SQLITE_UTF8, NULL, collate_dpkg);
  if (rc == SQLITE_OK) rc = sqlite3_create_collation(db, "version_rhel", SQLITE_UTF8, NULL, collate_rhel);
  return rc;
}
