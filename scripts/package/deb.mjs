// Builds osq_<version>_amd64.deb with Debian's own tools from the tree `npm ci` and
// `npm run build` left (nothing is compiled here). The package is self-contained:
//
//   /usr/lib/osq/bin/node        the Node.js runtime this build runs on (the one npm ci
//                                built the native addons for), so the host needs no Node
//   /usr/lib/osq/{core,idl,sdk,extensions/*}   the workspaces as `npm pack` ships them
//   /usr/lib/osq/node_modules    the production packages, and links to the workspaces:
//                                the repository's layout, so osqd finds its logger
//                                extensions beside core/ as it does in a clone
//   /usr/lib/osq/share/osquery   certs/certs.pem (the runtime's CA store) and packs/
//   /usr/bin/osqi, /usr/bin/osqd launchers onto the bundled runtime
//   /lib/systemd/system/osqd.service, /etc/osquery/{osquery.conf,osquery.flags},
//   /etc/default/osqd (conffiles), /usr/share/doc/osq
//
// /usr/lib/osq rather than /opt: no Debian package owns /opt, so dpkg would remove it with
// the package when it is empty (and warn when it is not). postinst makes /var/osquery,
// /var/log/osquery, and the link /opt/osquery/share/osquery -> share/osquery, so osquery's
// default --tls_server_certs and pack paths resolve unchanged. Why a copied node binary rather
// than Node's single executable applications: osq runs more than one script (worker threads
// load core/dist modules from disk, osqd runs its extensions as `node <script>` with
// process.execPath), loads native addons from files, and SEA is experimental in Node 20.
//
// Reproducible: with SOURCE_DATE_EPOCH (default: the last commit's time) two builds of the
// same tree give the same data archive (scripts/check-reproducible.mjs checks it). Modes are
// normalized, every mtime is the epoch, owners are root, dpkg-deb sorts the entries.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { rootCertificates } from 'node:tls';
import { productionModules, workspaceLinks, workspaces } from './contents.mjs';

export const PREFIX = '/usr/lib/osq';
/**
 * osqi's V8 code cache differs from run to run, so it would break reproducibility: it is left
 * out and made on the host by postinst, removed by prerm (see debian/postinst).
 */
const CODE_CACHE = 'core/dist/osqi.bundle.cache';
const TEMPLATES = new URL('./debian/', import.meta.url);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`package: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`package: ${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function template(name, vars = {}) {
  let text = readFileSync(new URL(name, TEMPLATES), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`@${k}@`, v);
  return text;
}

/** The staging tree: files copied or written under `root`, modes set explicitly. */
class Stage {
  constructor(root) {
    this.root = root;
  }
  path(p) {
    return join(this.root, p);
  }
  dir(p) {
    mkdirSync(this.path(p), { recursive: true });
  }
  copy(from, to) {
    this.dir(dirname(to));
    copyFileSync(from, this.path(to));
    // Keep only whether the file is executable: the builder's umask and checkout do not leak.
    chmodSync(this.path(to), statSync(from).mode & 0o111 ? 0o755 : 0o644);
  }
  write(to, text, mode = 0o644) {
    this.dir(dirname(to));
    writeFileSync(this.path(to), text);
    chmodSync(this.path(to), mode);
  }
  link(to, target) {
    this.dir(dirname(to));
    symlinkSync(target, this.path(to));
  }
  copyTree(from, to) {
    for (const name of readdirSync(from).sort()) {
      const st = lstatSync(join(from, name));
      if (st.isDirectory()) this.copyTree(join(from, name), `${to}/${name}`);
      else if (st.isFile()) this.copy(join(from, name), `${to}/${name}`);
    }
  }
}

/** Every path under `dir` (relative, sorted), directories before their contents. */
function listTree(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    out.push(r);
    if (lstatSync(join(dir, r)).isDirectory()) out.push(...listTree(dir, r));
  }
  return out;
}

/** The runtime's license text: where Debian's and nodejs.org's packagings put it. */
function nodeLicense(nodeBin) {
  const prefix = dirname(dirname(nodeBin));
  for (const p of ['share/doc/nodejs/LICENSE', 'share/doc/node/LICENSE', 'LICENSE']) {
    if (existsSync(join(prefix, p))) return readFileSync(join(prefix, p), 'utf8');
  }
  return `Node.js is MIT licensed with bundled components under their own licenses:\nhttps://github.com/nodejs/node/blob/${process.version}/LICENSE\n`;
}

function copyright(modules, nodeBin) {
  const lines = [
    'osq: osquery rebuilt in TypeScript on Node.js.',
    'osq is licensed under the Apache License 2.0; on Debian systems its text is in',
    '/usr/share/common-licenses/Apache-2.0.',
    '',
    `The package bundles Node.js ${process.version} as ${PREFIX}/bin/node (license at the end of this`,
    `file) and these npm packages under ${PREFIX}/node_modules, each with its license in its`,
    'directory:',
    '',
    ...modules.map(
      (m) =>
        `  ${m.name} ${m.version}: ${typeof m.license === 'string' ? m.license : JSON.stringify(m.license)}`,
    ),
    '',
    '-----------------------------------------------------------------------------',
    'Node.js license:',
    '',
    nodeLicense(nodeBin),
  ];
  return `${lines.join('\n')}\n`;
}

