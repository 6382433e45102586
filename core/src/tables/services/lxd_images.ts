// lxd_images: each image (GET /1.0/images, then each URL); `id = ...` fetches
// /1.0/images/<id> directly and reports the id as given.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { lxdGet, lxdList, needBool, needInt, needStr, orSkip } from './lxd_api.js';
import { at } from './util.js';

function imageRow(url: string, id: string): Row | null {
  const m = lxdGet(url);
  if (m === null) return null;
  return orSkip(`image ${url}`, () => ({
    id: id === '' ? needStr(m, 'fingerprint') : id,
    architecture: needStr(m, 'architecture'),
    os: needStr(m, 'properties', 'os'),
    release: needStr(m, 'properties', 'release'),
    description: needStr(m, 'properties', 'description'),
    filename: needStr(m, 'filename'),
    size: needInt(m, 'size'),
    auto_update: needBool(m, 'auto_update'),
    cached: needBool(m, 'cached'),
    public: needBool(m, 'public'),
    created_at: needStr(m, 'created_at'),
    expires_at: needStr(m, 'expires_at'),
    uploaded_at: needStr(m, 'uploaded_at'),
    last_used_at: needStr(m, 'last_used_at'),
    update_source_server: needStr(m, 'update_source', 'server'),
    update_source_protocol: needStr(m, 'update_source', 'protocol'),
    update_source_certificate: needStr(m, 'update_source', 'certificate'),
    update_source_alias: needStr(m, 'update_source', 'alias'),
    aliases: childValues(at(m, 'aliases'))
      .map((a) => needStr(a, 'name'))
      .join(','),
  }));
}

export const lxdImages = defineTable({
  name: 'lxd_images',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    architecture: text(),
    os: text(),
    release: text(),
    description: text(),
    aliases: text(),
    filename: text(),
    size: bigint(),
    auto_update: integer(),
    cached: integer(),
    public: integer(),
    created_at: text(),
    expires_at: text(),
    uploaded_at: text(),
    last_used_at: text(),
    update_source_server: text(),
    update_source_protocol: text(),
    update_source_certificate: text(),
    update_source_alias: text(),
  },
  generate(ctx) {
    const ids = ctx.equals('id');
    const rows =
      ids.length > 0
        ? ids.map((id) => imageRow(`/1.0/images/${id}`, id))
        : lxdList('/1.0/images').map((url) => imageRow(url, ''));
    return rows.filter((r): r is Row => r !== null);
  },
});
