// The machine's identity as osquery derives it: one place, so system_info.uuid,
// osquery_info.uuid and --host_identifier=uuid always agree.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedState } from './thread/shared-state.js';

/** product_uuid values some firmware ships that identify nothing. */
const FIRMWARE_DUMMY_UUIDS = new Set([
  '00000000-0000-0000-0000-000000000000',
  '03000200-0400-0500-0006-000700080009',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
]);

/** The SMBIOS product UUID when the firmware has a real one, else null. */
export function hardwareUuid(): string | null {
  let hw = '';
  try {
    hw = readFileSync('/sys/class/dmi/id/product_uuid', 'utf8').replaceAll('\0', '').trim();
  } catch {
    return null;
  }
  return hw !== '' && !FIRMWARE_DUMMY_UUIDS.has(hw.toLowerCase()) ? hw.toUpperCase() : null;
}

/** The topic under which the daemon publishes the UUID it keeps in its store. */
export const HOST_UUID_TOPIC = 'host_uuid';

let ephemeral: string | undefined;

/**
 * The host UUID: the hardware one; else the one the daemon generated and keeps in its
 * store (osquery's host_uuid_v3); else, outside the daemon, one random per process.
 */
export function hostUuid(): string {
  const hw = hardwareUuid();
  if (hw) return hw;
  const kept = sharedState<string>(HOST_UUID_TOPIC);
  if (kept) return kept;
  ephemeral ??= randomUUID().toUpperCase();
  return ephemeral;
}
