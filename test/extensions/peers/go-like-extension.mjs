#!/usr/bin/env node
// A peer that behaves like an osquery-go extension, written on the bare wire layer
// (@osq/idl) rather than our SDK: empty sdk_version, the four registries always sent,
// one long-lived connection to the manager for registration and pings, then a server
// on <socket>.<uuid> that serves one table, $PEER_TABLE or `go_numbers` (n INTEGER,
// label TEXT, big BIGINT). Each generate call is appended as JSON to $PEER_LOG, so tests can see
// the context the core sent. Options: --socket P --timeout N --interval N;
// env PEER_NAME, PEER_HANG=1 (generate never answers), PEER_QUERY_SQL (generate runs
// this SQL on the core first and returns its first value as `label`).
import { appendFileSync, rmSync } from 'node:fs';
import { createThriftServer, ThriftClient } from '@osq/idl';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const socket = arg('socket', '/var/osquery/osquery.em');
const interval = Number(arg('interval', '1')) * 1000;
const name = process.env.PEER_NAME ?? 'go_like';
const tableName = process.env.PEER_TABLE ?? 'go_numbers';

const registry = {
  table: {
    [tableName]: [
      { id: 'column', name: 'n', type: 'INTEGER', op: '0' },
      { id: 'column', name: 'label', type: 'TEXT', op: '0' },
      { id: 'column', name: 'big', type: 'BIGINT', op: '0' },
    ],
  },
  config: {},
  logger: {},
  distributed: {},
};

let manager;
for (let i = 0; ; i++) {
  try {
    manager = await ThriftClient.connect(socket, { timeoutMs: 1000 });
    break;
  } catch (e) {
    if (i > 100) throw e;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const status = await manager.call({
  method: 'registerExtension',
  info: { name, version: '1.0.0', sdk_version: '', min_sdk_version: '' },
  registry,
});
if (status.code !== 0) {
  process.stderr.write(`registration refused: ${status.message}\n`);
  process.exit(2);
}
const uuid = status.uuid;
const path = `${socket}.${uuid}`;
rmSync(path, { force: true });

const server = createThriftServer({
  ping: () => ({ code: 0, message: 'OK', uuid: 0 }),
  shutdown: () => {
    setTimeout(() => process.exit(0), 10);
  },
  call: async ({ registry: reg, item, request }) => {
    if (reg !== 'table' || item !== tableName) {
      return { status: { code: 1, message: 'unknown plugin', uuid: 0 }, response: [] };
    }
    if (request.action === 'columns')
      return { status: { code: 0, message: 'OK', uuid: 0 }, response: registry.table[tableName] };
    if (process.env.PEER_LOG) appendFileSync(process.env.PEER_LOG, `${request.context ?? '{}'}\n`);
    if (process.env.PEER_HANG === '1') return new Promise(() => {});
    let label = 'n';
    if (process.env.PEER_QUERY_SQL) {
      const c = await ThriftClient.connect(socket, { timeoutMs: 2000 });
      const r = await c.call({ method: 'query', sql: process.env.PEER_QUERY_SQL }, 5000);
      c.close();
      label = Object.values(r.response[0] ?? {})[0] ?? 'none';
    }
    const rows = [];
    for (let n = 1; n <= 5; n++) rows.push({ n: String(n), label: `${label}${n}`, big: String(2 ** 40 * n) });
    // osquery's parsing of integer cells: hex and octal, trailing garbage ignored.
    rows.push({ n: '0x10', label: 'hex', big: '010' }, { n: '7abc', label: 'garbage' });
    return { status: { code: 0, message: 'OK', uuid: 0 }, response: rows };
  },
});
server.listen(path);

// osquery-go pings the manager on its registration connection and stops when it fails.
setInterval(async () => {
  try {
    const s = await manager.call({ method: 'ping' }, 1000);
    if (s.code !== 0) process.exit(3);
  } catch {
    process.exit(0);
  }
}, interval);
process.on('SIGTERM', () => process.exit(0));
