#!/usr/bin/env node
// Installs what `npm start` / `npm test` need and is missing: Debian packages (as root, with apt-get),
// npm dependencies, and the built designer. Plain Node with no dependencies, because it runs before them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const sqlite = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(marker) && mtime(marker) >= mtime(lock) && existsSync(sqlite)) return;
  log('installing npm dependencies (npm ci; better-sqlite3 builds from source, about a minute)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : mtime(p));
  }
  return newest;
}

function ensureDesignerBuilt() {
  const src = join(root, 'designer');
  if (!existsSync(join(src, 'index.html'))) return;
  const built = join(src, 'dist', 'index.html');
  const inputs = Math.max(
    newestIn(join(src, 'src')),
    newestIn(join(root, 'schema')),
    mtime(join(src, 'index.html')),
    mtime(join(src, 'vite.config.ts')),
  );
  if (existsSync(built) && mtime(built) >= inputs) return;
  log('building the designer (vite build)');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: src,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureDebianPackages(DEBIAN[mode] ?? DEBIAN.test);
ensureNodeModules();
ensureDesignerBuilt();
