// INVITE admission with real sipp callers: reject before ringing, digest challenge (407), `refused` events, and
// failed REGISTER/INVITE authentications logged and blocked per source address.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLeg, IncomingRequest, RefusedCall } from '../../../runtime/media/contract.ts';
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../../../runtime/media/embedded/engine.ts';
import { killPeers, runSipp } from './sip/peers.ts';

const warnings: { obj: Record<string, unknown>; msg: string }[] = [];

function makeEngine(extra: Partial<EmbeddedEngineOptions> = {}): EmbeddedEngine {
  return new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    extensions: [
      { number: '801', password: 'pw-801' },
      { number: '802', password: 'pw-802' },
    ],
    log: { debug: () => {}, warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }) },
    ...extra,
  });
}

function nextEvent<T>(engine: EmbeddedEngine, event: 'refused' | 'incoming'): Promise<T> {
  return new Promise((resolve) => {
    const on = (v: T): void => {
      engine.off(event, on as never);
      resolve(v);
    };
    engine.on(event, on as never);
  });
}

afterEach(() => killPeers());

/** sipp calling `service` as `caller`, expecting a final error at once (uac_refused.xml). */
function refusedCall(
  target: string,
  service: string,
  opts: { caller?: string; codec?: string; localIp?: string } = {},
): ReturnType<typeof runSipp> {
  return runSipp('uac_refused.xml', target, {
    service,
    localIp: opts.localIp,
    extra: ['-key', 'caller', opts.caller ?? '5551234', '-key', 'codec', opts.codec ?? '0'],
  });
}

