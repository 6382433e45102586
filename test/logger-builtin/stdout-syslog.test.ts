// The stdout logger in a child process (real stdout/stderr), and the syslog logger against a
// real Unix datagram socket served by a small python3 receiver (Node cannot bind one).
// Needs Debian packages `bsdutils` (logger(1), essential) and `python3`.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { resetFlags, setFlag } from '@osq/core/flags/index';
import { createLocalLogger } from '@osq/core/logger/index';
import { SyslogLogger } from '@osq/core/logger/syslog';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'osq-syslog-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('stdout logger', () => {
  it('prints result lines and status records on stdout; status leaves stderr after init', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      join(import.meta.dirname, 'peers', 'stdout-logger.mjs'),
    ]);
    assert.equal(
      stdout,
      '{"name":"q1","n":1}\n' +
        '{"name":"q1","n":"é✓"}\n' +
        '{"snapshot":[],"action":"snapshot"}\n' +
        'severity=1 location=a.cpp:1 message=before init\n' +
        'severity=2 location=b.cpp:2 message=after init\n',
    );
    // Only the line logged before init reached stderr (glog layout, local time of the child).
    assert.match(stderr, /^W\d{4} \d\d:\d\d:12\.000500 {4}77 a\.cpp:1\] before init\n$/);
  });
});

/** A Unix datagram receiver printing each datagram as one JSON string per line. */
class DatagramReceiver {
  readonly messages: string[] = [];
  private proc: ChildProcess | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly path: string) {}

  async start(): Promise<void> {
    const script =
      'import socket,sys,json\n' +
      's=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n' +
      's.bind(sys.argv[1])\n' +
      'print("ready",flush=True)\n' +
      'while True:\n' +
      '  d=s.recv(1<<20)\n' +
      '  print(json.dumps(d.decode("utf-8","replace")),flush=True)\n';
    const proc = spawn('/usr/bin/python3', ['-c', script, this.path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.proc = proc;
    let buf = '';
    await new Promise<void>((resolve) => {
      proc.stdout?.on('data', (b: Buffer) => {
        buf += b.toString();
        let i = buf.indexOf('\n');
        while (i >= 0) {
          const lineText = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (lineText === 'ready') resolve();
          else this.messages.push(JSON.parse(lineText) as string);
          i = buf.indexOf('\n');
        }
        for (const w of this.waiters.splice(0)) w();
      });
    });
  }

  async waitFor(count: number): Promise<string[]> {
    const deadline = Date.now() + 5000;
    while (this.messages.length < count && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return this.messages.splice(0, count);
  }

  stop(): void {
    if (this.proc?.pid) process.kill(this.proc.pid, 'SIGTERM');
  }
}

// `<PRI>Mmm dd hh:mm:ss osqueryd[4242]: ` — the header glibc's syslog(3) writes locally.
const header = (pri: number) =>
  new RegExp(`^<${pri}>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d osqueryd\\[4242\\]: `);
function expectMessage(got: string | undefined, pri: number, body: string): void {
  assert.ok(got !== undefined, 'message missing');
  assert.match(got, header(pri));
  assert.equal(got.replace(header(pri), ''), body);
}

describe('syslog logger', () => {
  let rx: DatagramReceiver;
  before(async () => {
    rx = new DatagramReceiver(join(dir, 'log.sock'));
    await rx.start();
  });
  after(() => rx.stop());

  it('sends results at LOCAL3.INFO and status at NOTICE/WARNING/ERR/CRIT', async () => {
    const logger = new SyslogLogger({ facility: 19, prependCee: false, socket: rx.path, pid: 4242 });
    assert.deepEqual(logger.features(), { status: true, event: false });
    await logger.init('osqueryd');
    await Promise.all([
      logger.logResult('{"name":"q","action":"added"}'),
      logger.logSnapshot('{"snapshot":[]}'),
    ]);
    const t = Date.now();
    await logger.logStatus([
      { severity: 0, file: 'a.cpp', line: 1, message: 'info', time: t },
      { severity: 1, file: 'b.cpp', line: 2, message: 'warn\nsecond line', time: t },
      { severity: 2, file: 'c.cpp', line: 3, message: 'error', time: t },
      { severity: 3, file: 'd.cpp', line: 4, message: 'fatal', time: t },
    ]);
    await logger.close();
    const got = await rx.waitFor(6);
    // LOG_LOCAL3 = 19 << 3 = 152; INFO 6, NOTICE 5, WARNING 4, ERR 3, CRIT 2.
    expectMessage(got[0], 158, '{"name":"q","action":"added"}');
    expectMessage(got[1], 158, '{"snapshot":[]}');
    expectMessage(got[2], 157, 'severity=0 location=a.cpp:1 message=info');
    expectMessage(got[3], 156, 'severity=1 location=b.cpp:2 message=warn second line');
    expectMessage(got[4], 155, 'severity=2 location=c.cpp:3 message=error');
    expectMessage(got[5], 154, 'severity=3 location=d.cpp:4 message=fatal');
  });

  it('honours --logger_syslog_facility and --logger_syslog_prepend_cee from the flags', async () => {
    resetFlags();
    try {
      setFlag('logger_syslog_socket', rx.path);
      setFlag('logger_syslog_facility', '1'); // LOG_USER
      setFlag('logger_syslog_prepend_cee', 'true');
      const logger = createLocalLogger('syslog');
      assert.ok(logger);
      await logger.init('osqueryd');
      await logger.logResult('{"a":1}');
      await logger.close();
      const [msg] = await rx.waitFor(1);
      assert.match(msg ?? '', /^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d osqueryd\[\d+\]: @cee:\{"a":1\}$/);
    } finally {
      resetFlags();
    }
  });

  it('falls back to LOCAL3 for an out-of-range facility', async () => {
    const logger = new SyslogLogger({ facility: 24, prependCee: false, socket: rx.path, pid: 4242 });
    await logger.init('osqueryd');
    await logger.logResult('{"b":2}');
    const [msg] = await rx.waitFor(1);
    expectMessage(msg, 158, '{"b":2}');
  });

  it('rejects (retry later) when the syslog socket is missing', async () => {
    const logger = new SyslogLogger({
      facility: 19,
      prependCee: false,
      socket: join(dir, 'nope.sock'),
      pid: 4242,
    });
    await logger.init('osqueryd');
    await assert.rejects(logger.logResult('{"c":3}'), /logger exited 1/);
  });
});
