// The filesystem logger on real files in a temp --logger_path: byte-exact appends, file mode,
// rotation with zstd (decompressed with the zstd CLI), crash recovery, kill -9 durability.
// Needs Debian package `zstd`.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flags, resetFlags, setFlag } from '@osq/core/flags/index';
import { FilesystemLogger, type FilesystemLoggerOptions, parseLoggerMode } from '@osq/core/logger/filesystem';
import { createLocalLogger } from '@osq/core/logger/index';
import { StatusLogger } from '@osq/core/logger/status';

let root: string;
let n = 0;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'osq-fslog-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function freshDir(): string {
  const d = join(root, `d${n++}`);
  mkdirSync(d);
  return d;
}

function quietStatus(): { log: StatusLogger; stderr: string[] } {
  const stderr: string[] = [];
  return { log: new StatusLogger({ stderr: (t) => stderr.push(t) }), stderr };
}

function make(dir: string, extra: Partial<FilesystemLoggerOptions> = {}): FilesystemLogger {
  return new FilesystemLogger({
    path: dir,
    mode: 0o640,
    rotate: false,
    rotateSize: 0,
    rotateMaxFiles: 25,
    statusLog: quietStatus().log,
    ...extra,
  });
}

const mode = (p: string) => statSync(p).mode & 0o7777;
const unzstd = (p: string) => execFileSync('zstd', ['-dc', p], { encoding: 'utf8' });

