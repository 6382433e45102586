// docker_container_processes: `ps` inside one container, through
// GET /containers/<id>/top with osquery's ps field list. Needs `id = ...`.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, double, integer, type Row, text } from '../framework.js';
import { dockerGet, hashConstraints } from './docker_api.js';
import { at, str } from './util.js';

// The 21 ps fields osquery asks for on Linux, in column order below.
const PS_FIELDS =
  'pid,state,uid,gid,euid,egid,suid,sgid,rss,vsz,etime,ppid,pgrp,nlwp,nice,user,time,pcpu,pmem,comm,cmd';

/** An integer cell; text that is not an integer is NULL, as osquery's typed columns do. */
function intCell(text: string): number | undefined {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function doubleCell(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** One row from one line of `top`'s Processes (21 cells), or null when malformed. */
export function processRow(id: string, cells: string[]): Row | null {
  if (cells.length !== 21) return null;
  const c = (i: number) => cells[i] as string;
  return {
    id,
    pid: intCell(c(0)),
    state: c(1),
    uid: intCell(c(2)),
    gid: intCell(c(3)),
    euid: intCell(c(4)),
    egid: intCell(c(5)),
    suid: intCell(c(6)),
    sgid: intCell(c(7)),
    // ps reports kilobytes; osquery appends "000".
    resident_size: intCell(`${c(8)}000`),
    total_size: intCell(`${c(9)}000`),
    // etime is "[[dd-]hh:]mm:ss": not an integer, so NULL as in osquery.
    start_time: intCell(c(10)),
    parent: intCell(c(11)),
    pgroup: intCell(c(12)),
    threads: intCell(c(13)),
    nice: intCell(c(14)),
    user: c(15),
    time: c(16),
    cpu: doubleCell(c(17)),
    mem: doubleCell(c(18)),
    name: c(19),
    cmdline: c(20),
  };
}

export const dockerContainerProcesses = defineTable({
  name: 'docker_container_processes',
  columns: {
    id: text({ index: true, required: true, collate: 'nocase' }),
    pid: bigint({ index: true }),
    name: text(),
    cmdline: text(),
    state: text(),
    uid: bigint(),
    gid: bigint(),
    euid: bigint(),
    egid: bigint(),
    suid: bigint(),
    sgid: bigint(),
    wired_size: bigint(),
    resident_size: bigint(),
    total_size: bigint(),
    start_time: bigint(),
    parent: bigint(),
    pgroup: bigint(),
    threads: integer(),
    nice: integer(),
    user: text(),
    time: text(),
    cpu: double(),
    mem: double(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const id of hashConstraints(ctx, 'id')) {
      const top = dockerGet(`/containers/${id}/top?ps_args=axwwo%20${PS_FIELDS}`);
      for (const line of childValues(at(top ?? undefined, 'Processes'))) {
        const row = processRow(
          id,
          childValues(line).map((x) => str(x)),
        );
        if (row !== null) rows.push(row);
      }
    }
    return rows;
  },
});
