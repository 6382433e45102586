// The JSON helpers, and the one strict reader behind the config (plain values,
// line/column errors) and the stored results (typed numbers). Valid documents are
// checked against JSON.parse; errors against messages and offsets written by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childValues, isObject, tryParseJson } from '../../core/src/lib/json.ts';
import { JsonParseError, parseStrictJson, readJson } from '../../core/src/lib/json-reader.ts';
import { parseTypedJson } from '../../core/src/results/json.ts';

function parseError(text: string): { message: string; offset: number } {
  try {
    parseStrictJson(text);
  } catch (e) {
    assert.ok(e instanceof JsonParseError);
    return { message: e.message, offset: e.offset };
  }
  throw new Error(`parsed: ${text}`);
}

describe('JSON values', () => {
  it('isObject is true only for objects', () => {
    assert.deepEqual(
      [{}, { a: 1 }, [], null, 'x', 1, undefined].map((v) => isObject(v)),
      [true, true, false, false, false, false, false],
    );
  });

  it('tryParseJson is JSON.parse without the exception', () => {
    assert.deepEqual(tryParseJson('{"a":[1,"b",null]}'), { a: [1, 'b', null] });
    assert.equal(tryParseJson('null'), null);
    assert.equal(tryParseJson('{oops'), undefined);
    assert.equal(tryParseJson(''), undefined);
  });

  it("childValues gives an array's items and an object's values, as a property tree does", () => {
    assert.deepEqual(childValues([1, 'a']), [1, 'a']);
    assert.deepEqual(childValues({ x: 1, y: { z: 2 } }), [1, { z: 2 }]);
    assert.deepEqual(childValues('scalar'), []);
    assert.deepEqual(childValues(undefined), []);
  });
});

describe('parseStrictJson', () => {
  it('reads what JSON.parse reads', () => {
    for (const text of [
      '{"a":1,"b":[true,false,null],"c":{"d":"e\\u00e9\\n\\/"},"f":-1.5e3,"g":0}',
      ' [ ] ',
      '"\\ud83d\\ude00"',
      '{"schedule":{"q":{"query":"SELECT 1;","interval":60}}}',
    ]) {
      assert.deepEqual(parseStrictJson(text), JSON.parse(text), text);
    }
  });

  it('keeps the first of duplicate keys, and __proto__ as an ordinary key', () => {
    assert.deepEqual(parseStrictJson('{"a":1,"a":2}'), { a: 1 });
    const doc = parseStrictJson('{"__proto__":{"polluted":1}}');
    assert.ok(isObject(doc) && Object.hasOwn(doc, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('says what is wrong and where', () => {
    assert.deepEqual(parseError('{"a":1,}'), {
      message: "expected a double-quoted member name, unexpected character '}'",
      offset: 7,
    });
    assert.deepEqual(parseError('{"a" 1}'), {
      message: `expected ':' after member name "a", unexpected character '1'`,
      offset: 5,
    });
    assert.deepEqual(parseError('{"a":1'), {
      message: "expected ',' or '}' after a member value, unexpected end of input",
      offset: 6,
    });
    assert.deepEqual(parseError('[1 2]'), {
      message: "expected ',' or ']' after an array element, unexpected character '2'",
      offset: 3,
    });
    assert.deepEqual(parseError('{} x'), {
      message: "unexpected text after the JSON document, unexpected character 'x'",
      offset: 3,
    });
    assert.deepEqual(parseError('"a\tb"'), {
      message: 'control character inside a string (escape it)',
      offset: 2,
    });
    assert.deepEqual(parseError('"\\x"'), { message: 'invalid escape sequence in a string', offset: 2 });
    assert.deepEqual(parseError('"abc'), { message: 'unterminated string', offset: 4 });
    // RapidJSON's defaults: no leading zeros, no NaN, no comments.
    assert.equal(
      parseError('[01]').message,
      "expected ',' or ']' after an array element, unexpected character '1'",
    );
    assert.equal(parseError('NaN').message, "unexpected character 'N'");
    assert.equal(parseError('-Infinity').offset, 0);
    assert.equal(parseError('// c\n{}').message, "unexpected character '/'");
  });
});

describe('readJson with another builder', () => {
  it('hands numbers over as written, with whether they are integral', () => {
    const seen: [string, boolean][] = [];
    readJson('[1,-0,2.5,1e3,-7E-2]', {
      number: (token, integral) => {
        seen.push([token, integral]);
        return null;
      },
      object: () => null,
      array: () => null,
    });
    assert.deepEqual(seen, [
      ['1', true],
      ['-0', true],
      ['2.5', false],
      ['1e3', false],
      ['-7E-2', false],
    ]);
  });
});

describe('parseTypedJson (stored results)', () => {
  it('keeps int64 exact, doubles as doubles, member order and duplicates', () => {
    assert.deepEqual(parseTypedJson('{"b":9223372036854775807,"a":1.0,"b":"x"}'), {
      members: [
        ['b', 9223372036854775807n],
        ['a', 1],
        ['b', 'x'],
      ],
    });
    assert.equal(typeof parseTypedJson('1.0'), 'number');
    assert.equal(typeof parseTypedJson('1'), 'bigint');
  });

  it('reads the non-finite doubles the writer emits', () => {
    assert.deepEqual(parseTypedJson('[NaN,Infinity,-Infinity]'), [Number.NaN, Infinity, -Infinity]);
  });

  it('names the offset of unreadable text', () => {
    assert.throws(
      () => parseTypedJson('{not json'),
      /^Error: invalid JSON at offset 1: expected a double-quoted/,
    );
  });
});
