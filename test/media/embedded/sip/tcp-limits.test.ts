// SIP over TCP under idle and hoarded connections: idle ones close, one source cannot hold more than its share,
// and at the total cap the listener still accepts (the longest idle connection makes room).
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallLeg } from '../../../../runtime/media/contract.ts';
import { EmbeddedEngine } from '../../../../runtime/media/embedded/engine.ts';
import { answerChallenge } from '../../../../runtime/media/embedded/sip/digest.ts';
import { header, parseMessage, type SipResponse } from '../../../../runtime/media/embedded/sip/message.ts';
import { killPeers, runSipp } from './peers.ts';

let engine: EmbeddedEngine;
const opened: Socket[] = [];

beforeAll(async () => {
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['tcp'],
    tcp: { idleMs: 60_000, maxConnections: 4, maxConnectionsPerSource: 2 },
  });
  await engine.start();
});

afterAll(async () => {
  for (const s of opened) s.destroy();
  await engine.stop();
});

interface Client {
  sock: Socket;
  /** Sends an OPTIONS and resolves with the status of its answer. */
  options(): Promise<number>;
  /** Sends a request (Via, Call-ID and CSeq added) and resolves with its final answer. */
  request(start: string, headers: string[], dialog?: { callId: string; seq: number }): Promise<SipResponse>;
  /** Settles when the engine closed the connection. */
  closed: Promise<void>;
}

let seq = 0;

