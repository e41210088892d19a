// An extension stays registered while its phone refreshes the registration: EXTNUM_STATE, CLICK_TO_DIAL and the
// consult and conference opts read it, long after the first registration's expiry.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { startCenter, type Center } from '../control/center.ts';

let c: Center;

beforeAll(async () => {
  c = await startCenter({ agents: [{ number: '801', hz: 700 }] });
});
afterAll(async () => {
  await c?.stop();
});

it('an extension whose phone refreshed its registration is still ONLINE after the first expiry', async () => {
  // The phone registered (for 60 s, the registrar's least) before startCenter returned.
  const firstExpiry = Date.now() + 60_000;
  const phone = c.agents.get('801')!;
  // baresip refreshes at 90 % of the time granted: about 54 s.
  const refreshed = phone.count('REGISTER_OK') + 1;
  await phone.nth('REGISTER_OK', refreshed, 90_000);
  // The behaviour under test is what happens once that time has passed: wait for the clock, not for an event.
  await waitFor(() => Date.now() > firstExpiry + 1000 || undefined, 20_000, 'the first expiry to pass');
  expect(c.runtime.calls.states.isRegistered('801')).toBe(true);
  const states = JSON.parse((await c.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as Record<
    string,
    unknown
  >[];
  expect(states.find((s) => s.telNum === '801')).toMatchObject({ state: 'ONLINE', telRegState: 1 });
}, 120_000);
