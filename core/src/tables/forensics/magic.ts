// magic: libmagic's description, MIME type and MIME encoding of each `path = `
// file, as `file -b`, `file -b --mime-type` and `file -b --mime-encoding` print.
// Reads through our Node-API module osq_magic (core/native-libs/osq_magic).
// magic_db_files: `=` values are joined with ':' into libmagic's database list;
// by default osquery's list (both Debian locations of magic.mgc).
import { defineTable, type QueryContext, type Row, text } from '../framework.js';
import { nativeModule } from './util.js';

interface MagicModule {
  identify(
    dbFiles: string,
    paths: string[],
  ): ([string | null, string | null, string | null] | undefined)[] | null;
}

const DEFAULT_DB_FILES = ['/usr/share/file/magic.mgc', '/usr/share/misc/magic.mgc'];

function generate(ctx: QueryContext): Row[] {
  const paths = ctx.equals('path');
  const magic = nativeModule<MagicModule>('osq_magic');
  if (paths.length === 0 || !magic) return [];
  const requested = ctx.equals('magic_db_files');
  const dbFiles = (requested.length > 0 ? requested : DEFAULT_DB_FILES).join(':');
  // null: the database list did not load; osquery then returns nothing.
  const results = magic.identify(dbFiles, paths);
  if (!results) return [];
  return paths.map((path, i) => {
    const row: Row = { path, magic_db_files: dbFiles };
    const [data, mimeType, mimeEncoding] = results[i] ?? [null, null, null];
    if (data !== null) row.data = data;
    if (mimeType !== null) row.mime_type = mimeType;
    if (mimeEncoding !== null) row.mime_encoding = mimeEncoding;
    return row;
  });
}

export const magic = defineTable({
  name: 'magic',
  columns: {
    path: text({ index: true, required: true }),
    magic_db_files: text({ additional: true }),
    data: text(),
    mime_type: text(),
    mime_encoding: text(),
  },
  generate,
});
