// Printer output checked against text written by hand from docs/shell.md#output-modes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realToText } from '../../core/src/engine/sqlite-text.ts';
import {
  approximateRealText,
  defaultSettings,
  formatBatch,
  formatColumn,
  formatCsv,
  formatLine,
  formatList,
  formatRows,
  PrettyBatch,
  type PrintSettings,
  type TextResult,
  toTextResult,
} from '../../core/src/shell/printer.ts';

const settings = (over: Partial<PrintSettings> = {}): PrintSettings => ({ ...defaultSettings(), ...over });
const sample: TextResult = {
  columns: ['b', 'a'],
  rows: [
    ['x', '1'],
    ['héllo', null],
  ],
};

describe('pretty mode', () => {
  it('draws the boxed table, padding to the widest value in characters', () => {
    const out = formatRows(sample, settings());
    assert.equal(
      out,
      '+-------+---+\n' +
        '| b     | a |\n' +
        '+-------+---+\n' +
        '| x     | 1 |\n' +
        '| héllo |   |\n' +
        '+-------+---+\n',
    );
  });

  it('prints nothing for zero rows', () => {
    assert.equal(formatRows({ columns: ['a'], rows: [] }, settings()), '');
  });

  it('widens a column to its header', () => {
    const out = formatRows({ columns: ['name'], rows: [['x']] }, settings());
    assert.equal(out, '+------+\n| name |\n+------+\n| x    |\n+------+\n');
  });

  it('shows --nullvalue for NULL', () => {
    const out = formatRows({ columns: ['n'], rows: [[null]] }, settings({ nullvalue: 'NULL' }));
    assert.equal(out, '+------+\n| n    |\n+------+\n| NULL |\n+------+\n');
  });

  it('gathers several statements of one chunk into one table', () => {
    const batch = new PrettyBatch();
    batch.add({ columns: ['a'], rows: [['1']] }, '');
    batch.add({ columns: ['a'], rows: [['22']] }, '');
    assert.equal(formatBatch(batch, settings()), '+----+\n| a  |\n+----+\n| 1  |\n| 22 |\n+----+\n');
  });
});

describe('json modes', () => {
  it('--json: compact objects, keys sorted by name, all values strings', () => {
    const out = formatRows(sample, settings({ json: true }));
    assert.equal(out, '[\n  {"a":"1","b":"x"},\n  {"a":"","b":"héllo"}\n]\n');
  });

  it('--json with no rows', () => {
    assert.equal(formatRows({ columns: ['a'], rows: [] }, settings({ json: true })), '[\n\n]\n');
  });

  it('--json escapes quotes, backslashes and control characters', () => {
    const out = formatRows({ columns: ['s'], rows: [['a"b\\c\nd\x01']] }, settings({ json: true }));
    assert.equal(out, '[\n  {"s":"a\\"b\\\\c\\nd\\u0001"}\n]\n');
  });

  it('--json_pretty indents by two spaces', () => {
    const out = formatRows(sample, settings({ jsonPretty: true }));
    assert.equal(
      out,
      '[\n  {\n    "a": "1",\n    "b": "x"\n  },\n  {\n    "a": "",\n    "b": "héllo"\n  }\n]\n',
    );
    assert.equal(formatRows({ columns: ['a'], rows: [] }, settings({ jsonPretty: true })), '[]\n');
  });

  it('json applies only in pretty mode', () => {
    assert.equal(formatRows(sample, settings({ json: true, mode: 'list' })), 'b|a\nx|1\nhéllo|\n');
  });
});

describe('sqlite-style modes', () => {
  it('line: names right-aligned to the longest (at least 5), blank line between rows', () => {
    const res: TextResult = {
      columns: ['a', 'name'],
      rows: [
        ['1', 'x'],
        ['2', null],
      ],
    };
    assert.equal(formatLine(res, settings()), '    a = 1\n name = x\n\n    a = 2\n name = \n');
    const long: TextResult = { columns: ['longname', 'b'], rows: [['1', '2']] };
    assert.equal(formatLine(long, settings()), 'longname = 1\n       b = 2\n');
  });

  it('list: header then values joined by the separator', () => {
    assert.equal(formatList(sample, settings()), 'b|a\nx|1\nhéllo|\n');
    assert.equal(formatList(sample, settings({ separator: ',', showHeader: false })), 'x,1\nhéllo,\n');
  });

  it('csv: quotes fields with spaces, quotes, separators, control or non-ASCII bytes', () => {
    const res: TextResult = {
      columns: ['v'],
      rows: [['plain'], ['two words'], ['say "hi"'], ["it's"], ['a,b'], ['tab\there'], ['é'], [null], ['x!']],
    };
    assert.equal(
      formatCsv(res, settings({ separator: ',' })),
      'v\nplain\n"two words"\n"say ""hi"""\n"it\'s"\n"a,b"\n"tab\there"\n"é"\n\nx!\n',
    );
  });

  it('csv with the --csv quirk separator "|"', () => {
    const res: TextResult = { columns: ['a', 'b'], rows: [['1', 'x|y']] };
    assert.equal(formatCsv(res, settings({ mode: 'csv', separator: '|' })), 'a|b\n1|"x|y"\n');
  });

  it('column: at least 10 wide, dashed underline, widths from the first row', () => {
    const res: TextResult = {
      columns: ['a', 'b'],
      rows: [
        ['1', 'x'],
        ['2', 'a much longer value'],
      ],
    };
    assert.equal(
      formatColumn(res, settings()),
      'a           b         \n' +
        '----------  ----------\n' +
        '1           x         \n' +
        '2           a much lon\n',
    );
  });

  it('column: .width sets widths, negative right-aligns', () => {
    const res: TextResult = { columns: ['a', 'b'], rows: [['1', 'x']] };
    assert.equal(formatColumn(res, settings({ colWidth: [3, -4] })), 'a       b\n---  ----\n1       x\n');
  });
});

describe('cell text', () => {
  it('integers, bigints, REALs, NULL and BLOBs', () => {
    const res = toTextResult({
      columns: ['i', 'big', 'r', 'n', 'blob'],
      types: [],
      rows: [[7, 9007199254740993n, 2, null, Buffer.from('hi')]],
      realColumns: [false, false, true, false, false],
    });
    assert.deepEqual(res.rows, [['7', '9007199254740993', '2.0', null, 'hi']]);
  });

  it('REAL text as SQLite writes it', () => {
    const text = realToText;
    for (const f of [text, approximateRealText]) {
      assert.equal(f(1), '1.0');
      assert.equal(f(2.5), '2.5');
      assert.equal(f(100), '100.0');
      assert.equal(f(0.1), '0.1');
      assert.equal(f(0.1 + 0.2), '0.30000000000000004');
      assert.equal(f(1e20), '1.0e+20');
      assert.equal(f(1e15), '1000000000000000.0');
      assert.equal(f(1.5e-7), '1.5e-07');
      assert.equal(f(0.0001), '0.0001');
      assert.equal(f(-42.5), '-42.5');
      assert.equal(f(Number.POSITIVE_INFINITY), 'Inf');
      assert.equal(f(Number.NEGATIVE_INFINITY), '-Inf');
    }
  });
});
