// carves: the file carves the daemon's carver knows about (osquery keeps them in
// its database's `carves` domain). `WHERE carve = 1 AND path ...` (= or LIKE)
// additionally starts a carve of those paths unless --disable_carver (the default).
//
// The store belongs to the daemon: it installs one with setCarveStore(). Until a
// store is installed (osqi, or a daemon that never carved) the table has no rows.
import { flags } from '../../flags/index.js';
import { constrainedPaths } from '../files/util.js';
import { bigint, defineTable, integer, Op, type QueryContext, type Row, text } from '../framework.js';

/** One carve as the carver records it. */
export interface CarveRecord {
  time: number;
  sha256: string;
  size: number;
  path: string;
  status: string;
  carve_guid: string;
  request_id: string;
}

export interface CarveStore {
  /** Every carve still on record. */
  list(): CarveRecord[];
  /** Start carving `paths` (a tar of them is sent to the carver endpoints). */
  start(paths: string[]): void;
}

let store: CarveStore | undefined;

/** Install (or remove, with undefined) the daemon's carve store. */
export function setCarveStore(s: CarveStore | undefined): void {
  store = s;
}

function generate(ctx: QueryContext): Row[] {
  if (!store) return [];
  const paths = constrainedPaths(ctx.equals('path'), ctx.valuesFor('path', Op.LIKE), 'all');
  const wantsCarve = ctx.integerEquals('carve').length > 0;
  if (wantsCarve && paths.length > 0 && !flags.disable_carver) store.start(paths);
  // Listed rows are records, not requests: carve is always 0 in them.
  return store.list().map((c) => ({ ...c, carve: 0 }));
}

export const carves = defineTable({
  name: 'carves',
  columns: {
    time: bigint(),
    sha256: text({ collate: 'nocase' }),
    size: bigint(),
    path: text({ additional: true }),
    status: text(),
    carve_guid: text({ index: true, collate: 'nocase' }),
    request_id: text(),
    carve: integer({ additional: true }),
  },
  generate,
});
