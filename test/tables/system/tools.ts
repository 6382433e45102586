// Helpers for the system table tests: run an independent tool and read its output.
import { execFileSync, spawnSync } from 'node:child_process';

/** stdout of a command (throws if it fails). */
export function run(cmd: string, args: string[] = []): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** stdout of a shell snippet. */
export function sh(script: string): string {
  return run('sh', ['-c', script]);
}

/** True if `cmd` can be found on PATH. */
export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Wait until `check` holds (a freshly spawned child needs a moment to exec). */
export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
