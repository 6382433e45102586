// lxd_cluster_members: each cluster member (GET /1.0/cluster/members, then each URL).
import { defineTable, integer, type Row, text } from '../framework.js';
import { lxdGet, lxdList, needBool, needStr, orSkip } from './lxd_api.js';

export const lxdClusterMembers = defineTable({
  name: 'lxd_cluster_members',
  columns: {
    server_name: text(),
    url: text(),
    database: integer(),
    status: text(),
    message: text(),
  },
  generate() {
    const rows: Row[] = [];
    for (const url of lxdList('/1.0/cluster/members')) {
      const m = lxdGet(url);
      if (m === null) continue;
      const row = orSkip(`cluster member ${url}`, () => ({
        server_name: needStr(m, 'server_name'),
        url: needStr(m, 'url'),
        database: needBool(m, 'database'),
        status: needStr(m, 'status'),
        message: needStr(m, 'message'),
      }));
      if (row) rows.push(row);
    }
    return rows;
  },
});
