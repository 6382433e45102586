// osq's flag declarations against osquery's Linux flags, kept as data in
// core/schema/osquery-flags.json (read from osquery's sources and --help; where each comes from
// is in the list). Every osquery flag must be declared with osquery's type, default,
// description, kind and visibility; every other declaration must be osq's own and documented in
// docs/flags.md; what osq does with each flag (support) must be stated and true as far as a
// test can see: an honoured flag is read somewhere. Reads the real declarations and source tree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allFlags, type DeclaredFlag, flagDeclaration } from '../../core/src/flags/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ListedFlag {
  name: string;
  type: string;
  default: string | number | boolean;
  macro: string;
  source: string;
  description: string;
  note?: string;
}
interface ListedAlias {
  alias: string;
  flag: string;
  macro: string;
  source: string;
}
const list = JSON.parse(readFileSync(join(root, 'core/schema/osquery-flags.json'), 'utf8')) as {
  osquery: string;
  flags: ListedFlag[];
  aliases: ListedAlias[];
};
const listed = new Map(list.flags.map((f) => [f.name, f]));
const declared = allFlags();
const docs = readFileSync(join(root, 'docs/flags.md'), 'utf8');

/** osquery's macro → osq's kind and hidden. */
const MACROS: Record<string, { kind: DeclaredFlag['kind']; hidden: boolean }> = {
  FLAG: { kind: 'flag', hidden: false },
  CLI_FLAG: { kind: 'cli', hidden: false },
  SHELL_FLAG: { kind: 'shell', hidden: false },
  HIDDEN_FLAG: { kind: 'flag', hidden: true },
  'Flag::create': { kind: 'cli', hidden: false },
  gflags: { kind: 'cli', hidden: false },
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', 'build', 'gen', 'declarations'].includes(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe("osquery's Linux flags (core/schema/osquery-flags.json)", () => {
  it('is a list of about 240 flags, each with its type, macro and source file', () => {
    assert.equal(list.osquery, '5.23.0');
    assert.ok(list.flags.length >= 240, `${list.flags.length} flags`);
    assert.equal(listed.size, list.flags.length, 'names are unique');
    for (const f of list.flags) {
      assert.ok(['bool', 'string', 'int32', 'uint32', 'uint64'].includes(f.type), f.name);
      assert.equal(
        typeof f.default,
        f.type === 'bool' ? 'boolean' : f.type === 'string' ? 'string' : 'number',
      );
      assert.ok(f.macro in MACROS, `${f.name}: ${f.macro}`);
      assert.ok(f.description !== '', f.name);
      assert.match(f.source, /^(osquery|plugins)\/.+\.cpp$|^gflags/, f.name);
      // Built on Linux: nothing from osquery's macOS- or Windows-only directories.
      assert.doesNotMatch(f.source, /\/(darwin|windows|freebsd)\//, f.name);
    }
  });

  it('every listed flag is declared with osquery type, default, description and kind', () => {
    const wrong: string[] = [];
    for (const f of list.flags) {
      const d = flagDeclaration(f.name);
      if (!d || d.name !== f.name) {
        wrong.push(`${f.name}: not declared`);
        continue;
      }
      const want = MACROS[f.macro] as { kind: string; hidden: boolean };
      const diffs = [
        d.type !== f.type && `type ${d.type} != ${f.type}`,
        d.default !== f.default && `default ${d.default} != ${f.default}`,
        d.description !== f.description && `description "${d.description}" != "${f.description}"`,
        d.kind !== want.kind && `kind ${d.kind} != ${want.kind}`,
        (d.hidden ?? false) !== want.hidden && `hidden ${d.hidden ?? false} != ${want.hidden}`,
        d.osqOnly && 'marked osqOnly',
      ].filter(Boolean);
      if (diffs.length > 0) wrong.push(`${f.name}: ${diffs.join('; ')}`);
    }
    assert.deepEqual(wrong, []);
  });

  it("every other declaration is osq's own, says so, and is documented", () => {
    const own = declared.filter((d) => !listed.has(d.name));
    assert.ok(own.length > 0);
    for (const d of own) {
      assert.equal(d.osqOnly, true, `${d.name} is not an osquery flag: mark it osqOnly`);
      assert.match(d.description, /^osq: /, d.name);
      assert.ok(docs.includes(`\`--${d.name}\``), `docs/flags.md does not document --${d.name}`);
    }
  });

  it("osquery's aliases set their flag, and osq declares no others", () => {
    for (const a of list.aliases) {
      assert.equal(flagDeclaration(a.alias)?.name, a.flag, `--${a.alias}`);
      assert.ok(['FLAG_ALIAS', 'EXTENSION_FLAG_ALIAS'].includes(a.macro), a.alias);
      assert.ok(listed.has(a.flag), a.alias);
      assert.ok(docs.includes(`\`--${a.alias}\``), `docs/flags.md does not list --${a.alias}`);
    }
    const known = new Set(list.aliases.map((a) => a.alias));
    for (const d of declared) for (const a of d.aliases ?? []) assert.ok(known.has(a), `${d.name}: --${a}`);
  });

  it('every declaration says what osq does with it', () => {
    for (const d of declared) {
      if (d.support === 'later') {
        assert.ok(Number.isInteger(d.issue), `${d.name}: a later flag names its issue`);
        assert.equal(d.note, undefined, d.name);
      } else if (d.support === 'no-effect') {
        assert.ok(d.note && d.note.length > 5, `${d.name}: a no-effect flag says why`);
        assert.equal(d.issue, undefined, d.name);
      } else {
        assert.equal(d.support, 'honoured', d.name);
        assert.equal(d.issue ?? d.note, undefined, d.name);
      }
    }
    // osq's own flags exist because osq uses them.
    for (const d of declared.filter((f) => f.osqOnly)) assert.equal(d.support, 'honoured', d.name);
  });

  it('an honoured flag is read somewhere in osq (core, SDK or extensions)', () => {
    const tree = ['core/src', 'sdk/src', 'extensions'].flatMap((d) => sourceFiles(join(root, d)));
    const text = tree.map((f) => readFileSync(f, 'utf8')).join('\n');
    // The flag parser reads --flagfile itself; the AWS loggers build their flag names.
    const readByPattern = /^(flagfile|aws_(kinesis|firehose)_(stream|endpoint|period|region))$/;
    const unread = declared
      .filter((d) => d.support === 'honoured' && !readByPattern.test(d.name))
      .filter((d) => !new RegExp(`flags\\.${d.name}\\b|['"\`]${d.name}['"\`]`).test(text))
      .map((d) => d.name);
    assert.deepEqual(unread, []);
  });

  it('the generated part of docs/flags.md is current (scripts/gen-flags-doc.mjs, from core/dist)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-doc-'));
    try {
      const out = join(dir, 'flags.md');
      copyFileSync(join(root, 'docs/flags.md'), out);
      execFileSync(process.execPath, [join(root, 'scripts/gen-flags-doc.mjs'), '--out', out]);
      assert.equal(docs, readFileSync(out, 'utf8'), 'run `npm run build && node scripts/gen-flags-doc.mjs`');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts', (t) => {
    const of = (s: string) => declared.filter((d) => !d.osqOnly && d.support === s).length;
    t.diagnostic(
      `osquery Linux flags ${list.flags.length}: honoured ${of('honoured')}, later ${of('later')}, ` +
        `no-effect ${of('no-effect')}; osq-only ${declared.filter((d) => d.osqOnly).length}`,
    );
    assert.equal(of('honoured') + of('later') + of('no-effect'), list.flags.length);
  });
});
