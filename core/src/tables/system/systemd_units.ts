// systemd_units: every unit loaded by the systemd manager (ListUnits), with its
// unit file, source path, unit-file state and service user. No rows when
// systemd is not the running init (containers, other inits).
import { defineTable, type Row, bigint as sqlBigint, text } from '../framework.js';
import { listUnits, type UnitEntry, unitProperties } from './systemd.js';

const PROPERTIES = ['FragmentPath', 'SourcePath', 'UnitFileState', 'User'];

export function unitRow(u: UnitEntry, props: Map<string, string> | undefined): Row {
  const p = (name: string): string => props?.get(name) ?? '';
  return {
    id: u.id,
    description: u.description,
    load_state: u.loadState,
    active_state: u.activeState,
    sub_state: u.subState,
    unit_file_state: p('UnitFileState'),
    following: u.following,
    object_path: u.objectPath,
    job_id: u.jobId,
    job_type: u.jobType,
    job_path: u.jobPath,
    fragment_path: p('FragmentPath'),
    user: p('User'),
    source_path: p('SourcePath'),
  };
}

export const systemdUnits = defineTable({
  name: 'systemd_units',
  attributes: { strongly_typed_rows: true },
  columns: {
    id: text(),
    description: text(),
    load_state: text(),
    active_state: text(),
    sub_state: text(),
    unit_file_state: text(),
    following: text(),
    object_path: text(),
    job_id: sqlBigint(),
    job_type: text(),
    job_path: text(),
    fragment_path: text(),
    user: text(),
    source_path: text(),
  },
  generate() {
    const units = listUnits();
    const props = unitProperties(
      units.map((u) => u.id),
      PROPERTIES,
    );
    return units.map((u) => unitRow(u, props.get(u.id)));
  },
});
