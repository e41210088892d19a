// Builds the designer when stale and serves designer/dist through the real runtime on 127.0.0.1:0 for browser tests.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../../runtime/config/load.ts';
import { startRuntime } from '../../../runtime/server.ts';

export const root = join(import.meta.dirname, '..', '..', '..');
const dist = join(root, 'designer', 'dist');

function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

function stale(): boolean {
  const built = join(dist, 'index.html');
  const inputs = Math.max(
    newest(join(root, 'designer', 'src')),
    newest(join(root, 'designer', 'public')),
    newest(join(root, 'schema')),
    statSync(join(root, 'designer', 'index.html')).mtimeMs,
    statSync(join(root, 'designer', 'vite.config.ts')).mtimeMs,
  );
  return !existsSync(built) || statSync(built).mtimeMs < inputs;
}

/**
 * Builds designer/dist when it is missing or older than its sources (the rule of scripts/setup.mjs). Test files
 * run in parallel: one builds under a lock file, the others poll (with a deadline) until it is gone.
 */
export async function ensureBuilt(): Promise<void> {
  // Under node_modules (ignored by git): a lock left by a killed run never shows up as a change.
  const lock = join(root, 'node_modules', '.cache', 'ivr-designer-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  while (stale()) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for too long (remove it if no build runs)`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
        cwd: join(root, 'designer'),
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

export interface DesignerHost {
  url: string;
  /** Folder of this host's database and recordings (removed by close). */
  dir: string;
  close(): Promise<void>;
}

/** The real runtime (HTTP only, no SIP; sounds from `opts.sounds`, default the repository's) serving the built designer on 127.0.0.1:0 over a fresh SQLite file. */
export async function startDesignerHost(opts: { sounds?: string } = {}): Promise<DesignerHost> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-designer-'));
  const config = loadConfig({
    env: {},
    overrides: {
      db: join(dir, 'ivr.db'),
      recordings: join(dir, 'recordings'),
      voicemail: join(dir, 'voicemail'),
      sounds: opts.sounds ?? join(root, 'sounds'),
      designer: dist,
      'http.host': '127.0.0.1',
      'http.port': 0,
      'sip.enabled': false,
      'log.level': 'silent',
    },
  });
  const runtime = await startRuntime(config);
  return {
    url: `http://127.0.0.1:${runtime.http.port}`,
    dir,
    close: async () => {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
