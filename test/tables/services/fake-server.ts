// Start/stop fake-api-server.cjs in a child process for a test file.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./fake-api-server.cjs', import.meta.url));

export interface FakeServer {
  /** TCP port on 127.0.0.1 (0 when listening on a Unix socket). */
  port: number;
  /** The server process's pid. */
  pid: number;
  /** The requests the server has seen so far (fetched asynchronously). */
  requests(): Promise<{ method: string; url: string; headers: Record<string, string>; body: string }[]>;
  stop(): void;
}

export async function startFakeServer(routesFile: string, socketPath?: string): Promise<FakeServer> {
  const args = [SCRIPT, routesFile, ...(socketPath ? [socketPath] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const hello = await new Promise<{ port?: number }>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
  });
  const port = hello.port ?? 0;
  return {
    port,
    pid: child.pid ?? 0,
    async requests() {
      const { request } = await import('node:http');
      return new Promise((resolve, reject) => {
        const r = request(
          socketPath ? { socketPath, path: '/__requests' } : { host: '127.0.0.1', port, path: '/__requests' },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () => resolve(JSON.parse(body)));
          },
        );
        r.on('error', reject);
        r.end();
      });
    },
    stop() {
      child.kill();
    },
  };
}
