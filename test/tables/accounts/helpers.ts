// Helpers for the accounts tests: run a command, make and remove a temporary
// user (with a home directory in a temp dir) and group.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { namesIn, quiet } from '../../helpers/host-state.ts';

/** Names createTempUser gives: `osq<tag><pid suffix>` and `osqg<tag><pid suffix>`. */
const TEMP_USER = /^osq[a-z]+\d{1,6}$/;
const TEMP_GROUP = /^osqg[a-z]+\d{1,6}$/;

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TempUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  group: string;
  groupGid: number;
  remove(): void;
}

/** A new local user with a home directory and one extra group it belongs to. */
export function createTempUser(tag: string): TempUser {
  const suffix = `${process.pid}`.slice(-6);
  const name = `osq${tag}${suffix}`;
  const group = `osqg${tag}${suffix}`;
  const base = mkdtempSync(join(tmpdir(), 'osq-home-'));
  const home = join(base, name);
  run('groupadd', [group]);
  run('useradd', ['-m', '-d', home, '-s', '/bin/bash', '-G', group, name]);
  const uid = Number(run('id', ['-u', name]).trim());
  const gid = Number(run('id', ['-g', name]).trim());
  const groupGid = Number(run('getent', ['group', group]).split(':')[2]);
  return {
    name,
    uid,
    gid,
    home,
    group,
    groupGid,
    remove() {
      try {
        run('userdel', [name]);
      } catch {
        // already gone
      }
      try {
        run('groupdel', [group]);
      } catch {
        // useradd's own group goes with the user; ours may already be gone
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Remove the users and groups createTempUser made in a run that was killed before its after()
 * hook (names `osq<tag><pid>` and `osqg<tag><pid>`), with their temporary home directories.
 * Call it while holding the machine lock (holdMachineLockForFile).
 */
export function removeLeftoverTempUsers(): void {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , , , , home] = line.split(':');
    if (name === undefined || !TEMP_USER.test(name)) continue;
    quiet('userdel', [name]);
    const base = home === undefined ? '' : dirname(home);
    if (/\/osq-home-[^/]+$/.test(base)) rmSync(base, { recursive: true, force: true });
  }
  for (const group of namesIn('/etc/group', TEMP_GROUP)) quiet('groupdel', [group]);
}
