// gflags-style command lines and flagfiles.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { FlagError, flagfileArgs, helpText, parseCommandLine } from '../../core/src/flags/cli.ts';
import { flags, resetFlags } from '../../core/src/flags/index.ts';

describe('parseCommandLine', () => {
  beforeEach(() => resetFlags());

  it('accepts --name=value, --name value and -name forms', () => {
    const cli = parseCommandLine(['--separator=,', '--nullvalue', 'NULL', '-A', 'users', 'SELECT 1']);
    assert.equal(flags.separator, ',');
    assert.equal(flags.nullvalue, 'NULL');
    assert.equal(flags.A, 'users');
    assert.deepEqual(cli.positionals, ['SELECT 1']);
  });

  it('booleans: --json, --json=false, --nojson; they never take the next argument', () => {
    let cli = parseCommandLine(['--json', 'SELECT 1']);
    assert.equal(flags.json, true);
    assert.deepEqual(cli.positionals, ['SELECT 1']);
    parseCommandLine(['--json=false']);
    assert.equal(flags.json, false);
    parseCommandLine(['--header', '--noheader']);
    assert.equal(flags.header, false);
    cli = parseCommandLine(['-L']);
    assert.equal(flags.L, true);
  });

  it('positionals may come before flags; -- ends the flags', () => {
    const cli = parseCommandLine(['SELECT 1', '--csv', '--', '--json']);
    assert.deepEqual(cli.positionals, ['SELECT 1', '--json']);
    assert.equal(flags.csv, true);
    assert.equal(flags.json, false);
  });

  it('integers are checked', () => {
    parseCommandLine(['--read_max=100']);
    assert.equal(flags.read_max, 100);
    assert.throws(() => parseCommandLine(['--read_max=lots']), /read_max/);
  });

  it('an unknown flag is an error naming it', () => {
    assert.throws(
      () => parseCommandLine(['--jsonn']),
      (e: unknown) => {
        assert.ok(e instanceof FlagError);
        assert.match((e as Error).message, /unknown flag --jsonn/);
        return true;
      },
    );
    assert.throws(() => parseCommandLine(['--nosuchflag']), /--nosuchflag/);
    assert.throws(() => parseCommandLine(['--separator']), /--separator needs a value/);
  });

  it('--help and --version are requests, not flags', () => {
    assert.equal(parseCommandLine(['--help']).help, true);
    assert.equal(parseCommandLine(['--version']).version, true);
  });

  it('reads flagfiles in place: later switches win', () => {
    const files: Record<string, string> = {
      '/f1': '# comment\n\n--json\n--separator=;\n--flagfile=/f2\n',
      '/f2': '  --nullvalue=none  \n',
    };
    const readFile = (p: string): string => {
      const t = files[p];
      if (t === undefined) throw new Error('ENOENT');
      return t;
    };
    parseCommandLine(['--separator=,', '--flagfile', '/f1', '--nojson'], { readFile });
    assert.equal(flags.separator, ';');
    assert.equal(flags.nullvalue, 'none');
    assert.equal(flags.json, false);
    assert.equal(flags.flagfile, '/f2');
    assert.throws(
      () => parseCommandLine(['--flagfile=/missing'], { readFile }),
      /cannot read flagfile \/missing/,
    );
  });

  it('a flagfile line must be a switch; no quoting', () => {
    assert.deepEqual(flagfileArgs('--a=1\n# x\n\n  --b="2"\n'), ['--a=1', '--b="2"']);
    assert.throws(() => parseCommandLine(['--flagfile=/f'], { readFile: () => 'json\n' }), /not a flag/);
  });

  it('uses the default flagfile only when none is given', () => {
    const readFile = (p: string): string => (p === '/default' ? '--csv\n' : '--line\n');
    parseCommandLine([], { readFile, defaultFlagfile: '/default' });
    assert.equal(flags.csv, true);
    resetFlags();
    parseCommandLine(['--flagfile=/other'], { readFile, defaultFlagfile: '/default' });
    assert.equal(flags.csv, false);
    assert.equal(flags.line, true);
    resetFlags();
    parseCommandLine([], {
      readFile: () => {
        throw new Error('ENOENT');
      },
      defaultFlagfile: '/default',
    });
  });

  it("help is osquery's layout: sections, --name VALUE, the description once, no defaults", () => {
    const shell = helpText('shell');
    const lines = shell.split('\n');
    assert.match(
      lines[0] as string,
      /^osquery 5\.23\.0 \(osq [\d.]+\), your OS as a high-performance relational database$/,
    );
    assert.equal(lines[1], 'Usage: osqi [OPTION]... [SQL STATEMENT]');
    const cli = lines.indexOf('osquery command line flags:');
    const options = lines.indexOf('osquery configuration options (set by config or CLI flags):');
    const shellOnly = lines.indexOf('osquery shell-only CLI flags:');
    assert.ok(cli > 0 && options > cli && shellOnly > options, shell);
    // gflags' --flagfile leads the command line flags; names are sorted, upper case first.
    assert.match(lines[cli + 2] as string, /^ {4}--flagfile PATH +Line-delimited file of additional flags$/);
    assert.match(lines[cli + 3] as string, /^ {4}--D +Run as a daemon process$/);
    // A value flag shows VALUE, and the description column lines up with a bool's.
    const readMax = lines.find((l) => l.startsWith('    --read_max ')) as string;
    const verbose = lines.find((l) => l.startsWith('    --verbose ')) as string;
    assert.match(readMax, /^ {4}--read_max VALUE +Maximum file read size$/);
    assert.equal(readMax.indexOf('Maximum'), verbose.indexOf('Enable verbose'));
    // The description carries osquery's own "(default 50)" once, and nothing is appended.
    const yara = lines.find((l) => l.startsWith('    --yara_delay ')) as string;
    assert.equal(yara.match(/default/g)?.length, 1, yara);
    assert.doesNotMatch(shell, /\(default: /);
    // Each flag in its section; hidden flags are not listed.
    const section = (from: number, to: number) => lines.slice(from, to).join('\n');
    assert.match(section(cli, options), /--config_check /);
    assert.match(section(options, shellOnly), /--host_identifier VALUE /);
    assert.match(section(shellOnly, lines.length), /--json {2,}Set output mode to 'json'/);
    assert.doesNotMatch(shell, /--utc\b|--rocksdb_write_buffer/);
    // The daemon's help has no shell section.
    const daemon = helpText('daemon');
    assert.match(daemon, /^Usage: osqd \[OPTION\]\.\.\. $/m);
    assert.doesNotMatch(daemon, /shell-only|--json /);
  });

  it('an unknown flag suggests the nearest known name', () => {
    assert.throws(() => parseCommandLine(['--jsonn']), /unknown flag --jsonn \(did you mean --json\?\)/);
    assert.throws(
      () => parseCommandLine(['--tls_hostnme=fleet.example']),
      /unknown flag --tls_hostnme \(did you mean --tls_hostname\?\)/,
    );
    assert.throws(
      () => parseCommandLine(['--completely_unrelated_thing']),
      (e: unknown) => {
        assert.equal((e as Error).message, 'unknown flag --completely_unrelated_thing');
        return true;
      },
    );
  });

  it("osquery's aliases set their flag, on the command line and in flagfiles", () => {
    const readFile = () => '--config_tls_refresh=30\n--nolog_numerics_as_numbers\n--osquery_log_dir=/tmp/l\n';
    parseCommandLine(['--log_numerics_as_numbers', '--db_path', '/tmp/db', '--logger_tls_max=77']);
    assert.equal(flags.logger_numerics, true);
    assert.equal(flags.database_path, '/tmp/db');
    assert.equal(flags.logger_tls_max_linesize, 77);
    parseCommandLine(['--flagfile=/f', '--socket=/tmp/s.em'], { readFile });
    assert.equal(flags.config_refresh, 30);
    assert.equal(flags.logger_numerics, false);
    assert.equal(flags.logger_path, '/tmp/l');
    assert.equal(flags.extensions_socket, '/tmp/s.em');
  });

  it('integer flags keep to their gflags range', () => {
    parseCommandLine(['--carver_block_size=4294967295', '--watchdog_level=-1']);
    assert.equal(flags.carver_block_size, 4294967295);
    assert.equal(flags.watchdog_level, -1);
    assert.throws(() => parseCommandLine(['--carver_block_size=4294967296']), /too large for a uint32/);
    assert.throws(() => parseCommandLine(['--watchdog_level=2147483648']), /too large for a int32/);
    assert.throws(() => parseCommandLine(['--carver_block_size=-1']), /must not be negative/);
  });
});
