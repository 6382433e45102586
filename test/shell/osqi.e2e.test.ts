// The real osqi binary, end to end (needs `npm run build` first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const bin = join(import.meta.dirname, '../../core/bin/osqi.mjs');
const dist = join(import.meta.dirname, '../../core/dist/cli/osqi.js');
const home = mkdtempSync(join(tmpdir(), 'osqi-e2e-'));
after(() => rmSync(home, { recursive: true, force: true }));

function osqi(args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  assert.ok(existsSync(dist), 'core/dist is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [bin, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, HOME: home },
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('osqi one-shot', () => {
  it('runs positional SQL and prints the pretty table', () => {
    const r = osqi(["SELECT 1 AS a, 'x' AS b, 1.0 AS r, NULL AS n"]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      '+---+---+-----+---+\n| a | b | r   | n |\n+---+---+-----+---+\n| 1 | x | 1.0 |   |\n+---+---+-----+---+\n',
    );
  });

  it('--json: sorted keys, string values', () => {
    const r = osqi(['--json', "SELECT 2 AS b, 'x' AS a UNION ALL SELECT 3, 'y'"]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '[\n  {"a":"x","b":"2"},\n  {"a":"y","b":"3"}\n]\n');
  });

  it('--json_pretty', () => {
    const r = osqi(["SELECT 'v' AS k", '--json_pretty']);
    assert.equal(r.stdout, '[\n  {\n    "k": "v"\n  }\n]\n');
  });

  it('--csv keeps the "|" separator (osqueryi quirk) and quotes where needed', () => {
    const r = osqi(['--csv', "SELECT 1 AS a, 'two words' AS b, 'p|q' AS c"]);
    assert.equal(r.stdout, 'a|b|c\n1|"two words"|"p|q"\n');
    const comma = osqi(['--csv', '--separator=,', "SELECT 1 AS a, 'x' AS b"]);
    assert.equal(comma.stdout, 'a,b\n1,x\n');
  });

  it('--list --noheader, --line', () => {
    assert.equal(osqi(['--list', '--noheader', "SELECT 1 AS a, 'x' AS b"]).stdout, '1|x\n');
    assert.equal(osqi(['--line', "SELECT 1 AS a, 'x' AS name"]).stdout, '    a = 1\n name = x\n');
  });

  it('a failing statement prints "Error: <msg>" and exits 1', () => {
    const r = osqi(['SELEC 1']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error: near "SELEC": syntax error\n');
  });

  it('an unknown flag is a clear error', () => {
    const r = osqi(['--jsn', 'SELECT 1']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown flag --jsn/);
  });

  it('dot-commands as the argument, --L and --A', () => {
    const v = osqi(['.version']);
    assert.match(v.stdout, /^osquery 5\.23\.0\nusing SQLite \d+\.\d+\.\d+\n$/);
    const list = osqi(['--L']);
    assert.equal(list.status, 0);
    const names = list.stdout.split('\n').filter((l) => l !== '');
    assert.ok(names.includes('  => processes'), list.stdout);
    assert.deepEqual([...names].sort(), names);
    const all = osqi(['--A', 'uptime', '--json']);
    assert.equal(all.status, 0);
    const rows = JSON.parse(all.stdout) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.ok(Number(rows[0]?.total_seconds) > 0);
  });

  it('queries a real table (pid 1 exists, as ps says)', () => {
    const ps = spawnSync('ps', ['-o', 'pid=', '-p', '1'], { encoding: 'utf8' });
    const r = osqi(['--list', '--noheader', 'SELECT pid FROM processes WHERE pid = 1']);
    assert.equal(r.stdout.trim(), ps.stdout.trim());
  });

  it('--output writes results to a file', () => {
    const file = join(home, 'out.txt');
    const r = osqi(['--output', file, '--csv', 'SELECT 1 AS a']);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), 'a\n1\n');
  });
});

describe('osqi with piped stdin', () => {
  it('runs every statement; a bad one in the middle reports its line and sets status 1', () => {
    const input = 'SELECT 1 AS a;\nSELECT\n  2 AS b;\nSELEC 3;\nSELECT 4 AS c;\n';
    const r = osqi([], input);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      '+---+\n| a |\n+---+\n| 1 |\n+---+\n+---+\n| b |\n+---+\n| 2 |\n+---+\n+---+\n| c |\n+---+\n| 4 |\n+---+\n',
    );
    assert.equal(r.stderr, 'Error: near line 4: near "SELEC": syntax error\n');
  });

  it('runs leftover text without ";" at end of input; exit 0 when all succeed', () => {
    const r = osqi(['--list'], "-- comment\n\nSELECT 'a;b' AS v; SELECT 2 AS w\n");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'v\na;b\nw\n2\n');
  });

  it('dot-commands: .mode, .headers, .nullvalue, .print, unknown command', () => {
    const r = osqi(
      [],
      '.mode csv\n.headers off\n.nullvalue NIL\nSELECT 1, NULL;\n.print hello "big world"\n.bogus\n',
    );
    assert.equal(r.stdout, '1,NIL\nhello big world\n');
    assert.equal(r.stderr, 'Error: unknown command or invalid arguments:  "bogus". Enter ".help" for help\n');
    assert.equal(r.status, 1);
  });

  it('.bail on stops at the first error; .exit CODE sets the status', () => {
    const bail = osqi(['--list'], '.bail on\nSELEC 1;\nSELECT 2;\n');
    assert.equal(bail.stdout, '');
    assert.equal(bail.status, 1);
    const exit = osqi(['--list'], 'SELECT 1;\n.exit 3\nSELECT 2;\n');
    assert.equal(exit.stdout, '1\n1\n');
    assert.equal(exit.status, 3);
  });

  it('.types and .schema', () => {
    const r = osqi([], ".mode list\n.types SELECT 1 AS a, 'x' AS b;\n");
    assert.match(r.stdout, /^name\|type\na\|.+\nb\|.+\n$/);
    const s = osqi(['.schema uptime']);
    assert.match(s.stdout, /^CREATE TABLE uptime\(.*`days` INTEGER.*\);\n$/);
  });
});

