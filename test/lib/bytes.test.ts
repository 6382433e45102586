// compareBytes against the order it promises: strcmp on the UTF-8 bytes, which is
// what Buffer.compare gives over Buffer.from (the oracle here, with no code of ours).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareBytes } from '../../core/src/lib/bytes.ts';

const oracle = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareBytes', () => {
  it('orders ASCII as strcmp does (upper case before lower, shorter prefix first)', () => {
    assert.deepEqual(['b', 'B', 'a', 'ab', '_', '10', '9'].sort(compareBytes), [
      '10',
      '9',
      'B',
      '_',
      'a',
      'ab',
      'b',
    ]);
    assert.equal(compareBytes('same', 'same'), 0);
  });

  it('puts characters beyond U+FFFF after U+E000..U+FFFF, unlike UTF-16 order', () => {
    const names = ['\u{1F600}', '\uFF01', '\uE000'];
    assert.deepEqual([...names].sort(compareBytes), ['\uE000', '\uFF01', '\u{1F600}']);
    // JavaScript's default sort compares UTF-16 code units and gets it the other way round.
    assert.deepEqual([...names].sort(), ['\u{1F600}', '\uE000', '\uFF01']);
  });

  it('treats a lone surrogate as U+FFFD, as UTF-8 encoding does', () => {
    assert.equal(compareBytes('\uD800', '\uFFFD'), 0);
    assert.ok(compareBytes('\uD83D', '\u{1F600}') < 0);
  });

  it('agrees in sign with Buffer.compare on random strings', () => {
    const alphabet = [
      'a',
      'Z',
      '\0',
      '\u00e9',
      '\uE000',
      '\uFF01',
      '\uFFFD',
      '\uD83D',
      '\uDE00',
      '\u{1F600}',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = (): string =>
      Array.from({ length: next(5) }, () => alphabet[next(alphabet.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const a = word();
      const b = word();
      assert.equal(Math.sign(compareBytes(a, b)), Math.sign(oracle(a, b)), JSON.stringify([a, b]));
    }
  });
});
