// Tables whose source is absent on a CI machine: carves (the daemon's carve
// store), intel_me_info (/dev/mei0), msr (/dev/cpu/N/msr) and carbon_black_info
// (/var/lib/cb). Each is checked for "no rows" where the source is missing, and
// against a fixture (or files made here) read back with od/stat/awk.
import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFlag } from '@osq/core/flags/index';
import { type CarveRecord, setCarveStore } from '@osq/core/tables/forensics/carves';
import { parseMeiVersion } from '../../../core/src/tables/forensics/intel_me_info.ts';
import { query } from '../../helpers/sql.ts';
import { run, sh } from '../system/tools.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

describe('carves', () => {
  after(() => {
    setCarveStore(undefined);
    setFlag('disable_carver', true);
  });

  test('no carve store (osqi, or a daemon that never carved): no rows, even when asked to carve', async () => {
    assert.deepEqual(await query('SELECT * FROM carves'), []);
    assert.deepEqual(await query(`SELECT * FROM carves WHERE carve = 1 AND path = '/etc/hosts'`), []);
  });

  test('rows come from the store; carve = 1 with paths starts a carve only when the carver is enabled', async () => {
    const record: CarveRecord = {
      time: 1700000000,
      sha256: 'ab'.repeat(32),
      size: 10240,
      path: '/etc/hosts',
      status: 'SUCCESS',
      carve_guid: '1f6f4ae1-7d1c-4b71-9e7b-000000000001',
      request_id: 'req-1',
    };
    const started: string[][] = [];
    setCarveStore({ list: () => [record], start: (paths) => started.push(paths) });
    const rows = await query('SELECT * FROM carves');
    assert.deepEqual(rows, [{ ...record, carve: 0 }]);
    // --disable_carver (default true): asking does not start a carve.
    await query(`SELECT * FROM carves WHERE carve = 1 AND path = '/etc/hosts'`);
    assert.deepEqual(started, []);
    setFlag('disable_carver', false);
    // Without a path nothing is carved.
    await query('SELECT * FROM carves WHERE carve = 1');
    assert.deepEqual(started, []);
    const hostsDir = await query(`SELECT carve FROM carves WHERE carve = 1 AND path LIKE '/etc/host%'`);
    const expected = sh('ls -d /etc/host*').trim().split('\n').sort();
    assert.deepEqual(started, [expected]);
    // The listed records have carve = 0, so `carve = 1` filters them out.
    assert.deepEqual(hostsDir, []);
  });
});

