// The rpm database, read by asking the `rpm` tool (librpm is not available to
// Node): `rpm -qa --queryformat` with tab-separated fields. Hosts without an
// rpm database (Debian) or without the rpm tool give no rows and run nothing.

import { pathExists } from '../../lib/fs.js';
import { runToolText } from '../../lib/tool.js';

/** Where rpm keeps its database (the classic and the "sysimage" location). */
const RPMDB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const RPMDB_FILES = ['Packages', 'Packages.db', 'rpmdb.sqlite'];

export const PACKAGE_FORMAT =
  '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{SOURCERPM}\\t%{SIZE}\\t%{SHA1HEADER}\\t%{ARCH}\\t%{EPOCH}\\t%{INSTALLTIME}\\t%{VENDOR}\\t%{GROUP}\\n';
export const FILE_FORMAT =
  '[%{=NAME}\\t%{FILENAMES}\\t%{FILEUSERNAME}\\t%{FILEGROUPNAME}\\t%{FILEMODES}\\t%{FILESIZES}\\t%{FILEDIGESTS}\\t%{=FILEDIGESTALGO}\\n]';

/** rpm's PGPHASHALGO_SHA256. */
const SHA256_ALGO = '8';

/** True when this host has an rpm database to read. */
export function hasRpmDatabase(): boolean {
  return RPMDB_DIRS.some((dir) => RPMDB_FILES.some((f) => pathExists(`${dir}/${f}`)));
}

/** Run `rpm -qa --queryformat <format>`; '' when rpm is missing or fails. */
export function queryRpm(format: string): string {
  if (!hasRpmDatabase()) return '';
  return (
    runToolText('rpm', ['-qa', '--queryformat', format], {
      timeoutMs: 60_000,
      maxBuffer: 512 * 1024 * 1024,
    }) ?? ''
  );
}

/** rpm prints "(none)" for an absent tag. */
const value = (field: string | undefined): string => (field === undefined || field === '(none)' ? '' : field);

export interface RpmPackage {
  name: string;
  version: string;
  release: string;
  source: string;
  size: string;
  sha1: string;
  arch: string;
  epoch: string;
  installTime: string;
  vendor: string;
  group: string;
}

/** Parse the output of PACKAGE_FORMAT. */
export function parseRpmPackages(output: string): RpmPackage[] {
  const out: RpmPackage[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f.length < 11) continue;
    out.push({
      name: value(f[0]),
      version: value(f[1]),
      release: value(f[2]),
      source: value(f[3]),
      size: value(f[4]),
      sha1: value(f[5]),
      arch: value(f[6]),
      epoch: value(f[7]),
      installTime: value(f[8]),
      vendor: value(f[9]),
      group: f.slice(10).join('\t') === '(none)' ? '' : f.slice(10).join('\t'),
    });
  }
  return out;
}

export interface RpmFile {
  package: string;
  path: string;
  username: string;
  groupname: string;
  /** Permission bits as four octal digits, like osquery's lsperms(). */
  mode: string;
  size: string;
  sha256: string;
}

function permissions(modeField: string): string {
  const mode = Number.parseInt(modeField, 10);
  if (Number.isNaN(mode)) return '';
  return [9, 6, 3, 0].map((shift) => String((mode >> shift) & 7)).join('');
}

/** Parse the output of FILE_FORMAT; the digest counts only when it is SHA-256. */
export function parseRpmFiles(output: string): RpmFile[] {
  const out: RpmFile[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f.length < 8) continue;
    out.push({
      package: value(f[0]),
      path: value(f[1]),
      username: value(f[2]),
      groupname: value(f[3]),
      mode: permissions(value(f[4])),
      size: value(f[5]),
      sha256: f[7] === SHA256_ALGO ? value(f[6]) : '',
    });
  }
  return out;
}
