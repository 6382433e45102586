// The one cross-process lock held by every test that changes machine-wide state (users and
// groups, network links, iptables, sysctls, audit status and rules, files under /etc, packages).
// Test files run two at a time, and other checkouts may run their suites on the same host, so
// such tests take turns.
//
// The lock is flock(1) (util-linux) on MACHINE_LOCK_PATH, held by a child process for as long as
// its stdin stays open. If the test process dies, the pipe closes, the child exits and the
// lock is released by the kernel: a crashed run never leaves the lock held.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

export const MACHINE_LOCK_PATH = '/tmp/osq-tests-machine-state.lock';

/** How long a test waits for its turn before failing with a clear message. */
const WAIT_MS = 15 * 60 * 1000;

export interface MachineLock {
  release(): Promise<void>;
}

/**
 * Wait for the machine-wide lock; call release() in `finally`. With `untilExit`, the lock is
 * also let go when this process exits, and does not keep the process alive.
 */
export function acquireMachineLock(opts: { untilExit?: boolean } = {}): Promise<MachineLock> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      'flock',
      ['-x', '-w', String(WAIT_MS / 1000), MACHINE_LOCK_PATH, 'sh', '-c', 'echo held; exec cat >/dev/null'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let held = false;
    child.stdout?.once('data', () => {
      held = true;
      if (opts.untilExit) {
        child.unref();
        for (const s of [child.stdin, child.stdout]) (s as Socket | null)?.unref();
      }
      resolve({
        release: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.stdin?.end();
          }),
      });
    });
    child.once('error', (e) => reject(new Error(`machine lock: cannot run flock: ${e.message}`)));
    child.once('exit', (code) => {
      if (!held) reject(new Error(`machine lock: ${MACHINE_LOCK_PATH} not acquired (flock exit ${code})`));
    });
  });
}

/** Run `fn` holding the machine-wide lock. */
export async function withMachineLock<T>(fn: () => T | Promise<T>): Promise<T> {
  const lock = await acquireMachineLock();
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * For a test file that changes machine-wide state: `await` it at the top of the file, before
 * any test or hook is declared. It waits for the lock, runs `removeLeftovers` (what a killed
 * earlier run left behind) and holds the lock until the file's process exits, so the file's own
 * after() hooks restore the host first. Node's test runner runs each file in its own process.
 * (Not a before() hook: Node 20 starts a file's root-level before hooks without waiting for
 * the one before, so a hook could not keep the file's own setup behind the lock.)
 */
export async function holdMachineLockForFile(removeLeftovers?: () => void): Promise<void> {
  await acquireMachineLock({ untilExit: true });
  removeLeftovers?.();
}
