// Running the real osqd binary against a config in a temp dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OSQD = new URL('../../core/bin/osqd.mjs', import.meta.url).pathname;

export { sleep, until } from '../helpers/wait.ts';

export class DaemonDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'osqd-'));
  readonly config = join(this.dir, 'osquery.conf');
  readonly logs = join(this.dir, 'log');
  readonly db = join(this.dir, 'db');
  readonly pidfile = join(this.dir, 'osqd.pid');
  readonly socket = join(this.dir, 'osquery.em');

  constructor() {
    mkdirSync(this.logs);
  }

  writeConfig(config: unknown): void {
    writeFileSync(this.config, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  }

  args(extra: string[] = []): string[] {
    return [
      `--config_path=${this.config}`,
      `--database_path=${this.db}`,
      `--logger_path=${this.logs}`,
      `--pidfile=${this.pidfile}`,
      `--extensions_socket=${this.socket}`,
      ...extra,
    ];
  }

  start(extra: string[] = []): ChildProcess & { output: () => string } {
    const p = spawn(process.execPath, [OSQD, ...this.args(extra)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    return Object.assign(p, { output: () => out });
  }

  /** Result lines parsed from osqueryd.results.log (or snapshots). */
  lines(file = 'osqueryd.results.log'): Record<string, unknown>[] {
    const path = join(this.logs, file);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  raw(file = 'osqueryd.results.log'): string {
    const path = join(this.logs, file);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }
}

export async function stopDaemon(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null) return p.exitCode;
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  p.kill('SIGTERM');
  return exited;
}
