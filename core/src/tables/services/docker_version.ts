// docker_version: the daemon's GET /version, one row.
import { defineTable, text } from '../framework.js';
import { dockerGet } from './docker_api.js';
import { at, str } from './util.js';

export const dockerVersion = defineTable({
  name: 'docker_version',
  attributes: { cacheable: true },
  columns: {
    version: text({ collate: 'version' }),
    api_version: text({ collate: 'version' }),
    min_api_version: text({ collate: 'version' }),
    git_commit: text(),
    go_version: text({ collate: 'version' }),
    os: text(),
    arch: text(),
    kernel_version: text({ collate: 'version' }),
    build_time: text(),
  },
  generate() {
    const v = dockerGet('/version');
    if (v === null) return [];
    const s = (k: string) => str(at(v, k));
    return [
      {
        version: s('Version'),
        api_version: s('ApiVersion'),
        min_api_version: s('MinAPIVersion'),
        git_commit: s('GitCommit'),
        go_version: s('GoVersion'),
        os: s('Os'),
        arch: s('Arch'),
        kernel_version: s('KernelVersion'),
        build_time: s('BuildTime'),
      },
    ];
  },
});