describe('results and snapshots files', () => {
  it('init creates an empty results file only, mode 0640 despite the umask', async () => {
    const d = freshDir();
    const logger = make(d);
    await logger.init('osqueryd');
    assert.deepEqual(readdirSync(d), ['osqueryd.results.log']);
    assert.equal(statSync(join(d, 'osqueryd.results.log')).size, 0);
    assert.equal(mode(join(d, 'osqueryd.results.log')), 0o640);
    await logger.close();
  });

  it('appends each line plus \\n byte for byte, in call order', async () => {
    const d = freshDir();
    const logger = make(d);
    await logger.init('osqueryd');
    const lines = [
      '{"name":"users","columns":{"uid":"0"},"action":"added"}',
      '{"name":"ünïcödé","columns":{"v":"✓ \\u0001"},"action":"removed"}',
      `{"name":"big","pad":"${'x'.repeat(70_000)}"}`,
    ];
    await Promise.all(lines.map((l) => logger.logResult(l)));
    await logger.logSnapshot('{"snapshot":[{"a":"1"}],"action":"snapshot","name":"s"}');
    await logger.logResult('{"after":1}');
    const expected = Buffer.concat([
      Buffer.from('{"name":"users","columns":{"uid":"0"},"action":"added"}\n', 'utf8'),
      Buffer.from('{"name":"ünïcödé","columns":{"v":"✓ \\u0001"},"action":"removed"}\n', 'utf8'),
      Buffer.from(`{"name":"big","pad":"${'x'.repeat(70_000)}"}\n`, 'utf8'),
      Buffer.from('{"after":1}\n', 'utf8'),
    ]);
    assert.deepEqual(readFileSync(join(d, 'osqueryd.results.log')), expected);
    assert.equal(
      readFileSync(join(d, 'osqueryd.snapshots.log'), 'utf8'),
      '{"snapshot":[{"a":"1"}],"action":"snapshot","name":"s"}\n',
    );
    assert.equal(mode(join(d, 'osqueryd.snapshots.log')), 0o640);
    await logger.close();
  });

  it('keeps order across many concurrent appends', async () => {
    const d = freshDir();
    const logger = make(d);
    await logger.init('osqueryd');
    await Promise.all(Array.from({ length: 500 }, (_, i) => logger.logResult(`{"i":${i}}`)));
    const got = readFileSync(join(d, 'osqueryd.results.log'), 'utf8').split('\n');
    assert.equal(got.length, 501);
    for (let i = 0; i < 500; i++) assert.equal(got[i], `{"i":${i}}`);
    await logger.close();
  });

  it('re-applies --logger_mode on every write and follows an externally moved file', async () => {
    const d = freshDir();
    const logger = make(d, { mode: parseLoggerMode('0600') });
    await logger.init('osqueryd');
    const file = join(d, 'osqueryd.results.log');
    assert.equal(mode(file), 0o600);
    chmodSync(file, 0o644);
    await logger.logResult('{"a":1}');
    assert.equal(mode(file), 0o600);
    renameSync(file, `${file}.moved`); // e.g. logrotate without copytruncate
    await logger.logResult('{"b":2}');
    assert.equal(readFileSync(`${file}.moved`, 'utf8'), '{"a":1}\n');
    assert.equal(readFileSync(file, 'utf8'), '{"b":2}\n');
    assert.equal(mode(file), 0o600);
    await logger.close();
  });

  it('parses --logger_mode as osquery does', () => {
    assert.equal(parseLoggerMode('0640'), 0o640);
    assert.equal(parseLoggerMode('600'), 0o600);
    assert.equal(parseLoggerMode('04755'), 0o4755);
    for (const bad of ['', '0', '0888', 'rw', '012345', '-640'])
      assert.throws(() => parseLoggerMode(bad), /logger_mode/);
  });

  it('moves status logs into glog files under logger_path at init', async () => {
    const d = freshDir();
    const { log, stderr } = quietStatus();
    log.configure({ verbose: false, minStatus: 0, minStderr: 2, stderr: true, processName: 'osqueryd' });
    log.info('early', { file: 'init.cpp', line: 1 });
    const logger = make(d, { statusLog: log });
    await logger.init('osqueryd');
    log.warning('late', { file: 'config.cpp', line: 2 });
    log.close();
    assert.equal(stderr.length, 1); // only the line from before init
    assert.match(stderr[0] as string, /^I\d{4} [\d:.]{15} +\d+ init\.cpp:1\] early\n$/);
    const names = readdirSync(d).sort();
    assert.deepEqual(
      names.filter((x) => !x.includes('.20')),
      ['osqueryd.INFO', 'osqueryd.WARNING', 'osqueryd.results.log'],
    );
    assert.match(
      readFileSync(join(d, 'osqueryd.WARNING'), 'utf8'),
      /\nW\d{4} [\d:.]{15} +\d+ config\.cpp:2\] late\n$/,
    );
    await logger.close();
  });

  it('is built from the flags by createLocalLogger', async () => {
    const d = join(freshDir(), 'created'); // missing directory is created
    resetFlags();
    setFlag('logger_path', d);
    setFlag('logger_mode', '0604');
    try {
      assert.equal(String(flags.logger_rotate_size), String(25 * 1024 * 1024));
      const logger = createLocalLogger('filesystem');
      assert.ok(logger);
      assert.deepEqual(logger.features(), { status: false, event: false });
      await logger.init('osqueryd');
      await logger.logResult('{"x":1}');
      assert.equal(readFileSync(join(d, 'osqueryd.results.log'), 'utf8'), '{"x":1}\n');
      assert.equal(mode(join(d, 'osqueryd.results.log')), 0o604);
      await logger.close();
      assert.equal(createLocalLogger('tls'), null);
      setFlag('logger_mode', '99');
      assert.throws(() => createLocalLogger('filesystem'), /logger_mode/);
    } finally {
      resetFlags();
    }
  });
});

