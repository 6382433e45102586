// --host_identifier as osquery resolves it: hostname (re-read each time), uuid (the
// hardware UUID, or a generated one kept in the store), instance (a random UUID kept
// in the store), ephemeral (random per process), specified (--specified_identifier).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { BackingStore } from '../database/store.js';
import { getString } from '../flags/flags.js';

const ephemeral = randomUUID();
// Values firmware ships when it has no real UUID.
const PLACEHOLDERS = new Set([
  '03000200-0400-0500-0006-000700080009',
  '00000000-0000-0000-0000-000000000000',
]);

function stored(store: BackingStore, key: string, make: () => string): string {
  const have = store.get('configurations', key);
  if (have) return have;
  const v = make();
  store.put('configurations', key, v);
  return v;
}

export function hostUuid(store: BackingStore): string {
  return stored(store, 'host_uuid_v3', () => {
    try {
      const v = readFileSync('/sys/class/dmi/id/product_uuid', 'utf8').trim().toUpperCase();
      if (v && !PLACEHOLDERS.has(v.toLowerCase())) return v;
    } catch {
      // No DMI (VMs, containers): fall through to a generated one.
    }
    return randomUUID().toUpperCase();
  });
}

export function hostIdentifier(store: BackingStore): string {
  switch (getString('host_identifier')) {
    case 'uuid':
      return hostUuid(store);
    case 'instance':
      return stored(store, 'instance_uuid_v1', () => randomUUID());
    case 'ephemeral':
      return ephemeral;
    case 'specified':
      return getString('specified_identifier') || hostname();
    default:
      return hostname();
  }
}
