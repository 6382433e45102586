// Rules osquery's core applies to registerExtension (the manager applies them in
// osquery's order, docs/extensions.md#checks-the-core-makes): the SDK version gate and how
// uuids are drawn. Which registries exist
// and which names are taken is the registry's (core/src/registry/).

export { versionAtLeast } from '../version.js';

/** The oldest SDK osquery's core accepts. */
export const MIN_SDK_VERSION = '1.7.7';

/** A fresh uuid in 1..65535 not in use, as osquery draws them. */
export function allocateUuid(inUse: (uuid: number) => boolean): number {
  for (let tries = 0; tries < 1_000_000; tries++) {
    const uuid = 1 + Math.floor(Math.random() * 65535);
    if (!inUse(uuid)) return uuid;
  }
  throw new Error('osq: no free extension uuid');
}
