// processes compared with ps(1) for processes that stay alive during the test.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Op, QueryContext } from '../../../core/src/tables/framework.js';
import { processes } from '../../../core/src/tables/system/processes.js';
import { query } from '../../helpers/sql.js';
import { run, sh, waitFor } from './tools.js';

interface PsRow {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  nlwp: number;
  comm: string;
}

/** ps's view of some pids (comm last: it may contain spaces). */
function ps(pids: number[]): Map<number, PsRow> {
  const out = run('ps', ['-o', 'pid=,ppid=,uid=,gid=,nlwp=,comm=', '-p', pids.join(',')]);
  const rows = new Map<number, PsRow>();
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, pid, ppid, uid, gid, nlwp, comm] = m;
    rows.set(Number(pid), {
      pid: Number(pid),
      ppid: Number(ppid),
      uid: Number(uid),
      gid: Number(gid),
      nlwp: Number(nlwp),
      comm: comm ?? '',
    });
  }
  return rows;
}

/** One ps column for one pid, as a number. */
function psNumber(pid: number, field: string): number {
  return Number(run('ps', ['-o', `${field}=`, '-p', String(pid)]).trim());
}

describe('processes', () => {
  let child: ChildProcess;
  let deletedChild: ChildProcess;
  let tmp: string;
  let copiedSleep: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osq-proc-'));
    child = spawn('sleep', ['60'], { cwd: tmp, stdio: 'ignore' });
    // A process whose executable is deleted after it started.
    copiedSleep = path.join(tmp, 'osq-sleep-copy');
    fs.copyFileSync(run('sh', ['-c', 'command -v sleep']).trim(), copiedSleep);
    fs.chmodSync(copiedSleep, 0o755);
    deletedChild = spawn(copiedSleep, ['61'], { stdio: 'ignore' });
    await waitFor(() => fs.readlinkSync(`/proc/${child.pid}/exe`).endsWith('sleep'));
    await waitFor(() => fs.readlinkSync(`/proc/${deletedChild.pid}/exe`).endsWith('copy'));
    fs.unlinkSync(copiedSleep);
  });

  after(() => {
    child.kill();
    deletedChild.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('pid 1, this process and its parent match ps', async () => {
    const pids = [1, process.pid, process.ppid];
    const rows = await query(
      `SELECT pid, parent, uid, gid, threads, name FROM processes WHERE pid IN (${pids.join(',')})`,
    );
    const expected = ps(pids);
    assert.equal(rows.length, expected.size);
    for (const row of rows) {
      const p = expected.get(Number(row.pid));
      assert.ok(p, `pid ${row.pid} known to ps`);
      assert.equal(row.parent, p.ppid);
      assert.equal(row.uid, p.uid);
      assert.equal(row.gid, p.gid);
      assert.equal(row.name, p.comm);
      // Thread counts of busy processes move; the sleeping child below checks them exactly.
      assert.ok(Number(row.threads) >= 1);
    }
  });

  test('the process count matches ps -e within a tolerance', async () => {
    const [row] = await query('SELECT count(*) AS n FROM processes');
    const psCount = run('ps', ['-e', '--no-headers']).trim().split('\n').length;
    assert.ok(Math.abs(Number(row?.n) - psCount) <= 10, `${row?.n} vs ps ${psCount}`);
    assert.ok(psCount > 1);
  });

  test('a spawned child: path, cmdline, cwd, root, on_disk, parent, state', async () => {
    const rows = await query(
      `SELECT pid, name, path, cmdline, cwd, root, on_disk, parent, state, threads,
              uid, euid, suid, gid, egid, sgid
       FROM processes WHERE pid = ${child.pid}`,
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.name, 'sleep');
    assert.equal(r.path, fs.realpathSync(run('sh', ['-c', 'command -v sleep']).trim()));
    assert.equal(r.cmdline, run('ps', ['-o', 'args=', '-p', String(child.pid)]).trim());
    assert.equal(r.cwd, fs.realpathSync(tmp));
    assert.equal(r.root, '/');
    assert.equal(r.on_disk, 1);
    assert.equal(r.parent, process.pid);
    assert.equal(r.state, run('ps', ['-o', 'state=', '-p', String(child.pid)]).trim());
    assert.equal(r.threads, ps([child.pid!]).get(child.pid!)?.nlwp);
    const ids = run('ps', ['-o', 'ruid=,euid=,suid=,rgid=,egid=,sgid=', '-p', String(child.pid)])
      .trim()
      .split(/\s+/)
      .map(Number);
    assert.deepEqual([r.uid, r.euid, r.suid, r.gid, r.egid, r.sgid], ids);
  });

  test('a process whose binary was deleted: on_disk 0, path without "(deleted)"', async () => {
    const rows = await query(`SELECT path, on_disk FROM processes WHERE pid = ${deletedChild.pid}`);
    assert.deepEqual(rows, [{ path: copiedSleep, on_disk: 0 }]);
  });

  test('sizes in bytes, times in milliseconds, start_time in epoch seconds', async () => {
    const pid = process.pid;
    const [r] = await query(
      `SELECT resident_size, total_size, user_time, system_time, start_time, wired_size,
              disk_bytes_read, disk_bytes_written, nice, pgroup
       FROM processes WHERE pid = ${pid}`,
    );
    assert.ok(r);
    // Memory moves a little while the test runs.
    const rss = psNumber(pid, 'rss') * 1024;
    const vsz = psNumber(pid, 'vsz') * 1024;
    assert.ok(Math.abs(Number(r.resident_size) - rss) <= rss * 0.2, `rss ${r.resident_size} vs ${rss}`);
    assert.ok(Math.abs(Number(r.total_size) - vsz) <= vsz * 0.2, `vsz ${r.total_size} vs ${vsz}`);
    // ps "times" is whole seconds of CPU.
    const cpuSeconds = psNumber(pid, 'times');
    const ours = (Number(r.user_time) + Number(r.system_time)) / 1000;
    assert.ok(Math.abs(ours - cpuSeconds) <= 2, `cpu ${ours}s vs ps ${cpuSeconds}s`);
    const started = Math.floor(Date.now() / 1000) - psNumber(pid, 'etimes');
    assert.ok(Math.abs(Number(r.start_time) - started) <= 2, `start ${r.start_time} vs ${started}`);
    assert.equal(r.wired_size, 0);
    assert.equal(r.nice, psNumber(pid, 'ni'));
    assert.equal(r.pgroup, psNumber(pid, 'pgid'));
    assert.equal(typeof r.disk_bytes_read, 'number');
    assert.equal(typeof r.disk_bytes_written, 'number');
  });

  test('column types follow the schema', async () => {
    const [r] = await query(
      `SELECT typeof(pid) AS pid, typeof(name) AS name, typeof(start_time) AS start, typeof(on_disk) AS on_disk
       FROM processes WHERE pid = ${process.pid}`,
    );
    assert.deepEqual(r, { pid: 'integer', name: 'text', start: 'integer', on_disk: 'integer' });
  });

  test('pid constraints: unknown pids give no rows, IN gives each pid once', async () => {
    assert.deepEqual(await query('SELECT pid FROM processes WHERE pid = -5'), []);
    assert.deepEqual(await query('SELECT pid FROM processes WHERE pid = 2147483647'), []);
    const rows = await query(`SELECT pid FROM processes WHERE pid IN (1, ${process.pid}, 1)`);
    assert.deepEqual(rows.map((r) => r.pid).sort(), [1, process.pid].sort());
  });

  test('cgroup_path is the path of the first /proc/<pid>/cgroup entry', async () => {
    const [r] = await query(`SELECT cgroup_path FROM processes WHERE pid = ${process.pid}`);
    // ps -o cgroup hides root entries, so cut(1) takes the path from the file.
    const expected = sh(`head -n1 /proc/${process.pid}/cgroup | cut -d: -f3-`).trim();
    assert.equal(r?.cgroup_path, expected);
  });

  test('unused columns are not read: only pid and name for a pid = constraint', () => {
    const ctx = new QueryContext(
      new Map([['pid', [{ op: Op.EQ, expr: process.pid }]]]),
      new Set(['pid', 'name']),
    );
    const rows = [...processes.generate(ctx)];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.name, run('ps', ['-o', 'comm=', '-p', String(process.pid)]).trim());
    for (const skipped of [
      'cmdline',
      'path',
      'cwd',
      'root',
      'cgroup_path',
      'disk_bytes_read',
      'start_time',
    ]) {
      assert.ok(!(skipped in rows[0]!), `${skipped} was read`);
    }
  });
});