describe('intel_me_info', () => {
  test('without /dev/mei0 there are no rows', async (t) => {
    if (existsSync('/dev/mei0')) return t.skip('this host has an Intel ME device');
    assert.deepEqual(await query('SELECT * FROM intel_me_info'), []);
  });

  test('the firmware version answer parses as od reads its fields', () => {
    const hex = readFileSync(join(FIXTURES, 'intel_me_info/get_fw_version.hex'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('');
    const answer = Buffer.from(hex, 'hex');
    const dir = mkdtempSync(join(tmpdir(), 'osq-mei-'));
    try {
      const file = join(dir, 'answer');
      const fd = openSync(file, 'w');
      writeSync(fd, answer);
      closeSync(fd);
      const fields = run('od', ['-An', '-v', '-t', 'u2', '-j', '28', '-N', '8', '--endian=little', file])
        .trim()
        .split(/\s+/);
      assert.equal(parseMeiVersion(answer), fields.join('.'));
      assert.equal(parseMeiVersion(answer.subarray(0, 40)), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('msr', () => {
  let root: string;
  // Register offsets osquery reads, with values to plant (the perf_ctl mask keeps 16 bits).
  const planted: [number, bigint][] = [
    [0x1a0, 1n << 38n],
    [0x1ad, 0x1c1c1c1cn],
    [0xce, 0x80838f1011400n],
    [0x198, 0x1d2f00002500n],
    [0x199, 0xdead2500n],
    [0x3a, 5n],
    [0x610, 0xffff800000000000n],
    [0x611, 123456789n],
    [0x606, 0xa0e03n],
  ];
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'osq-msr-'));
    for (const cpu of [0, 1]) {
      mkdirSync(join(root, String(cpu)));
      const fd = openSync(join(root, String(cpu), 'msr'), 'w');
      for (const [offset, value] of planted) {
        const b = Buffer.alloc(8);
        b.writeBigUInt64LE(value + BigInt(cpu));
        writeSync(fd, b, 0, 8, offset);
      }
      closeSync(fd);
    }
    mkdirSync(join(root, 'microcode'));
  });
  after(() => {
    delete process.env.OSQ_MSR_ROOT;
    rmSync(root, { recursive: true, force: true });
  });

  test('without /dev/cpu/N/msr there are no rows', async (t) => {
    if (existsSync('/dev/cpu/0/msr')) return t.skip('this host has the msr driver loaded');
    assert.deepEqual(await query('SELECT * FROM msr'), []);
  });

  test('registers read at their offsets, as od reads them', async () => {
    process.env.OSQ_MSR_ROOT = root;
    const rows = await query('SELECT * FROM msr');
    assert.deepEqual(
      rows.map((r) => r.processor_number),
      [0, 1],
    );
    const od = (cpu: number, offset: number) =>
      BigInt(
        run('od', [
          '-An',
          '-t',
          'u8',
          '-j',
          String(offset),
          '-N',
          '8',
          join(root, String(cpu), 'msr'),
        ]).trim(),
      );
    const signed = (v: bigint) => {
      const s = BigInt.asIntN(64, v);
      return Number.isSafeInteger(Number(s)) ? Number(s) : s;
    };
    for (const row of rows) {
      const cpu = Number(row.processor_number);
      assert.equal(row.turbo_disabled, od(cpu, 0x1a0) & (1n << 38n) ? 1 : 0);
      assert.equal(row.turbo_ratio_limit, signed(od(cpu, 0x1ad)));
      assert.equal(row.platform_info, signed(od(cpu, 0xce)));
      assert.equal(row.perf_status, signed(od(cpu, 0x198)));
      assert.equal(row.perf_ctl, signed(od(cpu, 0x199) & 0xffffn));
      assert.equal(row.feature_control, signed(od(cpu, 0x3a)));
      assert.equal(BigInt(row.rapl_power_limit as number | bigint), BigInt.asIntN(64, od(cpu, 0x610)));
      assert.equal(row.rapl_energy_status, signed(od(cpu, 0x611)));
      assert.equal(row.rapl_power_units, signed(od(cpu, 0x606)));
    }
  });
});

describe('carbon_black_info', () => {
  const cb = join(FIXTURES, 'carbon_black_info/cb');
  after(() => {
    delete process.env.OSQ_CARBON_BLACK_ROOT;
  });

  test('without /var/lib/cb there are no rows', async (t) => {
    if (existsSync('/var/lib/cb')) return t.skip('this host has a Carbon Black sensor');
    assert.deepEqual(await query('SELECT * FROM carbon_black_info'), []);
  });

  test('the sensor directory fixture, read back with awk, stat and find', async () => {
    process.env.OSQ_CARBON_BLACK_ROOT = cb;
    const rows = await query('SELECT * FROM cb_info');
    assert.equal(rows.length, 1);
    const row = rows[0] as Record<string, unknown>;
    const ini = (key: string) =>
      run('awk', [
        '-F=',
        `$1 == "${key}" { print substr($0, index($0, "=") + 1) }`,
        join(cb, 'sensorsettings.ini'),
      ]).trim();
    const id = readFileSync(join(cb, 'sensor.id'), 'latin1');
    assert.equal(
      row.sensor_id,
      Number.parseInt(sh(`printf '%d' 0x$(cut -c12-16 ${join(cb, 'sensor.id')})`), 10),
    );
    assert.equal(id.length, 16);
    assert.equal(row.config_name, ini('ConfigName').replaceAll('%20', ' '));
    assert.equal(row.sensor_backend_server, ini('SensorBackendServer').replaceAll('%3A', ':'));
    assert.equal(row.collect_store_files, Number(ini('CollectStoreFiles')));
    assert.equal(row.collect_module_loads, Number(ini('CollectModuleLoads')));
    assert.equal(row.collect_module_info, Number(ini('CollectModuleInfo')));
    assert.equal(row.collect_file_mods, Number(ini('CollectFileMods')));
    assert.equal(row.collect_net_conns, Number(ini('CollectNetConns')));
    assert.equal(row.collect_cross_processes, Number(ini('CollectCrossProcess')));
    // osquery reports collect_processes and the quota/protection fields as 0 on Linux.
    assert.equal(row.collect_processes, 0);
    assert.equal(row.sensor_ip_addr, '');
    const bytes = (find: string) =>
      Number(sh(`find ${cb} -type f ${find} -printf '%s\\n' | awk '{ s += $1 } END { print s + 0 }'`).trim());
    assert.equal(row.event_queue, bytes(`\\( -name events -o -name 'events.*' \\)`));
    assert.equal(row.binary_queue, bytes(`\\( -name filedata -o -name metadata \\)`));
  });
});
