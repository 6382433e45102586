import { randomUUID } from 'node:crypto';
import { hostUuid } from '../../host.js';
import { sharedState } from '../../thread/shared-state.js';
import { OSQ_VERSION, OSQUERY_COMPAT_VERSION } from '../../version.js';
import { defineTable, integer, text } from '../framework.js';

/** What the running daemon or shell publishes about itself under the `info` topic. */
export interface InfoState {
  /** The daemon's instance id, kept in its store (osqi has a per-process one). */
  instance_id: string;
  config_hash: string;
  config_valid: number;
  extensions: 'active' | 'inactive';
  watcher: number;
}
export const INFO_TOPIC = 'info';

const startTime = Math.floor(Date.now() / 1000 - process.uptime());
// Persisted per installation once the daemon's store exists; per process until then.
const instanceId = randomUUID();

// osquery's PlatformType bits: POSIX (0x01) | LINUX (0x08).
const LINUX_PLATFORM_MASK = 0x01 | 0x08;

export const osqueryInfo = defineTable({
  name: 'osquery_info',
  attributes: { utility: true },
  columns: {
    pid: integer(),
    uuid: text({ collate: 'nocase' }),
    instance_id: text(),
    version: text({ collate: 'version' }),
    config_hash: text({ collate: 'nocase' }),
    config_valid: integer(),
    extensions: text(),
    build_platform: text(),
    build_distro: text(),
    start_time: integer(),
    watcher: integer(),
    platform_mask: integer(),
  },
  generate: () => [
    {
      config_hash: '',
      config_valid: 0,
      extensions: 'inactive',
      watcher: -1,
      instance_id: instanceId,
      ...sharedState<InfoState>(INFO_TOPIC),
      pid: process.pid,
      uuid: hostUuid(),
      version: OSQUERY_COMPAT_VERSION,
      build_platform: 'linux',
      build_distro: `osq ${OSQ_VERSION}`,
      start_time: startTime,
      platform_mask: LINUX_PLATFORM_MASK,
    },
  ],
});
