// Flags are read through the typed `flags` view, never by a name in a string, and the
// declarations are assembled by the flags module alone. This test reads the real source tree
// (core/src, sdk, extensions, scripts, test) and the real flags module; `npm run typecheck`
// checks the @ts-expect-error lines below, so a misspelt flag name failing tsc stays true.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  allFlags,
  type FlagName,
  type FlagValueOf,
  flagDeclaration,
  flags,
  isFlagSet,
  resetFlags,
  setFlag,
} from '../../core/src/flags/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const flagsDir = join(root, 'core', 'src', 'flags');
const SKIP = new Set(['node_modules', 'dist', 'build', 'gen', 'fixtures']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Every line of `files` matching `re`, as "path:line: text". */
function offenders(files: string[], re: RegExp): string[] {
  const out: string[] = [];
  for (const f of files) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (re.test(line)) out.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

const here = fileURLToPath(import.meta.url);
const tree = ['core/src', 'sdk', 'extensions', 'scripts', 'test']
  .flatMap((d) => sourceFiles(join(root, d)))
  .filter((f) => f !== here);
const outsideFlags = tree.filter((f) => !f.startsWith(flagsDir + '/'));

describe('flag reads are typed', () => {
  it('scans a real tree', () => {
    assert.ok(outsideFlags.length > 100, `only ${outsideFlags.length} files found under ${root}`);
  });

  it('no flag is read by a string literal outside core/src/flags', () => {
    const found = offenders(outsideFlags, /\b(getString|getBool|getNumber|getFlag)\(\s*['"`]/);
    assert.deepEqual(found, [], 'read these as flags.<name> (import { flags } from .../flags/index.js)');
  });

  it('nothing imports the declarations: the flags module assembles them', () => {
    assert.deepEqual(offenders(tree, /^\s*import\s+['"][^'"]*flags\/declarations[^'"]*['"]/), []);
    assert.deepEqual(offenders(outsideFlags, /from\s+['"][^'"]*flags\/declarations[^'"]*['"]/), []);
  });

  it('every declarations/<concern>.ts is part of the list', () => {
    const index = readFileSync(join(flagsDir, 'declarations', 'index.ts'), 'utf8');
    const concerns = readdirSync(join(flagsDir, 'declarations')).filter((n) => n !== 'index.ts');
    for (const file of concerns) {
      assert.match(
        index,
        new RegExp(`from '\\./${file.replace(/\.ts$/, '')}\\.js'`),
        `${file} not assembled`,
      );
    }
  });
});

describe('the flags view', () => {
  it('has every declared flag, each with a value of its declared type', () => {
    const names = allFlags().map((f) => f.name);
    assert.deepEqual(Object.keys(flags).sort(), names);
    const typeOf = {
      bool: 'boolean',
      string: 'string',
      int32: 'number',
      uint32: 'number',
      uint64: 'number',
    } as const;
    for (const f of allFlags()) assert.equal(typeof flags[f.name], typeOf[f.type], f.name);
  });

  it('reads the current value: the default until set', () => {
    resetFlags();
    try {
      assert.equal(flags.docker_socket, '/var/run/docker.sock');
      assert.equal(flags.verbose, false);
      assert.equal(flags.read_max, 50 * 1024 * 1024);
      setFlag('docker_socket', '/tmp/docker.sock');
      setFlag('verbose', 'true');
      setFlag('read_max', '100');
      assert.equal(flags.docker_socket, '/tmp/docker.sock');
      assert.equal(flags.verbose, true);
      assert.equal(flags.read_max, 100);
      assert.equal(isFlagSet('read_max'), true);
    } finally {
      resetFlags();
    }
  });

  it('is read-only', () => {
    assert.throws(() => {
      // @ts-expect-error flags are set with setFlag, never assigned
      flags.verbose = true;
    }, TypeError);
    assert.equal(flags.verbose, false);
  });

  it('a misspelt name fails tsc (and is unknown at run time)', () => {
    // @ts-expect-error docker_sockt is not a declared flag
    assert.equal(flags.docker_sockt, undefined);
    // @ts-expect-error names are FlagName, not any string
    assert.throws(() => setFlag('docker_sockt', 'x'), /unknown flag --docker_sockt/);
    assert.equal(flagDeclaration('docker_sockt'), undefined);
  });

  it('value types follow the declared types', () => {
    const s: string = flags.docker_socket;
    const b: boolean = flags.verbose;
    const n: number = flags.read_max;
    // @ts-expect-error a string flag is not a number
    const wrong: number = flags.docker_socket;
    const bool: FlagValueOf<'disable_extensions'> = false;
    const name: FlagName = 'logger_plugin';
    assert.deepEqual(
      [typeof s, typeof b, typeof n, typeof wrong, bool, name],
      ['string', 'boolean', 'number', 'string', false, 'logger_plugin'],
    );
  });
});
