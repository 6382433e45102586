// lxd_instances: each instance (GET /1.0/containers, then each URL), completed by its
// image metadata (<url>/metadata) and runtime state (<url>/state).
import { defineTable, integer, type Row, text } from '../framework.js';
import { lxdGet, lxdList, needBool, needInt, needStr, orSkip } from './lxd_api.js';

function addMetadata(url: string, row: Row): void {
  const meta = lxdGet(`${url}/metadata`);
  if (meta === null) return;
  // All three or none, as osquery sets them in one go.
  const props = orSkip(`instance metadata ${url}`, () => ({
    description: needStr(meta, 'properties', 'description'),
    os: needStr(meta, 'properties', 'os'),
    architecture: needStr(meta, 'properties', 'architecture'),
  }));
  if (props) Object.assign(row, props);
}

function addState(url: string, row: Row): void {
  const state = lxdGet(`${url}/state`);
  if (state === null) return;
  const s = orSkip(`instance state ${url}`, () => ({
    pid: needInt(state, 'pid'),
    processes: needInt(state, 'processes'),
  }));
  if (s) Object.assign(row, s);
}

function instanceRow(url: string): Row | null {
  const meta = lxdGet(url);
  if (meta === null) return null;
  const row = orSkip(`instance ${url}`, () => ({
    name: needStr(meta, 'name'),
    status: needStr(meta, 'status'),
    stateful: needBool(meta, 'stateful'),
    ephemeral: needBool(meta, 'ephemeral'),
    created_at: needStr(meta, 'created_at'),
    base_image: needStr(meta, 'config', 'volatile.base_image'),
  })) as Row | null;
  if (row === null) return null;
  addMetadata(url, row);
  addState(url, row);
  return row;
}

export const lxdInstances = defineTable({
  name: 'lxd_instances',
  columns: {
    name: text({ index: true }),
    status: text(),
    stateful: integer(),
    ephemeral: integer(),
    created_at: text(),
    base_image: text(),
    architecture: text(),
    os: text(),
    description: text(),
    pid: integer(),
    processes: integer(),
  },
  generate(ctx) {
    // osquery uses /1.0/containers (not /instances) for older LXD servers.
    const names = ctx.equals('name');
    const urls = names.length > 0 ? names.map((n) => `/1.0/containers/${n}`) : lxdList('/1.0/containers');
    return urls.map(instanceRow).filter((r): r is Row => r !== null);
  },
});
