// The protocol vocabulary core and SDK share (@osq/idl): column option bits both ways,
// wire type names, Boost property-tree JSON, and the C formats. Pure functions, no peers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asctimeUtc,
  ColumnOption,
  columnFlagsFromBits,
  columnOptionBits,
  columnTypeFromWire,
  formatG15,
  parsePtree,
  ptreeFromJson,
  WIRE_TYPE_NAME,
  writePtree,
  writePtreeNode,
} from '@osq/idl';

describe('protocol vocabulary', () => {
  it('turns column options into osquery op bits and back', () => {
    const flags = { index: true, hidden: true, collate: 'version_dpkg' } as const;
    const op = columnOptionBits(flags);
    assert.equal(op, ColumnOption.INDEX | ColumnOption.HIDDEN | ColumnOption.COLLATEVERSION_DPKG);
    assert.deepEqual(columnFlagsFromBits(op), {
      index: true,
      required: false,
      additional: false,
      optimized: false,
      hidden: true,
      collate: 'version_dpkg',
    });
    // BINARY and RTRIM are not read back: the core leaves them to SQLite's default.
    assert.equal(
      columnFlagsFromBits(ColumnOption.COLLATEBINARY | ColumnOption.COLLATERTRIM).collate,
      undefined,
    );
  });

  it('names column types as osquery does on the wire, in any letter case', () => {
    assert.equal(WIRE_TYPE_NAME.unsigned_bigint, 'UNSIGNED BIGINT');
    assert.equal(columnTypeFromWire('unsigned bigint'), 'unsigned_bigint');
    assert.equal(columnTypeFromWire('Double'), 'double');
    assert.equal(columnTypeFromWire('UNKNOWN'), undefined);
  });

  it('writes property trees as Boost does: the document root is an object, a node by its shape', () => {
    const tree = ptreeFromJson({ list: ['a', 1, null], empty: {}, path: '/x' });
    assert.equal(writePtree(tree), '{"list":["a","1","null"],"empty":"","path":"\\/x"}');
    const list = ptreeFromJson(['tabs', 'storage']);
    assert.equal(writePtreeNode(list), '["tabs","storage"]');
    assert.equal(writePtree(list), '{"":"tabs","":"storage"}');
    assert.throws(() => writePtree(ptreeFromJson('scalar')), /cannot be represented/);
    assert.equal(writePtree(parsePtree('{"n": 1.50}')), '{"n":"1.50"}'); // numbers keep their text
  });

  it('prints times and reals with the C library layouts', () => {
    assert.equal(asctimeUtc(Date.UTC(2026, 7, 6, 21, 46, 12) / 1000 + 0.9), 'Thu Aug  6 21:46:12 2026 UTC');
    assert.equal(formatG15(0.1 + 0.2), '0.3');
    assert.equal(formatG15(1e21), '1e+21');
    assert.equal(formatG15(-2.5e-7), '-2.5e-07');
    assert.equal(formatG15(123456789012345.6), '123456789012346');
  });
});
