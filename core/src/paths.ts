// Where osq's files are at run time. The one-shot osqi runs from a single bundled file
// (core/dist/osqi.bundle.cjs, see scripts/bundle.mjs) while workers run from
// core/dist/**, so paths are found from the dist root rather than from this module.
import { fileURLToPath } from 'node:url';

function findDistUrl(url: string): string {
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(0, dist + '/dist/'.length);
  // Running from sources under tsx: the compiled twins are in core/dist.
  const src = url.lastIndexOf('/src/');
  if (src >= 0) return `${url.slice(0, src)}/dist/`;
  throw new Error(`osq: cannot locate core/dist from ${url}`);
}

/** file:// URL of core/dist/ (with a trailing slash). */
export const distUrl = findDistUrl(import.meta.url);

/** A compiled module under core/dist, e.g. `engine/worker.js`. */
export function distModule(relative: string): URL {
  return new URL(relative, distUrl);
}

/** A path under core/, e.g. `native/build/Release/osq_vtab.node`. */
export function corePath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, distUrl));
}
