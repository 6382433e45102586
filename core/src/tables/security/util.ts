// Shared helpers of the security area: osquery's string splitting and the
// directory listings its filesystem helpers produce.
import { readdirSync, statSync } from 'node:fs';
import { compareBytes } from '../files/util.js';

/**
 * osquery::split(text, delims): split on any delimiter character, trim every
 * piece and drop the pieces that were empty before trimming.
 */
export function osquerySplit(text: string, delims: string): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (delims.includes(ch)) {
      if (piece !== '') out.push(piece.trim());
      piece = '';
    } else {
      piece += ch;
    }
  }
  if (piece !== '') out.push(piece.trim());
  return out;
}

/** Join a directory and a name without doubling the separator. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * Entries of `dir` as osquery's listFilesInDirectory / listDirectoriesInDirectory
 * return them (glob order, dotfiles skipped): files as full paths, directories
 * with a trailing '/'. Symlinks are classified by their targets.
 */
export function listDirectory(dir: string, want: 'files' | 'folders'): string[] | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const out: string[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort(compareBytes)) {
    const full = joinPath(dir, name);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      // A dangling link counts as a file, as glob(3) reports it.
    }
    if (want === 'folders' && isDir) out.push(`${full}/`);
    if (want === 'files' && !isDir) out.push(full);
  }
  return out;
}

/** Every file below `dir` (recursive), as osquery's recursive listFilesInDirectory. */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const files = listDirectory(dir, 'files');
  if (files === null) return out;
  out.push(...files);
  for (const sub of listDirectory(dir, 'folders') ?? []) out.push(...listFilesRecursive(sub.slice(0, -1)));
  return out;
}
