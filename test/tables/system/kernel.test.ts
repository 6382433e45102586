// kernel_info against uname(1) and the boot command line; kernel_modules against lsmod.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { parseModules } from '../../../core/src/tables/system/kernel_modules.js';
import { query } from '../../helpers/sql.js';
import { hasTool, run } from './tools.js';

describe('kernel_info', () => {
  test('version is uname -r', async () => {
    const rows = await query('SELECT version FROM kernel_info');
    assert.deepEqual(rows, [{ version: run('uname', ['-r']).trim() }]);
  });

  test('arguments, path and device split the boot command line', async () => {
    const [r] = await query('SELECT arguments, path, device FROM kernel_info');
    const words = run('cat', ['/proc/cmdline']).trim().split(/\s+/);
    const image = words.find((w) => w.startsWith('BOOT_IMAGE='));
    const root = words.find((w) => w.startsWith('root='));
    assert.equal(r?.path, image === undefined ? null : image.slice('BOOT_IMAGE='.length));
    assert.equal(r?.device, root === undefined ? null : root.slice('root='.length));
    assert.equal(r?.arguments, words.filter((w) => w !== image && w !== root).join(' '));
  });
});

describe('kernel_modules', () => {
  const loaded = fs.existsSync('/proc/modules');

  test('names, sizes and use counts match lsmod', {
    skip: !loaded && 'kernel without /proc/modules',
  }, async () => {
    const lsmod = hasTool('lsmod') ? 'lsmod' : '/sbin/lsmod';
    const lines = run(lsmod).trim().split('\n').slice(1);
    const rows = await query('SELECT name, size, used_by FROM kernel_modules');
    assert.equal(rows.length, lines.length);
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const line of lines) {
      const [name, size, , usedBy] = line.trim().split(/\s+/);
      const row = byName.get(name!);
      assert.ok(row, `module ${name}`);
      assert.equal(row.size, Number(size));
      assert.equal(row.used_by, usedBy ?? '-');
    }
  });

  test('no /proc/modules means no rows', { skip: loaded && 'kernel has modules' }, async () => {
    assert.deepEqual(await query('SELECT * FROM kernel_modules'), []);
  });

  test('the /proc/modules format is parsed field by field (fixture)', () => {
    const fixture = [
      'nf_tables 376832 0 - Live 0xffffffffc0a3e000',
      'nfnetlink 20480 2 nf_tables,nft_compat, Live 0x0000000000000000',
      'virtio_blk 24576 2 - Loading 0xffffffffc0012000 (E)',
      'broken line',
      '',
    ].join('\n');
    assert.deepEqual(parseModules(fixture), [
      { name: 'nf_tables', size: 376832, used_by: '-', status: 'Live', address: '0xffffffffc0a3e000' },
      {
        name: 'nfnetlink',
        size: 20480,
        used_by: 'nf_tables,nft_compat',
        status: 'Live',
        address: '0x0000000000000000',
      },
      { name: 'virtio_blk', size: 24576, used_by: '-', status: 'Loading', address: '0xffffffffc0012000' },
    ]);
  });
});
