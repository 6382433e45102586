// Command-line and flagfile parsing in gflags style, so osquery command lines and
// flagfiles keep working: `--name=value`, `--name value`, `-name`, booleans as
// `--json`, `--json=false` or `--nojson`, positional arguments anywhere, `--` to
// end the flags, `--flagfile=PATH` read in place. Unknown flags are errors.
import { readFileSync } from 'node:fs';
import { OSQ_VERSION, OSQUERY_COMPAT_VERSION } from '../version.js';
import { allFlags, type DeclaredFlag, flagDeclaration, setFlag, suggestFlag } from './index.js';

export interface CommandLine {
  positionals: string[];
  help: boolean;
  version: boolean;
}

export interface ParseOptions {
  /** Read a flagfile (tests pass a fake). */
  readFile?: (path: string) => string;
  /** Flagfile used when none is given, if readable (osquery's osquery.flags.default). */
  defaultFlagfile?: string;
}

export class FlagError extends Error {}

const MAX_FLAGFILE_DEPTH = 10;

/** Split `--name=value` / `-name` into name and optional value; null for a non-flag argument. */
function splitFlag(arg: string): { name: string; value?: string } | null {
  if (!arg.startsWith('-') || arg === '-') return null;
  const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
}

/** The lines of a flagfile that carry switches: blank lines and `#` comments are skipped. */
export function flagfileArgs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

class Parser {
  readonly result: CommandLine = { positionals: [], help: false, version: false };
  sawFlagfile = false;

  constructor(private readonly readFile: (path: string) => string) {}

  parse(args: string[], depth: number, source: string): void {
    let i = 0;
    while (i < args.length) {
      const arg = args[i++] as string;
      if (arg === '--') {
        if (depth > 0) throw new FlagError(`${source}: "--" is not allowed in a flagfile`);
        this.result.positionals.push(...args.slice(i));
        return;
      }
      const flag = splitFlag(arg);
      if (!flag) {
        if (depth > 0)
          throw new FlagError(`${source}: "${arg}" is not a flag (lines must look like --name=value)`);
        this.result.positionals.push(arg);
        continue;
      }
      // A value may be the next argument, but never inside a flagfile line.
      const takeNext = (): string => {
        if (depth === 0 && i < args.length) return args[i++] as string;
        throw new FlagError(`flag --${flag.name} needs a value`);
      };
      this.apply(flag.name, flag.value, takeNext, depth);
    }
  }

  private apply(name: string, value: string | undefined, takeNext: () => string, depth: number): void {
    if (name === 'help' || name === 'h') {
      this.result.help = true;
      return;
    }
    if (name === 'version') {
      this.result.version = true;
      return;
    }
    if (name === 'flagfile') {
      const path = value ?? takeNext();
      this.readFlagfile(path, depth + 1);
      return;
    }
    const decl = flagDeclaration(name);
    if (!decl) {
      const negated = name.startsWith('no') ? flagDeclaration(name.slice(2)) : undefined;
      if (negated?.type === 'bool' && value === undefined) {
        setFlag(negated.name, false);
        return;
      }
      const near = suggestFlag(name);
      throw new FlagError(`unknown flag --${name}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    try {
      if (decl.type === 'bool') setFlag(decl.name, value ?? true);
      else setFlag(decl.name, value ?? takeNext());
    } catch (e) {
      if (e instanceof FlagError) throw e;
      throw new FlagError((e as Error).message);
    }
  }

  readFlagfile(path: string, depth: number): void {
    if (depth > MAX_FLAGFILE_DEPTH) throw new FlagError(`flagfile ${path}: flagfiles nested too deeply`);
    let text: string;
    try {
      text = this.readFile(path);
    } catch (e) {
      throw new FlagError(`cannot read flagfile ${path}: ${(e as Error).message}`);
    }
    this.sawFlagfile = true;
    setFlag('flagfile', path);
    this.parse(flagfileArgs(text), depth, `flagfile ${path}`);
  }
}

/**
 * Apply argv (without node and script) to the declared flags and return what is
 * left: positional arguments and the --help/--version requests. Throws FlagError
 * with a message naming the offending flag.
 */
export function parseCommandLine(argv: string[], opts: ParseOptions = {}): CommandLine {
  const readFile = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const parser = new Parser(readFile);
  const explicit = argv.some((a) => splitFlag(a)?.name === 'flagfile');
  if (!explicit && opts.defaultFlagfile) {
    let text: string | undefined;
    try {
      text = readFile(opts.defaultFlagfile);
    } catch {
      // no default flagfile: nothing to do
    }
    if (text !== undefined) parser.parse(flagfileArgs(text), 1, `flagfile ${opts.defaultFlagfile}`);
  }
  parser.parse(argv, 0, 'command line');
  return parser.result;
}

/**
 * `--help` text in osqueryd's and osqueryi's layout: the command line flags (with gflags'
 * --flagfile first), then the options a config can set, then (for the shell) its own flags;
 * each as `--name VALUE` and osquery's description. Hidden flags are not listed.
 */
export function helpText(tool: 'daemon' | 'shell'): string {
  const program = tool === 'shell' ? 'osqi' : 'osqd';
  const listed = allFlags().filter((f) => !f.hidden && f.name !== 'flagfile');
  // osquery pads to the longest name it knows, hidden ones included.
  const width = Math.max(...allFlags().map((f) => f.name.length)) + 6;
  const line = (f: DeclaredFlag): string => {
    let text = `    --${f.name}`;
    let pad = width;
    if (f.type !== 'bool') {
      text += ' VALUE';
      pad -= 6;
    }
    pad -= f.name.length;
    if (pad > 0 && pad < 80) text += ' '.repeat(pad);
    return `${text}  ${f.description}\n`;
  };
  const section = (kind: DeclaredFlag['kind']) =>
    listed
      .filter((f) => f.kind === kind)
      .map(line)
      .join('');
  let out = `osquery ${OSQUERY_COMPAT_VERSION} (osq ${OSQ_VERSION}), your OS as a high-performance relational database\n`;
  out += `Usage: ${program} [OPTION]... ${tool === 'shell' ? '[SQL STATEMENT]' : ''}\n\n`;
  out += 'osquery command line flags:\n\n';
  out += `    --flagfile PATH${' '.repeat(Math.max(0, width - 13))}  Line-delimited file of additional flags\n`;
  out += section('cli');
  out += '\nosquery configuration options (set by config or CLI flags):\n\n';
  out += section('flag');
  if (tool === 'shell') out += `\nosquery shell-only CLI flags:\n\n${section('shell')}`;
  out += '\nosquery project page <https://osquery.io>; what osq does with each flag: docs/flags.md\n';
  return out;
}
