// SIP parser tests: RFC 4475 torture messages (fixtures/torture) and the header helpers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  header,
  headerValues,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  serialize,
  type SipMessage,
} from '../../../../runtime/media/embedded/sip/message.ts';
import { TORTURE_CASES } from '../fixtures/torture/cases.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/torture/${name}.sip`, import.meta.url));

const VALID = TORTURE_CASES.filter((c) => c.valid).map((c) => c.name);
const INVALID = TORTURE_CASES.filter((c) => !c.valid).map((c) => c.name);

function parsed(name: string): SipMessage {
  const res = parseMessage(fixture(name));
  if (!res.ok) throw new Error(`${name}: ${res.error}`);
  return res.message;
}

describe('RFC 4475 valid messages', () => {
  it.each(VALID)('%s parses', (name) => {
    expect(parseMessage(fixture(name)).ok).toBe(true);
  });

  it('wsinv: folding, compact forms, case-insensitive names, multiple Via, quoted display names', () => {
    const m = parsed('wsinv');
    expect(m.kind === 'request' && m.method).toBe('INVITE');
    expect(header(m, 'max-forwards')).toBe('0068');
    expect(header(m, 'cseq')).toBe('0009 INVITE');
    expect(headerValues(m, 'via')).toHaveLength(3);
    expect(parseVia(headerValues(m, 'via')[1])).toMatchObject({
      transport: 'TCP',
      host: 'spindle.example.com',
    });
    expect(parseVia(header(m, 'via')!)?.params.branch).toBe('390skdjuw');
    expect(parseNameAddr(header(m, 'from')!)).toMatchObject({
      display: 'J Rosenberg \\"',
      params: { tag: '98asjd8' },
    });
    expect(parseNameAddr(header(m, 'to')!)?.params.tag).toBe('1918181833n');
    expect(parseNameAddr(header(m, 'contact')!)?.params).toMatchObject({
      newparam: 'newvalue',
      secondparam: true,
      q: '0.33',
    });
    expect(header(m, 'newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(m.body.toString()).toMatch(/^v=0\r\n/);
  });

  it('dblreq: only the first message of a datagram is read', () => {
    const m = parsed('dblreq');
    expect(m.kind === 'request' && m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
  });

  it('noreason / unreason: empty and unusual reason phrases', () => {
    expect(parsed('noreason')).toMatchObject({ kind: 'response', status: 100, reason: '' });
    expect(parsed('unreason')).toMatchObject({ status: 200, reason: expect.stringContaining('2**3') });
  });

  it('esc01: escaped user parts decode', () => {
    const m = parsed('esc01');
    expect(m.kind === 'request' && parseUri(m.uri)?.user).toBe('sips:user@example.com');
  });
});

describe('RFC 4475 invalid messages', () => {
  it.each(INVALID)('%s is rejected', (name) => {
    const res = parseMessage(fixture(name));
    expect(res.ok).toBe(false);
  });

  it('rejected requests keep enough to answer with a 400 (Via and CSeq)', () => {
    for (const name of INVALID.filter((n) => n !== 'bigcode')) {
      const res = parseMessage(fixture(name));
      expect(res.ok, name).toBe(false);
      if (!res.ok) {
        expect(res.partial?.kind, name).toBe('request');
        expect(header(res.partial!, 'via'), name).toBeTruthy();
      }
    }
  });

  it('garbage and truncated input never throws', () => {
    const samples = [
      Buffer.alloc(0),
      Buffer.from('\r\n\r\n'),
      Buffer.from([0, 255, 13, 10, 13, 10]),
      fixture('wsinv').subarray(0, 200),
    ];
    for (let i = 0; i < 200; i++) {
      const b = Buffer.from(fixture('wsinv'));
      b[(i * 37) % b.length] = (i * 91) % 256;
      samples.push(b);
    }
    for (const s of samples) expect(() => parseMessage(s)).not.toThrow();
  });
});

describe('serialize', () => {
  it('round-trips with canonical names and a correct Content-Length', () => {
    const m = parsed('esc01');
    const again = parseMessage(serialize(m));
    expect(again.ok).toBe(true);
    const text = serialize(m).toString('latin1');
    expect(text).toContain('Call-ID: esc01.239409asdfakjkn23onasd0-3234');
    expect(text).toContain(`Content-Length: ${m.body.length}\r\n`);
  });

  it('stream framing waits for the whole body', () => {
    const whole = fixture('esc01');
    expect(parseMessage(whole.subarray(0, whole.length - 10), { stream: true })).toMatchObject({
      ok: false,
      incomplete: true,
    });
    const two = Buffer.concat([whole, whole]);
    const first = parseMessage(two, { stream: true });
    expect(first.ok && first.rest.length).toBe(whole.length);
  });
});
