// The label tables of Docker objects share one walk: list the objects (with
// osquery's `=` filter where Docker supports one) and emit each label.
import type { QueryContext, Row } from '../framework.js';
import { dockerGet, filterQuery, keyValue } from './docker_api.js';
import { at, entries, str } from './util.js';

export interface LabelSource {
  /** Column holding the object's key (id or name) and the query constraint on it. */
  column: string;
  /** Field of the object that holds that key. */
  key: string;
  url: string;
  /** Where the array sits in the answer ('' for the top level). */
  path: string;
  filter: boolean;
  addAll: boolean;
}

export function labelRows(ctx: QueryContext, src: LabelSource): Row[] {
  const wanted = new Set<string>();
  const query = filterQuery(ctx, src.column, src.addAll, wanted);
  const tree = dockerGet(src.filter ? src.url + query : src.url);
  const list = src.path === '' ? tree : at(tree ?? undefined, src.path);
  if (!Array.isArray(list)) return [];
  const rows: Row[] = [];
  for (const obj of list) {
    const pk = keyValue(obj, src.key, wanted);
    for (const [key, value] of entries(at(obj, 'Labels'))) {
      rows.push({ [src.column]: pk, key, value: str(value) });
    }
  }
  return rows;
}