describe('rotation', () => {
  // Each 4-line batch is 4 × 20 B = 80 B; with rotate_size 80 the size check before the first
  // line of every batch rotates (80 >= 80) and never inside one (60 < 80): one batch per file.
  const batch = (b: number) =>
    Array.from({ length: 4 }, (_, i) => `{"b":${String(b).padStart(2, '0')},"i":${i}}xxxxx`);
  const text = (b: number) =>
    batch(b)
      .map((l) => `${l}\n`)
      .join('');

  async function writeBatches(logger: FilesystemLogger, count: number): Promise<void> {
    for (let b = 0; b < count; b++) {
      await Promise.all(batch(b).map((l) => logger.logResult(l)));
      await logger.flush(); // wait for the background compression too
    }
  }

  it('rotates by size into .1 then zstd-compressed .N.zst, keeping max_files', async () => {
    assert.equal(text(0).length, 80);
    const d = freshDir();
    const logger = make(d, { rotate: true, rotateSize: 80, rotateMaxFiles: 3 });
    await logger.init('osqueryd');
    await writeBatches(logger, 7);
    await logger.close();
    const f = join(d, 'osqueryd.results.log');
    assert.deepEqual(readdirSync(d).sort(), [
      'osqueryd.results.log',
      'osqueryd.results.log.1',
      'osqueryd.results.log.2.zst',
      'osqueryd.results.log.3.zst',
    ]);
    assert.equal(readFileSync(f, 'utf8'), text(6));
    assert.equal(readFileSync(`${f}.1`, 'utf8'), text(5));
    assert.equal(unzstd(`${f}.2.zst`), text(4));
    assert.equal(unzstd(`${f}.3.zst`), text(3));
    assert.equal(mode(`${f}.1`), 0o640);
  });

  it('does not rotate below the size or when disabled', async () => {
    const d = freshDir();
    const logger = make(d, { rotate: false, rotateSize: 80, rotateMaxFiles: 3 });
    await logger.init('osqueryd');
    await writeBatches(logger, 3);
    await logger.close();
    assert.deepEqual(readdirSync(d), ['osqueryd.results.log']);
    assert.equal(readFileSync(join(d, 'osqueryd.results.log'), 'utf8'), text(0) + text(1) + text(2));
  });

  it('rotates the snapshots file on its own', async () => {
    const d = freshDir();
    const logger = make(d, { rotate: true, rotateSize: 80, rotateMaxFiles: 25 });
    await logger.init('osqueryd');
    for (let b = 0; b < 3; b++) {
      await Promise.all(batch(b).map((l) => logger.logSnapshot(l)));
      await logger.flush();
    }
    await logger.close();
    const f = join(d, 'osqueryd.snapshots.log');
    assert.equal(readFileSync(f, 'utf8'), text(2));
    assert.equal(readFileSync(`${f}.1`, 'utf8'), text(1));
    assert.equal(unzstd(`${f}.2.zst`), text(0));
    assert.equal(readFileSync(join(d, 'osqueryd.results.log'), 'utf8'), '');
  });

  it('without zstd keeps rotations uncompressed and warns once', async () => {
    const d = freshDir();
    const { log } = quietStatus();
    const logger = make(d, { rotate: true, rotateSize: 80, rotateMaxFiles: 3, zstd: null, statusLog: log });
    await logger.init('osqueryd');
    await writeBatches(logger, 6);
    await logger.close();
    const f = join(d, 'osqueryd.results.log');
    assert.deepEqual(
      readdirSync(d)
        .filter((x) => x.startsWith('osqueryd.results'))
        .sort(),
      ['osqueryd.results.log', 'osqueryd.results.log.1', 'osqueryd.results.log.2', 'osqueryd.results.log.3'],
    );
    assert.equal(readFileSync(`${f}.3`, 'utf8'), text(2));
    const warnings = log.drain().filter((r) => r.severity === 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /zstd/);
  });

  it('finishes a compression interrupted by a crash at the next init', async () => {
    const d = freshDir();
    const f = join(d, 'osqueryd.results.log');
    writeFileSync(`${f}.2.tmp`, text(1));
    writeFileSync(`${f}.2.zst.tmp`, 'partial');
    writeFileSync(`${f}.1`, text(2));
    const logger = make(d, { rotate: true, rotateSize: 80, rotateMaxFiles: 3 });
    await logger.init('osqueryd');
    await logger.flush();
    assert.ok(!existsSync(`${f}.2.tmp`));
    assert.ok(!existsSync(`${f}.2.zst.tmp`));
    assert.equal(unzstd(`${f}.2.zst`), text(1));
    await logger.close();
  });
});

describe('durability', () => {
  it('a resolved logResult survives kill -9 of the process', async () => {
    const d = freshDir();
    const line = '{"name":"durable","action":"added"}';
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'peers', 'append-then-ack.mjs'), d, line],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        if (b.toString().includes('acked')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before acking`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    process.kill(child.pid as number, 'SIGKILL');
    await exited;
    assert.equal(readFileSync(join(d, 'osqueryd.results.log'), 'utf8'), `${line}\n`);
  });
});
