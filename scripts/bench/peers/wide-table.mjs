#!/usr/bin/env node
// A benchmark extension on the SDK: `bench_wide`, 10,000 rows x 10 text columns.
import { column, ExtensionServer, runExtension, tablePlugin } from '@osq/sdk';

const COLS = Array.from({ length: 10 }, (_, i) => `c${i}`);
const ROWS = Array.from({ length: 10_000 }, (_, r) =>
  Object.fromEntries(COLS.map((c, i) => [c, `row${r}-col${i}-value`])),
);
const server = new ExtensionServer({ name: 'bench_wide', version: '1.0.0' });
server.add(
  tablePlugin(
    'bench_wide',
    COLS.map((c) => column.text(c)),
    () => ROWS,
  ),
);
await runExtension(server);
