// Status logs through the pino-backed StatusLogger: level filtering (osquery's glog flags),
// stderr vs files, glog files and symlinks in a temp logger_path, the plugin relay.
// Expected text is written by hand from docs/results-and-logging.md#status-logs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GlogFiles } from '@osq/core/logger/glog-files';
import type { LoggerPlugin, StatusRecord } from '@osq/core/logger/plugin';
import { relayStatusLogs, StatusLogger } from '@osq/core/logger/status';

const T = 1786052772000 + 123.456; // 2026-08-06 21:46:12.123456 UTC
let dir: string;

before(() => {
  process.env.TZ = 'UTC';
  dir = mkdtempSync(join(tmpdir(), 'osq-status-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A logger with a fixed clock/tid/pid whose stderr is captured. */
function make(): { log: StatusLogger; stderr: string[] } {
  const stderr: string[] = [];
  const log = new StatusLogger({
    now: () => T,
    threadId: 4242,
    pid: 999,
    hostname: 'h1',
    processStartMs: T,
    stderr: (t) => stderr.push(t),
  });
  return { log, stderr };
}

const at = { file: 'x.cpp', line: 1 };
const line = (l: string, msg: string) => `${l}0806 21:46:12.123456  4242 x.cpp:1] ${msg}\n`;

function emitAll(log: StatusLogger): void {
  log.info('i', at);
  log.warning('w', at);
  log.error('e', at);
  log.verbose('v', at);
}

describe('levels (setVerboseLevel)', () => {
  it('before logger init everything above min level goes to stderr only', () => {
    const { log, stderr } = make();
    log.configure({ verbose: false, minStatus: 0, minStderr: 2, stderr: false, processName: 'osqueryd' });
    emitAll(log);
    // glog's logtostderr: stderr regardless of --logger_min_stderr / --logger_stderr.
    assert.deepEqual(stderr, [line('I', 'i'), line('W', 'w'), line('E', 'e')]);
  });

  it('osqueryi drops INFO unless --logger_min_status is set', () => {
    const a = make();
    a.log.configure({
      verbose: false,
      minStatus: 0,
      minStatusDefault: true,
      minStderr: 0,
      stderr: true,
      processName: 'osqueryi',
    });
    emitAll(a.log);
    assert.deepEqual(a.stderr, [line('W', 'w'), line('E', 'e')]);
    const b = make();
    b.log.configure({
      verbose: false,
      minStatus: 0,
      minStatusDefault: false,
      minStderr: 0,
      stderr: true,
      processName: 'osqueryi',
    });
    emitAll(b.log);
    assert.deepEqual(b.stderr, [line('I', 'i'), line('W', 'w'), line('E', 'e')]);
  });

  it('--logger_min_status drops lower severities everywhere, buffer included', () => {
    const { log, stderr } = make();
    log.configure({ verbose: false, minStatus: 2, minStderr: 0, stderr: true, processName: 'osqueryd' });
    emitAll(log);
    assert.deepEqual(stderr, [line('E', 'e')]);
    assert.deepEqual(
      log.drain().map((r) => r.message),
      ['e'],
    );
  });

  it('--verbose adds VLOG lines', () => {
    const { log, stderr } = make();
    log.configure({ verbose: true, minStatus: 2, minStderr: 2, stderr: true, processName: 'osqueryd' });
    emitAll(log);
    assert.deepEqual(stderr, [line('I', 'i'), line('W', 'w'), line('E', 'e'), line('I', 'v')]);
  });

  it('records carry caller file and line when not given', () => {
    const { log } = make();
    log.info('here'); // this line's number is checked below
    const r = log.drain()[0] as StatusRecord;
    assert.equal(r.file, 'status.test.ts');
    assert.ok(r.line > 0);
    assert.deepEqual(
      { ...r, line: 0 },
      { severity: 0, file: 'status.test.ts', line: 0, message: 'here', time: T },
    );
  });
});

describe('glog files in logger_path', () => {
  it('writes INFO/WARNING/ERROR files with symlinks, stderr per --logger_min_stderr', () => {
    const d = join(dir, 'files');
    mkdirSync(d);
    const { log, stderr } = make();
    log.configure({ verbose: false, minStatus: 0, minStderr: 1, stderr: true, processName: 'osqueryd' });
    assert.equal(log.useFiles(d, 'osqueryd'), true);
    emitAll(log);
    log.close();

    const header =
      'Log file created at: 2026/08/06 21:46:12\n' +
      'Running on machine: h1\n' +
      'Running duration (h:mm:ss): 0:00:00\n' +
      'Log line format: [IWEF]yyyymmdd hh:mm:ss.uuuuuu threadid file:line] msg\n';
    assert.deepEqual(readdirSync(d).sort(), [
      'osqueryd.ERROR',
      'osqueryd.ERROR.20260806-214612.999',
      'osqueryd.INFO',
      'osqueryd.INFO.20260806-214612.999',
      'osqueryd.WARNING',
      'osqueryd.WARNING.20260806-214612.999',
    ]);
    assert.equal(readlinkSync(join(d, 'osqueryd.INFO')), 'osqueryd.INFO.20260806-214612.999');
    assert.equal(readlinkSync(join(d, 'osqueryd.WARNING')), 'osqueryd.WARNING.20260806-214612.999');
    assert.equal(readlinkSync(join(d, 'osqueryd.ERROR')), 'osqueryd.ERROR.20260806-214612.999');
    assert.equal(
      readFileSync(join(d, 'osqueryd.INFO'), 'utf8'),
      header + line('I', 'i') + line('W', 'w') + line('E', 'e'),
    );
    assert.equal(readFileSync(join(d, 'osqueryd.WARNING'), 'utf8'), header + line('W', 'w') + line('E', 'e'));
    assert.equal(readFileSync(join(d, 'osqueryd.ERROR'), 'utf8'), header + line('E', 'e'));
    assert.deepEqual(stderr, [line('W', 'w'), line('E', 'e')]);
  });

  it('files are created on their first line only', () => {
    const d = join(dir, 'lazy');
    mkdirSync(d);
    const { log } = make();
    log.configure({ verbose: false, minStatus: 0, minStderr: 0, stderr: true, processName: 'osqueryd' });
    log.useFiles(d, 'osqueryd');
    log.info('only info', at);
    log.close();
    assert.deepEqual(readdirSync(d).sort(), ['osqueryd.INFO', 'osqueryd.INFO.20260806-214612.999']);
  });

  it('--logger_stderr=false keeps non-fatal lines off stderr', () => {
    const d = join(dir, 'nostderr');
    mkdirSync(d);
    const { log, stderr } = make();
    log.configure({ verbose: true, minStatus: 0, minStderr: 0, stderr: false, processName: 'osqueryd' });
    log.useFiles(d, 'osqueryd');
    emitAll(log);
    log.fatal('f', at);
    log.close();
    assert.deepEqual(stderr, [line('F', 'f')]);
    assert.match(
      readFileSync(join(d, 'osqueryd.INFO'), 'utf8'),
      /I0806 21:46:12.123456 {2}4242 x.cpp:1\] v\n/,
    );
  });

  it('an unwritable logger_path keeps status on stderr', () => {
    const { log, stderr } = make();
    log.configure({ verbose: false, minStatus: 0, minStderr: 2, stderr: true, processName: 'osqueryd' });
    assert.equal(log.useFiles(join(dir, 'does-not-exist'), 'osqueryd'), false);
    log.info('i', at);
    assert.deepEqual(stderr, [line('I', 'i')]);
  });

  it('stdout logger init silences stderr', () => {
    const { log, stderr } = make();
    log.configure({ verbose: true, minStatus: 0, minStderr: 0, stderr: true, processName: 'osqueryd' });
    log.stopStderr();
    emitAll(log);
    assert.deepEqual(stderr, []);
    assert.equal(log.drain().length, 4);
  });

  it('a file reaching the size limit continues in a new file, the symlink follows', () => {
    const d = join(dir, 'roll');
    mkdirSync(d);
    let now = T;
    const files = new GlogFiles({
      dir: d,
      processName: 'osqueryd',
      pid: 5,
      hostname: 'h1',
      processStartMs: T,
      maxBytes: 300,
    });
    const text = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 3; i++) files.write(0, text, now); // header (~190 B) + 3 lines > 300
    now += 2000;
    files.write(0, text, now);
    files.close();
    const names = readdirSync(d).sort();
    assert.deepEqual(names, [
      'osqueryd.INFO',
      'osqueryd.INFO.20260806-214612.5',
      'osqueryd.INFO.20260806-214614.5',
    ]);
    assert.equal(readlinkSync(join(d, 'osqueryd.INFO')), 'osqueryd.INFO.20260806-214614.5');
    assert.ok(statSync(join(d, 'osqueryd.INFO.20260806-214612.5')).size >= 300);
    assert.ok(
      readFileSync(join(d, 'osqueryd.INFO'), 'utf8').startsWith('Log file created at: 2026/08/06 21:46:14\n'),
    );
  });
});

describe('relay to logger plugins', () => {
  it('hands records to plugins that want status logs, then forgets them', async () => {
    const { log } = make();
    log.configure({ verbose: false, minStatus: 0, minStderr: 0, stderr: true, processName: 'osqueryd' });
    const got: StatusRecord[][] = [];
    const plugin = (status: boolean, fail = false): LoggerPlugin => ({
      name: status ? 'wants' : 'ignores',
      features: () => ({ status, event: false }),
      init: async () => {},
      logResult: async () => {},
      logSnapshot: async () => {},
      logStatus: async (r) => {
        if (fail) throw new Error('down');
        got.push(r);
      },
      close: async () => {},
    });
    log.warning('w', at);
    log.error('e', at);
    await relayStatusLogs([plugin(false), plugin(true, true), plugin(true)], log);
    assert.deepEqual(got, [
      [
        { severity: 1, file: 'x.cpp', line: 1, message: 'w', time: T },
        { severity: 2, file: 'x.cpp', line: 1, message: 'e', time: T },
      ],
    ]);
    await relayStatusLogs([plugin(true)], log);
    assert.equal(got.length, 1);
    log.setBuffering(false);
    log.error('e2', at);
    assert.deepEqual(log.drain(), []);
  });
});
