// Result log line formats (docs/results-and-logging.md#result-lines). Every expected line below is
// written by hand from that page, not produced by the code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asciiTime,
  type FormatOptions,
  formatDifferential,
  formatSnapshot,
} from '../../core/src/results/format.ts';
import { jsonDouble, jsonString } from '../../core/src/results/json.ts';
import { escapedRows, type ResultSet, typedRows } from '../../core/src/results/rows.ts';

// Thu Aug  6 21:46:12 2026 UTC, the example of docs/results-and-logging.md#event-format.
const T = 1786052772;
const CAL = 'Thu Aug  6 21:46:12 2026 UTC';

const defaults: FormatOptions = {
  eventFormat: true,
  snapshotEventFormat: false,
  numerics: false,
  decorationsTopLevel: false,
};

function item(counter: number, decorations: Record<string, string> = {}) {
  return { name: 'users', hostIdentifier: 'h1', unixTime: T, epoch: 0, counter, decorations };
}

const users: ResultSet = { columns: ['username', 'uid'], rows: [['root', 0]] };

describe('calendarTime', () => {
  it('is asctime() in UTC plus " UTC", day padded with a space', () => {
    assert.equal(asciiTime(T), CAL);
    assert.equal(asciiTime(0), 'Thu Jan  1 00:00:00 1970 UTC');
    assert.equal(asciiTime(1700000000), 'Tue Nov 14 22:13:20 2023 UTC');
    assert.equal(asciiTime(951782400), 'Tue Feb 29 00:00:00 2000 UTC');
  });
});

describe('event format', () => {
  it('writes the documented example exactly (removed rows first, then added)', () => {
    const removed = typedRows(users);
    const added = typedRows({ columns: ['uid', 'username'], rows: [[1000, 'alice']] });
    const lines = formatDifferential(item(3), added, removed, defaults);
    assert.deepEqual(lines, [
      `{"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false,"columns":{"uid":"0","username":"root"},"action":"removed"}`,
      `{"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false,"columns":{"uid":"1000","username":"alice"},"action":"added"}`,
    ]);
  });

  it('logs nothing when both lists are empty', () => {
    assert.deepEqual(formatDifferential(item(0), [], [], defaults), []);
  });
});

describe('batch format', () => {
  it('puts diffResults first, removed before added', () => {
    const lines = formatDifferential(item(3), typedRows(users), typedRows(users), {
      ...defaults,
      eventFormat: false,
    });
    assert.deepEqual(lines, [
      `{"diffResults":{"removed":[{"uid":"0","username":"root"}],"added":[{"uid":"0","username":"root"}]},"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false}`,
    ]);
  });

  it('writes one line with empty arrays when nothing is in either list', () => {
    const lines = formatDifferential(item(0), [], [], { ...defaults, eventFormat: false });
    assert.deepEqual(lines, [
      `{"diffResults":{"removed":[],"added":[]},"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false}`,
    ]);
  });
});

describe('snapshot formats', () => {
  const mounts: ResultSet = {
    columns: ['path', 'type'],
    rows: [
      ['/', 'ext4'],
      ['/proc', 'proc'],
    ],
  };

  it('batch: snapshot array, action, then the common fields', () => {
    assert.deepEqual(formatSnapshot({ ...item(0), name: 'mounts' }, typedRows(mounts), defaults), [
      `{"snapshot":[{"path":"/","type":"ext4"},{"path":"/proc","type":"proc"}],"action":"snapshot","name":"mounts","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false}`,
    ]);
    assert.deepEqual(formatSnapshot({ ...item(0), name: 'mounts' }, [], defaults), [
      `{"snapshot":[],"action":"snapshot","name":"mounts","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false}`,
    ]);
  });

  it('event type: one line per row with action snapshot; nothing when empty', () => {
    const opts = { ...defaults, snapshotEventFormat: true };
    assert.deepEqual(formatSnapshot({ ...item(0), name: 'mounts' }, typedRows(mounts), opts), [
      `{"name":"mounts","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false,"columns":{"path":"/","type":"ext4"},"action":"snapshot"}`,
      `{"name":"mounts","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false,"columns":{"path":"/proc","type":"proc"},"action":"snapshot"}`,
    ]);
    assert.deepEqual(formatSnapshot(item(0), [], opts), []);
  });
});

describe('values', () => {
  const mixed: ResultSet = {
    columns: ['i', 'd', 'w', 's', 'n', 'big', 'e', 'tiny'],
    rows: [[42, 0.1 + 0.2, 2, 'x', null, 9007199254740993n, 1e21, 1e-7]],
    realColumns: [false, true, true, false, false, false, true, true],
  };

  it('are strings by default: doubles with 15 significant digits and .0', () => {
    const [line] = formatDifferential(item(1), typedRows(mixed), [], defaults);
    assert.match(
      line as string,
      /"columns":\{"big":"9007199254740993","d":"0\.3","e":"1e\+21\.0","i":"42","n":"","s":"x","tiny":"1e-07\.0","w":"2\.0"\}/,
    );
  });

  it('are JSON numbers with --logger_numerics (text and NULL stay strings)', () => {
    const [line] = formatDifferential(item(1), typedRows(mixed), [], { ...defaults, numerics: true });
    assert.equal(
      line,
      `{"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":1,"numerics":true,"columns":{"big":9007199254740993,"d":0.30000000000000004,"e":1e21,"i":42,"n":"","s":"x","tiny":1e-7,"w":2.0},"action":"added"}`,
    );
  });

  it('NULL becomes --nullvalue', () => {
    const [line] = formatDifferential(
      item(1),
      typedRows({ columns: ['a'], rows: [[null]] }, 'NULL'),
      [],
      defaults,
    );
    assert.match(line as string, /"columns":\{"a":"NULL"\}/);
  });

  it('row keys are in UTF-8 byte order', () => {
    const rs: ResultSet = {
      columns: ['b', 'a', 'B', 'é', '_', '\u{1F600}', '\uFFFD'],
      rows: [[1, 2, 3, 4, 5, 6, 7]],
    };
    const [line] = formatDifferential(item(1), typedRows(rs), [], defaults);
    assert.match(
      line as string,
      /"columns":\{"B":"3","_":"5","a":"2","b":"1","é":"4","\uFFFD":"7","\u{1F600}":"6"\}/u,
    );
  });
});

