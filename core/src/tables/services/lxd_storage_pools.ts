// lxd_storage_pools: each storage pool (GET /1.0/storage-pools, then each URL) with
// its space and inode usage from <url>/resources.
import { bigint, defineTable, type Row, text } from '../framework.js';
import { lxdGet, lxdList, needInt, needStr, orSkip } from './lxd_api.js';
import { at, str } from './util.js';

function poolRow(url: string): Row | null {
  const m = lxdGet(url);
  if (m === null) return null;
  const row = orSkip(`storage pool ${url}`, () => {
    if (at(m, 'config') === undefined) needStr(m, 'config');
    return {
      name: needStr(m, 'name'),
      driver: needStr(m, 'driver'),
      source: str(at(m, 'config', 'source')),
      size: str(at(m, 'config', 'size')),
    };
  }) as Row | null;
  if (row === null) return null;
  const res = lxdGet(`${url}/resources`);
  if (res !== null) {
    const usage = orSkip(`storage pool resources ${url}`, () => ({
      space_used: needInt(res, 'space', 'used'),
      space_total: needInt(res, 'space', 'total'),
      inodes_used: needInt(res, 'inodes', 'used'),
      inodes_total: needInt(res, 'inodes', 'total'),
    }));
    if (usage) Object.assign(row, usage);
  }
  return row;
}

export const lxdStoragePools = defineTable({
  name: 'lxd_storage_pools',
  columns: {
    name: text(),
    driver: text(),
    source: text(),
    size: text(),
    space_used: bigint(),
    space_total: bigint(),
    inodes_used: bigint(),
    inodes_total: bigint(),
  },
  generate() {
    return lxdList('/1.0/storage-pools')
      .map(poolRow)
      .filter((r): r is Row => r !== null);
  },
});
