// augeas (alias configurations): configuration files parsed by Augeas lenses, one
// row per tree node under /files, through our Node-API module osq_augeas
// (core/native-libs/osq_augeas, linking Debian's libaugeas).
//
// Constraints: `node = expr` takes an Augeas path expression as is; `path = file`
// becomes `/files<file>` and `/files<file>//*`; with neither, every node is listed.
// Lenses come from --augeas_lenses (osquery's default /opt/osquery/share/osquery/lenses,
// where osquery's package installs them). When that flag is left at its default and
// the directory is absent, Debian's own lenses (package augeas-lenses) stand in for
// the ones osquery would have shipped.
import { existsSync } from 'node:fs';
import { flags, isFlagSet } from '../../flags/index.js';
import { defineTable, type QueryContext, type Row, text } from '../framework.js';
import { nativeModule } from './util.js';

interface AugeasModule {
  match(lensDir: string, expr: string): [string, string | null, string | null, string | null][] | null;
}

const DEBIAN_LENSES = '/usr/share/augeas/lenses/dist';

/** The lens directory to load. */
export function lensDirectory(): string {
  const dir = flags.augeas_lenses;
  if (!isFlagSet('augeas_lenses') && !existsSync(dir) && existsSync(DEBIAN_LENSES)) return DEBIAN_LENSES;
  return dir;
}

/** The Augeas expression for the query's constraints. */
export function matchExpression(nodes: readonly string[], paths: readonly string[]): string {
  const patterns = new Set(nodes);
  for (const path of paths) {
    patterns.add(`/files${path}`);
    patterns.add(`/files${path}//*`);
  }
  return patterns.size === 0 ? '/files//*' : [...patterns].join('|');
}

function generate(ctx: QueryContext): Row[] {
  const aug = nativeModule<AugeasModule>('osq_augeas');
  if (!aug) return [];
  const matches = aug.match(lensDirectory(), matchExpression(ctx.equals('node'), ctx.equals('path')));
  if (!matches) return [];
  return matches.map(([node, value, label, file]) => ({
    node,
    value: value ?? '',
    label: label ?? '',
    // The file a node came from, without the leading '/files'; a node with no
    // file (a directory level) names it through its own path.
    path: (file ?? node).slice('/files'.length),
  }));
}

export const augeas = defineTable({
  name: 'augeas',
  aliases: ['configurations'],
  columns: {
    node: text({ index: true }),
    value: text(),
    label: text(),
    path: text({ additional: true }),
  },
  generate,
});