/** Fill the staging tree with the package's files (DEBIAN/ excluded). */
function stageFiles(stage, root, nodeBin) {
  const base = PREFIX.slice(1);
  stage.copy(nodeBin, `${base}/bin/node`);

  const spaces = workspaces(root);
  for (const ws of spaces) {
    for (const f of ws.files) {
      if (`${ws.dir}/${f}` === CODE_CACHE) continue; // made by postinst
      stage.copy(join(root, ws.dir, f), `${base}/${ws.dir}/${f}`);
    }
  }
  const modules = productionModules(root);
  for (const m of modules) {
    for (const f of m.files) stage.copy(join(root, m.path, f), `${base}/${m.path}/${f}`);
  }
  for (const l of workspaceLinks(root)) {
    stage.link(`${base}/${l.path}`, relative(dirname(`/${l.path}`), `/${l.target}`));
  }

  // What osquery keeps under /opt/osquery/share/osquery: a CA bundle for TLS (the bundled
  // runtime's own root store: this process's) and the packs.
  const share = `${base}/share/osquery`;
  stage.write(`${share}/certs/certs.pem`, `${rootCertificates.join('\n')}\n`);
  if (existsSync(join(root, 'packs'))) stage.copyTree(join(root, 'packs'), `${share}/packs`);

  // Commands: core's `bin` entries, each a launcher onto the bundled runtime.
  const core = spaces.find((w) => w.name === '@osq/core');
  if (!core) throw new Error('package: no @osq/core workspace');
  for (const [name, script] of Object.entries(core.manifest.bin)) {
    const rel = `${core.dir}/${script}`;
    stage.write(`usr/bin/${name}`, template('launcher.sh', { NAME: name, PREFIX, SCRIPT: rel }), 0o755);
  }

  stage.copy(join(root, 'scripts/systemd/osqd.service'), 'lib/systemd/system/osqd.service');
  stage.write('etc/osquery/osquery.conf', template('osquery.conf'));
  stage.write('etc/osquery/osquery.flags', template('osquery.flags'));
  stage.write('etc/default/osqd', template('osqd.default'));

  const doc = 'usr/share/doc/osq';
  stage.copy(join(root, 'README.md'), `${doc}/README.md`);
  for (const d of ['docs', 'core/docs']) {
    if (existsSync(join(root, d))) stage.copyTree(join(root, d), `${doc}/${d}`);
  }
  stage.write(`${doc}/copyright`, copyright(modules, nodeBin));
  return { modules, spaces };
}

/** The ELF files: the runtime and the native addons. */
function elfFiles(stage) {
  return listTree(stage.root).filter((p) => p.endsWith('.node') || p === `${PREFIX.slice(1)}/bin/node`);
}

/** Strip symbols and debug data as Debian's dh_strip does (the runtime loses ~12 MiB). */
function strip(stage) {
  for (const p of elfFiles(stage)) {
    const kind = p.endsWith('.node') ? ['--strip-unneeded'] : [];
    run('strip', ['--remove-section=.comment', '--remove-section=.note', ...kind, stage.path(p)]);
  }
}

