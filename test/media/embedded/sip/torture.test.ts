// RFC 4475 torture messages sent to a running engine over UDP: the right answer or silence, never a crash.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../../runtime/media/embedded/engine.ts';
import { header, parseMessage, type SipResponse } from '../../../../runtime/media/embedded/sip/message.ts';
import { TORTURE_CASES } from '../fixtures/torture/cases.ts';
import { killPeers, runSipp } from './peers.ts';

let engine: EmbeddedEngine;
let sock: Socket;
const received: SipResponse[] = [];
let waiters: (() => void)[] = [];

beforeAll(async () => {
  engine = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['udp'] });
  // Torture INVITEs that parse are valid calls: refuse them as busy.
  engine.on('incoming', (leg) => void (leg.from !== '5551234' && leg.hangup('busy')));
  await engine.start();
  sock = createSocket('udp4');
  sock.on('message', (data) => {
    // Answers to broken requests echo their broken headers: read them leniently.
    const res = parseMessage(data);
    const m = res.ok ? res.message : res.partial;
    if (m?.kind === 'response') received.push(m);
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  killPeers();
  sock.close();
  await engine.stop();
});

/** An OPTIONS whose 200 marks the end of what the engine said about the messages sent before it. */
function probe(n: number): Buffer {
  const port = sock.address().port;
  return Buffer.from(
    [
      'OPTIONS sip:probe@127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKprobe${n}`,
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

function until(check: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the probe')), ms);
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

describe('torture messages over UDP', () => {
  it.each(TORTURE_CASES.map((c, i) => ({ ...c, i })))(
    '$name -> $engine',
    async ({ name, engine: expected, i }) => {
      const data = readFileSync(new URL(`../fixtures/torture/${name}.sip`, import.meta.url));
      const before = received.length;
      const send = (b: Buffer): Promise<void> =>
        new Promise((resolve, reject) =>
          sock.send(b, engine.sipPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
        );
      await send(data);
      await send(probe(i + 1));
      await until(() => received.slice(before).some((r) => header(r, 'call-id') === `probe-${i + 1}`), 5000);
      // A final response comes once; the 486 to an INVITE may also be retransmitted (Timer G) before the probe.
      const mine = received.slice(before).filter((r) => header(r, 'call-id') !== `probe-${i + 1}`);
      const statuses = [...new Set(mine.map((r) => r.status))];
      expect(statuses).toEqual(expected);
    },
  );

  it('still serves a call afterwards', async () => {
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
