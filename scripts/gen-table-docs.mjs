#!/usr/bin/env node
// The schema reference of every table osq registers, as markdown, written from the
// table declarations themselves (core/dist, so run `npm run build` first): name,
// aliases, attributes, and each column's type and flags (index, required, hidden,
// additional, optimized, collate), its platforms and column aliases.
//
// usage: node scripts/gen-table-docs.mjs [--out PATH]   (default docs/tables.md)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  let out = resolve(root, 'docs/tables.md');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i]);
    else throw new Error(`unexpected argument: ${argv[i]}\nusage: gen-table-docs.mjs [--out PATH]`);
  }
  return { out };
}

const FLAGS = ['index', 'required', 'hidden', 'additional', 'optimized'];

/** A column's flags as one cell: "index, required, collate nocase". */
function flagCell(column) {
  const flags = FLAGS.filter((f) => column[f]);
  if (column.collate) flags.push(`collate ${column.collate}`);
  return flags.join(', ');
}

const code = (s) => `\`${s}\``;
const list = (items) => items.map(code).join(', ');

/** True when the column exists on Linux (no platforms means every platform). */
const onLinux = (column) => !column.platforms || column.platforms.includes('linux');

function tableSection(table) {
  const lines = [`## ${table.name}`, ''];
  if (table.aliases?.length) lines.push(`Aliases: ${list(table.aliases)}`, '');
  const attributes = Object.entries(table.attributes ?? {})
    .filter(([, on]) => on)
    .map(([name]) => name);
  if (attributes.length) lines.push(`Attributes: ${list(attributes)}`, '');
  const required = table.columnList.filter((c) => c.required).map((c) => c.name);
  if (required.length) lines.push(`A query must constrain ${list(required)}.`, '');
  const elsewhere = table.columnList.filter((c) => !onLinux(c)).map((c) => c.name);
  if (elsewhere.length) {
    lines.push(`Declared for other platforms only, hidden on Linux: ${list(elsewhere)}.`, '');
  }
  lines.push('| Column | Type | Flags | Platforms | Aliases |', '| --- | --- | --- | --- | --- |');
  for (const c of table.columnList) {
    const platforms = (c.platforms ?? []).join(', ');
    lines.push(`| ${c.name} | ${c.type} | ${flagCell(c)} | ${platforms} | ${(c.aliases ?? []).join(', ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function render(tables) {
  const head = [
    '# osq tables',
    '',
    'The schema reference of every table osq serves on Linux, generated from the table',
    'declarations by `scripts/gen-table-docs.mjs` (run `npm run build` first). Do not edit',
    "by hand: regenerate it. Flags are osquery's: `index` and `additional` columns reach the",
    'table as constraints, `required` ones must be constrained, `hidden` ones are left out of',
    '`SELECT *`, `optimized` ones take an IN list in one scan. A column whose platforms leave',
    'out Linux is declared for compatibility and hidden; an empty Platforms cell means the',
    'column exists wherever the table does.',
    '',
    `${tables.length} tables:`,
    '',
    tables.map((t) => `[${t.name}](#${t.name})`).join(' · '),
    '',
  ];
  return [head.join('\n'), ...tables.map(tableSection)].join('\n');
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const { setUpRegistries } = await import(new URL('../core/dist/plugins.js', import.meta.url).href);
  const { allTables } = await import(new URL('../core/dist/registry/tables.js', import.meta.url).href);
  const text = render(allTables(setUpRegistries().table));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
}

await main();
