// The scan shared by yara_file (alias yara) and yara_process: collecting the
// signatures a query names, compiling them with our Node-API module osq_yara
// (core/native-libs/osq_yara, linking Debian's libyara) and building rows.
//
// Signatures: `sigfile = f` (relative names are under /etc/osquery/yara/; a file
// saved by yarac loads as is) and `sigrule = 'rule ...'` (compiled from the text;
// like osquery, each rule's first string is made private unless
// --enable_yara_string). `sig_group` names come from the config's yara section,
// which osq does not load yet: they match no signatures. `sigurl` needs the
// config's signature_urls allow list, so it matches none either.
import { flags } from '../../flags/index.js';
import type { QueryContext, Row } from '../framework.js';
import { nativeModule, sleepMs } from './util.js';

export const YARA_HOME = '/etc/osquery/yara/';

type Rules = object;
type ScanResult = [matches: string, count: number, strings: string, tags: string] | null;

export interface YaraModule {
  compileFile(path: string): Rules | string;
  compileString(source: string, makePrivate: boolean): Rules | string;
  scanFile(rules: Rules, path: string): ScanResult;
  scanProcess(rules: Rules, pid: number): ScanResult;
}

/** One compiled signature and the column that names it in the rows. */
export interface Signature {
  column: 'sigfile' | 'sigrule';
  name: string;
  rules: Rules;
}

export function yaraModule(): YaraModule | undefined {
  return nativeModule<YaraModule>('osq_yara');
}

/** Compile every signature the query names; ones that fail to compile are skipped. */
export function querySignatures(yara: YaraModule, ctx: QueryContext): Signature[] {
  const out: Signature[] = [];
  for (const name of [...new Set(ctx.equals('sigfile'))].sort()) {
    const rules = yara.compileFile(name.startsWith('/') ? name : YARA_HOME + name);
    if (typeof rules !== 'string') out.push({ column: 'sigfile', name, rules });
  }
  const makePrivate = !flags.enable_yara_string;
  for (const name of [...new Set(ctx.equals('sigrule'))].sort()) {
    const rules = yara.compileString(name, makePrivate);
    if (typeof rules !== 'string') out.push({ column: 'sigrule', name, rules });
  }
  return out;
}

/** A row of one scan, or undefined when the scan failed (osquery drops those). */
export function scanRow(result: ScanResult, signature: Signature, target: Row): Row | undefined {
  if (!result) return undefined;
  const [matches, count, strings, tags] = result;
  return {
    ...target,
    matches,
    count,
    sig_group: '',
    sigfile: '',
    sigrule: '',
    [signature.column]: signature.name,
    strings,
    tags,
  };
}

/** osquery sleeps --yara_delay ms after each scan to smooth memory spikes. */
export function afterScan(): void {
  sleepMs(flags.yara_delay);
}
