// Configuration: defaults, the file, IVR_* overrides, command-line overrides, and errors naming the bad key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../runtime/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default when nothing is given', () => {
    const c = loadConfig({ env: {} });
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 12121 });
    expect(c.sip).toMatchObject({ enabled: true, port: 5060, transports: ['udp', 'tcp'] });
    expect(c.sip.tcp).toEqual({ idleTimeoutSec: 120, maxConnections: 1024, maxConnectionsPerSource: 32 });
    expect(c.sip.authFailures).toEqual({ limit: 10, windowSec: 60, blockSec: 300 });
    expect(c.sip.mediaTimeoutMs).toBe(60000);
    expect(c.sip.mediaWorker).toBe(true);
    expect(c.db).toBe('data/ivr.db');
    expect(c.sounds).toBe('sounds');
    expect(c.recordings).toBe('data/recordings');
    expect(c.voicemail).toBe('data/voicemail');
    expect(c.callCenter.sms).toEqual({ channels: [], timeoutMs: 5000, maxBytes: 1024 });
    expect(c.extensions).toEqual([]);
    expect(c.auth).toEqual({ apiKeys: [], loopbackOpen: true, trustedClients: [] });
  });

  it('reads the file named by IVR_CONFIG and keeps defaults for what it leaves out', () => {
    const path = file(
      'a.json',
      JSON.stringify({ http: { port: 9000 }, extensions: [{ number: '801', password: 'secret1' }] }),
    );
    const c = loadConfig({ env: { IVR_CONFIG: path } });
    expect(c.http).toMatchObject({ port: 9000, host: '127.0.0.1' });
    expect(c.extensions).toEqual([{ number: '801', password: 'secret1', permissions: [] }]);
  });

  it('lets IVR_* variables override the file, and the command line override both', () => {
    const path = file('b.json', JSON.stringify({ http: { port: 9000 }, db: 'x.db', sip: { port: 5070 } }));
    const env = {
      IVR_HTTP_PORT: '9100',
      IVR_HTTP_HOST: '0.0.0.0',
      IVR_SIP_PORT: '5080',
      IVR_SIP_HOST: '10.0.0.5',
      IVR_DB: 'env.db',
      IVR_SOUNDS: '/srv/sounds',
      IVR_RECORDINGS: '/srv/rec',
      IVR_VOICEMAIL: '/srv/vm',
      IVR_LOG_LEVEL: 'debug',
      IVR_API_KEYS: 'aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2',
      IVR_DRAIN_MS: '1500',
    };
    const c = loadConfig({ file: path, env, overrides: { 'sip.port': 5090 } });
    expect(c.http).toMatchObject({ port: 9100, host: '0.0.0.0' });
    expect(c.sip).toMatchObject({ port: 5090, host: '10.0.0.5' });
    expect(c.db).toBe('env.db');
    expect(c.sounds).toBe('/srv/sounds');
    expect(c.recordings).toBe('/srv/rec');
    expect(c.voicemail).toBe('/srv/vm');
    expect(c.log.level).toBe('debug');
    expect(c.auth.apiKeys).toEqual(['aaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbbb2']);
    expect(c.calls.drainDeadlineMs).toBe(1500);
  });

  it('names the bad key and where it came from', () => {
    const path = file(
      'c.json',
      JSON.stringify({ http: { port: 70000, colour: 'red' }, routes: [{ number: '1', flowId: 'a b' }] }),
    );
    const found = problems(() => loadConfig({ file: path, env: {} }));
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^http\\.port \\(in ${path}\\): .*65535`)));
    expect(found).toContainEqual(expect.stringMatching(/^http \(in .*\): Unrecognized key.*colour/));
    expect(found).toContainEqual(expect.stringMatching(/^routes\.0\.flowId/));
    const env = problems(() => loadConfig({ env: { IVR_HTTP_PORT: 'eighty', IVR_LOG_LEVEL: 'loud' } }));
    expect(env).toContainEqual(expect.stringMatching(/^http\.port \(from IVR_HTTP_PORT\): /));
    expect(env).toContainEqual(expect.stringMatching(/^log\.level \(from IVR_LOG_LEVEL\): /));
    const cli = problems(() => loadConfig({ env: {}, overrides: { 'http.port': 'x' } }));
    expect(cli).toEqual([expect.stringMatching(/^http\.port \(from the command line\)/)]);
  });

  it('reports unreadable and malformed files', () => {
    expect(problems(() => loadConfig({ file: join(dir, 'missing.json'), env: {} }))[0]).toMatch(
      /cannot read \(ENOENT\)/,
    );
    expect(problems(() => loadConfig({ file: file('d.json', '{ nope'), env: {} }))[0]).toMatch(
      /not valid JSON/,
    );
    expect(problems(() => loadConfig({ file: file('e.json', '[1]'), env: {} }))[0]).toMatch(
      /must be a JSON object/,
    );
    const short = problems(() =>
      loadConfig({ file: file('f.json', '{"auth":{"apiKeys":["short"]}}'), env: {} }),
    );
    expect(short[0]).toMatch(/^auth\.apiKeys\.0 .*at least 16/);
  });

  it('reads the host names and origins the HTTP server accepts, and names bad ones', () => {
    expect(loadConfig({ env: {} }).http).toMatchObject({ allowedHosts: [], allowedOrigins: [] });
    const env = {
      IVR_HTTP_ALLOWED_HOSTS: 'ivr.office.lan, *.pbx.example,192.168.1.20:8080,[fe80::1]',
      IVR_HTTP_ALLOWED_ORIGINS: 'https://ivr.example.com',
    };
    expect(loadConfig({ env }).http).toMatchObject({
      allowedHosts: ['ivr.office.lan', '*.pbx.example', '192.168.1.20:8080', '[fe80::1]'],
      allowedOrigins: ['https://ivr.example.com'],
    });
    const bad = problems(() =>
      loadConfig({
        env: {
          IVR_HTTP_ALLOWED_HOSTS: 'evil@localhost,a/b',
          IVR_HTTP_ALLOWED_ORIGINS: 'https://ivr.example.com/,ftp://x,null',
        },
      }),
    );
    for (const key of [
      'allowedHosts.0',
      'allowedHosts.1',
      'allowedOrigins.0',
      'allowedOrigins.1',
      'allowedOrigins.2',
    ]) {
      expect(bad).toContainEqual(
        expect.stringMatching(new RegExp(`^http\\.${key} \\(from IVR_HTTP_ALLOWED_`)),
      );
    }
  });

  it('reads sip.mediaWorker from the file or IVR_SIP_MEDIA_WORKER, true or false only', () => {
    const path = file('w.json', JSON.stringify({ sip: { mediaWorker: false } }));
    expect(loadConfig({ file: path, env: {} }).sip.mediaWorker).toBe(false);
    expect(loadConfig({ file: path, env: { IVR_SIP_MEDIA_WORKER: 'true' } }).sip.mediaWorker).toBe(true);
    expect(loadConfig({ env: { IVR_SIP_MEDIA_WORKER: '0' } }).sip.mediaWorker).toBe(false);
    expect(problems(() => loadConfig({ env: { IVR_SIP_MEDIA_WORKER: 'yes' } }))).toEqual([
      expect.stringMatching(/^sip\.mediaWorker \(from IVR_SIP_MEDIA_WORKER\): /),
    ]);
  });

  it('reads sip.mediaTimeoutMs from the file or IVR_SIP_MEDIA_TIMEOUT_MS: 0 (off) or 1 s to 1 h', () => {
    const path = file('g.json', JSON.stringify({ sip: { mediaTimeoutMs: 0 } }));
    expect(loadConfig({ file: path, env: {} }).sip.mediaTimeoutMs).toBe(0);
    const env = { IVR_SIP_MEDIA_TIMEOUT_MS: '2000' };
    expect(loadConfig({ file: path, env }).sip.mediaTimeoutMs).toBe(2000);
    for (const bad of [500, -1, 1.5, 3600001]) {
      const found = problems(() => loadConfig({ env: {}, overrides: { 'sip.mediaTimeoutMs': bad } }));
      expect(found, String(bad)).toEqual([
        expect.stringMatching(/^sip\.mediaTimeoutMs \(from the command line\): /),
      ]);
    }
    expect(problems(() => loadConfig({ env: { IVR_SIP_MEDIA_TIMEOUT_MS: 'soon' } }))).toEqual([
      expect.stringMatching(/^sip\.mediaTimeoutMs \(from IVR_SIP_MEDIA_TIMEOUT_MS\): /),
    ]);
    expect(problems(() => loadConfig({ env: {}, overrides: { 'sip.mediaTimeoutMs': 999 } }))[0]).toMatch(
      /0 \(off\) or 1000 to 3600000 ms/,
    );
  });

  it('accepts the example configuration shipped with the repository', () => {
    const c = loadConfig({ file: join(import.meta.dirname, '../../ivr.config.example.json'), env: {} });
    expect(c.extensions.length).toBeGreaterThan(0);
    expect(c.routes.length).toBeGreaterThan(0);
  });
});
