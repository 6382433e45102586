// system_info against hostname(1), getconf, lscpu, free and uname.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { hasTool, run } from './tools.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** lscpu's "Key: value" lines. */
function lscpu(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of run('lscpu').split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) out.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return out;
}

describe('system_info', () => {
  test('host names match hostname and hostname -f', async () => {
    const [r] = await query('SELECT hostname, computer_name, local_hostname FROM system_info');
    assert.equal(r?.computer_name, run('hostname').trim());
    // hostname -f resolves the canonical name through getaddrinfo, as osquery does.
    assert.equal(r?.hostname, run('hostname', ['-f']).trim());
    assert.equal(r?.local_hostname, r?.hostname);
  });

  test('CPU counts and type match getconf, lscpu and uname', async () => {
    const [r] = await query(
      'SELECT cpu_type, cpu_logical_cores, cpu_physical_cores, cpu_sockets, cpu_brand, cpu_subtype FROM system_info',
    );
    assert.equal(r?.cpu_type, run('uname', ['-m']).trim());
    assert.equal(r?.cpu_logical_cores, Number(run('getconf', ['_NPROCESSORS_ONLN']).trim()));
    const cpu = lscpu();
    // Distinct (socket, core) pairs, the physical core count.
    const pairs = run('lscpu', ['-p=SOCKET,CORE'])
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    assert.equal(r?.cpu_physical_cores, new Set(pairs).size);
    if (cpu.has('Socket(s)')) assert.equal(r?.cpu_sockets, Number(cpu.get('Socket(s)')));
    if (r?.cpu_type === 'x86_64') assert.equal(r?.cpu_brand, cpu.get('Model name'));
    if (cpu.has('Model')) assert.equal(r?.cpu_subtype, cpu.get('Model'));
  });

  test('physical_memory is the total of free -b', async () => {
    const [r] = await query('SELECT physical_memory FROM system_info');
    const mem = run('free', ['-b'])
      .split('\n')
      .find((l) => l.startsWith('Mem:'));
    assert.equal(r?.physical_memory, Number(mem?.split(/\s+/)[1]));
  });

  test('uuid is the DMI product uuid, or a stable generated one', async () => {
    const [a] = await query('SELECT uuid FROM system_info');
    const [b] = await query('SELECT uuid FROM system_info');
    assert.match(String(a?.uuid), UUID);
    assert.equal(a?.uuid, b?.uuid);
    if (fs.existsSync('/sys/class/dmi/id/product_uuid') && hasTool('dmidecode')) {
      assert.equal(
        String(a?.uuid).toLowerCase(),
        run('dmidecode', ['-s', 'system-uuid']).trim().toLowerCase(),
      );
    }
  });

  test('hardware strings come from DMI when the machine has it', async () => {
    const [r] = await query('SELECT hardware_vendor, hardware_model, board_vendor FROM system_info');
    if (!fs.existsSync('/sys/class/dmi/id')) {
      // No SMBIOS (e.g. a Firecracker VM): osquery reports an empty model only.
      assert.deepEqual(r, { hardware_vendor: null, hardware_model: '', board_vendor: null });
      return;
    }
    assert.equal(r?.hardware_vendor, run('cat', ['/sys/class/dmi/id/sys_vendor']).trim());
    assert.equal(r?.hardware_model, run('cat', ['/sys/class/dmi/id/product_name']).trim());
  });
});
