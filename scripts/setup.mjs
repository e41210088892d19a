#!/usr/bin/env node
// Installs what `npm start` / `npm test` need and is missing: Debian packages (as root, with apt-get),
// npm dependencies, and the built designer. Plain Node with no dependencies, because it runs before them.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'test';

/** Debian packages per command, and what each is for. */
const DEBIAN = {
  start: {
    'espeak-ng': 'text-to-speech for <tns:tts> prompts',
    sox: 'audio conversion of uploaded prompts',
  },
  test: {
    'espeak-ng': 'text-to-speech for <tns:tts> prompts',
    sox: 'audio conversion of uploaded prompts',
    'libxml2-utils': 'xmllint, validates documents against schema/switchboard.xsd',
    'sip-tester': 'sipp, the SIP peer of the call tests',
    'baresip-core': 'baresip, the softphone peer of the call tests',
    chromium: 'headless browser for the designer tests',
    // Debian's Chromium ships no CJK font: without one, Chinese prompts and the zh interface are drawn as boxes.
    'fonts-noto-cjk': 'Chinese glyphs for the designer tests in zh (Chromium has no CJK font of its own)',
    'python3-zeep': 'zeep, a SOAP client we did not write, reads the WSDLs and calls every operation',
  },
};
// The benchmarks run the tests' peers, and capture RTP on loopback to measure jitter where a phone receives it.
DEBIAN.bench = {
  ...DEBIAN.test,
  tcpdump: 'captures RTP on loopback for the calls benchmark (receiver-side jitter)',
};

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages(wanted) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    log('not a Debian system: install these yourself if missing: ' + Object.keys(wanted).join(' '));
    return;
  }
  const missing = Object.keys(wanted).filter((p) => !installed(p));
  if (missing.length === 0) return;
  const why = missing.map((p) => `${p} (${wanted[p]})`).join(', ');
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages: ${why}`);
    log(`run as root: apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    process.exit(1);
  }
  log(`installing Debian packages: ${why}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// Installed once per lockfile content (not its mtime: a checkout or merge touches the file
// without changing it). The hash of the lockfile the install came from is kept beside it.
function ensureNodeModules() {
  const modules = join(root, 'node_modules');
  const stamp = join(modules, '.setup-lock-sha256');
  const lockHash = createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
  const sqlite = join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(sqlite) && existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) return;
  if (existsSync(sqlite) && !existsSync(stamp) && existsSync(join(modules, '.package-lock.json'))) {
    // Installed before the stamp existed: trust it when npm's own record is newer than the lock.
    if (mtime(join(modules, '.package-lock.json')) >= mtime(join(root, 'package-lock.json'))) {
      writeFileSync(stamp, lockHash);
      return;
    }
  }
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // npm ci would empty the directory it points to, which another checkout is using.
    console.error(
      `[setup] node_modules is a symbolic link and does not match package-lock.json; install in ${realpathSync(modules)}`,
    );
    process.exit(1);
  }
  log('installing npm dependencies (npm ci; better-sqlite3 builds from source, about a minute)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, lockHash);
}

// Every file under dir, in a stable order.
function filesIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? filesIn(join(dir, entry.name)) : [join(dir, entry.name)]));
}

// Built once per content of its inputs (mtimes lie after checkouts and merges); the hash of the
// inputs a build came from is kept in the build.
function ensureDesignerBuilt() {
  const src = join(root, 'designer');
  if (!existsSync(join(src, 'index.html'))) return;
  const inputs = [
    ...filesIn(join(src, 'src')),
    ...filesIn(join(src, 'public')),
    ...filesIn(join(root, 'schema')),
    join(src, 'index.html'),
    join(src, 'vite.config.ts'),
    join(root, 'package-lock.json'),
  ].filter((file) => existsSync(file));
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file));
  const digest = hash.digest('hex');
  const stamp = join(src, 'dist', '.inputs-sha256');
  if (
    existsSync(join(src, 'dist', 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === digest
  )
    return;
  log('building the designer (vite build)');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: src,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, digest);
}

ensureDebianPackages(DEBIAN[mode] ?? DEBIAN.test);
ensureNodeModules();
ensureDesignerBuilt();
