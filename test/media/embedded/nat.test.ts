// Phones behind NAT (RFC 3581): sipp advertises a Via/Contact port where nobody listens and sends from another;
// answers carry rport/received, and our INVITE, ACK and BYE go to the port it really sends from.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLeg } from '../../../runtime/media/contract.ts';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { stampReceived } from '../../../runtime/media/embedded/sip/nat.ts';
import { header, type SipResponse } from '../../../runtime/media/embedded/sip/message.ts';
import { freeUdpPort, killPeers, runSipp } from './sip/peers.ts';

let engine: EmbeddedEngine;

beforeAll(async () => {
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    extensions: [{ number: '801', password: 'pw-801' }],
  });
  await engine.start();
});

afterAll(() => engine.stop());
afterEach(() => killPeers());

const target = (): string => `127.0.0.1:${engine.sipPort}`;

describe('stampReceived', () => {
  const response = (via: string): SipResponse => ({
    kind: 'response',
    status: 200,
    reason: 'OK',
    headers: [{ name: 'via', value: via }],
    body: Buffer.alloc(0),
  });
  const peer = { transport: 'udp' as const, address: '198.51.100.7', port: 40123 };

  it('fills an empty rport and adds received (RFC 3581), leaving the other Vias alone', () => {
    const res = response(
      'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKa;rport, SIP/2.0/UDP p.example.com;branch=z9hG4bKb',
    );
    stampReceived(res, peer);
    expect(header(res, 'via')).toBe(
      'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKa;rport=40123;received=198.51.100.7, SIP/2.0/UDP p.example.com;branch=z9hG4bKb',
    );
    stampReceived(res, peer);
    expect(header(res, 'via')).toMatch(/;rport=40123;received=198\.51\.100\.7, /);
  });

  it('adds received without rport only when the sent-by host is not the source address', () => {
    const other = response('SIP/2.0/UDP phone.example.com:5060;branch=z9hG4bKa');
    stampReceived(other, peer);
    expect(header(other, 'via')).toBe(
      'SIP/2.0/UDP phone.example.com:5060;branch=z9hG4bKa;received=198.51.100.7',
    );
    const same = response('SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKa');
    stampReceived(same, peer);
    expect(header(same, 'via')).toBe('SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKa');
  });
});

describe('a caller behind NAT (sipp with rport, advertising another port)', () => {
  it('gets rport/received in the answers and our BYE at its real port', async () => {
    const natport = await freeUdpPort(); // nobody listens there
    const incoming = new Promise<CallLeg>((resolve) => engine.on('incoming', resolve));
    const sipp = await runSipp('uac_nat_wait_bye.xml', target(), {
      extra: ['-key', 'natport', String(natport)],
    });
    const leg = await Promise.race([
      incoming,
      sipp.done.then((r) => Promise.reject(new Error(`sipp ended before the call: ${r.errors}`))),
    ]);
    await leg.answer();
    await leg.hangup();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(result.messages).toMatch(
      new RegExp(
        `Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${natport};branch=\\S+;rport=\\d+;received=127\\.0\\.0\\.1`,
      ),
    );
    const rport = Number(/;rport=(\d+);received/.exec(result.messages)?.[1]);
    expect(rport).not.toBe(natport);
  });
});

describe('an extension behind NAT (registered with rport from another port than its Contact)', () => {
  it('gets our INVITE, ACK and BYE at the port its REGISTER came from', async () => {
    const natport = await freeUdpPort();
    const real = await freeUdpPort();
    const reg = await runSipp('uac_nat_register.xml', target(), {
      service: '801',
      extra: ['-p', String(real), '-key', 'natport', String(natport), '-au', '801', '-ap', 'pw-801'],
    });
    const registered = await reg.done;
    expect(registered.code, registered.errors).toBe(0);
    expect(engine.registrations()).toEqual([
      expect.objectContaining({ user: '801', contact: `sip:801@127.0.0.1:${natport}` }),
    ]);
    // The same port now answers calls, as the phone behind the NAT would.
    const callee = await runSipp('uas_answer.xml', '', { uas: true, extra: ['-p', String(real)] });
    const leg = await engine.originate({ kind: 'extension', number: '801' }, { from: 'ivr', timeoutSec: 10 });
    expect(leg.state).toBe('answered');
    await leg.hangup();
    const result = await callee.done;
    expect(result.code, result.errors).toBe(0);
  });
});
