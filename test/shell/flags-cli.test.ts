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

  it('help lists visible flags', async () => {
    const text = await helpText('osqi', '[OPTION]... [SQL]', 'test');
    assert.match(text, /--json\s+Set output mode to 'json'|--json\s+Print JSON-formatted results/);
    assert.match(text, /--separator <value>/);
    assert.doesNotMatch(text, /--utc\b/);
  });
});
