// The cleaners that remove what a killed test run left on the host, on real state: a real
// user and group made by useradd/groupadd, a real veth pair, a real file under /etc/cron.d and
// a host file changed under hostFileBackup, each left behind as a killed run would leave it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTempUser, removeLeftoverTempUsers } from '../tables/accounts/helpers.ts';
import { ipJson, removeLeftoverTestLinks } from '../tables/networking/net_helpers.ts';
import { hostFileBackup, namesIn, removeLeftoverFiles } from './host-state.ts';
import { holdMachineLockForFile } from './machine-lock.ts';

const root = process.getuid?.() === 0;
if (!root) console.log('host-state cleaners: skipped, they need root to make users and links');
else await holdMachineLockForFile();

test('a temporary user and group left by a killed run are removed', { skip: !root }, () => {
  const user = createTempUser('lo'); // never removed: as if the run was killed
  assert.ok(namesIn('/etc/passwd', /^osqlo\d+$/).includes(user.name));
  removeLeftoverTempUsers();
  assert.deepEqual(namesIn('/etc/passwd', /^osqlo\d+$/), []);
  assert.deepEqual(namesIn('/etc/group', /^osqglo\d+$/), []);
  assert.equal(existsSync(user.home), false, 'its temporary home went too');
});

test('a test veth pair left by a killed run is removed', { skip: !root }, () => {
  execFileSync('ip', ['link', 'add', 'osqleft0', 'type', 'veth', 'peer', 'name', 'osqleft0p']);
  removeLeftoverTestLinks();
  const left = ipJson<{ ifname: string }>(['link', 'show']).filter((l) => l.ifname.startsWith('osqleft'));
  assert.deepEqual(left, []);
});

test('files named for tests are removed, others stay', { skip: !root }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'osq-leftover-'));
  try {
    writeFileSync(join(dir, 'osq-test-123'), 'x');
    writeFileSync(join(dir, 'keep-me'), 'y');
    removeLeftoverFiles(dir, 'osq-test-');
    assert.equal(existsSync(join(dir, 'osq-test-123')), false);
    assert.equal(existsSync(join(dir, 'keep-me')), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('host files changed by a killed run are put back by the next run', { skip: !root }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'osq-backup-'));
  const changed = join(dir, 'wtmp');
  const created = join(dir, 'utmp');
  try {
    writeFileSync(changed, 'before');
    const first = hostFileBackup(`selftest-${process.pid}`, [changed, created]);
    first.save();
    writeFileSync(changed, 'before and more records');
    writeFileSync(created, 'made by the test');
    // The run is killed here; the next run's backup of the same name restores.
    hostFileBackup(`selftest-${process.pid}`, [changed, created]).restoreLeftover();
    assert.equal(readFileSync(changed, 'utf8'), 'before');
    assert.equal(existsSync(created), false, 'a file that did not exist before is removed');
    assert.equal(existsSync(`/var/tmp/osq-test-backup-selftest-${process.pid}`), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
