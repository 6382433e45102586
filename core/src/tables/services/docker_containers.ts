// docker_containers: containers from GET /containers/json, completed by each
// container's inspect document (GET /containers/<id>/json) and, on Linux, the
// namespace inodes of its main process.

import { childValues, type Json } from '../../lib/json.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { namespaceRow } from '../system/process_namespaces.js';
import { dockerGet, keyValue, listContainers, stripSha } from './docker_api.js';
import { at, boolInt, int, joinList, str } from './util.js';

const linux = { platforms: ['linux' as const] };

/** The columns osquery takes from a container's inspect document. */
function inspectColumns(row: Row, details: Json): void {
  const pid = int(at(details, 'State', 'Pid'), -1);
  row.pid = pid;
  row.started_at = str(at(details, 'State', 'StartedAt'));
  // osquery reports no finish time for a running container.
  row.finished_at = row.state !== 'running' ? str(at(details, 'State', 'FinishedAt')) : '';
  row.privileged = boolInt(at(details, 'HostConfig', 'Privileged'));
  row.readonly_rootfs = boolInt(at(details, 'HostConfig', 'ReadonlyRootfs'));
  row.path = str(at(details, 'Path'));
  row.config_entrypoint = joinList(at(details, 'Config', 'Entrypoint'), ', ');
  row.security_options = joinList(at(details, 'HostConfig', 'SecurityOpt'), ', ');
  row.env_variables = joinList(at(details, 'Config', 'Env'), ', ');
  if (pid !== -1) {
    const ns = namespaceRow(pid);
    delete ns.pid;
    Object.assign(row, ns);
  }
}

export const dockerContainers = defineTable({
  name: 'docker_containers',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    name: text({ index: true }),
    image: text(),
    image_id: text({ collate: 'nocase' }),
    command: text(),
    created: bigint(),
    state: text(),
    status: text(),
    pid: bigint(),
    path: text(),
    config_entrypoint: text(),
    started_at: text(),
    finished_at: text(),
    privileged: integer(),
    security_options: text(),
    env_variables: text(),
    readonly_rootfs: integer(),
    cgroup_namespace: text(linux),
    ipc_namespace: text(linux),
    mnt_namespace: text(linux),
    net_namespace: text(linux),
    pid_namespace: text(linux),
    user_namespace: text(linux),
    uts_namespace: text(linux),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const rows: Row[] = [];
    for (const c of listContainers(ctx, wanted) ?? []) {
      const names = childValues(at(c, 'Names'));
      const row: Row = {
        id: keyValue(c, 'Id', wanted),
        image_id: stripSha(str(at(c, 'ImageID'))),
        image: str(at(c, 'Image')),
        command: str(at(c, 'Command')),
        created: int(at(c, 'Created')),
        state: str(at(c, 'State')),
        status: str(at(c, 'Status')),
      };
      if (names.length > 0) row.name = str(names[0]);
      const details = dockerGet(`/containers/${row.id}/json?stream=false`);
      if (details !== null) inspectColumns(row, details);
      rows.push(row);
    }
    return rows;
  },
});
