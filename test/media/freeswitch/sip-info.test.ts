// SIP INFO keys on the FreeSWITCH engine (they arrive through drachtio-server on the caller's dialog).
import { describe, expect, it } from 'vitest';
import { infoDigit } from '../../../runtime/media/freeswitch/sip-info.ts';

describe('infoDigit', () => {
  it('reads dtmf-relay and dtmf bodies', () => {
    expect(infoDigit('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toEqual({
      status: 200,
      digit: '5',
    });
    expect(infoDigit('Application/DTMF-Relay; charset=x', 'signal= #\r\n')).toEqual({
      status: 200,
      digit: '#',
    });
    expect(infoDigit('application/dtmf', 'a')).toEqual({ status: 200, digit: 'A' });
  });

  it('answers an empty INFO with 200 and no key, other bodies with 415, bad keys with 400', () => {
    expect(infoDigit(undefined, '')).toEqual({ status: 200 });
    expect(infoDigit('text/plain', 'hello')).toEqual({ status: 415 });
    expect(infoDigit('application/dtmf-relay', 'Signal=x')).toEqual({ status: 400 });
    expect(infoDigit('application/dtmf', '')).toEqual({ status: 400 });
  });
});