/** Depends and Recommends from what the ELF files link, by dpkg-shlibdeps. */
function shlibDeps(stage, work) {
  const elf = elfFiles(stage);
  // core/native-libs: optional modules over libmagic, libaugeas and libyara (their tables
  // return no rows when the library is missing), so those libraries are only recommended.
  const optional = elf.filter((p) => p.includes('/core/native-libs/'));
  const required = elf.filter((p) => !optional.includes(p));
  // dpkg-shlibdeps reads debian/control and wants the files in debian/<package>/; addons take
  // their Node-API and V8 symbols from the node executable, which it cannot see (warnings off).
  mkdirSync(join(work, 'debian'), { recursive: true });
  writeFileSync(join(work, 'debian/control'), 'Source: osq\n\nPackage: osq\nArchitecture: amd64\n');
  const at = (p) => relative(work, stage.path(p));
  const out = run(
    'dpkg-shlibdeps',
    ['-O', '--warnings=0', '-dDepends', ...required.map(at), '-dRecommends', ...optional.map(at)],
    { cwd: work },
  );
  const vars = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => /^shlibs:(\w+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  if (!vars.Depends) throw new Error(`package: dpkg-shlibdeps gave no Depends:\n${out}`);
  return vars;
}

/** Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up; 1 per other entry. */
function installedSize(stage) {
  let kib = 0;
  for (const p of listTree(stage.root)) {
    if (p === 'DEBIAN' || p.startsWith('DEBIAN/')) continue;
    const st = lstatSync(stage.path(p));
    kib += st.isFile() ? Math.ceil(st.size / 1024) : 1;
  }
  return kib;
}

function md5sums(stage) {
  return listTree(stage.root)
    .filter((p) => !p.startsWith('DEBIAN') && lstatSync(stage.path(p)).isFile())
    .map(
      (p) =>
        `${createHash('md5')
          .update(readFileSync(stage.path(p)))
          .digest('hex')}  ${p}\n`,
    )
    .join('');
}

function control({ version, deps, size }) {
  const fields = {
    Package: 'osq',
    Version: version,
    Architecture: 'amd64',
    Maintainer: 'osq developers <osq@example.invalid>',
    'Installed-Size': String(size),
    Depends: deps.Depends,
    Recommends: deps.Recommends,
    Conflicts: 'osquery',
    Section: 'admin',
    Priority: 'optional',
    Description: [
      'osquery rebuilt in TypeScript on Node.js',
      ' osq exposes a Linux host as a relational database: tables such as processes,',
      ' users, listening_ports, file and hash are generated at query time and queried',
      " with SQLite's SQL. osqi is the interactive shell (osqueryi's twin) and osqd the",
      " daemon (osqueryd's twin), with osquery's flags, config, packs, log formats and",
      ' extension protocol. The package carries its own Node.js runtime.',
    ].join('\n'),
  };
  return `${Object.entries(fields)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n`;
}

/** Set every mtime to the epoch, deepest first (a directory's own mtime last). */
function clampTimes(stage, epoch) {
  for (const p of listTree(stage.root).reverse()) {
    if (!lstatSync(stage.path(p)).isSymbolicLink()) utimesSync(stage.path(p), epoch, epoch);
  }
  utimesSync(stage.root, epoch, epoch);
}

export function sourceDateEpoch(root) {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? Number(r.stdout.trim()) : Math.floor(Date.now() / 1000);
}

function checkBuilt(root) {
  for (const p of [
    'core/dist/cli/osqi.js',
    'core/dist/osqi.bundle.cjs',
    'core/native/build/Release/osq_vtab.node',
  ]) {
    if (!existsSync(join(root, p)))
      throw new Error(`package: ${p} is missing: run npm ci && npm run build first`);
  }
}

/**
 * Build the .deb into `outDir`; returns its path and figures. The runtime bundled is the one
 * running this build, which is the one `npm ci` built the addons with.
 */
export function buildDeb({ root, outDir, compress = ['-Zxz'] }) {
  const nodeBin = process.execPath;
  checkBuilt(root);
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const epoch = sourceDateEpoch(root);
  const work = mkdtempSync(join(tmpdir(), 'osq-deb-'));
  try {
    const stage = new Stage(join(work, 'debian/osq'));
    stage.dir('');
    stageFiles(stage, root, nodeBin);
    strip(stage);

    // The staged tree must run before it is packed: a file the derivation missed fails here.
    // (Without OSQ_WRITE_CODE_CACHE, which would write the cache into the tree.)
    const { OSQ_WRITE_CODE_CACHE: _, ...env } = process.env;
    const base = PREFIX.slice(1);
    run(
      stage.path(`${base}/bin/node`),
      [stage.path(`${base}/core/bin/osqi.mjs`), '--json', 'SELECT 1 AS ok'],
      {
        cwd: '/',
        env,
      },
    );

    const deps = shlibDeps(stage, work);
    const size = installedSize(stage);
    stage.write('DEBIAN/control', control({ version, deps, size }));
    // Every file under /etc is a conffile (as debhelper makes them): an upgrade keeps edits.
    const conffiles = listTree(stage.path('etc')).filter((p) => lstatSync(stage.path(`etc/${p}`)).isFile());
    stage.write('DEBIAN/conffiles', conffiles.map((p) => `/etc/${p}\n`).join(''));
    stage.write('DEBIAN/md5sums', md5sums(stage));
    const vars = { PREFIX, CACHE: `${PREFIX}/${CODE_CACHE}` };
    for (const s of ['postinst', 'prerm', 'postrm']) stage.write(`DEBIAN/${s}`, template(s, vars), 0o755);
    for (const p of listTree(stage.root)) {
      if (lstatSync(stage.path(p)).isDirectory()) chmodSync(stage.path(p), 0o755);
    }
    chmodSync(stage.root, 0o755);
    clampTimes(stage, epoch);

    mkdirSync(outDir, { recursive: true });
    const deb = join(outDir, `osq_${version}_amd64.deb`);
    run('dpkg-deb', ['--root-owner-group', ...compress, '--build', stage.root, deb], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    });
    return {
      deb,
      version,
      installedKiB: size,
      bytes: statSync(deb).size,
      depends: deps.Depends,
      recommends: deps.Recommends,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
