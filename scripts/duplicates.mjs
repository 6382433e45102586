#!/usr/bin/env node
// The repository's duplicate-code check: jscpd over the hand-written code (core, sdk,
// idl, extensions, scripts, test), generated code and data left out (idl/gen, dist,
// fixtures, the schema facts, JSON, markdown). It prints the figure, duplicated lines
// and their share of all lines, and fails only above --max-percent (default 1%, which
// holds today with room to spare), so new copies are noticed before they pile up.
//
// usage: node scripts/duplicates.mjs [--list N] [--max-percent P]
//   --list N          also print the N largest clones (default 0)
//   --max-percent P   exit 1 when duplicated lines exceed P% (0 = report only)
// `npm test` runs it; `duplicates --change` (on PATH here) shows what a change repeats.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folders scanned: everything written by hand. */
export const SCANNED = ['core', 'sdk', 'idl', 'extensions', 'scripts', 'test'];

/** Generated code and data: not ours to deduplicate. */
export const IGNORED = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  'idl/gen/**',
  'test/fixtures/**',
  'core/schema/**',
  '**/*.json',
  '**/*.md',
];

function parseArgs(argv) {
  const opts = { list: 0, maxPercent: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--list') opts.list = value();
    else if (a === '--max-percent') opts.maxPercent = value();
    else throw new Error(`unexpected argument: ${a}\nusage: duplicates.mjs [--list N] [--max-percent P]`);
  }
  return opts;
}

/** Runs jscpd and returns its JSON report. */
function runJscpd() {
  const bin = createRequire(import.meta.url).resolve('jscpd/run-jscpd.js');
  const out = mkdtempSync(join(tmpdir(), 'osq-jscpd-'));
  try {
    const args = [
      bin,
      '--silent',
      '--absolute',
      '--reporters',
      'json',
      '--output',
      out,
      '--format',
      'typescript,javascript,c,python',
      '--ignore',
      IGNORED.join(','),
      ...SCANNED,
    ];
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(`jscpd failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
    }
    return JSON.parse(readFileSync(join(out, 'jscpd-report.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const report = runJscpd();
  const total = report.statistics.total;
  const percent = total.lines === 0 ? 0 : (100 * total.duplicatedLines) / total.lines;
  process.stdout.write(
    `duplicates: ${total.duplicatedLines} duplicated lines of ${total.lines} (${percent.toFixed(2)}%), ` +
      `${total.clones} clones in ${total.sources} files (jscpd; generated code excluded)\n`,
  );
  const clones = [...report.duplicates].sort((a, b) => b.lines - a.lines).slice(0, opts.list);
  for (const c of clones) {
    const at = (f) => `${relative(root, f.name)}:${f.start}-${f.end}`;
    process.stdout.write(`  ${c.lines} lines  ${at(c.firstFile)}  ~  ${at(c.secondFile)}\n`);
  }
  if (opts.maxPercent > 0 && percent > opts.maxPercent) {
    process.stderr.write(
      `duplicates: ${percent.toFixed(2)}% is over the ${opts.maxPercent}% limit; ` +
        'see `node scripts/duplicates.mjs --list 20` and share the repeated code\n',
    );
    process.exit(1);
  }
}

main();
