// The status files glog keeps in --logger_path once the filesystem logger is initialised
// (docs/results-and-logging.md#glog-files): `<name>.INFO.<YYYYMMDD-HHMMSS>.<pid>` receives every line,
// `.WARNING.` lines of severity >= WARNING, `.ERROR.` >= ERROR, `.FATAL.` FATAL only.
// Each file is created on its first line, starts with glog's 4-line header, and has a
// relative symlink `<name>.INFO` (etc.) pointing at it. A file reaching 10 MiB is closed and
// the next line opens a new one (glog's max_log_size=10 that osquery sets).
//
// Writes are synchronous on purpose: status lines are rare, must keep their order, and must be
// on disk before a fatal exit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { glogFileHeader, glogFileName, glogLinkName } from './glog.js';
import type { Severity } from './plugin.js';

export const GLOG_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface GlogFilesOptions {
  dir: string;
  processName: string;
  pid: number;
  hostname: string;
  /** When the process started, for the header's "Running duration". */
  processStartMs: number;
  /** File size that starts a new file (default 10 MiB). */
  maxBytes?: number;
  /** glog's default file mode (0664, before the umask). */
  mode?: number;
}

interface OpenFile {
  fd: number;
  size: number;
}

export class GlogFiles {
  private readonly files: (OpenFile | null)[] = [null, null, null, null];

  constructor(private readonly opts: GlogFilesOptions) {}

  /** Append one formatted line to every file whose severity threshold it meets. */
  write(severity: Severity, text: string, nowMs: number): void {
    const bytes = Buffer.from(text, 'utf8');
    for (let s = 0; s <= severity; s++) {
      const file = this.fileFor(s as Severity, nowMs);
      if (!file) continue;
      try {
        fs.writeSync(file.fd, bytes);
        file.size += bytes.length;
      } catch {
        // A full or vanished disk must not break the daemon; glog drops the line too.
      }
    }
  }

  close(): void {
    for (let s = 0; s < this.files.length; s++) {
      const f = this.files[s];
      if (f) fs.closeSync(f.fd);
      this.files[s] = null;
    }
  }

  private fileFor(severity: Severity, nowMs: number): OpenFile | null {
    const current = this.files[severity];
    if (current && current.size < (this.opts.maxBytes ?? GLOG_MAX_FILE_BYTES)) return current;
    if (current) fs.closeSync(current.fd);
    this.files[severity] = null;
    try {
      this.files[severity] = this.create(severity, nowMs);
    } catch {
      // Cannot create the file: this severity's lines are dropped until the next attempt.
    }
    return this.files[severity];
  }

  private create(severity: Severity, nowMs: number): OpenFile {
    const { dir, processName, pid } = this.opts;
    const name = glogFileName(processName, severity, nowMs, pid);
    const fd = fs.openSync(path.join(dir, name), 'a', this.opts.mode ?? 0o664);
    let size = fs.fstatSync(fd).size;
    if (size === 0) {
      const header = Buffer.from(glogFileHeader(nowMs, this.opts.hostname, this.opts.processStartMs));
      fs.writeSync(fd, header);
      size = header.length;
    }
    const link = path.join(dir, glogLinkName(processName, severity));
    try {
      fs.unlinkSync(link);
    } catch {
      // No previous link.
    }
    try {
      fs.symlinkSync(name, link);
    } catch {
      // glog ignores a failed symlink as well.
    }
    return { fd, size };
  }
}
