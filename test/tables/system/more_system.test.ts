// The second wave of system tables against independent tools: sysctl, prlimit,
// spawned processes' /proc files read by cat/readlink, a `sleep | cat`
// pipeline, ipcmk/ipcs, and fixtures for systemd's unit list.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { parseListUnits, parseShow } from '../../../core/src/tables/system/systemd.ts';
import { unitRow } from '../../../core/src/tables/system/systemd_units.ts';
import { removeLeftoverFiles } from '../../helpers/host-state.ts';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { hasTool, run, sh, waitFor } from './tools.ts';

await holdMachineLockForFile(() => removeLeftoverFiles('/etc/sysctl.d', '99-osq-test-'));

describe('more system tables', () => {
  let sleeper: ChildProcess;
  before(async () => {
    sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await waitFor(() => sh(`readlink /proc/${sleeper.pid}/exe || true`).includes('sleep'));
  });
  after(() => sleeper.kill());

  test('system_controls matches sysctl for stable values', async () => {
    const rows = await query(
      "SELECT name, current_value, subsystem, oid, type FROM system_controls WHERE subsystem = 'kernel'",
    );
    const sysctl = new Map<string, string[]>();
    for (const line of run('sysctl', ['-a']).split('\n')) {
      const at = line.indexOf(' = ');
      if (at < 0) continue;
      const name = line.slice(0, at);
      sysctl.set(name, [...(sysctl.get(name) ?? []), line.slice(at + 3)]);
    }
    const stable = [
      'kernel.ostype',
      'kernel.osrelease',
      'kernel.pid_max',
      'kernel.printk',
      'kernel.hostname',
      'kernel.threads-max',
    ];
    for (const name of stable) {
      const row = rows.find((r) => r.name === name);
      assert.ok(row, name);
      assert.equal(row.current_value, sysctl.get(name)?.join('\n'), name);
      assert.deepEqual([row.subsystem, row.oid, row.type], ['kernel', '', 'string']);
    }
    // Every readable kernel.* control sysctl shows is a row of ours.
    const ours = new Set(rows.map((r) => r.name));
    for (const name of sysctl.keys()) if (name.startsWith('kernel.')) assert.ok(ours.has(name), name);
    const one = await query("SELECT * FROM system_controls WHERE name = 'kernel.ostype'");
    assert.equal(one.length, 1);
  });

  test('system_controls reports sysctl.d config values', async () => {
    const file = `/etc/sysctl.d/99-osq-test-${process.pid}.conf`;
    sh(`printf 'kernel.sysrq = 16\\n# kernel.panic = 3\\n' > ${file}`);
    try {
      const rows = await query("SELECT config_value FROM system_controls WHERE name = 'kernel.sysrq'");
      // A later directory (/usr/lib, /lib) may override, as in osquery.
      const later = sh(
        "grep -hs '^[[:space:]]*kernel.sysrq' /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf | tail -1 | cut -d= -f2 | tr -d ' ' || true",
      ).trim();
      assert.equal(rows[0]?.config_value, later === '' ? '16' : later);
    } finally {
      sh(`rm -f ${file}`);
    }
  });

  test('ulimit_info matches prlimit of this process', async () => {
    const rows = await query('SELECT * FROM ulimit_info');
    const out = run('prlimit', [
      '--pid',
      String(process.pid),
      '--raw',
      '--noheadings',
      '-o',
      'RESOURCE,SOFT,HARD',
    ]);
    const limits = new Map(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .map(([r, s, h]) => [(r as string).toLowerCase(), [s, h]]),
    );
    assert.equal(rows.length, 15);
    for (const row of rows) {
      const name = row.type === 'sigpending' ? 'sigpending' : String(row.type);
      const p = limits.get(name);
      assert.ok(p, name);
      const norm = (v: string | undefined) => (v === 'unlimited' || v === '-1' ? 'unlimited' : v);
      assert.deepEqual([row.soft_limit, row.hard_limit], [norm(p[0]), norm(p[1])], name);
    }
  });

  test('process_memory_map matches the maps file read by cat', async () => {
    const pid = sleeper.pid as number;
    const rows = await query(`SELECT * FROM process_memory_map WHERE pid = ${pid}`);
    const lines = run('cat', [`/proc/${pid}/maps`])
      .trim()
      .split('\n');
    assert.equal(rows.length, lines.length);
    lines.forEach((line, i) => {
      const f = line.split(/\s+/);
      const [start, end] = (f[0] as string).split('-');
      const r = rows[i] as Record<string, unknown>;
      assert.deepEqual(
        [r.start, r.end, r.permissions, r.device, r.inode],
        [`0x${start}`, `0x${end}`, f[1], f[3], Number(f[4])],
      );
      assert.equal(r.offset, Number.parseInt(f[2] as string, 16));
      assert.equal(r.path ?? '', f[5] ?? '');
    });
    assert.ok(rows.some((r) => r.path === '[stack]' && r.pseudo === 1));
    assert.ok(rows.some((r) => String(r.path).endsWith('sleep') && r.pseudo === 0));
  });

  test('process_namespaces matches readlink of the ns links', async () => {
    const pid = sleeper.pid as number;
    const rows = await query(`SELECT * FROM process_namespaces WHERE pid = ${pid}`);
    assert.equal(rows.length, 1);
    for (const ns of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts']) {
      const link = run('readlink', [`/proc/${pid}/ns/${ns}`]).trim();
      assert.equal(rows[0]?.[`${ns}_namespace`], /\[(\d+)\]/.exec(link)?.[1], ns);
    }
    if (hasTool('lsns')) {
      const net = run('lsns', ['-n', '-o', 'NS', '-t', 'net', '-p', String(pid)]).trim();
      assert.equal(rows[0]?.net_namespace, net);
    }
  });

  test('process_open_pipes pairs the two ends of a pipeline', async () => {
    const pipeline = spawn('sh', ['-c', 'sleep 30 | cat'], { stdio: 'ignore' });
    try {
      let pids: number[] = [];
      await waitFor(() => {
        pids = sh(`pgrep -P ${pipeline.pid} || true`).trim().split('\n').filter(Boolean).map(Number);
        return (
          pids.length === 2 &&
          pids.every((p) => sh(`ls -l /proc/${p}/fd/ 2>/dev/null || true`).includes('pipe:'))
        );
      });
      const sleepPid = pids.find((p) => run('cat', [`/proc/${p}/comm`]).trim() === 'sleep') as number;
      const catPid = pids.find((p) => p !== sleepPid) as number;
      const inode = /pipe:\[(\d+)\]/.exec(run('readlink', [`/proc/${sleepPid}/fd/1`]))?.[1];
      const rows = await query(`SELECT * FROM process_open_pipes WHERE pid = ${sleepPid} AND fd = 1`);
      assert.deepEqual(rows, [
        {
          pid: sleepPid,
          fd: 1,
          mode: 'w',
          inode: Number(inode),
          type: 'anonymous',
          partner_pid: catPid,
          partner_fd: 0,
          partner_mode: 'r',
        },
      ]);
    } finally {
      sh(`pkill -P ${pipeline.pid} || true`);
      pipeline.kill();
    }
  });

  test('shared_memory shows a segment made by ipcmk', {
    skip: !hasTool('ipcmk') && 'needs util-linux',
  }, async () => {
    const id = /(\d+)/.exec(run('ipcmk', ['-M', '4096', '-p', '0640']))?.[1] as string;
    try {
      const rows = await query(`SELECT * FROM shared_memory WHERE shmid = ${id}`);
      assert.equal(rows.length, 1);
      const ipcs = run('ipcs', ['-m', '-i', id]);
      assert.match(ipcs, new RegExp(`bytes=${rows[0]?.size}\\b`));
      assert.equal(rows[0]?.size, 4096);
      assert.equal(rows[0]?.permissions, '0640');
      assert.equal(rows[0]?.owner_uid, 0);
      assert.equal(rows[0]?.attached, 0);
      const all = await query('SELECT count(*) AS n FROM shared_memory');
      const listed = run('ipcs', ['-m'])
        .split('\n')
        .filter((l) => /^0x/.test(l)).length;
      assert.equal(all[0]?.n, listed);
    } finally {
      run('ipcrm', ['-m', id]);
    }
  });

  test('memory_map lists every /proc/iomem range', async () => {
    const rows = await query('SELECT * FROM memory_map');
    const ram = sh("grep -c 'System RAM' /proc/iomem || true").trim();
    assert.equal(rows.filter((r) => r.name === 'System RAM').length, Number(ram));
    const first = sh("sed -e 's/^ *//' /proc/iomem | head -1").trim();
    assert.equal(rows[0]?.start, `0x${first.split('-')[0]}`);
  });

  test('startup_items lists /etc/init.d scripts and autostart entries', async () => {
    const rows = await query("SELECT * FROM startup_items WHERE source = '/etc/init.d/'");
    const scripts = sh('ls /etc/init.d 2>/dev/null || true').trim().split('\n').filter(Boolean);
    assert.deepEqual(rows.map((r) => r.name).sort(), scripts.sort());
    const items = await query("SELECT * FROM startup_items WHERE source = '/etc/xdg/autostart/'");
    const desktop = sh('ls /etc/xdg/autostart 2>/dev/null || true').trim().split('\n').filter(Boolean);
    assert.equal(items.length, desktop.length);
  });

  test('systemd_units: the live list when systemd runs, else no rows', async () => {
    const rows = await query('SELECT id, active_state FROM systemd_units');
    if (sh('test -d /run/systemd/system && echo yes || true').trim() !== 'yes') {
      assert.equal(rows.length, 0);
      return;
    }
    const listed = run('systemctl', ['list-units', '--all', '--plain', '--no-legend', '--no-pager'])
      .trim()
      .split('\n');
    assert.equal(rows.length, listed.length);
  });

  test('systemd unit list parsing (busctl --json and systemctl show fixtures)', () => {
    // busctl(1) --json=short prints a method reply as {"type": <signature>, "data": [<values>]};
    // ListUnits returns a(ssssssouso), see org.freedesktop.systemd1(5).
    const json = JSON.stringify({
      type: 'a(ssssssouso)',
      data: [
        [
          [
            'ssh.service',
            'OpenBSD Secure Shell server',
            'loaded',
            'active',
            'running',
            '',
            '/org/freedesktop/systemd1/unit/ssh_2eservice',
            0,
            '',
            '/',
          ],
          [
            'tmp.mount',
            'Temporary Directory',
            'loaded',
            'inactive',
            'dead',
            '',
            '/org/freedesktop/systemd1/unit/tmp_2emount',
            7,
            'start',
            '/org/freedesktop/systemd1/job/7',
          ],
        ],
      ],
    });
    const units = parseListUnits(json);
    const props = parseShow(
      'Id=ssh.service\nFragmentPath=/lib/systemd/system/ssh.service\nSourcePath=\nUnitFileState=enabled\nUser=\n\nId=tmp.mount\nFragmentPath=/usr/share/systemd/tmp.mount\nUnitFileState=disabled\n',
    );
    const rows = units.map((u) => unitRow(u, props.get(u.id)));
    assert.deepEqual(rows[0], {
      id: 'ssh.service',
      description: 'OpenBSD Secure Shell server',
      load_state: 'loaded',
      active_state: 'active',
      sub_state: 'running',
      unit_file_state: 'enabled',
      following: '',
      object_path: '/org/freedesktop/systemd1/unit/ssh_2eservice',
      job_id: 0,
      job_type: '',
      job_path: '/',
      fragment_path: '/lib/systemd/system/ssh.service',
      user: '',
      source_path: '',
    });
    assert.deepEqual(
      [rows[1]?.job_id, rows[1]?.job_type, rows[1]?.unit_file_state],
      [7, 'start', 'disabled'],
    );
  });
});
