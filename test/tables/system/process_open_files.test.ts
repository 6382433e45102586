// process_open_files compared with lsof / find over a child that holds a known file.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { hasTool, run, waitFor } from './tools.js';

describe('process_open_files', () => {
  let child: ChildProcess;
  let tmp: string;
  let file: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osq-fds-'));
    file = path.join(tmp, 'held open.txt');
    const fd = fs.openSync(file, 'w');
    // fd 1 is the file, fd 2 a pipe (which the table leaves out).
    child = spawn('sleep', ['60'], { stdio: ['ignore', fd, 'pipe'] });
    fs.closeSync(fd);
    await waitFor(() => fs.readlinkSync(`/proc/${child.pid}/exe`).endsWith('sleep'));
  });

  after(() => {
    child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the held file is listed at fd 1 and the pipe is not', async () => {
    const rows = await query(`SELECT pid, fd, path FROM process_open_files WHERE pid = ${child.pid}`);
    assert.ok(rows.some((r) => r.fd === 1 && r.path === file && r.pid === child.pid));
    assert.ok(!rows.some((r) => r.fd === 2));
  });

  test('descriptors match find(1) over /proc/<pid>/fd, without sockets, pipes, anon inodes', async () => {
    const rows = await query(`SELECT fd, path FROM process_open_files WHERE pid = ${child.pid} ORDER BY fd`);
    const expected = run('find', [`/proc/${child.pid}/fd`, '-mindepth', '1', '-printf', '%f\\t%l\\n'])
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t') as [string, string])
      .filter(([, target]) => !/socket:|pipe:|anon_inode:/.test(target))
      .map(([fd, target]) => ({ fd: Number(fd), path: target }))
      .sort((a, b) => a.fd - b.fd);
    assert.deepEqual(rows, expected);
  });

  test('lsof agrees on the regular file of this child', { skip: !hasTool('lsof') && 'needs lsof' }, () => {
    const out = run('lsof', ['-p', String(child.pid), '-a', '-d', '1', '-F', 'fn']);
    assert.ok(out.includes(`n${file}`), out);
  });

  test('a scan without a pid covers this test process too', async () => {
    const rows = await query(`SELECT DISTINCT pid FROM process_open_files`);
    assert.ok(rows.some((r) => r.pid === child.pid));
    assert.ok(rows.length > 1);
    assert.deepEqual(await query('SELECT * FROM process_open_files WHERE pid = -1'), []);
  });
});
