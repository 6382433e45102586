// The pidfile that keeps a second daemon from starting (osquery's initDaemon): if the
// file names a live osqd/osqueryd process we refuse, or with --force stop it first.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` runs a daemon of ours or osquery's (pids get reused). */
function isDaemon(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /osqd|osqueryd/.test(cmdline);
  } catch {
    return false;
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) && isDaemon(pid)
      ? pid
      : undefined;
  } catch {
    return undefined;
  }
}

/** Take the pidfile; throws a clear error when another daemon holds it. */
export async function acquirePidfile(path: string, force: boolean): Promise<void> {
  let pid = holder(path);
  if (pid !== undefined && force) {
    for (let i = 0; i < 5 && pid !== undefined; i++) {
      process.kill(pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 2000));
      pid = holder(path);
    }
  }
  if (pid !== undefined) {
    throw new Error(`Pidfile ${path} is locked by a running daemon (pid ${pid}); use --force to replace it`);
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
}

export function releasePidfile(path: string): void {
  try {
    if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path, { force: true });
  } catch {
    // Gone already.
  }
}
