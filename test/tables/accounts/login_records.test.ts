// logged_in_users and last against utmpdump, with records written by glibc's
// own pututxline/updwtmpx (a small C helper compiled here). The files are put
// back as they were afterwards.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostFileBackup } from '../../helpers/host-state.ts';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.js';

const UTMP = '/var/run/utmp';
const WTMP = '/var/log/wtmp';

const backup = hostFileBackup('login-records', [UTMP, WTMP]);
await holdMachineLockForFile(backup.restoreLeftover);

const HELPER_C = `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utmpx.h>
/* usage: helper utmp|wtmp TYPE PID USER LINE HOST SECONDS */
int main(int argc, char **argv) {
  if (argc != 8) return 2;
  struct utmpx ut;
  memset(&ut, 0, sizeof ut);
  ut.ut_type = atoi(argv[2]);
  ut.ut_pid = atoi(argv[3]);
  strncpy(ut.ut_user, argv[4], sizeof ut.ut_user);
  strncpy(ut.ut_line, argv[5], sizeof ut.ut_line);
  size_t n = strlen(argv[5]);
  strncpy(ut.ut_id, argv[5] + (n > 4 ? n - 4 : 0), sizeof ut.ut_id);
  strncpy(ut.ut_host, argv[6], sizeof ut.ut_host);
  ut.ut_tv.tv_sec = atol(argv[7]);
  if (strcmp(argv[1], "wtmp") == 0) { updwtmpx("${WTMP}", &ut); return 0; }
  utmpxname("${UTMP}");
  setutxent();
  if (pututxline(&ut) == NULL) { perror("pututxline"); return 1; }
  endutxent();
  return 0;
}
`;

let dir: string;
let helper: string;

function write(
  kind: 'utmp' | 'wtmp',
  type: number,
  pid: number,
  user: string,
  line: string,
  host: string,
  t: number,
) {
  execFileSync(helper, [kind, String(type), String(pid), user, line, host, String(t)]);
}

interface Dumped {
  type: number;
  pid: number;
  user: string;
  line: string;
  host: string;
  time: number;
}

/** Records as util-linux's utmpdump prints them. */
function utmpdump(path: string): Dumped[] {
  const out = execFileSync('utmpdump', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out
    .split('\n')
    .filter((l) => l.startsWith('['))
    .map((l) => {
      const f = [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => (m[1] as string).trim());
      return {
        type: Number(f[0]),
        pid: Number(f[1]),
        user: f[3] as string,
        line: f[4] as string,
        host: f[5] as string,
        time: Math.floor(Date.parse((f[7] as string).replace(/,\d+/, '')) / 1000),
      };
    });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'osq-utmp-'));
  helper = join(dir, 'utmp-helper');
  writeFileSync(join(dir, 'h.c'), HELPER_C);
  execFileSync('cc', ['-O', '-o', helper, join(dir, 'h.c')]);
  backup.save();
  if (!existsSync(UTMP)) writeFileSync(UTMP, '', { mode: 0o664 });
});

after(() => {
  backup.restore();
  rmSync(dir, { recursive: true, force: true });
});

const typeNames: Record<number, string> = {
  0: 'empty',
  1: 'runlevel',
  2: 'boot_time',
  3: 'new_time',
  4: 'old_time',
  5: 'init',
  6: 'login',
  7: 'user',
  8: 'dead',
  9: 'accounting',
};

describe('logged_in_users', () => {
  it('matches utmpdump of /var/run/utmp (records of pid 1 left out)', async () => {
    write('utmp', 7, 424242, 'osqlogin', 'pts/77', 'host.example', 1700000000);
    write('utmp', 6, 424243, 'LOGIN', 'tty63', '', 1700000050);
    write('utmp', 2, 1, 'reboot', '~', '6.1.0', 1699990000);
    const expected = utmpdump(UTMP)
      .filter((d) => d.pid !== 1)
      .map((d) => ({
        type: typeNames[d.type] ?? 'unknown',
        user: d.user,
        tty: d.line,
        host: d.host,
        time: d.time,
        pid: d.pid,
      }));
    const rows = await query('SELECT type, user, tty, host, time, pid FROM logged_in_users');
    assert.ok(rows.length >= 2);
    assert.deepEqual(rows, expected);
    assert.ok(
      rows.some((r) => r.user === 'osqlogin' && r.type === 'user' && r.tty === 'pts/77' && r.pid === 424242),
    );
  });
});

describe('last', () => {
  it('matches the user and dead records utmpdump shows in /var/log/wtmp', async () => {
    write('wtmp', 7, 424244, 'osqlast', 'pts/78', '192.0.2.9', 1700000300);
    write('wtmp', 8, 424244, '', 'pts/78', '', 1700000400);
    write('wtmp', 2, 0, 'reboot', '~', '6.1.0', 1700000000);
    const names: Record<number, string> = { 7: 'user-process', 8: 'dead-process' };
    const expected = utmpdump(WTMP)
      .filter((d) => d.type === 7 || d.type === 8)
      .map((d) => ({
        username: d.user,
        tty: d.line,
        pid: d.pid,
        type: d.type,
        type_name: names[d.type],
        time: d.time,
        host: d.host,
      }));
    const rows = await query('SELECT username, tty, pid, type, type_name, time, host FROM last');
    assert.ok(rows.length >= 2);
    assert.deepEqual(rows, expected);
  });
});
