// Thrift over a stream socket (a Unix socket path, or a Windows named pipe `\\.\pipe\...`: Node's
// net treats both the same way). Binary protocol, no framing, as osquery expects
// (docs/extensions.md#the-wire).
//
// Client: one connection, one call in flight at a time (later calls queue), seqid incremented
// per call and checked on the reply. Server: each connection's calls are answered one after the
// other, in order; unknown methods get a TApplicationException; malformed bytes drop the connection.
import net from 'node:net';
import {
  decodeCall,
  decodeReply,
  encodeApplicationException,
  encodeCall,
  encodeReply,
  isMethodName,
} from './codec.js';
import { ApplicationErrorType, ProtocolError, TimeoutError } from './errors.js';
import { type FramerLimits, MessageFramer } from './framer.js';
import type { Call, CallOf, MethodName, ResultOf } from './types.js';

export interface ClientOptions extends FramerLimits {
  /** Give up connecting after this many milliseconds (default: no limit). */
  timeoutMs?: number;
}

interface Pending {
  resolve(reply: Buffer): void;
  reject(err: Error): void;
}

export class ThriftClient {
  private seqid = 0;
  private busy = false;
  private readonly waiting: (() => void)[] = [];
  private pending: Pending | null = null;
  private closed: Error | null = null;
  private readonly framer: MessageFramer;

  private constructor(
    private readonly socket: net.Socket,
    limits: FramerLimits,
  ) {
    this.framer = new MessageFramer(limits);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Connects to a socket path (or named pipe). */
  static connect(path: string, opts: ClientOptions = {}): Promise<ThriftClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      let timer: NodeJS.Timeout | undefined;
      const onError = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(
          () => onError(new TimeoutError(`connecting to ${path} timed out`)),
          opts.timeoutMs,
        );
      }
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        resolve(new ThriftClient(socket, opts));
      });
    });
  }

  /** True once the connection is closed or broken; every later call fails. */
  get isClosed(): boolean {
    return this.closed !== null;
  }

  /**
   * Sends one call and resolves with its result. Calls wait for the previous one to finish.
   * An EXCEPTION reply rejects with ApplicationError. A timeout rejects with TimeoutError and
   * closes the connection (a late reply could not be told apart from the next one).
   */
  call<M extends MethodName>(call: CallOf<M>, timeoutMs?: number): Promise<ResultOf<M>> {
    if (!this.busy) return this.send(call, timeoutMs);
    return new Promise((resolve, reject) => {
      this.waiting.push(() => this.send(call, timeoutMs).then(resolve, reject));
    });
  }

  /** The call in flight has settled: start the next queued one. */
  private next(): void {
    this.busy = false;
    this.waiting.shift()?.();
  }

  /** Closes the connection; queued calls fail. */
  close(): void {
    this.fail(new Error('client closed'));
  }

  private send<M extends MethodName>(call: CallOf<M>, timeoutMs: number | undefined): Promise<ResultOf<M>> {
    if (this.closed) {
      const err = this.closed;
      queueMicrotask(() => this.next()); // fail the queued calls too
      return Promise.reject(err);
    }
    this.busy = true;
    this.seqid = (this.seqid + 1) | 0;
    const seqid = this.seqid;
    const msg = encodeCall(call as Call, seqid);
    return new Promise<ResultOf<M>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => this.fail(new TimeoutError(`${call.method} timed out`)), timeoutMs);
      }
      this.pending = {
        resolve: (reply) => {
          clearTimeout(timer);
          try {
            resolve(decodeReply(call.method, reply, seqid));
          } catch (err) {
            if (err instanceof ProtocolError) this.fail(err);
            reject(err);
          }
          this.next();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
          this.next();
        },
      };
      this.socket.write(msg);
    });
  }

  private onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const msg of messages) {
      const p = this.pending;
      this.pending = null;
      if (!p) {
        this.fail(new ProtocolError('reply without a call'));
        return;
      }
      p.resolve(msg);
    }
  }

  private fail(err: Error): void {
    this.closed ??= err;
    this.socket.destroy();
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }
}

/** Implementations of the methods a server offers; a method left out answers UNKNOWN_METHOD. */
export type Handlers = {
  [M in MethodName]?: (call: CallOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

export interface ServeOptions extends FramerLimits {
  /** Told about dropped connections (ProtocolError) and socket errors. */
  onError?: (err: Error) => void;
}

/** Messages read ahead of the call being answered before the socket is paused. */
const MAX_QUEUED = 16;

/** Serves calls arriving on one accepted connection until it closes. */
export function serveConnection(socket: net.Socket, handlers: Handlers, opts: ServeOptions = {}): void {
  const framer = new MessageFramer(opts);
  const queue: Buffer[] = [];
  let busy = false;

  const drop = (err: Error) => {
    opts.onError?.(err);
    socket.destroy();
  };

  const write = (reply: Buffer) => {
    if (!socket.destroyed) socket.write(reply);
  };

  // Answers queued calls in order. Synchronous handlers are answered without a promise hop;
  // an asynchronous one suspends the loop until it settles.
  const drain = () => {
    while (queue.length > 0 && !socket.destroyed) {
      let reply: Buffer | Promise<Buffer>;
      try {
        reply = dispatch(queue.shift()!, handlers);
      } catch (err) {
        drop(err as Error);
        return;
      }
      if (reply instanceof Promise) {
        busy = true;
        void reply.then((r) => {
          busy = false;
          write(r);
          drain();
        });
        return;
      }
      write(reply);
    }
    if (socket.isPaused()) socket.resume();
  };

  socket.on('data', (chunk: Buffer) => {
    try {
      for (const msg of framer.push(chunk)) queue.push(msg);
    } catch (err) {
      drop(err as Error);
      return;
    }
    if (queue.length >= MAX_QUEUED) socket.pause();
    if (!busy) drain();
  });
  // Peers hang up abruptly (EPIPE, ECONNRESET); nothing to do beyond reporting it.
  socket.on('error', (err) => opts.onError?.(err));
}

/** A server answering with `handlers` on every connection; call `.listen(path)` on it. */
export function createThriftServer(handlers: Handlers, opts: ServeOptions = {}): net.Server {
  return net.createServer((socket) => serveConnection(socket, handlers, opts));
}

/**
 * Decodes and answers one CALL message. Throws ProtocolError only (the connection is then
 * dropped); a handler's failure becomes an INTERNAL_ERROR exception reply.
 */
function dispatch(msg: Buffer, handlers: Handlers): Buffer | Promise<Buffer> {
  const decoded = decodeCall(msg);
  const name = 'unknown' in decoded ? decoded.unknown : decoded.call.method;
  const handler = isMethodName(name) ? (handlers[name] as ((c: Call) => unknown) | undefined) : undefined;
  if (!('call' in decoded) || !handler) {
    return encodeApplicationException(
      name,
      decoded.seqid,
      ApplicationErrorType.UNKNOWN_METHOD,
      `Invalid method name: '${name}'`,
    );
  }
  const { call, seqid } = decoded;
  const failed = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    return encodeApplicationException(call.method, seqid, ApplicationErrorType.INTERNAL_ERROR, message);
  };
  const succeeded = (result: unknown) => {
    try {
      return encodeReply(call.method, seqid, result as never);
    } catch (err) {
      return failed(err); // the handler returned something that does not fit the result type
    }
  };
  let result: unknown;
  try {
    result = handler(call);
  } catch (err) {
    return failed(err);
  }
  if (isThenable(result)) return Promise.resolve(result).then(succeeded, failed);
  return succeeded(result);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
