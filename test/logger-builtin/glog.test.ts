// Status log text layouts against hand-written lines from docs/results-and-logging.md#status-logs
// and docs/extensions.md#logger-plugin-calls (fixed clock and thread id; TZ pinned per test).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  calendarTimeUtc,
  formatGlogLine,
  glogFileHeader,
  glogFileName,
  statusRecordJson,
  statusRecordsToExtensionLog,
} from '@osq/core/logger/glog';
import type { StatusRecord } from '@osq/core/logger/plugin';

// 2026-08-06 21:46:12.123456 UTC (a Thursday; unix time 1786052772).
const T = 1786052772000 + 123.456;
const savedTz = process.env.TZ;

function rec(severity: 0 | 1 | 2 | 3, message: string, time = T): StatusRecord {
  return { severity, file: 'scheduler.cpp', line: 85, message, time };
}

afterEach(() => {
  process.env.TZ = savedTz;
});

describe('glog line', () => {
  it('matches osquery layout in UTC', () => {
    process.env.TZ = 'UTC';
    assert.equal(
      formatGlogLine(rec(0, 'Executing scheduled query x: SELECT 1'), 4242),
      'I0806 21:46:12.123456  4242 scheduler.cpp:85] Executing scheduled query x: SELECT 1\n',
    );
    assert.equal(formatGlogLine(rec(1, 'w'), 7), 'W0806 21:46:12.123456     7 scheduler.cpp:85] w\n');
    assert.equal(formatGlogLine(rec(2, 'e'), 123456), 'E0806 21:46:12.123456 123456 scheduler.cpp:85] e\n');
    assert.equal(formatGlogLine(rec(3, 'f'), 12345), 'F0806 21:46:12.123456 12345 scheduler.cpp:85] f\n');
  });

  it('pads microseconds, month and day with zeros', () => {
    process.env.TZ = 'UTC';
    // 2026-01-02 03:04:05.000042 UTC
    const t = Date.UTC(2026, 0, 2, 3, 4, 5) + 0.042;
    assert.equal(formatGlogLine(rec(0, 'm', t), 1), 'I0102 03:04:05.000042     1 scheduler.cpp:85] m\n');
  });

  it('uses local time like glog', () => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30, no DST
    assert.equal(formatGlogLine(rec(0, 'x'), 4242), 'I0807 03:16:12.123456  4242 scheduler.cpp:85] x\n');
  });

  it('keeps a trailing newline single', () => {
    process.env.TZ = 'UTC';
    assert.equal(formatGlogLine(rec(0, 'ends\n'), 1), 'I0806 21:46:12.123456     1 scheduler.cpp:85] ends\n');
  });
});

describe('glog files', () => {
  it('names files and header like glog', () => {
    process.env.TZ = 'UTC';
    assert.equal(glogFileName('osqueryd', 0, T, 4242), 'osqueryd.INFO.20260806-214612.4242');
    assert.equal(glogFileName('osqueryi', 2, T, 7), 'osqueryi.ERROR.20260806-214612.7');
    assert.equal(
      glogFileHeader(T, 'h1', T - 3723_000),
      'Log file created at: 2026/08/06 21:46:12\n' +
        'Running on machine: h1\n' +
        'Running duration (h:mm:ss): 1:02:03\n' +
        'Log line format: [IWEF]yyyymmdd hh:mm:ss.uuuuuu threadid file:line] msg\n',
    );
  });
});

describe('JSON shapes', () => {
  it('calendarTime is asctime in UTC with a space-padded day', () => {
    assert.equal(calendarTimeUtc(T), 'Thu Aug  6 21:46:12 2026 UTC');
    assert.equal(calendarTimeUtc(Date.UTC(2026, 10, 22, 16, 45, 3)), 'Sun Nov 22 16:45:03 2026 UTC');
  });

  it('buffered status record in osquery field order', () => {
    assert.equal(
      statusRecordJson(rec(1, 'careful'), { hostIdentifier: 'h1', version: '5.23.0' }),
      '{"hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,' +
        '"severity":1,"filename":"scheduler.cpp","line":85,"message":"careful","version":"5.23.0"}',
    );
    assert.equal(
      statusRecordJson(rec(0, 'm'), { hostIdentifier: 'h1', version: 'v', decorations: { user: 'root' } }),
      '{"hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,' +
        '"severity":0,"filename":"scheduler.cpp","line":85,"message":"m","version":"v","decorations":{"user":"root"}}',
    );
    assert.equal(
      statusRecordJson(rec(0, 'm'), {
        hostIdentifier: 'h1',
        version: 'v',
        decorations: { user: 'root', hostIdentifier: 'dec' },
        decorationsTopLevel: true,
      }),
      '{"hostIdentifier":"dec","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,' +
        '"severity":0,"filename":"scheduler.cpp","line":85,"message":"m","version":"v","user":"root"}',
    );
  });

  it('extension `log` array', () => {
    assert.equal(
      statusRecordsToExtensionLog([rec(0, 'a'), rec(2, 'b "q"')], 'h1'),
      '[{"s":0,"f":"scheduler.cpp","i":85,"m":"a","h":"h1","c":"Thu Aug  6 21:46:12 2026 UTC","u":1786052772},' +
        '{"s":2,"f":"scheduler.cpp","i":85,"m":"b \\"q\\"","h":"h1","c":"Thu Aug  6 21:46:12 2026 UTC","u":1786052772}]',
    );
  });
});
