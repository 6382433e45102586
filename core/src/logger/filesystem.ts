// The `filesystem` logger (docs/results-and-logging.md#the-filesystem-logger): result lines appended to
// `<logger_path>/osqueryd.results.log`, snapshot lines to `osqueryd.snapshots.log`, each line
// + '\n' byte for byte; file mode from --logger_mode; optional size rotation with zstd
// (rotate.ts). Its init also moves the status logs into glog files in the same directory.
// It does not want status logs relayed (features().status is false): glog writes them itself.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { flags } from '../flags/index.js';
import { DurableFile } from './durable-file.js';
import type { LoggerFeatures, LoggerPlugin, ProcessName, StatusRecord } from './plugin.js';
import { findExecutable, Rotator } from './rotate.js';
import { type StatusLogger, statusLog } from './status.js';

export const RESULTS_FILENAME = 'osqueryd.results.log';
export const SNAPSHOTS_FILENAME = 'osqueryd.snapshots.log';

/**
 * --logger_mode: an octal string of at most 5 characters, between 1 and 07777
 * (e.g. `0640`, `600`). Throws on anything else.
 */
export function parseLoggerMode(text: string): number {
  const t = text.trim();
  if (t.length === 0 || t.length > 5 || !/^[0-7]+$/.test(t)) {
    throw new Error(`--logger_mode: "${text}" is not an octal mode (e.g. 0640)`);
  }
  const mode = Number.parseInt(t, 8);
  if (mode < 1 || mode > 0o7777) throw new Error(`--logger_mode: "${text}" is out of range (1..07777)`);
  return mode;
}

export interface FilesystemLoggerOptions {
  /** --logger_path */
  path: string;
  /** --logger_mode, parsed */
  mode: number;
  /** --logger_rotate */
  rotate: boolean;
  /** --logger_rotate_size */
  rotateSize: number;
  /** --logger_rotate_max_files */
  rotateMaxFiles: number;
  /** zstd executable (default: found on PATH; null = keep rotations uncompressed). */
  zstd?: string | null;
  /** Status logger whose files move into `path` at init (default: the process-wide one). */
  statusLog?: StatusLogger;
}

/** Options from the flags (--logger_path, --logger_mode, --logger_rotate*). */
export function filesystemOptionsFromFlags(): FilesystemLoggerOptions {
  return {
    path: flags.logger_path,
    mode: parseLoggerMode(flags.logger_mode),
    rotate: flags.logger_rotate,
    rotateSize: flags.logger_rotate_size,
    rotateMaxFiles: flags.logger_rotate_max_files,
  };
}

export class FilesystemLogger implements LoggerPlugin {
  readonly name = 'filesystem';
  private readonly results: DurableFile;
  private readonly snapshots: DurableFile;
  private readonly status: StatusLogger;

  constructor(private readonly opts: FilesystemLoggerOptions) {
    this.status = opts.statusLog ?? statusLog;
    const zstd = opts.zstd === undefined ? findExecutable('zstd') : opts.zstd;
    const file = (name: string): DurableFile => {
      const full = path.join(opts.path, name);
      const rotator = opts.rotate
        ? new Rotator(full, {
            maxFiles: opts.rotateMaxFiles,
            zstd,
            warn: (m) => this.status.warning(m, { file: 'filesystem.ts', line: 0 }),
          })
        : null;
      return new DurableFile({
        path: full,
        mode: opts.mode,
        rotateSize: opts.rotate ? opts.rotateSize : 0,
        rotator,
      });
    };
    this.results = file(RESULTS_FILENAME);
    this.snapshots = file(SNAPSHOTS_FILENAME);
  }

  features(): LoggerFeatures {
    return { status: false, event: false };
  }

  /**
   * Create the results file (empty) and start writing status files in the same directory.
   * Unlike osquery, a missing --logger_path directory is created (0755) instead of failing.
   */
  async init(processName: ProcessName): Promise<void> {
    await fsp.mkdir(this.opts.path, { recursive: true, mode: 0o755 });
    for (const f of [this.results, this.snapshots]) await f.recover();
    await this.results.create();
    this.status.useFiles(this.opts.path, processName);
  }

  logResult(line: string): Promise<void> {
    return this.results.append(line);
  }

  logSnapshot(line: string): Promise<void> {
    return this.snapshots.append(line);
  }

  /** Never relayed (features().status is false): glog files receive status lines directly. */
  async logStatus(_records: StatusRecord[]): Promise<void> {}

  async flush(): Promise<void> {
    await Promise.all([this.results.flush(), this.snapshots.flush()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.results.close(), this.snapshots.close()]);
  }
}
