// msr: a few model-specific registers of each CPU, read from the msr driver's
// /dev/cpu/<n>/msr files (the register number is the file offset, 8 bytes each).
// Needs the msr kernel module and root; without them there are no rows.
// OSQ_MSR_ROOT (read at generate time) replaces /dev/cpu, for tests on files laid
// out the same way.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { bigint, defineTable, type Row } from '../framework.js';

interface Register {
  column: string;
  offset: number;
  mask: bigint;
  /** Report 1/0 for whether the masked bits are set. */
  flag?: boolean;
}

const ALL = 0xffffffffffffffffn;

// Register numbers from the kernel's msr-index.h, in osquery's order.
const REGISTERS: Register[] = [
  { column: 'turbo_disabled', offset: 0x1a0, mask: 1n << 38n, flag: true }, // IA32_MISC_ENABLE
  { column: 'turbo_ratio_limit', offset: 0x1ad, mask: ALL },
  { column: 'platform_info', offset: 0xce, mask: ALL },
  { column: 'perf_status', offset: 0x198, mask: ALL },
  { column: 'perf_ctl', offset: 0x199, mask: 0xffffn },
  { column: 'feature_control', offset: 0x3a, mask: ALL },
  { column: 'rapl_power_limit', offset: 0x610, mask: ALL },
  { column: 'rapl_energy_status', offset: 0x611, mask: ALL },
  { column: 'rapl_power_units', offset: 0x606, mask: ALL },
];

function cpuRoot(): string {
  return process.env.OSQ_MSR_ROOT ?? '/dev/cpu';
}

/** A 64-bit register as osquery's BIGINT shows it (signed). */
function asBigint(v: bigint): number | bigint {
  const signed = BigInt.asIntN(64, v);
  return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(signed)
    : signed;
}

/** The row of one CPU, or undefined when its msr file cannot be opened. */
export function readCpu(root: string, cpu: number): Row | undefined {
  let fd: number;
  try {
    fd = openSync(`${root}/${cpu}/msr`, 'r');
  } catch {
    return undefined;
  }
  const row: Row = { processor_number: cpu };
  const buf = Buffer.alloc(8);
  try {
    for (const reg of REGISTERS) {
      let n = 0;
      try {
        n = readSync(fd, buf, 0, 8, reg.offset);
      } catch {
        n = 0; // the CPU does not have this register
      }
      if (n !== 8) continue;
      const value = buf.readBigUInt64LE(0) & reg.mask;
      row[reg.column] = reg.flag ? (value !== 0n ? 1 : 0) : asBigint(value);
    }
  } finally {
    closeSync(fd);
  }
  return row;
}

function generate(): Row[] {
  const root = cpuRoot();
  let cpus: number[];
  try {
    cpus = readdirSync(root)
      .filter((d) => /^\d/.test(d))
      .map((d) => Number.parseInt(d, 10))
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
  const rows: Row[] = [];
  for (const cpu of cpus) {
    const row = readCpu(root, cpu);
    if (row) rows.push(row);
  }
  return rows;
}

export const msr = defineTable({
  name: 'msr',
  columns: {
    processor_number: bigint(),
    turbo_disabled: bigint(),
    turbo_ratio_limit: bigint(),
    platform_info: bigint(),
    perf_ctl: bigint(),
    perf_status: bigint(),
    feature_control: bigint(),
    rapl_power_limit: bigint(),
    rapl_energy_status: bigint(),
    rapl_power_units: bigint(),
  },
  generate,
});
