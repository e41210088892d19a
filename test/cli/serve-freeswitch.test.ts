// `ivr serve --engine freeswitch` without drachtio-server or FreeSWITCH to reach: it stops at start, exit 1, with
// an error that names what it could not reach (closed loopback ports; no FreeSWITCH needed).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ivr-serve-fs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs `ivr serve …` to its exit. */
function serve(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/ivr.js'), 'serve', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      IVR_DB: join(dir, 'ivr.db'),
      IVR_RECORDINGS: join(dir, 'rec'),
      IVR_VOICEMAIL: join(dir, 'voicemail'),
      IVR_HTTP_PORT: '0',
      IVR_LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.once('exit', (code) => r({ code, stderr })));
}

describe('ivr serve --engine freeswitch', () => {
  it('exits 1 naming drachtio-server when its admin port is closed', async () => {
    const port = await closedPort();
    const config = join(dir, 'fs.json');
    writeFileSync(
      config,
      JSON.stringify({
        freeswitch: {
          drachtio: { host: '127.0.0.1', port, secret: 'not-the-default' },
          mediaServers: [{ address: '127.0.0.1', port: await closedPort(), secret: 'not-ClueCon' }],
          connectTimeoutMs: 2000,
        },
      }),
    );
    const { code, stderr } = await serve(['--config', config, '--engine', 'freeswitch']);
    expect(code).toBe(1);
    expect(stderr).toContain(`ivr: drachtio-server at 127.0.0.1:${port}: connect ECONNREFUSED`);
  }, 30_000);

  it('exits 1 asking for the drachtio secret when the configuration has none', async () => {
    const { code, stderr } = await serve(['--engine', 'freeswitch']);
    expect(code).toBe(1);
    expect(stderr).toContain('engine "freeswitch" needs freeswitch.drachtio.secret');
  }, 30_000);

  it('exits 2 on an unknown engine', async () => {
    const { code, stderr } = await serve(['--engine', 'asterisk']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/engine/);
  }, 30_000);
});
