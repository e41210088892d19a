// SIP torture messages sent to a running engine over UDP and over TCP: the right answer or silence, never a crash.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../../runtime/media/embedded/engine.ts';
import { header, parseMessage, type SipResponse } from '../../../../runtime/media/embedded/sip/message.ts';
import { TORTURE_CASES } from '../fixtures/torture/cases.ts';
import { killPeers, runSipp } from './peers.ts';

let engine: EmbeddedEngine;
let udp: UdpSocket;
/** Responses received on the UDP socket (each TCP case keeps its own); `waiters` re-check on each arrival. */
const received: SipResponse[] = [];
let waiters: (() => void)[] = [];

beforeAll(async () => {
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp', 'tcp'],
    extensions: [{ number: '801', password: 'torture-801' }],
  });
  // Torture INVITEs that parse are valid calls: refuse them as busy.
  engine.on('incoming', (leg) => void (leg.from !== '5551234' && leg.hangup('busy')));
  engine.setAdmission((req) => {
    if (req.to === '999') return { action: 'reject', status: 404, reason: 'not routed' };
    if (req.from === '801' && !req.authenticatedAs) return { action: 'challenge' };
    return { action: 'accept' };
  });
  await engine.start();
  udp = createSocket('udp4');
  udp.on('message', (data) => collect(data, received));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  killPeers();
  udp.close();
  await engine.stop();
});

function collect(data: Buffer, into: SipResponse[]): void {
  // Answers to broken requests echo their broken headers: read them leniently.
  const res = parseMessage(data);
  const m = res.ok ? res.message : res.partial;
  if (m?.kind === 'response') into.push(m);
  for (const w of waiters) w();
}

/** An OPTIONS whose 200 marks the end of what the engine said about the message sent before it. */
function probe(n: number, transport: 'UDP' | 'TCP', port: number): Buffer {
  return Buffer.from(
    [
      'OPTIONS sip:probe@127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKprobe${n}`,
      'From: <sip:probe@127.0.0.1>;tag=p',
      'To: <sip:probe@127.0.0.1>',
      `Call-ID: probe-${n}`,
      `CSeq: ${n} OPTIONS`,
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

function until(check: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    const w = (): void => {
      if (!check()) return;
      clearTimeout(timer);
      waiters = waiters.filter((x) => x !== w);
      resolve();
    };
    waiters.push(w);
    w();
  });
}

/** The message of a case and its Call-ID (the first one, read leniently: some cases break the header on purpose). */
function load(name: string, suffix = ''): { data: Buffer; callId: string } {
  // Over TCP branch and Call-ID get a suffix: the same ones again would retransmit the UDP transaction.
  const raw = readFileSync(new URL(`../fixtures/torture/${name}.sip`, import.meta.url)).toString('latin1');
  const text = raw
    .replace(/branch=z9hG4bK/gi, `$&${suffix}`)
    .replace(/^((?:call-id|i)\s*:\s*)(\S+)/gim, `$1${suffix}$2`);
  const callId = /^(?:call-id|i)\s*:\s*(.*?)\s*$/im.exec(text)?.[1] ?? '';
  return { data: Buffer.from(text, 'latin1'), callId };
}

/** Distinct statuses answered to `callId`, in order of arrival. */
function statusesFor(responses: SipResponse[], callId: string): number[] {
  const mine = responses.filter((r) => (header(r, 'call-id') ?? '') === callId);
  return [...new Set(mine.map((r) => r.status))];
}

/** The probe's 200 came and, when an answer is expected, so did the last expected status. */
function settled(
  responses: () => SipResponse[],
  expected: number[],
  callId: string,
  n: number,
): () => boolean {
  const last = expected.at(-1);
  return () =>
    statusesFor(responses(), `probe-${n}`).includes(200) &&
    (last === undefined || statusesFor(responses(), callId).includes(last));
}

let n = 0;

describe('torture messages over UDP', () => {
  it.each(TORTURE_CASES)('$name -> $engine', async (c) => {
    const { data, callId } = load(c.name);
    const i = ++n;
    const before = received.length;
    const send = (b: Buffer): Promise<void> =>
      new Promise((resolve, reject) =>
        udp.send(b, engine.sipPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    await send(data);
    await send(probe(i, 'UDP', udp.address().port));
    const mine = (): SipResponse[] => received.slice(before);
    await until(settled(mine, c.engine, callId, i), 5000, `the answers to ${c.name}`);
    // A final response comes once; the 486 to an INVITE may also be retransmitted (Timer G) before the probe.
    expect(statusesFor(mine(), callId)).toEqual(c.engine);
  });
});

describe('torture messages over TCP', () => {
  it.each(TORTURE_CASES.map((c) => ({ ...c, expected: c.tcp ?? c.engine })))(
    '$name -> $expected',
    async (c) => {
      const { data, callId } = load(c.name, 'tcp');
      const i = ++n;
      const mine: SipResponse[] = [];
      const sock: Socket = connect({ host: '127.0.0.1', port: engine.sipPort });
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
      });
      sock.on('error', () => {});
      let closed = false;
      const gone = new Promise<void>((resolve) => sock.once('close', () => resolve()));
      void gone.then(() => {
        closed = true;
        for (const w of waiters) w();
      });
      let buffer = Buffer.alloc(0);
      sock.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        // Responses are framed by Content-Length; split and hand each to the common collector.
        for (;;) {
          const res = parseMessage(buffer, { stream: true });
          if (!res.ok && res.incomplete) break;
          const end = res.ok ? buffer.length - res.rest.length : buffer.length;
          collect(buffer.subarray(0, end), mine);
          buffer = buffer.subarray(end);
          if (!buffer.length) break;
        }
      });
      sock.write(data);
      if (c.incompleteOnStream) {
        sock.end(); // the engine is still waiting for the body: only our close ends it
        await gone;
      } else {
        sock.write(probe(i, 'TCP', sock.localPort ?? 0));
        // A framing error answers 400 and closes the connection: the probe is never read then.
        const done = settled(() => mine, c.expected, callId, i);
        const answered = (): boolean => statusesFor(mine, callId).length >= c.expected.length;
        await until(() => done() || (closed && answered()), 5000, c.name);
        sock.destroy();
      }
      expect(statusesFor(mine, callId)).toEqual(c.expected);
    },
  );
});

describe('after the torture', () => {
  it('still serves a call', async () => {
    const answered = new Promise<void>((resolve) => {
      engine.on('incoming', (leg) => {
        if (leg.from !== '5551234') return;
        void leg
          .answer()
          .then(() => leg.hangup())
          .then(resolve);
      });
    });
    const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${engine.sipPort}`);
    await answered;
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
  });
});
