#!/usr/bin/env node
// Documentation for third-party tables written with @osq/sdk. Loads a module that
// declares tables and writes, for all the tables it finds:
//   routes.json - the route info the extension sends at registration ({table: {name: rows}});
//   schema.json - the tables in the osquery website's schema format (osquery_schema.json);
//   tables.md   - a markdown page: one section per table, its columns and examples.
//
// usage: node scripts/sdk-table-docs.mjs <module.(ts|js)> [--out DIR] [--tsconfig PATH] [--url BASE]
//
// Tables are found among the module's exports: TablePlugin objects, arrays of them, and a
// default export that is either (or a function returning either, called with no arguments).
// Without --out the markdown page is printed. TypeScript modules load through tsx; --tsconfig
// lets tsx map `@osq/sdk` (e.g. to sdk/src) before the workspace is built.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function parseArgs(argv) {
  const out = { module: undefined, out: undefined, tsconfig: undefined, url: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out.out = argv[++i];
    else if (a === '--tsconfig') out.tsconfig = argv[++i];
    else if (a === '--url') out.url = argv[++i] ?? '';
    else if (!a.startsWith('--') && out.module === undefined) out.module = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!out.module)
    throw new Error('usage: sdk-table-docs.mjs <module> [--out DIR] [--tsconfig PATH] [--url BASE]');
  return out;
}

async function load(path, tsconfig) {
  const abs = resolve(path);
  if (/\.[cm]?ts$/.test(abs)) {
    const { register } = await import('tsx/esm/api');
    register(tsconfig ? { tsconfig: resolve(tsconfig) } : {});
  }
  return import(pathToFileURL(abs).href);
}

const isTable = (v) =>
  typeof v === 'object' &&
  v !== null &&
  v.registry === 'table' &&
  Array.isArray(v.columns) &&
  typeof v.routeInfo === 'function';

/** Every table among the module's exports, once each, sorted by name. */
function findTables(mod) {
  const found = new Map();
  const visit = (v) => {
    if (isTable(v)) found.set(v.name, v);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  for (const [key, value] of Object.entries(mod)) {
    if (key === 'default' && typeof value === 'function') visit(value());
    else visit(value);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** One table in osquery's website schema format (tools/codegen/genwebsitejson.py). */
function schemaEntry(t, urlBase) {
  const o = t.options ?? {};
  const attrs = o.attributes ?? {};
  return {
    name: t.name,
    description: o.description ?? '',
    url: urlBase ? `${urlBase.replace(/\/$/, '')}/${t.name}` : '',
    platforms: [...(o.platforms ?? ['linux', 'darwin'])],
    evented: Boolean(attrs.eventBased),
    cacheable: Boolean(attrs.cacheable),
    notes: '',
    examples: [...(o.examples ?? [])],
    columns: t.columns.map((c) => ({
      name: c.name,
      description: c.options.description ?? '',
      type: c.type,
      notes: '',
      hidden: Boolean(c.options.hidden),
      required: Boolean(c.options.required),
      index: Boolean(c.options.index),
    })),
  };
}

const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');

function markdown(tables) {
  const parts = ['# Extension tables', ''];
  for (const t of tables) {
    const o = t.options ?? {};
    parts.push(`## ${t.name}`, '');
    if (o.description) parts.push(o.description, '');
    if (o.aliases?.length) parts.push(`Aliases: ${o.aliases.map((a) => `\`${a}\``).join(', ')}`, '');
    parts.push('| Column | Type | Description |', '|---|---|---|');
    for (const c of t.columns) {
      const flags = ['index', 'required', 'additional', 'optimized', 'hidden'].filter((f) => c.options[f]);
      if (c.options.collate) flags.push(`collate ${c.options.collate}`);
      const note = flags.length ? ` (${flags.join(', ')})` : '';
      parts.push(
        `| \`${c.name}\` | ${c.type.toUpperCase().replace('_', ' ')} | ${cell((c.options.description ?? '') + note).trim()} |`,
      );
    }
    parts.push('');
    if (o.examples?.length) parts.push('Examples:', '', '```sql', ...o.examples, '```', '');
  }
  return parts.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tables = findTables(await load(args.module, args.tsconfig));
  if (tables.length === 0) throw new Error(`no table plugins exported by ${args.module}`);
  const md = markdown(tables);
  if (!args.out) {
    process.stdout.write(md);
    return;
  }
  mkdirSync(args.out, { recursive: true });
  const routes = { table: Object.fromEntries(tables.map((t) => [t.name, t.routeInfo()])) };
  writeFileSync(join(args.out, 'routes.json'), `${JSON.stringify(routes, null, 2)}\n`);
  writeFileSync(
    join(args.out, 'schema.json'),
    `${JSON.stringify(
      tables.map((t) => schemaEntry(t, args.url)),
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(args.out, 'tables.md'), md);
  process.stdout.write(
    `wrote routes.json, schema.json and tables.md for ${tables.length} tables to ${args.out}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`sdk-table-docs: ${err.message}\n`);
  process.exit(1);
});
