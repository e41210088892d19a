// `ivr serve` as a child process: answers /healthz, takes a sipp call with --flow and logs it, exits 0 on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killPeers, runSipp } from '../media/embedded/sip/peers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ivr-serve-'));
const children = new Set<ChildProcess>();

afterEach(() => killPeers());
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:prompt><tns:audio src="[FILE_PATH]/delicious/goodbye.wav"/></tns:prompt>
    <tns:assign name="seen" expr="'yes'"/>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

interface Served {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function ivr(args: string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, [join(ROOT, 'bin/ivr.js'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      IVR_RECORDINGS: join(dir, 'rec'),
      IVR_VOICEMAIL: join(dir, 'voicemail'),
      IVR_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      res({ code, signal });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Resolves with the first match of `re` in the child's standard output; rejects if it exits first. */
function output(s: Served, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((res, rej) => {
    const check = () => {
      const m = re.exec(s.stdout());
      if (!m) return;
      s.child.stdout!.off('data', check);
      res(m);
    };
    s.child.stdout!.on('data', check);
    check();
    void s.exit.then(({ code }) => rej(new Error(`ivr exited (${code}): ${s.stderr()}`)));
  });
}

/** The ports printed on the `ivr: HTTP on …` line. */
async function ports(s: Served): Promise<{ http: number; sip?: number }> {
  const m = await output(s, /HTTP on http:\/\/127\.0\.0\.1:(\d+)(?:, SIP on 127\.0\.0\.1:(\d+))?/);
  return { http: Number(m[1]), sip: m[2] === undefined ? undefined : Number(m[2]) };
}

describe('ivr serve', () => {
  it('answers /healthz, takes a SIP call with --flow, logs it, and exits 0 on SIGTERM', async () => {
    const flow = join(dir, 'flow.xml');
    writeFileSync(flow, FLOW);
    const db = join(dir, 'serve.db');
    const s = ivr([
      'serve',
      '--flow',
      flow,
      '--http-port',
      '0',
      '--sip-port',
      '0',
      '--db',
      db,
      '--host',
      '127.0.0.1',
    ]);
    const p = await ports(s);
    const health = await fetch(`http://127.0.0.1:${p.http}/healthz`);
    expect(await health.json()).toEqual({ ok: true, calls: 0 });

    const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${p.sip}`, { service: '1000', timeoutSec: 20 });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    const list = (await (await fetch(`http://127.0.0.1:${p.http}/api/calls`)).json()) as {
      calls: {
        callid: string;
        state: string;
        caller: string;
        callee: string;
        result: string;
        endReason: string;
      }[];
    };
    expect(list.calls).toHaveLength(1);
    expect(list.calls[0]).toMatchObject({
      state: 'STATE_RECEIVED',
      caller: '5551234',
      callee: '1000',
      endReason: 'hangup',
      result: 'state=1',
    });
    const trace = (await (
      await fetch(`http://127.0.0.1:${p.http}/api/calls/${encodeURIComponent(list.calls[0].callid)}/trace`)
    ).json()) as {
      type: string;
    }[];
    expect(trace.map((e) => e.type)).toEqual(expect.arrayContaining(['prompt.end', 'assign', 'hangup']));

    s.child.kill('SIGTERM');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toMatch(/SIGTERM: draining calls/);
  });

  it('exits 2 naming the bad key when the configuration is invalid', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ http: { port: 'eighty' } }));
    const s = ivr(['serve', '--config', config, '--no-sip']);
    expect((await s.exit).code).toBe(2);
    expect(s.stderr()).toMatch(/http\.port \(in .*bad\.json\)/);
  });

  it('refuses to start with a flow file that has errors', async () => {
    const flow = join(dir, 'broken.xml');
    writeFileSync(flow, FLOW.replace('<tns:hangup/>', '<tns:goto next="#missing"/>'));
    const s = ivr(['serve', '--flow', flow, '--no-sip', '--http-port', '0', '--db', join(dir, 'b.db')]);
    expect((await s.exit).code).toBe(1);
    expect(s.stderr()).toMatch(/E_GOTO_TARGET/);
  });
});

describe('ivr demo seeding', () => {
  it('publishes each example once, routes free numbers, and points check URLs at the running backend', async () => {
    const { openStore } = await import('../../runtime/callcenter/store/db.ts');
    const { seedExamples } = await import('../../runtime/cli/commands/demo.ts');
    const store = await openStore(join(dir, 'demo.db'));
    await store.flows.create({ id: 'mine', name: 'Mine', xml: '<x/>', now: 1 });
    await store.routes.upsert({ number: '1001', flowId: 'mine' });
    const routes = await seedExamples(store, join(ROOT, 'examples'), 18080);
    expect(routes).toContainEqual({ number: '1000', flowId: 'food-ordering' });
    // 1001 was taken, so after-hours gets the first free number from 1005.
    expect(routes).toContainEqual({ number: '1005', flowId: 'after-hours' });
    const food = await store.flows.published('food-ordering');
    expect(food?.version).toBe(1);
    expect(food?.xml).toContain('http://127.0.0.1:18080/Oms/StateHttpTestServlet');
    expect(food?.xml).not.toContain(':8080/');
    expect(await seedExamples(store, join(ROOT, 'examples'), 18080)).toEqual(routes);
    expect(await store.flows.versions('food-ordering')).toHaveLength(1);
    await store.close();
  });
});

describe('ivr demo', () => {
  it('prints how to call it, serves the seeded flows and routes, and exits 0 on SIGTERM', async () => {
    const db = join(dir, 'demo-run', 'ivr.db');
    const s = ivr(['demo', '--http-port', '0', '--sip-port', '0', '--db', db], {
      IVR_DEMO_BACKEND_PORT: '0',
    });
    const http = Number((await output(s, /Designer +http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    await output(s, /Examples backend/);
    const p = { http };
    const out = s.stdout();
    expect(out).toMatch(/user 801 {2}password \S+ {2}domain 127\.0\.0\.1:\d+/);
    expect(out).toMatch(/1000 {2}food-ordering +sip:1000@127\.0\.0\.1:\d+/);
    const routes = await (await fetch(`http://127.0.0.1:${p.http}/api/routes`)).json();
    expect(routes).toContainEqual({ number: '1000', flowId: 'food-ordering' });
    const flows = (await (await fetch(`http://127.0.0.1:${p.http}/api/flows`)).json()) as {
      publishedVersion: number;
    }[];
    expect(flows.length).toBeGreaterThanOrEqual(5);
    expect(flows.every((f) => f.publishedVersion === 1)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exit).toEqual({ code: 0, signal: null });
  });
});
