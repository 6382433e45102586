// cpuid, acpi_tables, pci_devices and block_devices against independent tools on
// this host: lscpu (util-linux), md5sum/stat (coreutils), lspci (Debian `pciutils`,
// with `pci.ids`), lsblk / blkid / mkfs.ext4 / losetup (util-linux, e2fsprogs).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { query } from '../../helpers/sql.ts';

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const hasTool = (cmd: string) =>
  spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

test('cpuid agrees with lscpu', async () => {
  const rows = await query('SELECT feature, value, output_register, output_bit, input_eax FROM cpuid');
  const lscpu = new Map(
    run('lscpu', [])
      .split('\n')
      .map((l) => l.split(/:\s+/, 2) as [string, string]),
  );
  const get = (f: string) => rows.find((r) => r.feature === f);
  assert.equal(get('vendor')?.value, lscpu.get('Vendor ID'));
  assert.equal(get('product_name')?.value, lscpu.get('Model name'));
  const family = Number(lscpu.get('CPU family'));
  assert.equal(get('family')?.value, (Math.min(family, 15) << 8).toString(16).padStart(4, '0'));
  const flags = new Set((lscpu.get('Flags') ?? '').split(' '));
  const expect: Record<string, string> = {
    sse2: 'sse2',
    'sse4.2': 'sse4_2',
    sse3: 'pni',
    lm: 'lm',
    nx: 'nx',
    avx2: 'avx2',
  };
  for (const [feature, flag] of Object.entries(expect)) {
    assert.equal(get(feature)?.value, flags.has(flag) ? '1' : '0', feature);
  }
  assert.equal(get('sse2')?.input_eax, '1');
  assert.equal(get('sse2')?.output_register, 'edx');
  assert.equal(get('sse2')?.output_bit, 26);
  assert.equal(get('lm')?.input_eax, String(0x80000001));
  assert.ok(rows.length > 50);
});

test('acpi_tables matches the files under /sys/firmware/acpi/tables (md5sum)', async (t) => {
  const root = '/sys/firmware/acpi/tables';
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  try {
    walk(root);
  } catch {
    return t.skip('no ACPI tables on this host');
  }
  const rows = await query('SELECT name, size, md5 FROM acpi_tables');
  assert.ok(rows.length > 0);
  assert.equal(rows.length, files.length);
  for (const f of files) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    const [md5] = run('md5sum', [f]).split(' ');
    const size = Number(run('sh', ['-c', `wc -c < '${f}'`]).trim());
    const r = rows.find((x) => x.name === name && x.md5 === md5);
    assert.ok(r, `${name} listed with md5sum's digest`);
    assert.equal(r.size, size);
  }
});

test('pci_devices agrees with lspci', async (t) => {
  if (!hasTool('lspci')) return t.skip('pciutils not installed');
  const rows = await query('SELECT * FROM pci_devices');
  const numeric = run('lspci', ['-mm', '-n', '-D'])
    .trim()
    .split('\n')
    .map((l) => [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
  const named = run('lspci', ['-mm', '-D'])
    .trim()
    .split('\n')
    .map((l) => [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
  assert.equal(rows.length, numeric.length);
  assert.ok(rows.length > 0);
  for (let i = 0; i < numeric.length; i++) {
    const [slot, cls, vendor, device] = numeric[i]!;
    const r = rows.find((x) => x.pci_slot === slot);
    assert.ok(r, slot);
    assert.equal(r.vendor_id, `0x${vendor}`);
    assert.equal(r.model_id, `0x${device}`);
    assert.equal(`${r.pci_class_id}${String(r.pci_subclass_id).slice(2)}`, `0x${cls}`);
    const n = named[i]!;
    assert.equal(r.vendor, n[2]);
    // lspci prints "Device xxxx" for ids missing from pci.ids; osquery leaves ''.
    assert.equal(r.model || `Device ${device}`, n[3]);
    // lspci names the subclass when known, else the class ("Unassigned class [ffff]").
    assert.ok(n[1] === r.pci_subclass || n[1]!.startsWith(String(r.pci_class)), `${n[1]} vs ${r.pci_class}`);
    const driver = spawnSync('readlink', [`/sys/bus/pci/devices/${slot}/driver`], {
      encoding: 'utf8',
    }).stdout;
    assert.equal(r.driver, driver.trim().split('/').pop() ?? '');
  }
});

test('block_devices agrees with lsblk and a freshly made ext4 loop device', async (t) => {
  if (process.getuid?.() !== 0 || !hasTool('losetup') || !hasTool('mkfs.ext4'))
    return t.skip('needs root and util-linux');
  const dir = mkdtempSync(join(tmpdir(), 'osq-blk-'));
  const img = join(dir, 'img');
  const uuid = '6b1e4a32-5c43-4d2a-9a55-0d1f3c2b7e10';
  run('truncate', ['-s', '8M', img]);
  run('mkfs.ext4', ['-q', '-F', '-U', uuid, '-L', 'osqlabel', img]);
  const loop = run('losetup', ['-f', '--show', img]).trim();
  try {
    const rows = await query('SELECT * FROM block_devices');
    const lsblk = JSON.parse(run('lsblk', ['-J', '-b', '-a', '-o', 'NAME,SIZE,LOG-SEC,PKNAME'])) as {
      blockdevices: { name: string; size: number; 'log-sec': number; children?: unknown[] }[];
    };
    const flat: { name: string; size: number; 'log-sec': number }[] = [];
    const visit = (list: typeof lsblk.blockdevices) => {
      for (const d of list) {
        flat.push(d);
        visit((d.children ?? []) as typeof lsblk.blockdevices);
      }
    };
    visit(lsblk.blockdevices);
    for (const d of flat) {
      const r = rows.find((x) => x.name === `/dev/${d.name}`);
      assert.ok(r, d.name);
      assert.equal(Number(r.size) * 512, d.size, `${d.name} size in 512-byte sectors`);
      assert.equal(r.block_size, d['log-sec']);
    }
    const mine = await query(`SELECT * FROM block_devices WHERE name = '${loop}'`);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.uuid, uuid);
    assert.equal(mine[0]!.label, 'osqlabel');
    assert.equal(mine[0]!.type, 'ext4');
    assert.equal(Number(mine[0]!.size) * 512, statSync(img).size);
    const enc = await query(`SELECT * FROM disk_encryption WHERE name = '${loop}'`);
    assert.deepEqual(
      enc.map((r) => [r.name, r.encrypted, r.encryption_status]),
      [[loop, 0, 'not encrypted']],
    );
  } finally {
    spawnSync('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  }
});
