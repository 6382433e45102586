// HTTP for table generators: requests over TCP or a Unix socket (the Docker and LXD
// APIs), run on the sync bridge's executor so generators can stay synchronous.
// Every request has a short timeout and a size bound: a missing service must cost a
// table little and never hang a query.
import { request as httpGet } from 'node:http';
import { request as httpsGet } from 'node:https';
import { runSync } from '../thread/sync-bridge.js';

export interface HttpRequest {
  /** `http(s)://host:port/path`, or a path when `socketPath` is given. */
  url: string;
  socketPath?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Responses larger than this fail (default 64 MiB). */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 3000;

/** Perform the request asynchronously (runs on the executor thread). */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const timeout = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const max = req.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const url = req.socketPath ? new URL(req.url, 'http://localhost') : new URL(req.url);
    const tls = !req.socketPath && url.protocol === 'https:';
    const r = (tls ? httpsGet : httpGet)(
      {
        method: req.method ?? 'GET',
        socketPath: req.socketPath,
        host: req.socketPath ? 'localhost' : url.hostname,
        port: req.socketPath ? undefined : url.port || (tls ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: req.headers,
        timeout,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) {
            r.destroy(new Error(`response larger than ${max} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timed out after ${timeout} ms`)));
    r.on('error', (e) => reject(new Error(`${req.socketPath ?? url.host}: ${e.message}`)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** The same request, from a synchronous generator: blocks until the reply or the timeout. */
export function httpRequestSync(req: HttpRequest): HttpResponse {
  // The bridge's own bound leaves the request's timeout room to fire first.
  return runSync<HttpResponse>({ kind: 'http', payload: req }, (req.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 1000);
}
