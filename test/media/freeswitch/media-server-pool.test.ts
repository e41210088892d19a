// Several media servers on real FreeSWITCH (skipped unless IVR_DRACHTIO and IVR_FREESWITCH are set): each new call
// goes to the least loaded server; when one goes away, a call up on the other goes on (a prompt plays to its end,
// keys still arrive), the engine reports it down and new calls all avoid it; once it is back the pool reconnects
// on its own and new calls go to it again. sipp calls through drachtio-server.
//
// The two media servers are two FreeSWITCH processes: the first IVR_FREESWITCH names and, when it names only one,
// a second one this file starts from the first one's installation (its base_dir and mod_dir, asked over the event
// socket) with deploy/freeswitch/freeswitch.xml on ports of its own (event socket and SIP on free ports, RTP
// 31000-31499). When that is not possible (FreeSWITCH not on this machine), the test is skipped and says why; two
// servers named in IVR_FREESWITCH are used as they are. Two event sockets of ONE FreeSWITCH would not do: each
// heartbeat reports that FreeSWITCH's whole session count to both entries, so the two always weigh the same once a
// heartbeat has come (every 5 s) and the pick falls to the first on the tie.
//
// The engine reaches each event socket through a TCP proxy this file owns (127.0.0.1). "B goes away" is that proxy
// closing with its connections (a FIN on the engine's event-socket connection, then refused connections): to the
// engine, an event socket that closed as it does when FreeSWITCH stops or restarts. It is not a FreeSWITCH crash: B
// itself keeps running, so this does not show what becomes of calls on B when B dies (none is up on B then), nor B
// coming back with a fresh state; nor a network cut that sends no FIN or RST (the pool does not notice that).
// Where a call went is read from engine.mediaServers() (the sessions the runtime holds on each server).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { CallLeg } from '../../../runtime/media/contract.ts';
import { FreeswitchEngine } from '../../../runtime/media/freeswitch/engine.ts';
import { runCueSipp, tempDir } from '../../calls/harness.ts';
import { writeDigitsPcap } from '../../calls/pcap.ts';
import { PROMPT_HZ } from '../contract-cases-media.ts';
import { writeTone } from '../contract-peers.ts';
import { killPeers, runSipp, waitFor, type SippRun } from '../embedded/sip/peers.ts';
import { freeswitchEnv } from './env.ts';
import { startSecondFreeswitch, TcpProxy, type EventSocket, type SecondFreeswitch } from './pool-servers.ts';

const env = freeswitchEnv();

interface Placed {
  leg: CallLeg;
  /** Index of the media server the call went to (the order given to the engine). */
  server: number;
  sipp: SippRun;
}

