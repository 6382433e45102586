// Size-based rotation of the results/snapshots files, with osquery's naming
// (docs/results-and-logging.md#the-filesystem-logger, osquery `LogRotate`):
//   file → file.1 (uncompressed) → file.2.zst → file.3.zst → … ; numbers > max_files deleted.
//
// osquery compresses file.1 into file.2.zst synchronously while holding the writer lock. Here
// the renames are done at once and the compression runs in a `zstd` child process
// (Debian package `zstd`; Node 20's zlib has no zstd) while logging continues:
//   file.1 → file.2.tmp, zstd file.2.tmp → file.2.zst.tmp, then rename to file.2.zst.
// While a compression is running the next rotation is deferred (the file may briefly grow past
// --logger_rotate_size), so the numbering never shifts under the child process.
// Without zstd, rotations stay uncompressed (file.2, file.3, …) and one warning is logged.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

export interface RotatorOptions {
  /** Keep rotations numbered 1..maxFiles (--logger_rotate_max_files). */
  maxFiles: number;
  /** Path of the zstd executable, or null to keep rotations uncompressed. */
  zstd: string | null;
  /** Status warning sink (statusLog.warning in the daemon). */
  warn: (message: string) => void;
}

/** Find an executable on PATH (synchronously, once per logger). */
export function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function removeIfPresent(p: string): Promise<void> {
  await fsp.rm(p, { force: true });
}

/** Run `zstd -q -f -o dst src`; resolves with an error text, or null on success. */
function runZstd(
  zstd: string,
  src: string,
  dst: string,
): Promise<{ missing: boolean; error: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(zstd, ['-q', '-f', '-o', dst, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ missing: e.code === 'ENOENT', error: e.message }),
    );
    child.on('close', (code) =>
      resolve({ missing: false, error: code === 0 ? null : `zstd exited ${code}: ${stderr.trim()}` }),
    );
  });
}

export class Rotator {
  private compressing: Promise<void> | null = null;
  private warnedMissing = false;
  private zstd: string | null;

  constructor(
    private readonly file: string,
    private readonly opts: RotatorOptions,
  ) {
    this.zstd = opts.zstd;
  }

  /** A compression is still running: rotation must wait. */
  get busy(): boolean {
    return this.compressing !== null;
  }

  /** Resolves when no compression is running. */
  async idle(): Promise<void> {
    while (this.compressing) await this.compressing;
  }

  /** Finish what a previous process left half done (crash during a compression). */
  async recover(): Promise<void> {
    await removeIfPresent(this.compressedTmp());
    const pending = this.pendingPath();
    if (!(await exists(pending))) return;
    if (await exists(this.slotPath(2, true))) {
      // The compressed copy was complete; only the source removal was missed.
      await removeIfPresent(pending);
      return;
    }
    this.startCompression();
  }

  /**
   * Rotate now: shift numbered files up, move the live file to file.1. The caller has closed
   * (or will reopen) its handle on the live file and must not call this while busy.
   */
  async rotate(): Promise<void> {
    if (!(await exists(this.file))) return;
    let highest = 0;
    while (await this.existingSlot(highest + 1)) highest++;

    // Shift file.k[.zst] → file.(k+1)[.zst] from the top down; drop what passes max_files.
    for (let k = highest; k >= 2; k--) {
      const src = (await this.existingSlot(k)) as string;
      if (k + 1 > this.opts.maxFiles) await removeIfPresent(src);
      else await fsp.rename(src, this.slotPath(k + 1, src.endsWith('.zst')));
    }
    if (highest >= 1) {
      const first = (await this.existingSlot(1)) as string;
      if (this.opts.maxFiles < 2) await removeIfPresent(first);
      else if (this.zstd) {
        await fsp.rename(first, this.pendingPath());
        this.startCompression();
      } else {
        this.warnMissingOnce();
        await fsp.rename(first, this.slotPath(2, false));
      }
    }
    await fsp.rename(this.file, this.slotPath(1, false));
  }

  private startCompression(): void {
    this.compressing = this.compress().finally(() => {
      this.compressing = null;
    });
  }

  private async compress(): Promise<void> {
    const src = this.pendingPath();
    const tmp = this.compressedTmp();
    const result = this.zstd
      ? await runZstd(this.zstd, src, tmp)
      : { missing: true, error: 'zstd not found' };
    try {
      if (result.error === null) {
        await fsp.rename(tmp, this.slotPath(2, true));
        await removeIfPresent(src);
        return;
      }
      if (result.missing) {
        this.zstd = null;
        this.warnMissingOnce();
      } else {
        this.opts.warn(`Cannot compress rotated log ${src}: ${result.error}`);
      }
      await removeIfPresent(tmp);
      await fsp.rename(src, this.slotPath(2, false));
    } catch (e) {
      this.opts.warn(`Cannot finish rotation of ${this.file}: ${(e as Error).message}`);
    }
  }

  private warnMissingOnce(): void {
    if (this.warnedMissing) return;
    this.warnedMissing = true;
    this.opts.warn('zstd is not installed: rotated result logs are kept uncompressed');
  }

  private slotPath(k: number, compressed: boolean): string {
    return `${this.file}.${k}${compressed ? '.zst' : ''}`;
  }

  /** Rotation number k as it exists on disk (compressed or not), or null. */
  private async existingSlot(k: number): Promise<string | null> {
    for (const compressed of [true, false]) {
      const p = this.slotPath(k, compressed);
      if (await exists(p)) return p;
    }
    return null;
  }

  private pendingPath(): string {
    return `${this.file}.2.tmp`;
  }

  private compressedTmp(): string {
    return `${this.file}.2.zst.tmp`;
  }
}
