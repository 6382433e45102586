// docker_container_envs: Config.Env of each container's inspect document, split
// at the first "=".

import { childValues } from '../../lib/json.js';
import { defineTable, type Row, text } from '../framework.js';
import { dockerGet, keyValue, listContainers } from './docker_api.js';
import { at, str } from './util.js';

export const dockerContainerEnvs = defineTable({
  name: 'docker_container_envs',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    key: text(),
    value: text(),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const rows: Row[] = [];
    for (const c of listContainers(ctx, wanted) ?? []) {
      const id = keyValue(c, 'Id', wanted);
      const details = dockerGet(`/containers/${id}/json?stream=false`);
      for (const env of childValues(at(details ?? undefined, 'Config', 'Env'))) {
        const text = str(env);
        const eq = text.indexOf('=');
        // Without "=", osquery's substr gives the whole text for both key and value.
        rows.push({ id, key: eq < 0 ? text : text.slice(0, eq), value: text.slice(eq + 1) });
      }
    }
    return rows;
  },
});
