// cpuid: x86 CPUID facts. Node cannot execute the CPUID instruction, so the values
// are derived from what the kernel decoded from it in /proc/cpuinfo (the first
// processor): the vendor string, brand string, signature and feature flags, mapped
// onto osquery's feature list (leaf 1, leaf 7, leaf 80000001h) under osquery's names.
//
// Not derivable and therefore absent: the hypervisor_id row (raw registers of leaf
// 40000000h) and, on SGX hosts, the raw sgx0/sgx1 registers. Features the kernel
// hides from /proc/cpuinfo read as '0'; spec_ctrl is inferred from ibrs + ibpb.

import { readText } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { overridable } from './util.js';

type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';

/** [osquery feature name, register, bit, /proc/cpuinfo flag names that mean it is set]. */
type FeatureDef = [string, Reg, number, string[]];

const LEAF_1: FeatureDef[] = [
  ['pae', 'edx', 6, ['pae']],
  ['msr', 'edx', 5, ['msr']],
  ['sep', 'edx', 11, ['sep']],
  ['mtrr', 'edx', 12, ['mtrr']],
  ['pge', 'edx', 13, ['pge']],
  ['mca', 'edx', 14, ['mca']],
  ['pat', 'edx', 16, ['pat']],
  ['clfsh', 'edx', 19, ['clflush']],
  ['acpi', 'edx', 22, ['acpi']],
  ['mmz', 'edx', 23, ['mmx']],
  ['sse', 'edx', 25, ['sse']],
  ['sse2', 'edx', 26, ['sse2']],
  ['ss', 'edx', 27, ['ss']],
  ['htt', 'edx', 28, ['ht']],
  ['ia64', 'edx', 30, ['ia64']],
  ['sse3', 'ecx', 0, ['pni']],
  ['vmx', 'ecx', 5, ['vmx']],
  ['smx', 'ecx', 6, ['smx']],
  ['ssse3', 'ecx', 9, ['ssse3']],
  ['sdbg', 'ecx', 11, ['sdbg']],
  ['pdcm', 'ecx', 15, ['pdcm']],
  ['pcid', 'ecx', 17, ['pcid']],
  ['dca', 'ecx', 18, ['dca']],
  ['sse4.1', 'ecx', 19, ['sse4_1']],
  ['sse4.2', 'ecx', 20, ['sse4_2']],
  ['aes', 'ecx', 25, ['aes']],
  ['avx', 'ecx', 28, ['avx']],
  ['hypervisor', 'ecx', 31, ['hypervisor']],
];

const LEAF_7: FeatureDef[] = [
  ['sgx', 'ebx', 2, ['sgx']],
  ['hle', 'ebx', 4, ['hle']],
  ['avx2', 'ebx', 5, ['avx2']],
  ['smep', 'ebx', 7, ['smep']],
  ['bmi2', 'ebx', 8, ['bmi2']],
  ['erms', 'ebx', 9, ['erms']],
  ['invpcid', 'ebx', 10, ['invpcid']],
  ['rtm', 'ebx', 11, ['rtm']],
  ['pqm', 'ebx', 12, ['cqm']],
  ['mpx', 'ebx', 14, ['mpx']],
  ['pqe', 'ebx', 15, ['rdt_a']],
  ['avx512f', 'ebx', 16, ['avx512f']],
  ['avx512dq', 'ebx', 17, ['avx512dq']],
  ['rdseed', 'ebx', 18, ['rdseed']],
  ['adx', 'ebx', 19, ['adx']],
  ['smap', 'ebx', 20, ['smap']],
  ['intel_pt', 'ebx', 25, ['intel_pt']],
  ['sha', 'ebx', 29, ['sha_ni']],
  ['umip', 'ecx', 2, ['umip']],
  ['pku', 'ecx', 3, ['pku']],
  ['ospke', 'ecx', 4, ['ospke']],
  ['gfni', 'ecx', 8, ['gfni']],
  ['vaes', 'ecx', 9, ['vaes']],
  ['sgx_lc', 'ecx', 30, ['sgx_lc']],
  ['spec_ctrl', 'edx', 26, []],
];

