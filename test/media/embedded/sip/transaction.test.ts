// Transactions and dialogs seen from a raw UDP peer: retransmissions, 2xx until ACK, Timer J cleanup, re-INVITE hold.
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallLeg } from '../../../../runtime/media/contract.ts';
import { EmbeddedEngine } from '../../../../runtime/media/embedded/engine.ts';
import type { EmbeddedLeg } from '../../../../runtime/media/embedded/leg.ts';
import { header, parseMessage, type SipMessage } from '../../../../runtime/media/embedded/sip/message.ts';
import { waitFor } from './peers.ts';

let engine: EmbeddedEngine;
let sock: Socket;
let received: SipMessage[] = [];
const incoming: CallLeg[] = [];
const messages: unknown[] = [];

beforeAll(async () => {
  // A short T1 makes the RFC timers (64*T1 = 3.2 s) fit in a test.
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp'],
    timers: { t1: 50, t2: 400, t4: 500 },
  });
  engine.on('incoming', (leg) => incoming.push(leg));
  engine.on('message', (m) => messages.push(m));
  await engine.start();
  sock = createSocket('udp4');
  sock.on('message', (d) => {
    const r = parseMessage(d);
    if (r.ok) received.push(r.message);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  sock.close();
  await engine.stop();
});

const SDP = (dir = 'sendrecv', codec = '0'): string =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP ${codec}\r\na=${dir}\r\n`;

function request(
  method: string,
  o: { callId: string; branch: string; seq: number; toTag?: string; body?: string; type?: string },
): Buffer {
  const port = sock.address().port;
  const body = o.body ?? '';
  return Buffer.from(
    [
      `${method} sip:900@127.0.0.1:${engine.sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${o.branch}`,
      'From: <sip:raw@127.0.0.1>;tag=raw1',
      `To: <sip:900@127.0.0.1>${o.toTag ? `;tag=${o.toTag}` : ''}`,
      `Call-ID: ${o.callId}`,
      `CSeq: ${o.seq} ${method === 'ACK' && !o.toTag ? 'ACK' : method}`,
      `Contact: <sip:raw@127.0.0.1:${port}>`,
      'Max-Forwards: 70',
      ...(body ? [`Content-Type: ${o.type ?? 'application/sdp'}`] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );
}

const send = (b: Buffer): Promise<void> =>
  new Promise((resolve, reject) =>
    sock.send(b, engine.sipPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );

const responses = (callId: string, method?: string): number[] =>
  received
    .filter(
      (m) =>
        m.kind === 'response' &&
        header(m, 'call-id') === callId &&
        (!method || header(m, 'cseq')?.endsWith(method)),
    )
    .map((m) => (m.kind === 'response' ? m.status : 0));

const toTagOf = (callId: string): string =>
  /tag=([^;]+)/.exec(
    header(
      received.find((m) => m.kind === 'response' && header(m, 'call-id') === callId && m.status > 100)!,
      'to',
    )!,
  )![1];

describe('INVITE server transaction', () => {
  it('absorbs a retransmitted INVITE by resending the last response', async () => {
    const invite = request('INVITE', { callId: 'retx-1', branch: 'retx1', seq: 1, body: SDP() });
    await send(invite);
    await waitFor(() => responses('retx-1').includes(180), 5000, '180');
    await send(invite);
    await waitFor(() => responses('retx-1').filter((s) => s === 180).length === 2, 5000, 'second 180');
    expect(responses('retx-1')).toEqual([100, 180, 180]);
    expect(incoming.filter((l) => l.to === '900')).toHaveLength(1);
    await incoming.pop()!.hangup('busy');
    await waitFor(() => responses('retx-1').includes(486), 5000, '486');
  });

  it('retransmits the 200 until the ACK, then the answer resolves; re-INVITE puts the leg on hold and back', async () => {
    await send(request('INVITE', { callId: 'ack-1', branch: 'ack1', seq: 1, body: SDP() }));
    const leg = (await waitFor(
      () => incoming.find((l) => l.state === 'ringing'),
      5000,
      'call',
    )) as EmbeddedLeg;
    incoming.length = 0;
    const answered = leg.answer();
    await waitFor(() => responses('ack-1').filter((s) => s === 200).length >= 3, 5000, 'three 200s');
    const tag = toTagOf('ack-1');
    await send(request('ACK', { callId: 'ack-1', branch: 'ack1b', seq: 1, toTag: tag }));
    await answered;
    expect(leg.state).toBe('answered');

    received = [];
    await send(
      request('INVITE', { callId: 'ack-1', branch: 'hold1', seq: 2, toTag: tag, body: SDP('sendonly') }),
    );
    await waitFor(() => responses('ack-1', 'INVITE').includes(200), 5000, 're-INVITE 200');
    const answer = received.find((m) => m.kind === 'response' && m.status === 200)!.body.toString();
    expect(answer).toContain('a=recvonly');
    expect(leg.held).toBe(true);
    await send(request('ACK', { callId: 'ack-1', branch: 'hold1a', seq: 2, toTag: tag }));

    received = [];
    await send(
      request('INVITE', { callId: 'ack-1', branch: 'hold2', seq: 3, toTag: tag, body: SDP('sendrecv') }),
    );
    await waitFor(() => responses('ack-1', 'INVITE').includes(200), 5000, 'second re-INVITE 200');
    expect(leg.held).toBe(false);

    received = [];
    await send(
      request('INFO', {
        callId: 'ack-1',
        branch: 'info1',
        seq: 4,
        toTag: tag,
        body: 'Signal=9\r\n',
        type: 'application/dtmf-relay',
      }),
    );
    const digit = new Promise<string>((resolve) => leg.on('dtmf', (e) => resolve(e.digit)));
    expect(await digit).toBe('9');
    await send(request('BYE', { callId: 'ack-1', branch: 'bye1', seq: 5, toTag: tag }));
    await waitFor(() => responses('ack-1', 'BYE').includes(200), 5000, 'BYE 200');
    expect(leg.state).toBe('ended');
  });

  it('gives up on a 200 never ACKed: BYE after 64*T1 and the answer rejects', async () => {
    received = [];
    await send(request('INVITE', { callId: 'noack-1', branch: 'noack1', seq: 1, body: SDP() }));
    const leg = await waitFor(() => incoming.find((l) => l.state === 'ringing'), 5000, 'call');
    incoming.length = 0;
    await expect(leg.answer()).rejects.toThrow(/ACK/);
    await waitFor(
      () =>
        received.some(
          (m) => m.kind === 'request' && m.method === 'BYE' && header(m, 'call-id') === 'noack-1',
        ),
      5000,
      'BYE',
    );
    expect(leg.state).toBe('ended');
  });
});

describe('requests outside calls', () => {
  it('488 for an offer without a common codec, 481 for an unknown dialog, MESSAGE emits an event', async () => {
    received = [];
    await send(request('INVITE', { callId: 'g729', branch: 'g729', seq: 1, body: SDP('sendrecv', '18') }));
    await send(request('BYE', { callId: 'nodialog', branch: 'nod', seq: 1, toTag: 'zzz' }));
    await send(
      request('MESSAGE', { callId: 'msg-1', branch: 'msg1', seq: 1, body: 'hello', type: 'text/plain' }),
    );
    await waitFor(() => responses('msg-1').length > 0, 5000, 'MESSAGE answer');
    await waitFor(() => responses('g729').includes(488), 5000, '488');
    expect(responses('nodialog')).toEqual([481]);
    expect(responses('msg-1')).toEqual([200]);
    expect(messages).toEqual([
      { from: 'raw', to: '900', contentType: 'text/plain', body: 'hello', reply: expect.any(Function) },
    ]);
  });

  it('forgets finished transactions (Timer J/H/I) and dialogs, so the maps stay bounded', async () => {
    await waitFor(
      () => engine.stats.transactions.servers === 0 && engine.stats.transactions.clients === 0,
      10_000,
      'no transactions',
    );
    expect(engine.stats).toMatchObject({ legs: 0, dialogs: 0 });
  });
});

describe('TCP framing', () => {
  it('splits two requests sent in one write and joins one sent in pieces; answers on the same connection', async () => {
    const tcpEngine = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['tcp'] });
    await tcpEngine.start();
    const conn = connect({ host: '127.0.0.1', port: tcpEngine.sipPort });
    try {
      await new Promise<void>((resolve) => conn.once('connect', () => resolve()));
      let data = '';
      conn.on('data', (d: Buffer) => (data += d.toString('latin1')));
      const options = (n: number): string =>
        [
          `OPTIONS sip:900@127.0.0.1 SIP/2.0`,
          `Via: SIP/2.0/TCP 127.0.0.1:${conn.localPort};branch=z9hG4bKtcp${n}`,
          'From: <sip:raw@127.0.0.1>;tag=t',
          'To: <sip:900@127.0.0.1>',
          `Call-ID: tcp-${n}`,
          `CSeq: ${n} OPTIONS`,
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      conn.write('\r\n\r\n' + options(1) + options(2)); // keep-alive CRLFs first
      const third = options(3);
      conn.write(third.slice(0, 40));
      await waitFor(() => (data.match(/SIP\/2\.0 200 OK/g) ?? []).length === 2, 5000, 'two answers');
      conn.write(third.slice(40));
      await waitFor(() => (data.match(/SIP\/2\.0 200 OK/g) ?? []).length === 3, 5000, 'third answer');
      expect(data).toMatch(/Call-ID: tcp-1[\s\S]*Call-ID: tcp-2[\s\S]*Call-ID: tcp-3/);
    } finally {
      conn.destroy();
      await tcpEngine.stop();
    }
  });

  it('closes a connection that sends a message without Content-Length after answering 400', async () => {
    const tcpEngine = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['tcp'] });
    await tcpEngine.start();
    const conn = connect({ host: '127.0.0.1', port: tcpEngine.sipPort });
    try {
      let data = '';
      conn.on('data', (d: Buffer) => (data += d.toString('latin1')));
      const closed = new Promise<void>((resolve) => conn.on('close', () => resolve()));
      conn.write(
        'OPTIONS sip:900@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKncl\r\nFrom: <sip:a@b>;tag=1\r\n' +
          'To: <sip:900@127.0.0.1>\r\nCall-ID: ncl\r\nCSeq: 1 OPTIONS\r\n\r\n',
      );
      await closed;
      expect(data).toMatch(/^SIP\/2\.0 400 /);
    } finally {
      conn.destroy();
      await tcpEngine.stop();
    }
  });
});
