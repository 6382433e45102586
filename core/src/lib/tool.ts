// Running a command-line tool the way a table uses one: synchronously (generators
// are synchronous), stdin closed, stderr dropped, and any failure (the tool is
// missing, exits non-zero, is killed by its timeout, or prints more than maxBuffer)
// is null: the table then has no value rather than failing the query.
import { execFileSync } from 'node:child_process';

export interface ToolOptions {
  /** Kill the tool after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  /** Most bytes of stdout accepted (default 64 MiB). */
  maxBuffer?: number;
  /** Run with LC_ALL=C, for tools whose output is parsed and could be translated. */
  cLocale?: boolean;
}

/** stdout of `cmd args` as bytes, or null when it cannot run or fails. */
export function runTool(cmd: string, args: readonly string[], options: ToolOptions = {}): Buffer | null {
  try {
    return execFileSync(cmd, args, {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      ...(options.cLocale ? { env: { ...process.env, LC_ALL: 'C' } } : {}),
    });
  } catch {
    return null;
  }
}

/** stdout of `cmd args` as UTF-8 text, or null when it cannot run or fails. */
export function runToolText(cmd: string, args: readonly string[], options: ToolOptions = {}): string | null {
  return runTool(cmd, args, options)?.toString('utf8') ?? null;
}
