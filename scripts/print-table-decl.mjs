#!/usr/bin/env node
// Developer aid: prints a table's column declarations from the schema facts
// (core/schema/osquery-schema.json) as framework code, to transcribe into a table file.
// Usage: node scripts/print-table-decl.mjs processes
import { readFileSync } from 'node:fs';

const schema = JSON.parse(
  readFileSync(new URL('../core/schema/osquery-schema.json', import.meta.url), 'utf8'),
);
const helper = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  unsigned_bigint: 'unsignedBigint',
  double: 'double',
  blob: 'blob',
};
for (const name of process.argv.slice(2)) {
  const t = schema.find((x) => x.name === name);
  if (!t) {
    console.error(`no table ${name} in the schema facts`);
    process.exitCode = 1;
    continue;
  }
  console.log(`// ${t.name}${t.aliases ? ` aliases: ${JSON.stringify(t.aliases)}` : ''}`);
  for (const c of t.columns) {
    const o = {};
    for (const k of ['index', 'required', 'hidden', 'additional', 'optimized']) if (c[k]) o[k] = true;
    if (c.collate) o.collate = c.collate;
    if (c.platforms) o.platforms = c.platforms;
    if (c.aliases) o.aliases = c.aliases;
    const opts = Object.keys(o).length
      ? JSON.stringify(o)
          .replace(/"(\w+)":/g, '$1: ')
          .replace(/"/g, "'")
      : '';
    console.log(`    ${c.name}: ${helper[c.type]}(${opts}),`);
  }
}
