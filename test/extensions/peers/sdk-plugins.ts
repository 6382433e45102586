// A peer extension built with our SDK (run from its sources through tsx by
// sdk-plugins.mjs): one plugin of each registry osq serves. Its names come from the
// environment so a test can also make it ask for names the core must refuse:
//   PEER_NAME (extension), PEER_TABLE, PEER_CONFIG, PEER_LOGGER, PEER_DISTRIBUTED
//   PEER_LOG   JSON lines of what its logger and distributed plugins receive
import { appendFileSync } from 'node:fs';
import {
  column,
  configPlugin,
  distributedPlugin,
  ExtensionServer,
  loggerPlugin,
  runExtension,
  tablePlugin,
} from '../../../sdk/src/index.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const record = (kind: string, data: unknown) => {
  const file = process.env.PEER_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ kind, data })}\n`);
};

const table = env('PEER_TABLE', 'peer_numbers');
const server = new ExtensionServer({ name: env('PEER_NAME', 'sdk_peer'), version: '1.0.0' });
server.add(
  tablePlugin(table, [column.bigint('n', { index: true }), column.text('label')], () =>
    [1, 2, 3].map((n) => ({ n, label: `peer-${n}` })),
  ),
  // Its config schedules a snapshot of its own table every second.
  configPlugin(env('PEER_CONFIG', 'peer_config'), () => ({
    peer: {
      schedule: { peer_rows: { query: `SELECT n, label FROM ${table}`, interval: 1, snapshot: true } },
    },
  })),
  loggerPlugin(env('PEER_LOGGER', 'peer_logger'), {
    init: (processName) => record('init', processName),
    logString: (text, category) => record('string', { text, category }),
    logSnapshot: (text) => record('snapshot', text),
  }),
  distributedPlugin(env('PEER_DISTRIBUTED', 'peer_distributed'), {
    getQueries: () => ({ queries: { q1: `SELECT count(*) AS n FROM ${table}` } }),
    writeResults: (results) => record('results', results),
  }),
);

await runExtension(server);