const LEAF_80000001: FeatureDef[] = [
  ['lahfsahf', 'ecx', 0, ['lahf_lm']],
  ['svm', 'ecx', 2, ['svm']],
  ['3dnowprefetch', 'ecx', 8, ['3dnowprefetch']],
  ['ibs', 'ecx', 10, ['ibs']],
  ['skinit', 'ecx', 12, ['skinit']],
  ['lwp', 'ecx', 15, ['lwp']],
  ['nx', 'edx', 20, ['nx']],
  ['page1gb', 'edx', 26, ['pdpe1gb']],
  ['lm', 'edx', 29, ['lm']],
];

/** The fields of the first processor block of /proc/cpuinfo. */
export function firstProcessor(cpuinfo: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of cpuinfo.split('\n')) {
    if (line.trim() === '') {
      if (out.size > 0) break;
      continue;
    }
    const at = line.indexOf(':');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    if (!out.has(key)) out.set(key, line.slice(at + 1).trim());
  }
  return out;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Leaf 1 EAX (the processor signature) rebuilt from family/model/stepping. */
export function signature(family: number, model: number, stepping: number): number {
  const baseFamily = Math.min(family, 0xf);
  const extFamily = family >= 0xf ? family - 0xf : 0;
  // The extended model field is used for families 6 and 15 and above.
  const useExtModel = baseFamily === 0x6 || baseFamily === 0xf;
  const baseModel = useExtModel ? model & 0xf : model;
  const extModel = useExtModel ? model >> 4 : 0;
  return ((extFamily << 20) | (extModel << 16) | (baseFamily << 8) | (baseModel << 4) | stepping) >>> 0;
}

export function cpuidRows(cpuinfo: string): Row[] {
  const cpu = firstProcessor(cpuinfo);
  const vendor = cpu.get('vendor_id');
  // Not an x86 CPU (or no /proc/cpuinfo): osquery's CPUID probe fails, no rows.
  if (vendor === undefined) return [];
  const flags = new Set((cpu.get('flags') ?? '').split(/\s+/).filter((f) => f !== ''));
  const family = Number(cpu.get('cpu family') ?? 0);
  const model = Number(cpu.get('model') ?? 0);
  const stepping = Number(cpu.get('stepping') ?? 0);
  const sig = signature(family, model, stepping);
  const rows: Row[] = [];
  const add = (feature: string, value: string, reg: string, bit: number, eax: string) =>
    rows.push({ feature, value, output_register: reg, output_bit: bit, input_eax: eax });

  add('vendor', vendor, 'ebx,edx,ecx', 0, '0');
  add('product_name', cpu.get('model name') ?? '', 'eax,ebx,ecx,edx', 0, '0x80000002');
  // Leaf 3 (processor serial number) reads zero on every CPU since the Pentium III.
  add('serial', `${hex8(sig)}${hex8(0)}${hex8(0)}`, 'eax,eax,ecx', 0, '1,3');
  add('family', (sig & 0xf00).toString(16).padStart(4, '0'), 'eax', 0, '1');

  const leaves: [number, FeatureDef[]][] = [
    [1, LEAF_1],
    [7, LEAF_7],
    [0x80000001, LEAF_80000001],
  ];
  for (const [eax, defs] of leaves) {
    for (const [name, reg, bit, names] of defs) {
      let set = names.some((n) => flags.has(n));
      if (name === 'spec_ctrl') set = flags.has('ibrs') && flags.has('ibpb');
      add(name, set ? '1' : '0', reg, bit, String(eax));
    }
  }
  if (!flags.has('sgx')) {
    // Without SGX, leaf 12h reads as zeros.
    add('sgx0', '0'.repeat(32), 'eax,ebx,ecx,edx', 0, '18');
    add('sgx1', '0'.repeat(32), 'eax,ebx,ecx,edx', 0, '18,1');
  }
  return rows;
}

export const cpuid = defineTable({
  name: 'cpuid',
  columns: {
    feature: text(),
    value: text(),
    output_register: text(),
    output_bit: integer(),
    input_eax: text(),
  },
  generate() {
    return cpuidRows(readText(overridable('OSQ_CPUINFO_PATH', '/proc/cpuinfo')) ?? '');
  },
});
