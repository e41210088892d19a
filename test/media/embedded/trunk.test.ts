// Outbound calls through a trunk (sipp, or a raw UDP trunk for 407): digest answers, abort before answer.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { makeResponse } from '../../../runtime/media/embedded/sip/build.ts';
import { DigestChallenger } from '../../../runtime/media/embedded/sip/digest.ts';
import { header, parseMessage, serialize } from '../../../runtime/media/embedded/sip/message.ts';
import { killPeers, runSippUas } from './sip/peers.ts';

afterEach(() => killPeers());

async function engineWithTrunk(port: number, password: string): Promise<EmbeddedEngine> {
  const engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp'],
    trunk: { host: '127.0.0.1', port, username: 'trunkuser', password, fromDomain: 'ivr.example' },
  });
  await engine.start();
  return engine;
}

describe('trunk', () => {
  it('answers a 401 with digest credentials and gets the call answered', async () => {
    const trunk = await runSippUas('uas_trunk_auth.xml');
    const engine = await engineWithTrunk(trunk.port, 'trunkpw');
    try {
      const leg = await engine.originate(
        { kind: 'trunk', number: '13800000000' },
        { from: '4000', timeoutSec: 10 },
      );
      expect(leg).toMatchObject({ state: 'answered', to: '13800000000' });
      await leg.hangup();
      const result = await trunk.done;
      expect(result.code, result.errors).toBe(0);
      expect(result.messages).toMatch(/INVITE sip:13800000000@127\.0\.0\.1:\d+ SIP\/2\.0/);
      expect(result.messages).toMatch(/Authorization: Digest username="trunkuser"/);
      expect(result.messages).toMatch(/From: <sip:4000@ivr\.example>/);
    } finally {
      await engine.stop();
    }
  });

  it('maps a rejected digest (403) to failed', async () => {
    const trunk = await runSippUas('uas_trunk_auth.xml');
    const engine = await engineWithTrunk(trunk.port, 'wrong');
    try {
      const err = await engine
        .originate({ kind: 'trunk', number: '1' }, { from: '4000' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ outcome: 'failed', sipStatus: 403 });
      await trunk.done;
    } finally {
      await engine.stop();
    }
  });

  it('an aborted originate CANCELs the ringing callee and rejects with cancelled', async () => {
    const callee = await runSippUas('uas_ring.xml');
    const engine = await engineWithTrunk(callee.port, 'x');
    try {
      const ac = new AbortController();
      const pending = engine.originate({ kind: 'trunk', number: '2' }, { from: '4000', signal: ac.signal });
      // Aborted before any answer came: the CANCEL waits for the 180 (RFC 3261 §9.1) and still goes out.
      ac.abort();
      await expect(pending).rejects.toMatchObject({ outcome: 'cancelled' });
      const result = await callee.done;
      expect(result.code, result.errors).toBe(0);
    } finally {
      await engine.stop();
    }
  });
});

describe('trunk asking for proxy authentication', () => {
  it('answers a 407 with Proxy-Authorization that the trunk’s digest check accepts', async () => {
    // A minimal trunk on a raw UDP socket: 407 first, then checks the answer with the registrar's digest code.
    const digest = new DigestChallenger('trunk.example');
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const verdicts: unknown[] = [];
    sock.on('message', (data, rinfo) => {
      const res = parseMessage(data);
      if (!res.ok || res.message.kind !== 'request' || res.message.method !== 'INVITE') return;
      const inv = res.message;
      const auth = header(inv, 'proxy-authorization');
      if (auth)
        verdicts.push(digest.verify('INVITE', auth, (u) => (u === 'trunkuser' ? 'trunkpw' : undefined)));
      const reply = auth
        ? makeResponse(inv, 486, { toTag: 'tr' })
        : makeResponse(inv, 407, { toTag: 'tr', headers: { 'Proxy-Authenticate': digest.challenge() } });
      sock.send(serialize(reply), rinfo.port, rinfo.address);
    });
    const engine = await engineWithTrunk(sock.address().port, 'trunkpw');
    try {
      const err = await engine
        .originate({ kind: 'trunk', number: '3' }, { from: '4000' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ outcome: 'busy', sipStatus: 486 });
      expect(verdicts).toEqual([{ ok: true, username: 'trunkuser' }]);
    } finally {
      sock.close();
      await engine.stop();
    }
  });
});
