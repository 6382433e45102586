// process_envs compared with env(1) run by the same shell that then execs sleep,
// so both see the very same environment block.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { waitFor } from './tools.js';

describe('process_envs', () => {
  let child: ChildProcess;
  let envOutput = '';

  before(async () => {
    child = spawn('sh', ['-c', 'env; exec sleep 60'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OSQ_TEST_VAR: 'a=b c', OSQ_EMPTY: '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      envOutput += d.toString();
    });
    // Wait until the shell has printed and become sleep.
    await waitFor(() => envOutput.includes('OSQ_TEST_VAR') && child.pid !== undefined);
    const { readlinkSync } = await import('node:fs');
    await waitFor(() => readlinkSync(`/proc/${child.pid}/exe`).endsWith('sleep'));
  });

  after(() => {
    child.kill();
  });

  test('the variables of a child match what env printed', async () => {
    const rows = await query(`SELECT pid, key, value FROM process_envs WHERE pid = ${child.pid}`);
    const ours = new Map(rows.map((r) => [String(r.key), String(r.value)]));
    const theirs = new Map<string, string>();
    for (const line of envOutput.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) theirs.set(line.slice(0, eq), line.slice(eq + 1));
    }
    // "_" is rewritten by some shells for each command.
    ours.delete('_');
    theirs.delete('_');
    assert.deepEqual(ours, theirs);
    assert.ok(rows.every((r) => r.pid === child.pid));
  });

  test('values keep their "=" and empty values stay empty', async () => {
    const rows = await query(
      `SELECT key, value FROM process_envs WHERE pid = ${child.pid} AND key LIKE 'OSQ_%' ORDER BY key`,
    );
    assert.deepEqual(rows, [
      { key: 'OSQ_EMPTY', value: '' },
      { key: 'OSQ_TEST_VAR', value: 'a=b c' },
    ]);
  });

  test('pid is an integer and a scan covers this process', async () => {
    const [r] = await query(
      `SELECT typeof(pid) AS t, count(*) AS n FROM process_envs WHERE pid IN (${process.pid}, ${child.pid})`,
    );
    assert.equal(r?.t, 'integer');
    assert.ok(Number(r?.n) >= Object.keys(process.env).length);
    const all = await query(`SELECT DISTINCT pid FROM process_envs`);
    assert.ok(all.some((x) => x.pid === process.pid));
  });
});
