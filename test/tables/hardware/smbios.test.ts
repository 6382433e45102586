// SMBIOS-backed tables (smbios_tables, cpu_info, platform_info, oem_strings and the
// memory_* tables) on the synthetic DSP0134 dump of test/fixtures/smbios_tables,
// checked against dmidecode's own decoding of the same bytes (Debian `dmidecode`).
// The host itself exposes no DMI table here, which must give empty tables.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildDump, buildStructureTable, FIXTURE } from '../../fixtures/smbios_tables/build-dmi.ts';
import { query } from '../../helpers/sql.ts';

const FIXTURE_DIR = new URL('../../fixtures/smbios_tables/', import.meta.url).pathname;
const DMI = `${FIXTURE_DIR}DMI`;
const DUMP = `${FIXTURE_DIR}dmi.bin`;
const hasDmidecode = spawnSync('sh', ['-c', 'command -v dmidecode'], { stdio: 'ignore' }).status === 0;

/** dmidecode's records of one type: "Key: value" maps, one per structure. */
function dmidecode(type: number): Record<string, string>[] {
  const out = execFileSync('dmidecode', ['-q', '--from-dump', DUMP, '-t', String(type)], {
    encoding: 'utf8',
  });
  const records: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of out.split('\n')) {
    if (line === '') {
      cur = null;
      continue;
    }
    if (!line.startsWith('\t')) {
      cur = {};
      records.push(cur);
      continue;
    }
    const m = /^\t([^\t:][^:]*): (.*)$/.exec(line);
    if (m && cur) cur[m[1]!] = m[2]!;
  }
  return records;
}

async function withFixture<T>(fn: () => Promise<T>): Promise<T> {
  process.env.OSQ_SMBIOS_DMI_PATH = DMI;
  try {
    return await fn();
  } finally {
    delete process.env.OSQ_SMBIOS_DMI_PATH;
  }
}

test('the committed fixture matches its builder', () => {
  assert.ok(buildStructureTable().equals(readFileSync(DMI)));
  assert.ok(buildDump().equals(readFileSync(DUMP)));
});

test('no DMI table on this host gives empty tables, not errors', async (t) => {
  if (existsSync('/sys/firmware/dmi/tables/DMI')) return t.skip('host has SMBIOS');
  for (const table of ['smbios_tables', 'cpu_info', 'platform_info', 'memory_devices', 'oem_strings']) {
    assert.deepEqual(await query(`SELECT * FROM ${table}`), []);
  }
});

test('smbios_tables lists every structure with md5 of its bytes', async () => {
  const rows = await withFixture(() => query('SELECT * FROM smbios_tables'));
  const handles = rows.map((r) => Number(r.handle));
  assert.deepEqual(handles, [0x0000, 0x0400, 0x0b00, 0x1000, 0x1200, 0x1100, 0x1101, 0x1300, 0x1400, 0x7f00]);
  assert.deepEqual(
    rows.map((r) => r.number),
    rows.map((_, i) => i),
  );
  assert.equal(rows[0]!.description, 'BIOS Information');
  assert.equal(rows[1]!.header_size, 0x30);
  // md5 of the first structure, cut independently from the file by its known size.
  const bios = buildStructureTable().subarray(0, Number(rows[0]!.size));
  assert.equal(rows[0]!.md5, createHash('md5').update(bios).digest('hex'));
  const total = rows.reduce((n, r) => n + Number(r.size), 0);
  // osquery's walker needs 4 bytes past a string set to see its end, so the last
  // structure (End-of-Table, no strings) is counted without its two closing NULs.
  assert.equal(total, buildStructureTable().length - 2);
  if (hasDmidecode) {
    const out = execFileSync('dmidecode', ['--from-dump', DUMP], { encoding: 'utf8' });
    const theirs = [...out.matchAll(/^Handle (0x[0-9A-F]+), DMI type (\d+), (\d+) bytes$/gm)];
    assert.deepEqual(
      theirs.map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]),
      rows.map((r) => [r.handle, r.type, r.header_size]),
    );
  }
});

test('platform_info decodes the BIOS structure', async () => {
  const [r] = await withFixture(() => query('SELECT * FROM platform_info'));
  assert.ok(r);
  assert.equal(r.vendor, FIXTURE.bios.vendor);
  assert.equal(r.version, FIXTURE.bios.version);
  assert.equal(r.date, FIXTURE.bios.date);
  assert.equal(r.revision, `${FIXTURE.bios.major}.${FIXTURE.bios.minor}`);
  assert.equal(r.address, '0xe800');
  assert.equal(r.size, String(16 * 64 * 1024));
  assert.equal(r.firmware_type, existsSync('/sys/firmware/efi') ? 'uefi' : 'bios');
  if (hasDmidecode) {
    const [d] = dmidecode(0);
    assert.equal(d!.Vendor, r.vendor);
    assert.equal(d!.Version, r.version);
    assert.equal(d!['Release Date'], r.date);
    assert.equal(d!['BIOS Revision'], r.revision);
    assert.equal(d!['ROM Size'], `${Number(r.size) / 1024 / 1024} MB`);
  }
});

