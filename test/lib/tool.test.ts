// runTool against real processes (sh, printf, cat, sleep): stdout kept, stderr and
// stdin out of the way, and every kind of failure reported as null.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTool, runToolText } from '../../core/src/lib/tool.ts';

describe('runTool', () => {
  it('gives stdout as bytes or as text', () => {
    assert.deepEqual(runTool('printf', ['a\\0b']), Buffer.from('a\0b'));
    assert.equal(runToolText('printf', ['%s\\n', 'h\u00e9']), 'h\u00e9\n');
  });

  it('drops stderr and gives the tool an empty stdin', () => {
    assert.equal(runToolText('sh', ['-c', 'echo out; echo err >&2']), 'out\n');
    // cat would wait forever on an open stdin.
    assert.equal(runToolText('cat', [], { timeoutMs: 5000 }), '');
  });

  it('is null when the tool is missing, fails, runs too long or prints too much', () => {
    assert.equal(runTool('osq-no-such-tool', []), null);
    assert.equal(runToolText('sh', ['-c', 'echo partial; exit 3']), null);
    const started = Date.now();
    assert.equal(runToolText('sleep', ['5'], { timeoutMs: 200 }), null);
    assert.ok(Date.now() - started < 4000, 'the timeout killed the tool');
    assert.equal(runToolText('printf', ['%0100d', '0'], { maxBuffer: 10 }), null);
    assert.equal(runToolText('printf', ['%010d', '0'], { maxBuffer: 10 }), '0000000000');
  });

  it('runs in the C locale only when asked', () => {
    const env = { ...process.env };
    process.env.LC_ALL = 'en_US.UTF-8';
    try {
      assert.equal(runToolText('sh', ['-c', 'echo "$LC_ALL"'], { cLocale: true }), 'C\n');
      assert.equal(runToolText('sh', ['-c', 'echo "$LC_ALL"']), 'en_US.UTF-8\n');
    } finally {
      process.env = env;
    }
  });
});