describe('admission of INVITEs (sipp)', () => {
  let engine: EmbeddedEngine;
  const asked: IncomingRequest[] = [];
  const incoming: CallLeg[] = [];
  beforeAll(async () => {
    engine = makeEngine({ authFailures: { limit: 100, windowMs: 60_000, blockMs: 60_000 } });
    engine.on('incoming', (leg) => incoming.push(leg));
    engine.setAdmission((req) => {
      asked.push(req);
      if (req.to === '999') return { action: 'reject', status: 404, reason: 'no route for 999' };
      if (req.from === '801' && req.authenticatedAs !== '801') return { action: 'challenge' };
      return { action: 'accept' };
    });
    await engine.start();
  });
  afterAll(() => engine.stop());
  const target = (): string => `127.0.0.1:${engine.sipPort}`;

  it('rejects before ringing: 404 with the reason, no 180, a refused event and no leg', async () => {
    asked.length = 0;
    const refused = nextEvent<RefusedCall>(engine, 'refused');
    const sipp = await refusedCall(target(), '999');
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(result.messages).toMatch(/SIP\/2\.0 404 no route for 999\r?\n/);
    expect(result.messages).toMatch(/Reason: SIP;cause=404;text="no route for 999"/);
    expect(result.messages).not.toMatch(/SIP\/2\.0 180/);
    const ev = await refused;
    expect(ev).toEqual({
      from: '5551234',
      to: '999',
      sipCallId: expect.stringMatching(/\S/),
      source: { address: '127.0.0.1', port: expect.any(Number) },
      status: 404,
      reason: 'no route for 999',
    });
    expect(result.messages).toContain(`Call-ID: ${ev.sipCallId}`);
    expect(asked).toEqual([{ from: '5551234', to: '999', source: ev.source, authenticatedAs: undefined }]);
    expect(incoming).toEqual([]);
  });

  it('challenges (407), asks again with authenticatedAs after valid credentials, and the leg carries it', async () => {
    asked.length = 0;
    const leg = nextEvent<CallLeg>(engine, 'incoming');
    const sipp = await runSipp('uac_invite_auth.xml', target(), {
      service: '900',
      extra: ['-key', 'caller', '801', '-au', '801', '-ap', 'pw-801'],
    });
    const answered = await leg;
    expect(answered.authenticatedAs).toBe('801');
    expect(asked.map((r) => [r.from, r.to, r.authenticatedAs])).toEqual([
      ['801', '900', undefined],
      ['801', '900', '801'],
    ]);
    await answered.answer();
    await answered.hangup();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(result.messages).toMatch(/Proxy-Authenticate: Digest realm="127\.0\.0\.1", nonce="[^"]+"/);
  });

  it('answers wrong credentials with 407 twice, then 403, logs each failure and emits refused', async () => {
    warnings.length = 0;
    const refused = nextEvent<RefusedCall>(engine, 'refused');
    const sipp = await runSipp('uac_invite_bad_auth.xml', target(), {
      service: '900',
      extra: ['-key', 'caller', '801', '-au', '801', '-ap', 'wrong'],
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(await refused).toMatchObject({
      from: '801',
      to: '900',
      status: 403,
      reason: 'authentication failed',
    });
    const failures = warnings.filter((w) => w.msg === 'SIP authentication failed');
    expect(failures.map((w) => [w.obj.user, w.obj.method, w.obj.reason])).toEqual(
      Array(3).fill(['801', 'INVITE', 'response']),
    );
    expect(failures.every((w) => /^127\.0\.0\.1:\d+$/.test(String(w.obj.source)))).toBe(true);
  });

  it('survives a refused handler that throws: the caller still gets its answer, the failure is logged', async () => {
    warnings.length = 0;
    const broken = (): void => {
      throw new Error('call log unavailable');
    };
    engine.on('refused', broken);
    try {
      const sipp = await refusedCall(target(), '999');
      const result = await sipp.done;
      expect(result.code, result.errors).toBe(0);
      expect(warnings.map((w) => w.msg)).toContain('refused call handler failed');
    } finally {
      engine.off('refused', broken);
    }
  });

  it('refuses an offer without a common codec (488) with a refused event', async () => {
    const refused = nextEvent<RefusedCall>(engine, 'refused');
    const sipp = await refusedCall(target(), '900', { codec: '18' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(await refused).toMatchObject({ from: '5551234', to: '900', status: 488 });
  });
});

describe('failed registrations (sipp)', () => {
  let engine: EmbeddedEngine;
  beforeAll(async () => {
    engine = makeEngine({ authFailures: { limit: 3, windowMs: 60_000, blockMs: 60_000 } });
    engine.on('incoming', (leg) => void leg.hangup('busy'));
    await engine.start();
  });
  afterAll(() => engine.stop());
  const target = (): string => `127.0.0.1:${engine.sipPort}`;

  /** One sipp REGISTER with a wrong password from `localIp`; the status of the last answer. */
  async function badRegister(localIp: string, user = '801'): Promise<number> {
    const sipp = await runSipp('uac_register_bad.xml', target(), {
      service: user,
      localIp,
      extra: ['-au', user, '-ap', 'wrong'],
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    return Number([...result.messages.matchAll(/SIP\/2\.0 (\d{3})/g)].at(-1)?.[1]);
  }

  it('logs failures with source and user; after 3 the source gets 403, other sources still register', async () => {
    warnings.length = 0;
    // An unknown user and an extension fail alike, and count alike.
    expect([
      await badRegister('127.0.0.3', '555'),
      await badRegister('127.0.0.3'),
      await badRegister('127.0.0.3'),
    ]).toEqual([401, 401, 403]);
    expect(warnings.map((w) => [w.msg, String(w.obj.source).split(':')[0], w.obj.user])).toEqual([
      ['SIP authentication failed', '127.0.0.3', '555'],
      ['SIP authentication failed', '127.0.0.3', '801'],
      ['SIP authentication failed', '127.0.0.3', '801'],
      ['SIP source blocked after failed authentications', '127.0.0.3', '801'],
    ]);
    // Blocked: even the right password gets 403 (the first, credential-less REGISTER already does).
    const blocked = await runSipp('uac_register.xml', target(), {
      service: '802',
      localIp: '127.0.0.3',
      extra: ['-au', '802', '-ap', 'pw-802'],
    });
    const refusedReg = await blocked.done;
    expect(refusedReg.messages).toMatch(/SIP\/2\.0 403 Forbidden \(too many failed authentications\)/);
    expect(refusedReg.code).not.toBe(0);
    // Another source is not affected.
    const good = await runSipp('uac_register.xml', target(), {
      service: '802',
      localIp: '127.0.0.4',
      extra: ['-au', '802', '-ap', 'pw-802'],
    });
    const result = await good.done;
    expect(result.code, result.errors).toBe(0);
  });

  it('refuses INVITEs from a blocked source with 403 and a refused event', async () => {
    const refused = nextEvent<RefusedCall>(engine, 'refused');
    const sipp = await refusedCall(target(), '900', { localIp: '127.0.0.3' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(await refused).toMatchObject({
      source: { address: '127.0.0.3' },
      status: 403,
      reason: 'source blocked after failed authentications',
    });
  });
});