test('cpu_info decodes processor structures', async () => {
  const rows = await withFixture(() => query('SELECT * FROM cpu_info'));
  assert.equal(rows.length, 1);
  const r = rows[0]!;
  assert.equal(r.device_id, 'CPU0');
  assert.equal(r.processor_type, '3');
  assert.equal(r.address_width, '64');
  assert.equal(typeof r.logical_processors, 'number');
  if (hasDmidecode) {
    const [d] = dmidecode(4);
    assert.equal(d!['Socket Designation'], r.socket_designation);
    assert.equal(d!.Manufacturer, r.manufacturer);
    assert.equal(d!.Version, r.model);
    assert.equal(d!['Max Speed'], `${r.max_clock_speed} MHz`);
    assert.equal(d!['Current Speed'], `${r.current_clock_speed} MHz`);
    assert.equal(d!['Core Count'], r.number_of_cores);
    assert.equal(d!['Thread Count'], String(r.logical_processors));
  }
});

test('oem_strings lists each OEM string', async () => {
  const rows = await withFixture(() => query('SELECT * FROM oem_strings ORDER BY number'));
  assert.deepEqual(
    rows.map((r) => [r.handle, r.number, r.value]),
    FIXTURE.oem.map((v, i) => ['0x0b00', i + 1, v]),
  );
  if (hasDmidecode) {
    const [d] = dmidecode(11);
    assert.deepEqual(
      rows.map((r) => d![`String ${r.number}`]),
      rows.map((r) => r.value),
    );
  }
});

test('memory tables decode types 16-20', async () => {
  const [arrays, devices, errors, arrayMaps, deviceMaps] = await withFixture(async () => [
    await query('SELECT * FROM memory_arrays'),
    await query('SELECT * FROM memory_devices'),
    await query('SELECT * FROM memory_error_info'),
    await query('SELECT * FROM memory_array_mapped_addresses'),
    await query('SELECT * FROM memory_device_mapped_addresses'),
  ]);
  assert.deepEqual(arrays, [
    {
      handle: '0x1000',
      location: 'System board or motherboard',
      use: 'System memory',
      memory_error_correction: 'Multi-bit ECC',
      max_capacity: 64,
      memory_error_info_handle: '0x1200',
      number_memory_devices: 2,
    },
  ]);
  assert.equal(devices.length, 2);
  const dimm = devices[0]!;
  assert.equal(dimm.handle, '0x1100');
  assert.equal(dimm.size, 16384);
  assert.equal(dimm.memory_type, 'DDR4');
  assert.equal(dimm.memory_type_details, 'Synchronous Registered (Buffered)');
  assert.equal(dimm.form_factor, 'DIMM');
  assert.equal(dimm.max_speed, 3200);
  assert.equal(dimm.configured_clock_speed, 2933);
  assert.equal(dimm.configured_voltage, 1200);
  assert.equal(dimm.set, 0);
  assert.equal(devices[1]!.max_speed, null, 'speed 0 is unknown');
  assert.equal(devices[1]!.manufacturer, '');
  assert.deepEqual(errors, [
    {
      handle: '0x1200',
      error_type: 'OK',
      error_granularity: 'Unknown',
      error_operation: 'Unknown',
      vendor_syndrome: null,
      memory_array_error_address: null,
      device_error_address: null,
      error_resolution: null,
    },
  ]);
  assert.deepEqual(arrayMaps, [
    {
      handle: '0x1300',
      memory_array_handle: '0x1000',
      starting_address: '0x00000000',
      ending_address: '0x00ffffff',
      partition_width: 1,
    },
  ]);
  assert.equal(deviceMaps[0]!.starting_address, '0x000100000000');
  assert.equal(deviceMaps[0]!.ending_address, '0x0004ffffffff');
  assert.equal(deviceMaps[0]!.memory_device_handle, '0x1100');
  assert.equal(deviceMaps[0]!.interleave_data_depth, 3);
  if (hasDmidecode) {
    const d = dmidecode(17);
    assert.equal(d.length, devices.length);
    assert.equal(d[0]!.Locator, dimm.device_locator);
    assert.equal(d[0]!['Bank Locator'], dimm.bank_locator);
    assert.equal(d[0]!.Manufacturer, dimm.manufacturer);
    assert.equal(d[0]!['Serial Number'], dimm.serial_number);
    assert.equal(d[0]!['Part Number'], dimm.part_number);
    assert.equal(d[0]!.Type, dimm.memory_type);
    assert.equal(d[0]!['Form Factor'], dimm.form_factor);
    assert.equal(d[0]!.Speed, `${dimm.max_speed} MT/s`);
    assert.equal(d[0]!.Size, `${Number(dimm.size) / 1024} GB`);
    const a = dmidecode(16)[0]!;
    assert.equal(a['Number Of Devices'], '2');
    assert.equal(a['Maximum Capacity'], `${arrays[0]!.max_capacity} GB`);
    const m = dmidecode(19)[0]!;
    assert.equal(m['Partition Width'], '1');
  }
});
