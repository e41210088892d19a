// The outbound-URL policy: schemes, credentials, allow/deny host patterns and private addresses.
import { describe, expect, it } from 'vitest';
import { isPrivateHost, UrlPolicy } from '../../runtime/net/url-policy.ts';

describe('UrlPolicy', () => {
  it('accepts http and https, refuses other schemes and bad URLs', () => {
    const p = new UrlPolicy();
    expect(p.check('http://127.0.0.1:8080/Oms/x?a=1')).toMatchObject({ ok: true });
    expect(p.check('https://checks.example.com/')).toMatchObject({ ok: true });
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'javascript:alert(1)',
      'gopher://x/',
      'not a url',
    ]) {
      expect(p.check(url).ok).toBe(false);
    }
  });

  it('returns the parsed URL', () => {
    const verdict = new UrlPolicy().check('http://EXAMPLE.com:81/a?b=c');
    expect(verdict.ok && verdict.url.host).toBe('example.com:81');
  });

  it('refuses credentials in the URL', () => {
    const v = new UrlPolicy().check('http://user:secret@example.com/');
    expect(v).toMatchObject({ ok: false, reason: 'credentials in the URL are not allowed' });
    expect(new UrlPolicy().check('http://user@example.com/').ok).toBe(false);
  });

  it('applies allow patterns (exact and *.suffix)', () => {
    const p = new UrlPolicy({ allow: ['checks.example.com', '*.crm.example.net'] });
    expect(p.check('http://checks.example.com/').ok).toBe(true);
    expect(p.check('http://a.b.crm.example.net/').ok).toBe(true);
    expect(p.check('http://crm.example.net/').ok).toBe(false);
    expect(p.check('http://evil.com/').ok).toBe(false);
    expect(p.check('http://checks.example.com.evil.com/').ok).toBe(false);
    expect(p.check('http://CHECKS.example.com./').ok).toBe(true);
  });

  it('deny wins over allow', () => {
    const p = new UrlPolicy({ allow: ['*'], deny: ['*.internal', '10.0.0.1'] });
    expect(p.check('http://db.internal/').ok).toBe(false);
    expect(p.check('http://10.0.0.1/').ok).toBe(false);
    expect(p.check('http://10.0.0.2/').ok).toBe(true);
  });

  it('allows private addresses by default and refuses them when told to', () => {
    const urls = [
      'http://127.0.0.1/',
      'http://localhost:8080/',
      'http://10.1.2.3/',
      'http://192.168.1.1/',
      'http://[::1]/',
      'http://169.254.169.254/',
    ];
    const open = new UrlPolicy();
    const strict = new UrlPolicy({ allowPrivate: false });
    for (const url of urls) {
      expect(open.check(url).ok).toBe(true);
      expect(strict.check(url)).toMatchObject({ ok: false });
    }
    expect(strict.check('http://93.184.216.34/').ok).toBe(true);
  });

  it('knows private ranges', () => {
    expect(
      [
        '172.16.0.1',
        '172.31.255.255',
        '100.64.0.1',
        '0.0.0.0',
        'fd00::1',
        'fe80::1',
        '::ffff:127.0.0.1',
        'a.localhost',
      ].every(isPrivateHost),
    ).toBe(true);
    expect(['172.32.0.1', '8.8.8.8', '2001:db8::1', 'example.com'].some(isPrivateHost)).toBe(false);
  });
});
