// Autoloaded extensions: osquery's extensions.load rules (docs/extensions.md#autoload), the safety checks
// on the binaries, and launching them with execa as osquery's watcher does
// (`--socket P --timeout T --interval I`, each value its own argv element), restarting
// the ones that die and stopping them all on exit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** Why a binary may not be autoloaded, or null when it may (osquery's safePermissions). */
export function unsafeReason(path: string): string | null {
  const uid = process.getuid?.() ?? 0;
  for (const p of [path, dirname(path)]) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch (e) {
      return `cannot stat ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    if (st.uid !== 0 && st.uid !== uid) return `${p} is not owned by root or the current user`;
    if (st.mode & 0o002) return `${p} is writable by anyone`;
  }
  return null;
}

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...filesBelow(p));
    else if (st?.isFile()) out.push(p);
  }
  return out;
}

/**
 * The binaries an autoload file names: one per line (trimmed; blank, `#` and `;`
 * lines skipped); a directory stands for every file below it; names must end in
 * `.ext`. Unsafe binaries are refused (reported through `warn`) unless `allowUnsafe`.
 */
export function readAutoloadFile(file: string, warn: (m: string) => void, allowUnsafe = false): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // osquery: a missing autoload file just means no extensions
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const st = statSync(line, { throwIfNoEntry: false });
    const candidates = st?.isDirectory() ? filesBelow(line) : [line];
    for (const p of candidates) {
      if (!p.endsWith('.ext')) {
        warn(`Extension ${p} is not a .ext file: not loaded`);
        continue;
      }
      const reason = allowUnsafe ? null : unsafeReason(p);
      if (reason) {
        warn(`Will not autoload extension with unsafe directory permissions: ${p} (${reason})`);
        continue;
      }
      out.push(p);
    }
  }
  return out;
}

export interface LaunchOptions {
  socket: string;
  timeout: string;
  interval: string;
  verbose: boolean;
  warn: (m: string) => void;
}

interface Child {
  path: string;
  proc: ResultPromise | undefined;
  lastStart: number;
}

/** Keeps autoloaded extensions running: starts them, restarts dead ones, stops them. */
export class ExtensionLauncher {
  private readonly children: Child[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly opts: LaunchOptions) {}

  launch(path: string): void {
    const child: Child = { path, proc: undefined, lastStart: 0 };
    this.children.push(child);
    this.spawn(child);
    if (!this.timer) {
      // osquery's watcher looks at its extensions every 3 s.
      this.timer = setInterval(() => this.respawnDead(), 3000);
      this.timer.unref();
    }
  }

  private spawn(child: Child): void {
    const args = [
      ...(this.opts.verbose ? ['--verbose'] : []),
      '--socket',
      this.opts.socket,
      '--timeout',
      this.opts.timeout,
      '--interval',
      this.opts.interval,
    ];
    child.lastStart = Date.now();
    // Our own JavaScript extensions run under this Node; anything else is executed as is.
    const script = /\.(mjs|cjs|js)$/.test(child.path);
    const proc = execa(script ? process.execPath : child.path, script ? [child.path, ...args] : args, {
      stdin: 'ignore',
      stdout: ['pipe'],
      stderr: 'inherit',
      reject: false,
    });
    // An extension's stdout must not mix with query results: send it to stderr.
    proc.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
    child.proc = proc;
    void proc.then((r) => {
      if (!this.stopping) this.opts.warn(`Extension ${child.path} exited (${r.exitCode ?? r.signal})`);
      if (child.proc === proc) child.proc = undefined;
    });
  }

  private respawnDead(): void {
    for (const c of this.children) {
      if (c.proc || this.stopping) continue;
      if (Date.now() - c.lastStart < 4000) this.opts.warn(`Extension ${c.path} respawning too quickly`);
      this.spawn(c);
    }
  }

  /** Whether the extension at `path` is currently running. */
  running(path: string): boolean {
    return this.children.some((c) => c.path === path && c.proc !== undefined);
  }

  /** SIGTERM every child, then SIGKILL the ones still alive after `graceMs`. */
  async stopAll(graceMs = 2000): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.all(
      this.children.map(async (c) => {
        const p = c.proc;
        if (!p) return;
        p.kill('SIGTERM');
        const killer = setTimeout(() => p.kill('SIGKILL'), graceMs);
        await p;
        clearTimeout(killer);
      }),
    );
  }
}
