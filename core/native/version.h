/*
 * osquery's version comparison for SQL: the version_compare() function and the
 * collations version, version_arch, version_dpkg and version_rhel.
 */
#ifndef OSQ_VERSION_H
#define OSQ_VERSION_H

#include "sqlite3ext.h"

/* Register version_compare() and the four version collations on a connection.
 * Returns SQLITE_OK or the first failing SQLite result code. */
int osq_register_version(sqlite3 *db);

#endif /* OSQ_VERSION_H */
