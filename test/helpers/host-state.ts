// What the tests that change machine-wide state leave on the host if a run is killed, and how
// the next run finds and removes it. Each cleaner runs at the start of a test file, while the
// file holds the machine lock (holdMachineLockForFile), so nothing it finds can belong to a
// test that is still running: every creator of such state holds the same lock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Remove the files in `dir` whose names start with `prefix` (tests name theirs so). */
export function removeLeftoverFiles(dir: string, prefix: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
}

/** Names in a colon-separated database (/etc/passwd, /etc/group) that match `pattern`. */
export function namesIn(path: string, pattern: RegExp): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.split(':')[0] ?? '')
    .filter((name) => pattern.test(name));
}

/** Run a command, ignoring its failure (the thing to remove may already be gone). */
export function quiet(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore' });
}

/**
 * Host files a test appends to or rewrites, kept in a backup under /var/tmp until the test puts
 * them back. `restoreLeftover()` at the start of the next run puts back what a killed run left
 * changed; `save()` then records the files as found; `restore()` puts them back.
 */
export function hostFileBackup(name: string, files: string[]) {
  const dir = `/var/tmp/osq-test-backup-${name}`;
  const copyOf = (file: string) => join(dir, file.replaceAll('/', '_'));
  const restore = () => {
    if (!existsSync(dir)) return;
    for (const file of files) {
      const copy = copyOf(file);
      if (!existsSync(copy))
        rmSync(file, { force: true }); // it did not exist before the test
      else if (!existsSync(file)) writeFileSync(file, readFileSync(copy));
      else {
        writeFileSync(file, readFileSync(copy)); // in place: the file keeps owner, mode and inode
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    restoreLeftover: restore,
    save() {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const file of files)
        if (existsSync(file)) writeFileSync(copyOf(file), readFileSync(file), { mode: 0o600 });
    },
    restore,
  };
}
