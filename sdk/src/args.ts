// The command line osquery gives an extension it launches (docs/extensions.md#autoload):
// `[--verbose] --socket PATH --timeout N --interval N`, each value its own argv token.
// Humans also type `--socket=PATH`, so both spellings are accepted.

/** Where osquery's manager listens by default on Linux and macOS. */
export const DEFAULT_SOCKET = '/var/osquery/osquery.em';

export interface ExtensionArgs {
  /** The manager socket (`--socket`). */
  socket: string;
  /** Seconds to wait for the manager to answer (`--timeout`). */
  timeout: number;
  /** Seconds between pings of the manager (`--interval`). */
  interval: number;
  /** `--verbose`: log what the SDK does to stderr. */
  verbose: boolean;
}

/** osquery's core passes its --extensions_timeout / --extensions_interval, both 3 s by default. */
export const DEFAULT_ARGS: ExtensionArgs = {
  socket: DEFAULT_SOCKET,
  timeout: 3,
  interval: 3,
  verbose: false,
};

function seconds(raw: string | undefined, fallback: number): number {
  const n = Number.parseFloat(raw ?? '');
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Reads the options osquery passes; unknown tokens are left for the extension's own use. */
export function parseExtensionArgs(argv: readonly string[] = process.argv.slice(2)): ExtensionArgs {
  const out: ExtensionArgs = { ...DEFAULT_ARGS };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const m = /^--?([a-z_]+)(?:=(.*))?$/s.exec(token);
    if (!m) continue;
    const [, key, inline] = m;
    if (key === 'verbose') {
      out.verbose = inline === undefined || !/^(false|0|no)$/i.test(inline);
      continue;
    }
    if (key !== 'socket' && key !== 'timeout' && key !== 'interval') continue;
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      i++;
    }
    if (key === 'socket') out.socket = value ?? out.socket;
    else out[key] = seconds(value, out[key]);
  }
  return out;
}
