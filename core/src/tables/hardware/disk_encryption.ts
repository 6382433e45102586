// disk_encryption: the dm-crypt status of every block device. A device-mapper
// device is encrypted when its dm uuid carries cryptsetup's "CRYPT-<TYPE>-" prefix
// (/sys/block/dm-N/dm/uuid); the cipher and mode come from its table line
// (`dmsetup table`, "crypt <cipher>-<mode> ..."), giving osquery's
// "<TYPE>-<cipher>-<mode>" type. A partition of an encrypted device inherits it.
// As in osquery, only root sees rows. OSQ_SYSFS_ROOT points the table at a fixture.

import { runToolText } from '../../lib/tool.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { blockDeviceRows, listBlockDevices } from './block_devices.js';
import { sysAttr } from './util.js';

/** "aes-xts-plain64" -> ["aes", "xts-plain64"]; "capi:..." forms keep the whole spec. */
export function splitCipher(spec: string): [string, string] {
  const at = spec.indexOf('-');
  return at < 0 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)];
}

/** The cipher spec of an active crypt mapping, from `dmsetup table` (null when unknown). */
function cipherOf(dmName: string): string | null {
  const fixture = process.env.OSQ_DM_TABLE_DIR;
  const table = fixture
    ? sysAttr(`${fixture}/${dmName}`)
    : runToolText('dmsetup', ['table', dmName], { timeoutMs: 5000, cLocale: true });
  const m = /\bcrypt\s+(\S+)/.exec(table ?? '');
  return m ? m[1]! : null;
}

/** The encryption type of a dm device, or null when it is not dm-crypt. */
export function cryptType(syspath: string): string | null {
  const uuid = sysAttr(`${syspath}/dm/uuid`);
  const m = /^CRYPT-([^-]+)-/.exec(uuid ?? '');
  if (!m) return null;
  const items = [m[1]!];
  const name = sysAttr(`${syspath}/dm/name`);
  const spec = name !== null ? cipherOf(name) : null;
  if (spec !== null) items.push(...splitCipher(spec).filter((s) => s !== ''));
  return items.join('-');
}

export const diskEncryption = defineTable({
  name: 'disk_encryption',
  columns: {
    name: text({ index: true }),
    uuid: text({ collate: 'nocase' }),
    encrypted: integer(),
    type: text(),
    encryption_status: text(),
    uid: text({ platforms: ['darwin'] }),
    user_uuid: text({ collate: 'nocase', platforms: ['darwin'] }),
    filevault_status: text({ platforms: ['darwin'] }),
  },
  generate(ctx) {
    if (process.getuid?.() !== 0 && !process.env.OSQ_SYSFS_ROOT) return [];
    const syspathOf = new Map(listBlockDevices().map((d) => [d.devnode, d.syspath]));
    const names = ctx.equals('name');
    const devices: Row[] =
      names.length > 0
        ? names.map((name) => ({ name, uuid: '', parent: '' }))
        : blockDeviceRows(null).map((r) => ({ name: r.name, uuid: r.uuid ?? '', parent: r.parent ?? '' }));
    const encrypted = new Map<string, Row>();
    const rows: Row[] = [];
    for (const dev of devices) {
      const name = String(dev.name);
      const r: Row = { name, uuid: dev.uuid };
      const syspath = syspathOf.get(name);
      const type = syspath !== undefined ? cryptType(syspath) : null;
      const parentRow = encrypted.get(String(dev.parent));
      if (type !== null) {
        Object.assign(r, { encrypted: 1, encryption_status: 'encrypted', type });
        encrypted.set(name, r);
      } else if (parentRow !== undefined) {
        Object.assign(r, { encrypted: 1, encryption_status: 'encrypted', type: parentRow.type });
      } else {
        Object.assign(r, { encrypted: 0, encryption_status: 'not encrypted' });
      }
      rows.push(r);
    }
    return rows;
  },
});
