// osquery's recursive directory listing (listDirectoriesInDirectory with
// recursive=true): every directory below a root, depth first and pre-order,
// following symlinks but never entering the same inode twice.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { compareBytes } from '../../lib/bytes.js';
import { isDirectory, joinPath } from '../../lib/fs.js';

/** osquery's kMaxRecursiveGlobs. */
const MAX_DEPTH = 64;

function inode(path: string): bigint | null {
  try {
    return statSync(path, { bigint: true }).ino;
  } catch {
    return null;
  }
}

/** Directories below `root` (without trailing '/'), top-level ones in glob order (no dot names). */
export function walkDirectories(root: string): string[] {
  const out: string[] = [];
  const seen = new Set<bigint>();
  const visit = (dir: string, depth: number, topLevel: boolean): void => {
    if (depth > MAX_DEPTH) return;
    const ino = inode(dir);
    if (ino === null || seen.has(ino)) return;
    seen.add(ino);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareBytes(a.name, b.name));
    } catch {
      return;
    }
    if (topLevel) entries = entries.filter((e) => !e.name.startsWith('.'));
    for (const entry of entries) {
      const path = joinPath(dir, entry.name);
      // Only symlinks (and unknown types) need a stat to learn what they point at.
      const isDir = entry.isDirectory() || (!entry.isFile() && isDirectory(path));
      if (!isDir) continue;
      out.push(path);
      visit(path, depth + 1, false);
    }
  };
  visit(root, 0, true);
  return out;
}
