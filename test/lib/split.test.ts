// osquery's split() and its relatives, against expectations written by hand from
// osquery's definition (boost::split on any delimiter, drop the empty pieces, then
// boost::algorithm::trim each piece with the C locale's isspace).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCSpace,
  osquerySplit,
  splitKeyValue,
  splitNonBlank,
  trimSpace,
  WHITESPACE,
} from '../../core/src/lib/split.ts';

describe('osquerySplit', () => {
  it('cuts on any delimiter character, drops empty pieces, trims the rest', () => {
    assert.deepEqual(osquerySplit('a, b,,c', ','), ['a', 'b', 'c']);
    assert.deepEqual(osquerySplit('192.168.0.1', '.0'), ['192', '168', '1']);
    // A piece of only blanks was not empty before trimming: it survives as ''.
    assert.deepEqual(osquerySplit('a, ,b', ','), ['a', '', 'b']);
    assert.deepEqual(osquerySplit('', ','), []);
    assert.deepEqual(osquerySplit(',,,', ','), []);
  });

  it('splits on a blank or a tab by default, as osquery does', () => {
    assert.deepEqual(osquerySplit('  one\ttwo   three '), ['one', 'two', 'three']);
    // A newline is not a default delimiter; it is trimmed off the piece instead.
    assert.deepEqual(osquerySplit('a\n b'), ['a', 'b']);
    assert.deepEqual(osquerySplit('a \n b'), ['a', '', 'b']);
    assert.deepEqual(osquerySplit('one\ntwo\n\nthree\n', '\n'), ['one', 'two', 'three']);
    assert.deepEqual(osquerySplit('x\v\fy', WHITESPACE), ['x', 'y']);
  });

  it('trims only the C locale blanks, not other Unicode spaces', () => {
    assert.deepEqual(osquerySplit('\u00a0a\u00a0,b', ','), ['\u00a0a\u00a0', 'b']);
    assert.equal(trimSpace(' \t\n\v\f\rx y\r\n'), 'x y');
    assert.equal(trimSpace('\ufeffx'), '\ufeffx');
    assert.deepEqual(
      [' ', '\t', '\n', '\v', '\f', '\r', 'a', '\u00a0'].map((c) => isCSpace(c.charCodeAt(0))),
      [true, true, true, true, true, true, false, false],
    );
  });

  it('treats a delimiter beyond U+FFFF as one character', () => {
    assert.deepEqual(osquerySplit('a\u{1F600}b\u{1F601}c', '\u{1F600}'), ['a', 'b\u{1F601}c']);
  });
});

describe('splitNonBlank', () => {
  it('also drops the pieces that are blank after trimming', () => {
    assert.deepEqual(splitNonBlank('a \n b'), ['a', 'b']);
    assert.deepEqual(splitNonBlank('a, ,b', ','), ['a', 'b']);
    assert.deepEqual(splitNonBlank('  '), []);
  });
});

describe('splitKeyValue', () => {
  it('splits at the first delimiter and trims both sides', () => {
    assert.deepEqual(splitKeyValue('model name\t: Intel: x', ':'), ['model name', 'Intel: x']);
    assert.deepEqual(splitKeyValue('KEY=', '='), ['KEY', '']);
    assert.deepEqual(splitKeyValue('a => b', '=>'), ['a', 'b']);
    assert.equal(splitKeyValue('no delimiter', ':'), null);
  });
});
