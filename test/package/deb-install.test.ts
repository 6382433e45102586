// The Debian package, installed on this machine for real: `npm run package`'s .deb, real
// dpkg (install, upgrade over itself, remove, purge), the installed /usr/bin/osqi and
// /usr/bin/osqd run from / with a bare environment inside a mount namespace where the host's
// /usr/bin/node is masked (unshare -m and a bind mount), systemd-analyze on the installed
// unit, and a third-party extension built against the packed SDK (helpers.ts) served by the
// installed osqi and autoloaded by the installed osqd.
//
// It changes machine-wide state (packages, /etc, /var, /usr/lib, /opt), so it holds the
// machine lock, refuses to run over an existing /etc/osquery, /var/osquery or osquery/osq
// package, lists /etc, /var, /usr and /opt before and after and wants them equal, and at
// start removes what a crashed run of its own left (found by its marker file).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireMachineLock, type MachineLock } from '../helpers/machine-lock.ts';
import {
  type AuthorProject,
  debName,
  makeAuthorProject,
  packNpmTarballs,
  ROOT,
  runPackageScript,
} from './helpers.ts';

const PREFIX = '/usr/lib/osq';
const STATE = ['/etc/osquery', '/var/osquery', '/var/log/osquery'];
const COMPAT_LINK = '/opt/osquery/share/osquery';
/** Written before dpkg -i and removed after the purge: its presence means a run crashed. */
const MARKER = '/var/tmp/osqtest-deb-install';
const TOOLS = ['dpkg', 'dpkg-deb', 'dpkg-shlibdeps', 'unshare', 'mount', 'find', 'systemd-analyze'];

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, tool)));
}

const unavailable: string | false =
  process.getuid?.() !== 0
    ? 'needs root (dpkg -i, unshare -m)'
    : (TOOLS.filter((t) => !onPath(t)).map((t) => `${t} is missing (.ci/run installs it)`)[0] ?? false);

function run(cmd: string, args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}

function ok(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = run(cmd, args, opts);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** dpkg-query's output format for one field (its ${...} syntax, not a JS template). */
const dpkgField = (name: string) => `$\{${name}}`;

function installedStatus(pkg: string): string | undefined {
  const r = run('dpkg-query', ['-W', '-f', dpkgField('Status'), pkg]);
  return r.status === 0 && !r.stdout.includes('not-installed') ? r.stdout : undefined;
}

// /var/tmp (scratch) and /var/cache (caches) change under any running process.
const VOLATILE = /^(\/var\/tmp|\/var\/cache)(\/|$)/;

/** Every path under /etc, /var, /usr and /opt with its type, mode and owner. */
function listing(): string[] {
  const r = run('find', ['/etc', '/var', '/usr', '/opt', '-xdev', '-printf', '%p %y %m %u:%g\\n']);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '' && !VOLATILE.test(l.split(' ')[0] as string))
    .sort();
}

function listingDiff(before: string[], after: string[]): string[] {
  const b = new Set(before);
  const a = new Set(after);
  return [
    ...before.filter((l) => !a.has(l)).map((l) => `- ${l}`),
    ...after.filter((l) => !b.has(l)).map((l) => `+ ${l}`),
  ];
}

/** Remove what a crashed run of this test left; only what the refusal checks prove was ours. */
function cleanCrashedRun(): void {
  if (!existsSync(MARKER)) return;
  if (installedStatus('osq')) run('dpkg', ['--purge', 'osq']);
  for (const d of STATE) rmSync(d, { recursive: true, force: true });
  if (existsSync('/opt/osquery') && lstatSync(COMPAT_LINK, { throwIfNoEntry: false })?.isSymbolicLink()) {
    rmSync('/opt/osquery', { recursive: true, force: true });
  }
  rmSync(MARKER, { force: true });
}

