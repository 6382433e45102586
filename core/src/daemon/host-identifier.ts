// --host_identifier as osquery resolves it: hostname (re-read each time), uuid (the
// hardware UUID, or a generated one kept in the store), instance (a random UUID kept
// in the store), ephemeral (random per process), specified (--specified_identifier).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { BackingStore } from '../database/store.js';
import { flags } from '../flags/index.js';
import { hardwareUuid } from '../host.js';

const ephemeral = randomUUID();

function stored(store: BackingStore, key: string, make: () => string): string {
  const have = store.get('configurations', key);
  if (have) return have;
  const v = make();
  store.put('configurations', key, v);
  return v;
}

/** The hardware UUID, or a generated one kept in the store (osquery's host_uuid_v3). */
export function hostUuid(store: BackingStore): string {
  return hardwareUuid() ?? stored(store, 'host_uuid_v3', () => randomUUID().toUpperCase());
}

/** This installation's instance id (osquery's instance_uuid_v1), kept in the store. */
export function instanceId(store: BackingStore): string {
  return stored(store, 'instance_uuid_v1', () => randomUUID());
}

export function hostIdentifier(store: BackingStore): string {
  switch (flags.host_identifier) {
    case 'uuid':
      return hostUuid(store);
    case 'instance':
      return instanceId(store);
    case 'ephemeral':
      return ephemeral;
    case 'specified':
      return flags.specified_identifier || hostname();
    default:
      return hostname();
  }
}
