// Tables whose source this host lacks (md arrays, dm-crypt, USB, UEFI variables),
// run through SQL against fixtures in the sources' documented formats:
// /proc/mdstat and /sys/block/mdN/md (kernel Documentation/admin-guide/md.rst),
// dm sysfs attributes (Documentation/ABI/testing/sysfs-block-dm), USB sysfs
// attributes (Documentation/ABI/testing/sysfs-bus-usb) and efivarfs files
// (Documentation/filesystems/efivarfs.rst: 4 attribute bytes, then the data).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { query } from '../../helpers/sql.ts';

const MDSTAT = new URL('../../fixtures/md_devices/mdstat', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'osq-hwfix-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Write files of a fake tree: { 'a/b': 'content' }. */
function tree(base: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(base, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

function mdSysfs(): string {
  const sys = join(root, 'md-sys');
  const member = (md: string, dev: string, slot: string, state: string) => ({
    [`block/${md}/md/dev-${dev}/slot`]: `${slot}\n`,
    [`block/${md}/md/dev-${dev}/state`]: `${state}\n`,
  });
  tree(sys, {
    'block/md0/md/level': 'raid1\n',
    'block/md0/md/raid_disks': '2\n',
    'block/md0/md/chunk_size': '0\n',
    'block/md0/md/array_state': 'clean\n',
    'block/md0/md/metadata_version': '1.2\n',
    'block/md0/md/bitmap/location': 'none\n',
    ...member('md0', 'sda1', '0', 'in_sync'),
    ...member('md0', 'sdb1', '1', 'in_sync'),
    'block/md1/md/level': 'raid5\n',
    'block/md1/md/raid_disks': '3\n',
    'block/md1/md/chunk_size': '524288\n',
    'block/md1/md/array_state': 'active\n',
    'block/md1/md/metadata_version': '1.2\n',
    'block/md1/md/bitmap/location': '+8\n',
    ...member('md1', 'sdc1', '0', 'in_sync'),
    ...member('md1', 'sdd1', 'none', 'faulty'),
    ...member('md1', 'sde1', 'none', 'spare'),
  });
  return sys;
}

test('md tables read the documented mdstat + sysfs layout', async () => {
  const env = { OSQ_MDSTAT_PATH: MDSTAT, OSQ_SYSFS_ROOT: mdSysfs() };
  const [pers, devices, drives] = await withEnv(env, async () => [
    await query('SELECT name FROM md_personalities'),
    await query('SELECT * FROM md_devices'),
    await query('SELECT * FROM md_drives'),
  ]);
  assert.deepEqual(
    pers.map((r) => r.name),
    ['raid1', 'raid6', 'raid5', 'raid4', 'linear'],
  );
  assert.equal(devices.length, 2);
  const md1 = devices.find((d) => d.device_name === 'md1')!;
  assert.equal(md1.status, 'active');
  assert.equal(md1.raid_level, 5);
  assert.equal(md1.size, 1046528);
  assert.equal(md1.chunk_size, 524288);
  assert.equal(md1.raid_disks, 3);
  assert.equal(md1.nr_raid_disks, 3);
  assert.equal(md1.failed_disks, 1);
  assert.equal(md1.active_disks, 1);
  assert.equal(md1.spare_disks, 1);
  assert.equal(md1.recovery_progress, '27.5% (144128/523264)');
  assert.equal(md1.recovery_finish, '0.8min');
  assert.equal(md1.recovery_speed, '7205K/sec');
  assert.equal(md1.bitmap_on_mem, '1/1 pages [4KB]');
  assert.equal(md1.bitmap_chunk_size, '65536KB chunk');
  assert.equal(md1.other, 'super 1.2 level 5, 512k chunk, algorithm 2');
  assert.equal(md1.superblock_state, 'bitmap_present');
  assert.equal(md1.superblock_version, '1.2');
  assert.equal(md1.unused_devices, '<none>');
  const md0 = devices.find((d) => d.device_name === 'md0')!;
  assert.equal(md0.raid_level, 1);
  assert.equal(md0.superblock_state, 'clean');
  assert.equal(md0.recovery_progress, null);
  assert.equal(md0.other, 'super 1.2');
  const byDrive = new Map(drives.map((d) => [`${d.md_device_name} ${d.drive_name}`, d]));
  assert.equal(drives.length, 5);
  assert.equal(byDrive.get('md0 /dev/sda1')?.state, 'active sync');
  assert.equal(byDrive.get('md1 /dev/sdc1')?.slot, 0);
  assert.equal(byDrive.get('md1 /dev/sdd1')?.state, 'faulty');
  // The two unslotted members take the free slots 1 and 2 in order.
  assert.deepEqual([byDrive.get('md1 /dev/sdd1')?.slot, byDrive.get('md1 /dev/sde1')?.slot], [1, 2]);
  assert.equal(byDrive.get('md1 /dev/sde1')?.state, 'recovering');
});

test('no /proc/mdstat gives empty md tables', async () => {
  const env = { OSQ_MDSTAT_PATH: join(root, 'absent') };
  await withEnv(env, async () => {
    assert.deepEqual(await query('SELECT * FROM md_devices'), []);
    assert.deepEqual(await query('SELECT * FROM md_personalities'), []);
  });
});

test('disk_encryption recognises dm-crypt mappings', async () => {
  const sys = join(root, 'dm-sys');
  const dev = (
    path: string,
    name: string,
    major: number,
    minor: number,
    extra: Record<string, string> = {},
  ) => {
    tree(sys, { [`devices/${path}/uevent`]: `MAJOR=${major}\nMINOR=${minor}\nDEVNAME=${name}\n`, ...extra });
    mkdirSync(join(sys, 'class/block'), { recursive: true });
    symlinkSync(join(sys, 'devices', path), join(sys, 'class/block', name));
  };
  dev('pci0000:00/0000:00:02.0/virtio1/block/vda', 'vda', 254, 0, {
    'devices/pci0000:00/0000:00:02.0/virtio1/block/vda/size': '2048\n',
  });
  dev('pci0000:00/0000:00:02.0/virtio1/block/vda/vda1', 'vda1', 254, 1);
  dev('virtual/block/dm-0', 'dm-0', 253, 0, {
    'devices/virtual/block/dm-0/dm/uuid': 'CRYPT-LUKS2-0f1e2d3c4b5a69788796a5b4c3d2e1f0-cryptroot\n',
    'devices/virtual/block/dm-0/dm/name': 'cryptroot\n',
  });
  dev('virtual/block/dm-1', 'dm-1', 253, 1, {
    'devices/virtual/block/dm-1/dm/uuid': 'LVM-abcdef\n',
    'devices/virtual/block/dm-1/dm/name': 'vg-lv\n',
  });
  const tables = join(root, 'dm-tables');
  tree(tables, {
    cryptroot: '0 2048 crypt aes-xts-plain64 :64:logon:cryptsetup:0f1e-d0 0 254:1 32768\n',
    'vg-lv': '0 2048 linear 254:1 2048\n',
  });
  const rows = await withEnv({ OSQ_SYSFS_ROOT: sys, OSQ_DM_TABLE_DIR: tables }, () =>
    query('SELECT name, encrypted, type, encryption_status FROM disk_encryption'),
  );
  assert.deepEqual(rows, [
    { name: '/dev/vda', encrypted: 0, type: null, encryption_status: 'not encrypted' },
    { name: '/dev/vda1', encrypted: 0, type: null, encryption_status: 'not encrypted' },
    { name: '/dev/dm-0', encrypted: 1, type: 'LUKS2-aes-xts-plain64', encryption_status: 'encrypted' },
    { name: '/dev/dm-1', encrypted: 0, type: null, encryption_status: 'not encrypted' },
  ]);
  const blocks = await withEnv({ OSQ_SYSFS_ROOT: sys }, () =>
    query('SELECT name, parent FROM block_devices'),
  );
  assert.equal(blocks.find((b) => b.name === '/dev/vda1')?.parent, '/dev/vda');
});

test('usb_devices reads USB devices (not interfaces) with usb.ids names', async () => {
  const sys = join(root, 'usb-sys');
  const dev = (path: string, files: Record<string, string>) => {
    tree(sys, Object.fromEntries(Object.entries(files).map(([k, v]) => [`devices/${path}/${k}`, v])));
    mkdirSync(join(sys, 'bus/usb/devices'), { recursive: true });
    symlinkSync(join(sys, 'devices', path), join(sys, 'bus/usb/devices', path.split('/').pop()!));
  };
  dev('pci0000:00/0000:00:14.0/usb1', {
    uevent:
      'MAJOR=189\nMINOR=0\nDEVNAME=bus/usb/001/001\nDEVTYPE=usb_device\nTYPE=9/0/1\nBUSNUM=001\nDEVNUM=001\n',
    idVendor: '1d6b\n',
    idProduct: '0002\n',
    bcdDevice: '0606\n',
    product: 'xHCI Host Controller\n',
    serial: '0000:00:14.0\n',
    removable: 'unknown\n',
  });
  dev('pci0000:00/0000:00:14.0/usb1/1-1', {
    uevent:
      'MAJOR=189\nMINOR=1\nDEVNAME=bus/usb/001/002\nDEVTYPE=usb_device\nTYPE=0/0/0\nBUSNUM=001\nDEVNUM=002\n',
    idVendor: '046d\n',
    idProduct: 'c077\n',
    bcdDevice: '7200\n',
    product: 'USB Optical Mouse\n',
    removable: 'removable\n',
  });
  dev('pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0', { uevent: 'DEVTYPE=usb_interface\nINTERFACE=3/1/2\n' });
  const ids = join(root, 'usb.ids');
  // usb.ids format (http://www.linux-usb.org/usb.ids header): vendor, then TAB device lines.
  writeFileSync(ids, '1d6b  Linux Foundation\n\t0002  2.0 root hub\n046d  Logitech, Inc.\n\tc077  Mouse\n');
  const rows = await withEnv({ OSQ_SYSFS_ROOT: sys, OSQ_USB_IDS_PATH: ids }, () =>
    query('SELECT * FROM usb_devices'),
  );
  assert.deepEqual(rows, [
    {
      usb_address: 1,
      usb_port: 1,
      vendor: 'Linux Foundation',
      vendor_id: '1d6b',
      version: '0606',
      model: '2.0 root hub',
      model_id: '0002',
      serial: '0000:00:14.0',
      class: '9',
      subclass: '0',
      protocol: '1',
      removable: -1,
    },
    {
      usb_address: 1,
      usb_port: 2,
      vendor: 'Logitech, Inc.',
      vendor_id: '046d',
      version: '7200',
      model: 'Mouse',
      model_id: 'c077',
      serial: '',
      class: '0',
      subclass: '0',
      protocol: '0',
      removable: 1,
    },
  ]);
});

test('secureboot reads the efivarfs SecureBoot / SetupMode variables', async () => {
  const host = await query('SELECT secure_boot, setup_mode FROM secureboot');
  assert.equal(host.length, 1, 'always one row');
  const dir = join(root, 'efivars');
  const guid = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
  tree(dir, {
    [`SecureBoot-${guid}`]: Buffer.from([0x06, 0, 0, 0, 1]),
    [`SetupMode-${guid}`]: Buffer.from([0x06, 0, 0, 0, 0]),
  });
  const rows = await withEnv({ OSQ_EFIVARS_ROOT: dir }, () =>
    query('SELECT secure_boot, setup_mode FROM secureboot'),
  );
  assert.deepEqual(rows, [{ secure_boot: 1, setup_mode: 0 }]);
});