describe.skipIf(!env)('several media servers on FreeSWITCH (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  let dir: string;
  let prompt: string;
  let skipReason: string | undefined;
  let second: SecondFreeswitch | undefined;
  const proxies: TcpProxy[] = [];
  let engine: FreeswitchEngine | undefined;
  const legs: CallLeg[] = [];
  const answerErrors: Error[] = [];
  /** The call that stays up on one server while the other goes away and comes back. */
  let lasting: Placed & { sipp: SippRun & { cue: () => Promise<void> } };
  let other: number;

  const sessions = (): number[] => engine!.mediaServers().map((s) => s.sessions);
  const ready = (ctx: TestContext): void => {
    if (skipReason) ctx.skip(skipReason);
    expect(engine, 'the engine did not start').toBeDefined();
  };

  /** Starts a caller and waits until its call is answered; tells which server it went to. */
  async function place<R extends SippRun>(start: () => Promise<R>): Promise<Placed & { sipp: R }> {
    const before = sessions();
    const seen = legs.length;
    const sipp = await start();
    const leg = await waitFor(
      () => answerErrors[0] ?? (legs[seen]?.state === 'answered' && legs[seen]),
      15_000,
      'the call to be answered',
    );
    if (leg instanceof Error) throw leg;
    const grew = sessions().map((n, i) => n - before[i]);
    expect(
      grew.filter((n) => n !== 0),
      `sessions went from ${before} to ${sessions()}`,
    ).toEqual([1]);
    return { leg, server: grew.indexOf(1), sipp };
  }

  const waitingCaller = () =>
    place(() => runSipp('uac_wait_bye.xml', `127.0.0.1:${engine!.sipPort}`, { timeoutSec: 60 }));

  /** The runtime hangs up; the caller (waiting for that BYE) ends well and the server's count goes down. */
  async function hangUp(call: Placed): Promise<void> {
    const held = sessions()[call.server];
    await call.leg.hangup();
    const result = await call.sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => sessions()[call.server] === held - 1, 5000, 'the session to be released');
  }

  beforeAll(async () => {
    dir = tempDir('fs-pool-');
    prompt = join(dir, 'prompt.wav');
    writeTone(prompt, 1, PROMPT_HZ);
    writeDigitsPcap(join(dir, 'digits.pcap'), '42', { first: 0 });
    let servers: EventSocket[] = env!.mediaServers.slice(0, 2);
    if (servers.length < 2) {
      const started = await startSecondFreeswitch(servers[0]);
      if (typeof started === 'string') {
        skipReason = `needs two FreeSWITCH servers: IVR_FREESWITCH names one and a second cannot be started (${started})`;
        return;
      }
      second = started;
      servers = [servers[0], started];
    }
    for (const s of servers) {
      const proxy = new TcpProxy(s);
      await proxy.listen();
      proxies.push(proxy);
    }
    const e = new FreeswitchEngine({
      drachtio: env!.drachtio,
      mediaServers: servers.map((s, i) => ({ ...s, address: '127.0.0.1', port: proxies[i].port })),
      holdMusic: prompt,
      ttsDir: join(dir, 'tts'),
    });
    e.on('incoming', (leg) => {
      legs.push(leg);
      leg.answer().catch((err: Error) => answerErrors.push(err));
    });
    await e.start();
    engine = e;
  });

  afterAll(async () => {
    killPeers();
    await engine?.stop();
    for (const p of proxies) await p.close();
    await second?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('spreads calls by load: with a call up on one server, the next call goes to the other', async (ctx) => {
    ready(ctx);
    expect(engine!.mediaServers()).toMatchObject([
      { up: true, sessions: 0 },
      { up: true, sessions: 0 },
    ]);
    lasting = await place(() =>
      runCueSipp(dir, 'uac_digits_on_cue.xml', `127.0.0.1:${engine!.sipPort}`, {
        service: '900',
        timeoutSec: 90,
        vars: { CALLER: '5551234', DIR: dir },
      }),
    );
    other = 1 - lasting.server;
    const next = await waitingCaller();
    expect(next.server).toBe(other);
    expect(sessions()).toEqual([1, 1]);
    await hangUp(next);
    expect(sessions()[lasting.server]).toBe(1);
  }, 60_000);

  it('when one goes away: the call on the other goes on, the engine reports it down, new calls avoid it', async (ctx) => {
    ready(ctx);
    const digits: string[] = [];
    lasting.leg.on('dtmf', (ev) => digits.push(ev.digit));
    let hungUp = false;
    lasting.leg.on('hangup', () => (hungUp = true));

    await proxies[other].close();
    await waitFor(() => !engine!.mediaServers()[other].up, 10_000, 'the engine to see the server go');
    expect(engine!.mediaServersUp).toBe(1);
    expect(engine!.mediaServers()[lasting.server].up).toBe(true);

    // The call on the server that stayed: a prompt plays to its end, then the caller's keys arrive.
    const played = await lasting.leg.play([{ kind: 'file', path: prompt }], { bargein: false });
    expect(played).toEqual({ reason: 'completed', errors: [] });
    await lasting.sipp.cue();
    await waitFor(() => digits.join('') === '42', 10_000, `the keys 42 (got "${digits.join('')}")`);
    expect(lasting.leg.state).toBe('answered');
    expect(hungUp).toBe(false);

    // New calls all go to the server that is up, although it is the more loaded one.
    const a = await waitingCaller();
    const b = await waitingCaller();
    expect([a.server, b.server]).toEqual([lasting.server, lasting.server]);
    expect(engine!.mediaServers()[other]).toMatchObject({ up: false, sessions: 0 });
    await hangUp(a);
    await hangUp(b);
    expect(answerErrors).toEqual([]);
  }, 90_000);

  it('when it is back: the pool reconnects by itself and new calls go to it again', async (ctx) => {
    ready(ctx);
    await proxies[other].listen();
    // The pool retries after 0.5, 1, 2, 5, then every 10 s: back within one 10 s step and the reconnect itself.
    await waitFor(() => engine!.mediaServers()[other].up, 20_000, 'the pool to reconnect');
    expect(engine!.mediaServersUp).toBe(2);
    expect(proxies[other].connections).toBeGreaterThan(0);

    const next = await waitingCaller();
    expect(next.server).toBe(other);
    await hangUp(next);

    await hangUp(lasting);
    expect(sessions()).toEqual([0, 0]);
    expect(answerErrors).toEqual([]);
  }, 60_000);
});