/** A raw TCP connection to the engine from `localAddress` (any 127.x address is ours on loopback). */
async function open(localAddress: string, port = engine.sipPort): Promise<Client> {
  const sock = connect({ host: '127.0.0.1', port, localAddress });
  opened.push(sock);
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  let buffer = Buffer.alloc(0);
  const waiters = new Map<string, (res: SipResponse) => void>();
  sock.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (
      let res = parseMessage(buffer, { stream: true });
      res.ok;
      res = parseMessage(buffer, { stream: true })
    ) {
      buffer = Buffer.from(res.rest);
      const m = res.message;
      const key = `${header(m, 'call-id')}|${header(m, 'cseq')}`;
      if (m.kind === 'response' && m.status >= 200) waiters.get(key)?.(m);
    }
  });
  const request: Client['request'] = (start, headers, dialog) => {
    const callId = dialog?.callId ?? `tcp-${++seq}`;
    const cseq = `${dialog?.seq ?? 1} ${start.split(' ')[0]}`;
    const answer = new Promise<SipResponse>((resolve, reject) => {
      waiters.set(`${callId}|${cseq}`, resolve);
      void closed.then(() => reject(new Error(`connection closed before the answer to ${callId}`)));
    });
    const branch = `z9hG4bK${callId}-${dialog?.seq ?? 1}`;
    sock.write(
      [
        start,
        `Via: SIP/2.0/TCP ${localAddress}:${sock.localPort};branch=${branch}`,
        ...headers,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq}`,
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    return answer;
  };
  const options = async (): Promise<number> => {
    const res = await request(`OPTIONS sip:ivr@127.0.0.1:${port};transport=tcp SIP/2.0`, [
      'From: <sip:probe@127.0.0.1>;tag=p',
      'To: <sip:ivr@127.0.0.1>',
    ]);
    return res.status;
  };
  return { sock, options, request, closed };
}

describe('SIP over TCP limits', () => {
  it('closes a source’s connections beyond its cap at once; other sources still get answers', async () => {
    const a = await open('127.0.0.2');
    const b = await open('127.0.0.2');
    expect([await a.options(), await b.options()]).toEqual([200, 200]);
    const c = await open('127.0.0.2');
    await c.closed;
    const d = await open('127.0.0.3');
    expect(await d.options()).toBe(200);
    expect(await a.options()).toBe(200);
    expect(engine.stats.tcp).toBe(3);
  });

  it('keeps accepting at the total cap: connections that never carried SIP make room first', async () => {
    const idle = [];
    for (let i = 10; i < 20; i++) idle.push(await open(`127.0.0.${i}`));
    const phone = await open('127.0.0.30');
    expect(await phone.options()).toBe(200);
    // Three phones from the case above, ten silent sockets and this phone on four places: the silent ones go.
    await Promise.all(idle.map((c) => c.closed));
    expect(engine.stats.tcp).toBe(4);
    expect(await phone.options()).toBe(200);
  });
});

describe('idle TCP connections', () => {
  it('stay open while a call lives on them: the BYE after a quiet spell still reaches the caller', async () => {
    const idleEngine = new EmbeddedEngine({
      host: '127.0.0.1',
      sipPort: 0,
      transports: ['udp', 'tcp'],
      tcp: { idleMs: 1500 },
    });
    await idleEngine.start();
    try {
      const incoming = new Promise<CallLeg>((resolve) => idleEngine.on('incoming', resolve));
      const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${idleEngine.sipPort}`, { transport: 't1' });
      const leg = await incoming;
      await leg.answer();
      // A connection opened after the ACK and closed for idleness proves the call's one was idle as long.
      const clock = await open('127.0.0.42', idleEngine.sipPort);
      await clock.closed;
      expect(idleEngine.stats.tcp).toBe(1);
      await leg.hangup();
      const result = await sipp.done;
      expect(result.code, result.errors).toBe(0);
    } finally {
      killPeers();
      await idleEngine.stop();
    }
  });

  it('stay open while a registration binding lives on them (the phone is reachable only through it)', async () => {
    const idleEngine = new EmbeddedEngine({
      host: '127.0.0.1',
      sipPort: 0,
      transports: ['tcp'],
      extensions: [{ number: '801', password: 'pw-801' }],
      tcp: { idleMs: 1500 },
    });
    await idleEngine.start();
    try {
      const phone = await open('127.0.0.43', idleEngine.sipPort);
      const uri = `sip:127.0.0.1:${idleEngine.sipPort}`;
      const reg = [
        'From: <sip:801@127.0.0.1>;tag=r',
        'To: <sip:801@127.0.0.1>',
        `Contact: <sip:801@127.0.0.43:${phone.sock.localPort};transport=tcp>`,
        'Expires: 300',
      ];
      const challenge = await phone.request(`REGISTER ${uri} SIP/2.0`, reg, { callId: 'reg-tcp', seq: 1 });
      const auth = answerChallenge(header(challenge, 'www-authenticate')!, {
        username: '801',
        password: 'pw-801',
        method: 'REGISTER',
        uri,
      });
      const ok = await phone.request(`REGISTER ${uri} SIP/2.0`, [...reg, `Authorization: ${auth}`], {
        callId: 'reg-tcp',
        seq: 2,
      });
      expect(ok.status).toBe(200);
      const clock = await open('127.0.0.44', idleEngine.sipPort);
      await clock.closed;
      expect(phone.sock.destroyed).toBe(false);
      expect(await phone.options()).toBe(200);
    } finally {
      await idleEngine.stop();
    }
  });

  it('are closed after the configured idle time, and a CRLF keep-alive counts as activity', async () => {
    const idleEngine = new EmbeddedEngine({
      host: '127.0.0.1',
      sipPort: 0,
      transports: ['tcp'],
      tcp: { idleMs: 2000 },
    });
    await idleEngine.start();
    try {
      const silent = await open('127.0.0.40', idleEngine.sipPort);
      const talking = await open('127.0.0.41', idleEngine.sipPort);
      let beats = 0;
      // Keep-alives every 200 ms until the silent connection is closed: the talking one must outlive it.
      const timer = setInterval(() => {
        beats++;
        talking.sock.write('\r\n\r\n');
      }, 200);
      await silent.closed;
      clearInterval(timer);
      expect(talking.sock.destroyed).toBe(false);
      expect(await talking.options()).toBe(200);
      expect(beats).toBeGreaterThan(0);
      await talking.closed;
    } finally {
      await idleEngine.stop();
    }
  });
});