describe('decorations', () => {
  const dec = { zone: 'eu', Arch: 'x86_64', build: '42' };

  it('go under "decorations" after numerics, names in byte order', () => {
    const [line] = formatDifferential(item(3, dec), typedRows(users), [], defaults);
    assert.equal(
      line,
      `{"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false,"decorations":{"Arch":"x86_64","build":"42","zone":"eu"},"columns":{"uid":"0","username":"root"},"action":"added"}`,
    );
    const [batch] = formatDifferential(item(3, dec), typedRows(users), [], {
      ...defaults,
      eventFormat: false,
    });
    assert.equal(
      batch,
      `{"diffResults":{"removed":[],"added":[{"uid":"0","username":"root"}]},"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false,"decorations":{"Arch":"x86_64","build":"42","zone":"eu"}}`,
    );
  });

  it('become top-level keys with --decorations_top_level', () => {
    const [line] = formatSnapshot({ ...item(0, dec), name: 'mounts' }, [], {
      ...defaults,
      decorationsTopLevel: true,
    });
    assert.equal(
      line,
      `{"snapshot":[],"action":"snapshot","name":"mounts","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false,"Arch":"x86_64","build":"42","zone":"eu"}`,
    );
  });

  it('a top-level decoration named like a standard field replaces it (RapidJSON moves the last member into its slot)', () => {
    // Fields before decorations: name, hostIdentifier, calendarTime, unixTime, epoch,
    // counter, numerics. Replacing `name` moves `numerics` to the front, then appends.
    const [line] = formatDifferential(item(3, { name: 'dec', zz: '1' }), typedRows(users), [], {
      ...defaults,
      decorationsTopLevel: true,
    });
    assert.equal(
      line,
      `{"numerics":false,"hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":1786052772,"epoch":0,"counter":3,"name":"dec","zz":"1","columns":{"uid":"0","username":"root"},"action":"added"}`,
    );
  });
});

describe('escaping', () => {
  it('JSON strings as RapidJSON writes them: short escapes, \\u00XX uppercase, / and UTF-8 raw', () => {
    assert.equal(jsonString('a"b\\c/d'), '"a\\"b\\\\c/d"');
    assert.equal(jsonString('\b\f\n\r\t'), '"\\b\\f\\n\\r\\t"');
    assert.equal(jsonString('\x00\x01\x1f\x0b'), '"\\u0000\\u0001\\u001F\\u000B"');
    assert.equal(jsonString('\x7fé€😀\u2028'), '"\x7fé€😀\u2028"');
  });

  it('doubles as RapidJSON writes them', () => {
    assert.equal(jsonDouble(1), '1.0');
    assert.equal(jsonDouble(-2.5), '-2.5');
    assert.equal(jsonDouble(1e20), '100000000000000000000.0');
    assert.equal(jsonDouble(1.5e300), '1.5e300');
    assert.equal(jsonDouble(0.000001), '0.000001');
    assert.equal(jsonDouble(1.25e-7), '1.25e-7');
  });

  it('snapshot rows are not escaped: control characters reach JSON as \\u00XX', () => {
    const rs: ResultSet = { columns: ['v'], rows: [['a\x01b\nc\x1f/é']] };
    const [line] = formatSnapshot(item(0), typedRows(rs), defaults);
    assert.match(line as string, /^\{"snapshot":\[\{"v":"a\\u0001b\\nc\\u001F\/é"\}\]/);
  });

  it('differential rows are escaped: control bytes and invalid UTF-8 become \\xHH text', () => {
    const rs: ResultSet = {
      columns: ['t', 'b', 'o', 's', 'n', 'cut'],
      rows: [
        [
          'a\x01b\nc\x7fé',
          Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x82]), // a, bad byte, é, truncated €
          Buffer.from([0xc0, 0x80, 0xf0, 0x9f, 0x98, 0x80]), // overlong NUL, then 😀
          Buffer.from([0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]), // surrogate half, above U+10FFFF
          7,
          'ab\0cd', // text ends at NUL, as sqlite3_column_text into a C string
        ],
      ],
    };
    const [line] = formatDifferential(item(1), escapedRows(rs), [], defaults);
    assert.match(
      line as string,
      /"columns":\{"b":"a\\\\xFFé\\\\xE2\\\\x82","cut":"ab","n":"7","o":"\\\\xC0\\\\x80😀","s":"\\\\xED\\\\xA0\\\\x80\\\\xF4\\\\x90\\\\x80\\\\x80","t":"a\\\\x01b\\\\x0Ac\x7fé"\}/,
    );
  });
});