describe('osqi table selection flags', () => {
  it('--disable_tables removes tables; --enable_tables keeps only those named', () => {
    const off = osqi(['--disable_tables=users,groups', 'SELECT * FROM users']);
    assert.equal(off.status, 1);
    assert.match(off.stderr, /no such table: users/);
    const only = osqi([
      '--enable_tables=time,osquery_registry',
      '--json',
      "SELECT name, active FROM osquery_registry WHERE registry = 'table' AND name IN ('time', 'processes')",
    ]);
    assert.equal(only.status, 0, only.stderr);
    assert.deepEqual(JSON.parse(only.stdout), [
      { active: '0', name: 'processes' },
      { active: '1', name: 'time' },
    ]);
    const gone = osqi(['--enable_tables=time', 'SELECT * FROM processes']);
    assert.match(gone.stderr, /no such table: processes/);
    // A name in both lists is disabled, as osquery decides.
    const both = osqi(['--enable_tables=time', '--disable_tables=time', 'SELECT * FROM time']);
    assert.match(both.stderr, /no such table: time/);
  });
});

describe('osqi --pack', () => {
  it('runs every query of a configured pack; a pack for another platform runs nothing', () => {
    const config = join(home, 'packs.conf');
    writeFileSync(
      config,
      JSON.stringify({
        packs: {
          hw: {
            queries: {
              a_first: { query: 'SELECT 1 AS one', interval: 60 },
              b_second: { query: 'SELECT 2 AS two', interval: 60 },
            },
          },
          mac: { platform: 'darwin', queries: { x: { query: 'SELECT 3 AS three', interval: 60 } } },
        },
      }),
    );
    const r = osqi([`--config_path=${config}`, '--pack=hw', '--list']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'one\n1\ntwo\n2\n');
    const mac = osqi([`--config_path=${config}`, '--pack=mac']);
    assert.equal(mac.status, 1);
    assert.match(mac.stderr, /no pack named mac/);
  });
});
