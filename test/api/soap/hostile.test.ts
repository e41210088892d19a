// SOAP requests that must fail safely (manual sections 25–28 served over HTTP): DTDs and entities, malformed XML,
// unknown operations and parameters, bad values, oversized envelopes; each gets a SOAP fault with the manual's code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

const NS = (service: string) => `http://switchboard-ivr.org/bridge/services/${service}`;
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

const envelope = (body: string, ns = SOAP11) =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${ns}"><s:Body>${body}</s:Body></s:Envelope>`;

async function post(service: string, body: string, type = 'text/xml; charset=utf-8') {
  const res = await fetch(`${h.base}/bridge/services/${service}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const faultString = (xml: string) => /<faultstring>([^<]*)<\/faultstring>/.exec(xml)?.[1];

describe('SOAP faults', () => {
  it('refuses DOCTYPEs and entities (billion laughs, external entities) without expanding anything', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${envelope(
      `<t:getMails xmlns:t="${NS('VoiceMailHome')}"><t:extnum>&lol2;</t:extnum></t:getMails>`,
    ).replace('<?xml version="1.0" encoding="UTF-8"?>', '')}`;
    const xxe = `<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>${envelope('<x>&f;</x>')}`;
    for (const body of [laughs, xxe]) {
      const r = await post('VoiceMailHome', body);
      expect(r.status).toBe(500);
      expect(faultString(r.text)).toBe('400 DOCTYPE and entity declarations are not accepted');
      expect(r.text).not.toContain('root:');
    }
  });

  it('answers malformed XML, a non-envelope and an unknown envelope namespace with Client faults', async () => {
    const cases: [string, RegExp][] = [
      ['<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>', /^400 malformed XML/],
      ['<hello/>', /^400 not a SOAP envelope$/],
      [envelope('<x/>', 'urn:not-soap'), /^400 unknown SOAP envelope namespace urn:not-soap$/],
      ['<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>', /^400 the envelope has no Body$/],
      [envelope(''), /^400 the Body names no operation$/],
    ];
    for (const [body, want] of cases) {
      const r = await post('Click2CallControl', body);
      expect(r.status).toBe(500);
      expect(r.text).toContain('<faultcode>soap:Client</faultcode>');
      expect(faultString(r.text)).toMatch(want);
    }
  });

  it('answers an unknown operation, a foreign namespace, an unknown parameter and bad values with 400 faults', async () => {
    const c2c = NS('Click2CallControl');
    const cases: [string, string][] = [
      [`<t:dial xmlns:t="${c2c}"/>`, `400 unknown operation {${c2c}}dial`],
      [
        `<t:state4click xmlns:t="urn:other"><t:clickCallId>x</t:clickCallId></t:state4click>`,
        '400 unknown operation {urn:other}state4click',
      ],
      [
        `<t:state4click xmlns:t="${c2c}"><t:callId>x</t:callId></t:state4click>`,
        '400 unknown parameter callId',
      ],
      [`<t:state4click xmlns:t="${c2c}"/>`, '400 missing parameter clickCallId'],
      [
        `<t:click2call xmlns:t="${c2c}"><t:extnum>801</t:extnum><t:callee>1 2</t:callee></t:click2call>`,
        '400 bad parameter callee: not a number or extension',
      ],
      [
        `<t:state4click xmlns:t="${c2c}"><t:clickCallId><a>b</a></t:clickCallId></t:state4click>`,
        '400 a parameter holds elements, not a value',
      ],
    ];
    for (const [body, want] of cases)
      expect(faultString((await post('Click2CallControl', envelope(body))).text)).toBe(want);
    const vm = NS('VoiceMailHome');
    const bad: [string, string][] = [
      [
        `<t:deleteWithId xmlns:t="${vm}"><t:mailId>one</t:mailId></t:deleteWithId>`,
        '400 bad parameter mailId: not an int',
      ],
      [
        `<t:deleteWithId xmlns:t="${vm}"><t:mailId>99999999999</t:mailId></t:deleteWithId>`,
        '400 bad parameter mailId: not an int',
      ],
      [
        `<t:getMailsIncludePub xmlns:t="${vm}"><t:begin>yesterday</t:begin></t:getMailsIncludePub>`,
        '400 bad parameter begin: not an xsd:dateTime',
      ],
      [
        `<t:downloadVoice xmlns:t="${vm}"><t:filepath>../../etc/passwd</t:filepath></t:downloadVoice>`,
        '404 no such voicemail',
      ],
      [`<t:deleteWithId xmlns:t="${vm}"><t:mailId>5</t:mailId></t:deleteWithId>`, '404 no such message'],
    ];
    for (const [body, want] of bad)
      expect(faultString((await post('VoiceMailHome', envelope(body))).text)).toBe(want);
  });

  it('answers SOAP 1.2 requests in SOAP 1.2, faults included', async () => {
    const ok = await post(
      'Click2CallControl',
      envelope(
        `<t:state4click xmlns:t="${NS('Click2CallControl')}"><t:clickCallId>nobody</t:clickCallId></t:state4click>`,
        SOAP12,
      ),
      'application/soap+xml; charset=utf-8',
    );
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^application\/soap\+xml/);
    expect(ok.text).toContain(`xmlns:soap="${SOAP12}"`);
    expect(ok.text).toContain('<tns:return>0</tns:return>');
    const fault = await post(
      'Click2CallControl',
      envelope('<t:x xmlns:t="urn:x"/>', SOAP12),
      'application/soap+xml',
    );
    expect(fault.status).toBe(500);
    expect(fault.text).toContain('<soap:Value>soap:Sender</soap:Value>');
    expect(fault.text).toContain('400 unknown operation {urn:x}x');
  });

  it('serves each WSDL at ?wsdl with the address it was asked on, and faults a GET without it', async () => {
    for (const name of ['Click2CallControl', 'VoiceMailHome', 'CallRecordHome']) {
      const res = await fetch(`${h.base}/bridge/services/${name}?wsdl`);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain(`<soap:address location="${h.base}/bridge/services/${name}"/>`);
      expect(text).toContain(`<wsdl:service name="${name}">`);
    }
    const bare = await fetch(`${h.base}/bridge/services/VoiceMailHome`);
    expect(bare.status).toBe(500);
    expect(faultString(await bare.text())).toMatch(/^405 /);
    // TextToCallService needs the outbound dialer; it is not served yet.
    expect((await fetch(`${h.base}/bridge/services/TextToCallService?wsdl`)).status).toBe(404);
  });

  it('refuses an envelope over 64 KiB with a 413 fault', async () => {
    const big = envelope(
      `<t:getMails xmlns:t="${NS('VoiceMailHome')}"><t:extnum>${'1'.repeat(70 * 1024)}</t:extnum></t:getMails>`,
    );
    const r = await post('VoiceMailHome', big);
    expect(r.status).toBe(500);
    expect(faultString(r.text)).toMatch(/^413 envelope larger than 65536 bytes$/);
  });
});

describe('SOAP authentication', () => {
  it('asks for the API key as the HTTP API does when loopback is not trusted', async () => {
    const key = 'k'.repeat(24);
    const locked = await startApi({ overrides: { 'auth.loopbackOpen': false, 'auth.apiKeys': [key] } });
    try {
      const url = `${locked.base}/bridge/services/Click2CallControl`;
      const body = envelope(
        `<t:state4click xmlns:t="${NS('Click2CallControl')}"><t:clickCallId>x</t:clickCallId></t:state4click>`,
      );
      const headers = { 'content-type': 'text/xml' };
      expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
      expect((await fetch(`${url}?wsdl`)).status).toBe(401);
      const ok = await fetch(url, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${key}` },
        body,
      });
      expect(ok.status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});
