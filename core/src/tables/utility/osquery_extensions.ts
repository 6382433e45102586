import { flags } from '../../flags/index.js';
import { registries } from '../../registry/index.js';
import { OSQUERY_COMPAT_VERSION } from '../../version.js';
import { bigint, defineTable, text } from '../framework.js';

export const osqueryExtensions = defineTable({
  name: 'osquery_extensions',
  attributes: { utility: true },
  columns: {
    uuid: bigint(),
    name: text(),
    version: text({ collate: 'version' }),
    sdk_version: text({ collate: 'version' }),
    path: text(),
    type: text(),
  },
  generate: () => [
    // The core itself is uuid 0, as osquery lists it.
    {
      uuid: 0,
      name: 'core',
      version: OSQUERY_COMPAT_VERSION,
      sdk_version: '0.0.0',
      path: flags.extensions_socket,
      type: 'core',
    },
    // osquery's quirk: the sdk_version column shows the extension's min_sdk_version.
    ...registries().extensions.map((e) => ({
      uuid: e.uuid,
      name: e.name,
      version: e.version,
      sdk_version: e.min_sdk_version,
      path: e.path,
      type: 'extension',
    })),
  ],
});