function refusal(): string | false {
  for (const d of STATE) if (existsSync(d)) return `${d} exists: not installing over it`;
  if (existsSync('/opt/osquery')) return '/opt/osquery exists: not installing over it';
  for (const p of ['osquery', 'osq']) if (installedStatus(p)) return `the ${p} package is installed`;
  return false;
}

/**
 * argv that runs `argv` in a new mount namespace where /usr/bin/node is a script that fails,
 * from `cwd` (default /) with only PATH=/usr/bin:/bin (plus `env`).
 */
function masked(mask: string, argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = Object.entries({ PATH: '/usr/bin:/bin', ...opts.env }).map(([k, v]) => `${k}=${v}`);
  const script =
    'if [ -e /usr/bin/node ]; then mount --bind "$0" /usr/bin/node; fi && cd "$1" && shift && exec env -i "$@"';
  return ['unshare', ['-m', 'sh', '-c', script, mask, opts.cwd ?? '/', ...env, ...argv]] as const;
}

function runMasked(mask: string, argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const [cmd, args] = masked(mask, argv, opts);
  return run(cmd, [...args]);
}

function spawnMasked(mask: string, argv: string[]): ChildProcess {
  const [cmd, args] = masked(mask, argv);
  return spawn(cmd, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitFor<T>(what: string, seconds: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(t);
}

/** Pids of processes whose command line contains `needle`. */
function pidsRunning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Median wall time of `runs` runs of argv, in milliseconds. */
function medianMs(argv: string[], runs = 9): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    ok(argv[0] as string, argv.slice(1));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

test('the .deb installs self-contained, runs without the host Node, upgrades, removes and purges cleanly', {
  skip: process.env.CI === 'true' ? false : unavailable,
}, async (t) => {
  assert.equal(unavailable, false, `under CI this must run: ${unavailable}`);
  const work = mkdtempSync(join(tmpdir(), 'osq-deb-test-'));
  const children: ChildProcess[] = [];
  let project: AuthorProject | undefined;
  let lock: MachineLock | undefined;
  try {
    // Built before taking the lock: building changes nothing outside `work`.
    const t0 = Date.now();
    runPackageScript(work, ['--deb']);
    const deb = join(work, debName);
    const buildSeconds = (Date.now() - t0) / 1000;
    const author = makeAuthorProject(packNpmTarballs(work));
    project = author;
    const mask = join(work, 'masked-node');
    writeFileSync(mask, '#!/bin/sh\necho "host node is masked" >&2\nexit 127\n', { mode: 0o755 });

    lock = await acquireMachineLock();
    cleanCrashedRun();
    const refused = refusal();
    if (refused) {
      assert.notEqual(process.env.CI, 'true', `under CI this must run: ${refused}`);
      t.skip(refused);
      return;
    }
    const before = listing();
    writeFileSync(MARKER, `${process.pid}\n`);

    await t.test(
      'the control fields: computed Depends, the libraries as Recommends, Conflicts: osquery',
      () => {
        const field = (f: string) => ok('dpkg-deb', ['-f', deb, f]).trim();
        assert.match(field('Depends'), /libc6 \(>= [\d.]+\)/);
        assert.match(field('Depends'), /libstdc\+\+6/);
        for (const lib of ['libmagic1', 'libaugeas0', 'libyara9'])
          assert.match(field('Recommends'), new RegExp(lib));
        assert.doesNotMatch(field('Depends'), /libmagic|libaugeas|libyara|nodejs/);
        assert.equal(field('Conflicts'), 'osquery');
        const control = join(work, 'control');
        ok('dpkg-deb', ['-e', deb, control]);
        assert.deepEqual(readFileSync(join(control, 'conffiles'), 'utf8').trim().split('\n').sort(), [
          '/etc/default/osqd',
          '/etc/osquery/osquery.conf',
          '/etc/osquery/osquery.flags',
        ]);
      },
    );

    await t.test('dpkg -i installs the commands, the unit, the config, the state and log directories', () => {
      ok('dpkg', ['-i', deb]);
      for (const f of ['/usr/bin/osqi', '/usr/bin/osqd', `${PREFIX}/bin/node`]) {
        assert.ok(statSync(f).mode & 0o100, `${f} is executable`);
      }
      assert.ok(statSync('/lib/systemd/system/osqd.service').isFile());
      assert.equal(statSync('/var/osquery').mode & 0o777, 0o700);
      assert.equal(statSync('/var/log/osquery').mode & 0o777, 0o750);
      assert.ok(existsSync(`${PREFIX}/core/dist/osqi.bundle.cache`), "postinst made osqi's code cache");
      for (const ext of ['aws-kinesis', 'aws-firehose', 'kafka-producer']) {
        assert.ok(
          existsSync(`${PREFIX}/extensions/${ext}/bin/${ext}.mjs`),
          `logger extension ${ext} shipped`,
        );
      }
      const certs = readFileSync(`${PREFIX}/share/osquery/certs/certs.pem`, 'utf8');
      assert.ok((certs.match(/BEGIN CERTIFICATE/g) ?? []).length > 50, 'a CA bundle');
      if (existsSync('/opt')) assert.equal(readlinkSync(COMPAT_LINK), `${PREFIX}/share/osquery`);
    });

    await t.test(
      'osqi runs from / with a bare environment, the host node masked, on the package runtime',
      () => {
        const node = runMasked(mask, ['/usr/bin/node', '--version']);
        if (existsSync('/usr/bin/node')) assert.match(node.stderr, /host node is masked/);

        const info = runMasked(mask, ['/usr/bin/osqi', '--json', 'select * from osquery_info']);
        assert.equal(info.status, 0, info.stderr);
        const [row] = JSON.parse(info.stdout) as Record<string, string>[];
        assert.match(row?.build_distro ?? '', /^osq /);
        assert.match(row?.version ?? '', /^\d+\.\d+\.\d+/);

        const self = runMasked(mask, [
          '/usr/bin/osqi',
          '--json',
          'SELECT p.path FROM processes p JOIN osquery_info i ON p.pid = i.pid',
        ]);
        assert.equal(self.status, 0, self.stderr);
        assert.deepEqual(JSON.parse(self.stdout), [{ path: `${PREFIX}/bin/node` }]);

        // A table on a native library module (core/native-libs) works from the package too.
        const magic = runMasked(mask, [
          '/usr/bin/osqi',
          '--json',
          `SELECT data FROM magic WHERE path = '${PREFIX}/bin/node'`,
        ]);
        assert.equal(magic.status, 0, magic.stderr);
        assert.match(magic.stdout, /ELF 64-bit/);
      },
    );

    await t.test('systemd-analyze verify accepts the installed osqd.service', () => {
      const r = run('systemd-analyze', ['verify', '/lib/systemd/system/osqd.service']);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /osqd\.service/);
      // Off until enabled: nothing links it into a target.
      assert.ok(!existsSync('/etc/systemd/system/multi-user.target.wants/osqd.service'));
    });

    await t.test(
      'osqd runs as the unit starts it, with the shipped config, writing results under /var/log/osquery',
      async () => {
        // The unit's own command line, its variables from /etc/default/osqd.
        const unit = readFileSync('/lib/systemd/system/osqd.service', 'utf8');
        const vars = Object.fromEntries(
          [...readFileSync('/etc/default/osqd', 'utf8').matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
        );
        const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
        const argv = exec.split(/\s+/).map((a) => a.replace(/^\$(\w+)$/, (_, v: string) => vars[v] ?? ''));
        assert.deepEqual(argv, [
          '/usr/bin/osqd',
          '--flagfile',
          '/etc/osquery/osquery.flags',
          '--config_path',
          '/etc/osquery/osquery.conf',
        ]);
        const osqd = spawnMasked(mask, argv);
        children.push(osqd);
        let stderr = '';
        osqd.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        const results = '/var/log/osquery/osqueryd.results.log';
        const line = await waitFor(`a result in ${results} (osqd stderr: ${stderr})`, 45, () => {
          const text = existsSync(results) ? readFileSync(results, 'utf8') : '';
          return text.split('\n').find((l) => l.includes('"name":"osquery_info"'));
        });
        const result = JSON.parse(line) as {
          columns: Record<string, string>;
          decorations: Record<string, string>;
        };
        assert.match(result.columns.version ?? '', /^\d+\.\d+\.\d+/);
        assert.ok(result.decorations.host_uuid, 'the shipped decorators ran');
        await stop(osqd);
        assert.ok(readdirSync('/var/log/osquery').includes('osqueryd.INFO'), 'status log written');
      },
    );

    await t.test(
      'an extension built against the packed SDK serves rows to the installed osqi and osqd, beside a shipped logger extension',
      async () => {
        const socket = join(work, 'shell.em');
        const served = runMasked(mask, [
          '/usr/bin/osqi',
          '--extensions_socket',
          socket,
          '--extension',
          author.entry,
          '--json',
          "SELECT greeting, length FROM greetings WHERE name = 'deb'",
        ]);
        assert.equal(served.status, 0, served.stderr);
        assert.deepEqual(JSON.parse(served.stdout), [{ greeting: 'hello, deb', length: '10' }]);

        // The README's own test file, run by the package's runtime against the installed osqi.
        const readmeTest = runMasked(mask, [`${PREFIX}/bin/node`, '--test', 'test/'], {
          cwd: author.dir,
          env: { HOME: author.dir },
        });
        assert.equal(readmeTest.status, 0, `${readmeTest.stdout}${readmeTest.stderr}`);

        // Autoloaded by the installed osqd through the README's .ext launcher.
        const load = join(work, 'extensions.load');
        writeFileSync(load, `${author.ext}\n`);
        writeFileSync(join(work, 'autoload.conf'), '{}\n');
        const em = join(work, 'osqd.em');
        const osqd = spawnMasked(mask, [
          '/usr/bin/osqd',
          `--config_path=${join(work, 'autoload.conf')}`,
          `--extensions_autoload=${load}`,
          `--extensions_socket=${em}`,
          `--database_path=${join(work, 'osqd.db')}`,
          `--pidfile=${join(work, 'osqd.pid')}`,
          `--logger_path=${join(work, 'log')}`,
          // A shipped logger extension, found by osqd from the flag alone. Its endpoint is a
          // closed loopback port: lines stay in its buffer; nothing leaves the machine.
          '--logger_plugin=filesystem,aws_kinesis',
          '--aws_kinesis_stream=osqtest',
          '--aws_kinesis_endpoint=http://127.0.0.1:9',
          '--aws_region=us-east-1',
          '--aws_access_key_id=AKID',
          '--aws_secret_access_key=secret',
        ]);
        children.push(osqd);
        const sql = "SELECT greeting FROM greetings WHERE name = 'osqd'";
        const rows = await waitFor('osqd to serve the autoloaded table', 45, () => {
          const r = runMasked(mask, ['/usr/bin/osqi', '--connect', em, '--json', sql]);
          return r.status === 0 && r.stdout.includes('hello, osqd') ? r.stdout : undefined;
        });
        assert.deepEqual(JSON.parse(rows), [{ greeting: 'hello, osqd' }]);
        // The .ext launcher chose the package's runtime (the host's node is masked).
        const extension = pidsRunning(author.entry);
        assert.equal(extension.length, 1, 'one extension process');
        assert.equal(readlinkSync(`/proc/${extension[0]}/exe`), `${PREFIX}/bin/node`);
        const listed = () => {
          const r = runMasked(mask, [
            '/usr/bin/osqi',
            '--connect',
            em,
            '--json',
            'SELECT name FROM osquery_extensions',
          ]);
          return r.status === 0 ? (JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name).sort() : [];
        };
        const names = await waitFor('aws_kinesis to register', 30, () => {
          const n = listed();
          return n.includes('aws_kinesis') ? n : undefined;
        });
        assert.deepEqual(names, ['aws_kinesis', 'core', 'greetings']);
        const kinesis = pidsRunning(`${PREFIX}/extensions/aws-kinesis/bin/aws-kinesis.mjs`);
        assert.equal(kinesis.length, 1, 'the aws_kinesis extension runs from the package');
        assert.equal(readlinkSync(`/proc/${kinesis[0]}/exe`), `${PREFIX}/bin/node`);
        // Its durable buffer opened: better-sqlite3 loads from the package.
        assert.ok(existsSync(join(work, 'osqd.db', 'aws_kinesis.buffer.sqlite')));
        await stop(osqd);
        await waitFor(
          'the extensions to exit with osqd',
          20,
          () => pidsRunning(author.entry).length === 0 && pidsRunning(`${PREFIX}/extensions/`).length === 0,
        );
      },
    );

    await t.test('dpkg -i over itself keeps an edited config', () => {
      appendFileSync('/etc/osquery/osquery.conf', '// edited by the package test\n');
      appendFileSync('/etc/osquery/osquery.flags', '--host_identifier=uuid\n');
      const r = run('dpkg', ['-i', deb]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(readFileSync('/etc/osquery/osquery.conf', 'utf8'), /edited by the package test/);
      assert.match(readFileSync('/etc/osquery/osquery.flags', 'utf8'), /^--host_identifier=uuid$/m);
      assert.deepEqual(
        readdirSync('/etc/osquery').filter((f) => f.includes('.dpkg-')),
        [],
      );
      ok('/usr/bin/osqd', ['--config_path', '/etc/osquery/osquery.conf', '--config_check']);
      assert.ok(existsSync(`${PREFIX}/core/dist/osqi.bundle.cache`), 'code cache made again');
    });

    const sizes = {
      debMiB: statSync(deb).size / 1048576,
      installedMiB: Number(ok('dpkg-query', ['-W', '-f', dpkgField('Installed-Size'), 'osq'])) / 1024,
    };
    const installedMs = medianMs(['/usr/bin/osqi', '--json', 'select 1']);
    const cloneMs = medianMs([process.execPath, join(ROOT, 'core/bin/osqi.mjs'), '--json', 'select 1']);

    await t.test('dpkg -r removes the program and keeps config, state and logs', () => {
      const r = run('dpkg', ['-r', 'osq']);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warning/);
      for (const gone of [
        '/usr/bin/osqi',
        '/usr/bin/osqd',
        PREFIX,
        '/lib/systemd/system/osqd.service',
        '/opt/osquery',
      ]) {
        assert.ok(!existsSync(gone), `${gone} removed`);
      }
      assert.match(readFileSync('/etc/osquery/osquery.conf', 'utf8'), /edited by the package test/);
      assert.ok(existsSync('/var/osquery') && existsSync('/var/log/osquery'));
      assert.equal(installedStatus('osq'), 'deinstall ok config-files');
    });

    await t.test(
      'dpkg -P removes the config, state and logs, leaving /etc, /var, /usr and /opt as they were',
      () => {
        const r = run('dpkg', ['-P', 'osq']);
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /warning/);
        assert.equal(installedStatus('osq'), undefined);
        rmSync(MARKER, { force: true });
        assert.deepEqual(listingDiff(before, listing()), []);
      },
    );

    t.diagnostic(
      `deb ${sizes.debMiB.toFixed(1)} MiB, installed ${sizes.installedMiB.toFixed(1)} MiB, built in ${buildSeconds.toFixed(0)} s; ` +
        `osqi --json "select 1": installed ${installedMs.toFixed(0)} ms, clone ${cloneMs.toFixed(0)} ms`,
    );
  } finally {
    for (const c of children) await stop(c);
    if (existsSync(MARKER)) cleanCrashedRun();
    if (project) rmSync(project.dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    await lock?.release();
  }
});
