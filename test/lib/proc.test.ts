// The /proc helpers against this host: the pid list against a listing of /proc by
// ls(1), the sysconf values against getconf(1), and uptime/boot time against
// /proc/uptime and the kernel's btime in /proc/stat.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  allPids,
  bootTime,
  clockTicks,
  pageSize,
  pidsToVisit,
  procExists,
  uptimeSeconds,
} from '../../core/src/lib/proc.ts';
import { type Constraint, Op, QueryContext } from '../../core/src/tables/framework.ts';

const getconf = (name: string): number =>
  Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());

describe('/proc', () => {
  it('allPids lists the numeric entries of /proc in numeric order', () => {
    const pids = allPids();
    assert.ok(pids.includes(process.pid));
    assert.deepEqual(
      pids,
      [...pids].sort((a, b) => a - b),
    );
    const listed = execFileSync('ls', ['/proc'], { encoding: 'utf8' })
      .split('\n')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
    // Processes come and go between the two listings; long-lived ones are in both.
    for (const pid of [1, process.pid]) assert.ok(listed.includes(pid) && pids.includes(pid));
  });

  it('procExists is true for a live pid, false for one that cannot exist', () => {
    assert.equal(procExists(process.pid), true);
    assert.equal(procExists(2 ** 31), false);
  });

  it('pidsToVisit takes the pid = constraints that exist, else every pid', () => {
    const eq = (values: number[]): QueryContext =>
      new QueryContext(
        new Map<string, Constraint[]>([['pid', values.map((v) => ({ op: Op.EQ, expr: v }) as Constraint)]]),
        null,
      );
    assert.deepEqual(
      pidsToVisit(eq([process.pid, 2 ** 31, 1, process.pid])),
      [1, process.pid].sort((a, b) => a - b),
    );
    assert.ok(pidsToVisit(QueryContext.empty()).includes(process.pid));
  });

  it('clockTicks and pageSize are what getconf reports', () => {
    assert.equal(clockTicks(), getconf('CLK_TCK'));
    assert.equal(pageSize(), getconf('PAGESIZE'));
  });

  it('uptime rounds /proc/uptime up to whole seconds; boot time agrees with btime', () => {
    const before = Number.parseFloat(readFileSync('/proc/uptime', 'utf8'));
    const up = uptimeSeconds();
    assert.ok(up >= Math.floor(before) && up <= Math.floor(before) + 2, `${up} vs ${before}`);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    assert.ok(Math.abs(bootTime() - btime) <= 2, `${bootTime()} vs btime ${btime}`);
  });
});
