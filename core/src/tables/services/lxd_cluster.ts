// lxd_cluster: the cluster settings of this server (GET /1.0/cluster). osquery
// writes every member_config entry into the same row, so the last one shows.

import { childValues } from '../../lib/json.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { lxdGet, needBool, needStr, orSkip } from './lxd_api.js';
import { at, str } from './util.js';

export const lxdCluster = defineTable({
  name: 'lxd_cluster',
  columns: {
    server_name: text(),
    enabled: integer(),
    member_config_entity: text(),
    member_config_name: text(),
    member_config_key: text(),
    member_config_value: text(),
    member_config_description: text(),
  },
  generate() {
    const m = lxdGet('/1.0/cluster');
    if (m === null) return [];
    const row = orSkip('cluster', () => {
      const r: Row = { server_name: needStr(m, 'server_name'), enabled: needBool(m, 'enabled') };
      for (const c of childValues(at(m, 'member_config'))) {
        r.member_config_entity = needStr(c, 'entity');
        r.member_config_name = needStr(c, 'name');
        r.member_config_key = needStr(c, 'key');
        r.member_config_value = str(at(c, 'value'));
        r.member_config_description = needStr(c, 'description');
      }
      return r;
    });
    return row ? [row] : [];
  },
});
