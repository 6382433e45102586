// An append-only text file whose append() resolves only once the line is on disk.
//
// Durability policy: lines are written through an O_APPEND descriptor and the descriptor is
// fdatasync'ed before the promises resolve. A completed write(2) alone already survives
// kill -9 of the daemon (the data is in the kernel's page cache); the fdatasync additionally
// makes an acknowledged line survive a power loss or kernel crash, which is what the daemon's
// outbox acknowledgement promises. To keep the cost bounded, appends made while a write is in
// progress are grouped: one write and one fdatasync per group (group commit).
//
// Like osquery (which reopens the file for every line), the file is reopened when it was moved
// or deleted behind our back (external logrotate), and its mode is re-applied on every write.
// A failed write is truncated back so a retried line is not left half written.
import * as fsp from 'node:fs/promises';
import type { Rotator } from './rotate.js';

export interface DurableFileOptions {
  path: string;
  /** Permission bits applied to the file (fchmod) on open and every write. */
  mode: number;
  /** Rotate before a write when the file has reached this many bytes (0 = never). */
  rotateSize: number;
  rotator: Rotator | null;
}

interface Pending {
  text: string;
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class DurableFile {
  private queue: Pending[] = [];
  private worker: Promise<void> | null = null;
  private fh: fsp.FileHandle | null = null;
  private inode = 0;
  private size = 0;

  constructor(private readonly opts: DurableFileOptions) {}

  /** Append `line` + newline; resolves when synced to disk. */
  append(line: string): Promise<void> {
    const text = `${line}\n`;
    return new Promise((resolve, reject) => {
      this.queue.push({ text, bytes: Buffer.byteLength(text), resolve, reject });
      this.worker ??= this.runDrain();
    });
  }

  /**
   * Drain, then look again: a line appended after drain() saw an empty queue but before
   * this worker was cleared found a worker running and started none, so it would wait
   * for the next append (forever, for a caller that appends only after this one resolves).
   */
  private async runDrain(): Promise<void> {
    try {
      await this.drain();
    } finally {
      this.worker = this.queue.length > 0 ? this.runDrain() : null;
    }
  }

  /** Complete a rotation a previous process left half done. */
  async recover(): Promise<void> {
    await this.opts.rotator?.recover();
  }

  /** Create the file (empty) if it does not exist, as osquery's filesystem logger setUp does. */
  async create(): Promise<void> {
    await this.flush();
    await this.ensureOpen();
    await this.fh?.chmod(this.opts.mode);
  }

  /** Wait until every accepted line is written and any compression has finished. */
  async flush(): Promise<void> {
    while (this.worker) await this.worker;
    await this.opts.rotator?.idle();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.closeHandle();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.writeBatch(batch);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        for (const p of batch) p.reject(err);
        await this.closeHandle();
      }
    }
  }

  /**
   * Write a group of lines. A rotation may fall in the middle (osquery checks the size before
   * each line), so lines are committed in segments; each segment's promises resolve once it is
   * synced, and only the lines not yet committed are rejected on failure.
   */
  private async writeBatch(batch: Pending[]): Promise<void> {
    await this.ensureOpen();
    let segment: Pending[] = [];
    let segmentBytes = 0;
    const commit = async (): Promise<void> => {
      if (segment.length === 0) return;
      await this.writeAll(segment.map((p) => p.text).join(''), segmentBytes);
      await this.fh?.datasync();
      await this.fh?.chmod(this.opts.mode); // osquery applies the mode on every write
      const done = segment;
      batch.splice(0, done.length);
      segment = [];
      segmentBytes = 0;
      for (const p of done) p.resolve();
    };
    for (const p of [...batch]) {
      if (this.shouldRotate(this.size + segmentBytes)) {
        await commit();
        await this.rotate();
      }
      segment.push(p);
      segmentBytes += p.bytes;
    }
    await commit();
  }

  private shouldRotate(size: number): boolean {
    const { rotateSize, rotator } = this.opts;
    return rotator !== null && rotateSize > 0 && size >= rotateSize && !rotator.busy;
  }

  private async rotate(): Promise<void> {
    await this.closeHandle();
    await this.opts.rotator?.rotate();
    await this.ensureOpen();
  }

  private async writeAll(text: string, bytes: number): Promise<void> {
    const fh = this.fh as fsp.FileHandle;
    const buf = Buffer.from(text, 'utf8');
    const before = this.size;
    try {
      let off = 0;
      while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
    } catch (e) {
      await fh.truncate(before).catch(() => undefined);
      throw e;
    }
    this.size += bytes;
  }

  /** Open (or reopen when the path now names another file) the live file for appending. */
  private async ensureOpen(): Promise<void> {
    if (this.fh) {
      const onDisk = await fsp.stat(this.opts.path).catch(() => null);
      if (onDisk && onDisk.ino === this.inode) return;
      await this.closeHandle();
    }
    const fh = await fsp.open(this.opts.path, 'a', this.opts.mode);
    const st = await fh.stat();
    if ((st.mode & 0o7777) !== this.opts.mode) await fh.chmod(this.opts.mode);
    this.fh = fh;
    this.inode = st.ino;
    this.size = st.size;
  }

  private async closeHandle(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    await fh?.close().catch(() => undefined);
  }
}
