// Starts the real HTTP API on 127.0.0.1:0 over a temporary SQLite store and sound root, for the API tests.
import { ConfinedRoot } from '../../runtime/files/confined-root.ts';
import { openBrowserCall } from '../../runtime/media/browser/channel.ts';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../runtime/config/load.ts';
import type { Config } from '../../runtime/config/schema.ts';
import { createLogger } from '../../runtime/log.ts';
import { openStore, type Store } from '../../runtime/callcenter/store/db.ts';
import { FlowRegistry } from '../../runtime/callcenter/flow-registry.ts';
import { CallCenter } from '../../runtime/callcenter/call-center.ts';
import { createApp, listen } from '../../runtime/api/app.ts';

export const REPO_SOUNDS = resolve(import.meta.dirname, '../../sounds');

export interface ApiHarness {
  base: string;
  dir: string;
  config: Config;
  store: Store;
  calls: CallCenter;
  soundRoot: string;
  designerDir: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Config overrides as dotted keys (`auth.apiKeys`). */
  overrides?: Record<string, unknown>;
  /** Sound root; default an empty temporary folder. */
  soundRoot?: string;
}

export async function startApi(opts: HarnessOptions = {}): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-api-'));
  const soundRoot = opts.soundRoot ?? join(dir, 'sounds');
  const designerDir = join(dir, 'designer');
  mkdirSync(soundRoot, { recursive: true });
  const config = loadConfig({
    env: {},
    overrides: { db: join(dir, 'ivr.db'), 'log.level': 'silent', 'sip.enabled': false, ...opts.overrides },
  });
  const log = createLogger('silent');
  const store = await openStore(config.db);
  const flows = new FlowRegistry(store);
  const calls = new CallCenter({
    store,
    log,
    host: '127.0.0.1',
    maxTraceEvents: config.calls.maxTraceEvents,
    flows: flows,
    sounds: { ringback: '/nonexistent/ringback.wav', notReached: '/nonexistent/not_reached.wav' },
    ringSec: 10,
    hasTrunk: false,
    session: { soundRoot, maxSteps: config.calls.maxSteps, check: { timeoutMs: 3000 } },
    voicemail: new ConfinedRoot(join(dir, 'voicemail')),
  });
  await calls.load(config);
  const app = createApp({
    config,
    store,
    calls,
    flows,
    log,
    sounds: new ConfinedRoot(soundRoot),
    recordings: new ConfinedRoot(join(dir, 'recordings')),
    openBrowserCall,
    designerDir,
  });
  const server = await listen(app, '127.0.0.1', 0);
  return {
    base: `http://127.0.0.1:${server.port}`,
    dir,
    config,
    store,
    calls,
    soundRoot,
    designerDir,
    close: async () => {
      await calls.drain(5000);
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fetch returning status and parsed JSON body (or text when not JSON). It sends `X-Requested-With` like the
 * designer, so a POST without a JSON body passes the request guard (test/api/guard.test.ts sends bare requests).
 */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // The body is whatever the server sent; the tests' assertions are what check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const init: RequestInit = { method, headers: { 'x-requested-with': 'api-test', ...headers } };
  if (body !== undefined) {
    init.body =
      typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body);
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
