// The operations view in Chromium against a live call center: baresip agents registered on the runtime's SIP,
// customers calling in (baresip, sipp) to a flow that transfers to agent 801. The page follows the event stream
// (no reload) and its buttons act through the manual's control API, which the phones and EXTNUM_STATE confirm.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killPeers, runSipp, waitFor } from '../../media/embedded/sip/peers.ts';
import { CUSTOMER, startCenter, type Center } from '../../callcenter/control/center.ts';
import { callAgent, next, toAgentFlow } from '../../callcenter/control/inbound-call.ts';
import { endAll, WAITS } from '../../callcenter/control/talk.ts';
import { launch, openDesigner, WAIT } from './browser.ts';
import { ensureBuilt, root } from './server.ts';

const CUSTOMER_HZ = 400;
const AGENT_HZ = 600;
/** The number whose flow keeps a caller in the IVR (a field waiting ten minutes). */
const IN_IVR = '1001';
const ARTIFACTS = join(root, '.artifacts', 'ops');

let c: Center;
let browser: Browser;
let base: string;
let customers = 0;

beforeAll(async () => {
  await ensureBuilt();
  c = await startCenter({
    agents: [
      { number: '801', hz: AGENT_HZ },
      { number: '802', hz: 800 },
      { number: '803', hz: 1200, permissions: ['monitor'] },
      { number: '804', hz: 1000, offline: true },
    ],
    flows: [toAgentFlow('801'), { id: 'waits', number: IN_IVR, xml: WAITS }],
    overrides: { designer: join(root, 'designer', 'dist'), 'callCenter.recordCalls': true },
  });
  base = `http://127.0.0.1:${c.runtime.http.port}`;
  browser = await launch();
});

afterEach(async () => {
  killPeers();
  if (c) await endAll(c);
});

afterAll(async () => {
  await browser?.close();
  await c?.stop();
});

interface OpsPage {
  page: Page;
  /** Uncaught errors and console errors or warnings: every test expects none. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh browser context on /ops, once the event stream delivered its snapshot. */
async function openOps(locale = 'en'): Promise<OpsPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(`${base}/ops`);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
  await expect.poll(() => page.getByTestId('ops-connection').getAttribute('data-state'), WAIT).toBe('live');
  // Set once: still there at the end proves the page never reloaded.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  return { page, errors, close: () => context.close() };
}

/**
 * What the console says about requests the runtime refused: Chromium notes every answer with an HTTP error status,
 * and the manual's API answers its code as the status. A test expects exactly the refusals it provoked.
 */
const refusals = (...codes: number[]) =>
  codes.map((code) =>
    expect.stringMatching(
      new RegExp(`^console error: Failed to load resource: the server responded with a status of ${code} `),
    ),
  );

const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

const stateOf = (page: Page, ext: string) => page.getByTestId(`ext-${ext}`).getAttribute('data-state');

/** The call card of the call `caller` placed. */
const callOf = (page: Page, caller: string) => page.locator(`[data-testid="call"][data-caller="${caller}"]`);

/** Each leg of the card as [role, number, status]. */
const legsOf = (call: Locator) =>
  call
    .getByTestId('leg')
    .evaluateAll((els) =>
      els.map((e) => [
        (e as HTMLElement).dataset.role,
        (e as HTMLElement).dataset.number,
        (e as HTMLElement).dataset.status,
      ]),
    );

/** EXTNUM_STATE's row of `ext`, read as an integrator would. */
async function extnumState(ext: string): Promise<Record<string, unknown>> {
  const rows = JSON.parse((await c.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as { telNum: string }[];
  return rows.find((r) => r.telNum === ext)!;
}

describe('operations view', () => {
  it('shows an agent go busy and the call with its legs live, hangs it up, then finds and plays its log', async () => {
    const { page, errors, close } = await openOps();
    try {
      await expect.poll(() => stateOf(page, '801'), WAIT).toBe('ONLINE');
      const agent = c.agents.get('801')!;
      const number = `1370000000${++customers}`;
      const customer = await c.customer(number, CUSTOMER_HZ);
      const ringing = next(agent, 'CALL_INCOMING');
      expect((await customer.command('dial', `sip:1000@${c.sip}`)).ok).toBe(true);
      await ringing;

      await expect.poll(() => stateOf(page, '801'), WAIT).toBe('BUSY_INCOMING');
      const call = callOf(page, number);
      await expect
        .poll(() => legsOf(call), WAIT)
        .toEqual([
          ['customer', number, 'talking'],
          ['agent', '801', 'ringing'],
        ]);
      const answered = next(agent, 'CALL_ESTABLISHED');
      expect((await agent.command('accept')).ok).toBe(true);
      await answered;
      await expect
        .poll(() => legsOf(call), WAIT)
        .toEqual([
          ['customer', number, 'talking'],
          ['agent', '801', 'talking'],
        ]);
      await expect.poll(() => page.getByTestId('ext-801-remote').textContent(), WAIT).toBe(number);
      await page.screenshot({ path: join(ARTIFACTS, 'live-call.png'), fullPage: true });
      const callId = (await call.getAttribute('data-callid'))!;

      const closed = [next(agent, 'CALL_CLOSED'), next(customer, 'CALL_CLOSED')];
      await call.getByTestId('call-hangup').click();
      await Promise.all(closed);
      await expect.poll(() => call.count(), WAIT).toBe(0);
      await expect.poll(() => stateOf(page, '801'), WAIT).toBe('ONLINE');
      await expect(page.locator(`[data-testid="call-ended"][data-callid="${callId}"]`).count()).resolves.toBe(
        1,
      );
      expect(await sameDocument(page)).toBe(true);

      // The call log, found by the customer's number, with its recording.
      const row = await c.runtime.store.callLogs.get(callId);
      await waitFor(() => existsSync(row!.recordVoice!), 15_000, 'the recording to be written');
      await page.getByTestId('log-number').fill(number);
      await page.getByTestId('log-go').click();
      const log = page.locator(`[data-testid="log"][data-callid="${callId}"]`);
      await expect.poll(() => log.getAttribute('data-state'), WAIT).toBe('STATE_RECEIVED');
      expect(await page.getByTestId('log').count()).toBe(1);
      await log.getByTestId('log-play').click();
      const audio = log.getByTestId('log-audio');
      await expect
        .poll(() => audio.evaluate((a: HTMLAudioElement) => (a.readyState >= 1 ? a.duration : 0)), WAIT)
        .toBeGreaterThan(0);
      const player = await fetch(base + (await log.getByTestId('log-player').getAttribute('href'))!);
      expect(player.status).toBe(200);
      expect(await player.text()).toContain('<audio');

      // Placed calls only: this received one is not among them.
      await page.getByTestId('log-direction').selectOption('2');
      await page.getByTestId('log-go').click();
      await expect.poll(() => page.getByTestId('log-none').count(), WAIT).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('monitors, transfers and force-hangs-up from the page, and shows why a refused action failed', async () => {
    const { page, errors, close } = await openOps();
    try {
      const number = `1370000000${++customers}`;
      const talk = await callAgent(c, { customer: number, hz: CUSTOMER_HZ, agent: '801', agentHz: AGENT_HZ });
      const call = callOf(page, number);
      await expect
        .poll(() => legsOf(call), WAIT)
        .toEqual([
          ['customer', number, 'talking'],
          ['agent', '801', 'talking'],
        ]);

      // 802 may not monitor: the runtime's reason is shown, nothing rings.
      await page.getByTestId('ops-me').selectOption('802');
      await call.getByTestId('call-monitor').click();
      const monitorAnswer = call.getByTestId('call-monitor-answer');
      await expect.poll(() => monitorAnswer.getAttribute('data-code'), WAIT).toBe('403');
      expect(await monitorAnswer.textContent()).toContain('lacks the monitor permission');

      // 803 may: its phone rings, and once answered it is in the call as the supervisor.
      await page.getByTestId('ops-me').selectOption('803');
      const supervisor = c.agents.get('803')!;
      const rings = next(supervisor, 'CALL_INCOMING');
      await call.getByTestId('call-monitor').click();
      await rings;
      expect((await supervisor.command('accept')).ok).toBe(true);
      await expect.poll(() => monitorAnswer.getAttribute('data-code'), WAIT).toBe('200');
      await expect.poll(() => legsOf(call), WAIT).toContainEqual(['supervisor', '803', 'talking']);
      // The README's picture of the operations view: a monitored call, the supervisor chosen, the logs so far.
      await expect.poll(() => page.getByTestId('ops-logs').getAttribute('data-pending'), WAIT).toBe('false');
      const logs = (await page.getByTestId('ops-logs').boundingBox())!;
      await page.screenshot({
        path: join(ARTIFACTS, 'monitored-call.png'),
        clip: { x: 0, y: 0, width: 1400, height: Math.ceil(logs.y + logs.height + 10) },
      });
      const left = next(supervisor, 'CALL_CLOSED');
      expect((await supervisor.command('hangup')).ok).toBe(true);
      await left;

      // Blind transfer to 802: 801 is released, 802 answers and talks with the customer.
      const other = c.agents.get('802')!;
      const offered = next(other, 'CALL_INCOMING');
      const released = next(talk.agent, 'CALL_CLOSED');
      await call.getByTestId('call-transfer-target').selectOption('802');
      await call.getByTestId('call-transfer').click();
      await Promise.all([offered, released]);
      expect((await other.command('accept')).ok).toBe(true);
      await expect
        .poll(() => call.getByTestId('call-transfer-answer').getAttribute('data-code'), WAIT)
        .toBe('200');
      await expect.poll(() => legsOf(call), WAIT).toContainEqual(['agent', '802', 'talking']);
      await expect.poll(() => stateOf(page, '802'), WAIT).toBe('BUSY_INCOMING');
      await expect.poll(() => stateOf(page, '801'), WAIT).toBe('ONLINE');

      // Force hang-up as 803 ends every leg.
      const closed = [next(other, 'CALL_CLOSED'), next(talk.customer, 'CALL_CLOSED')];
      await call.getByTestId('call-force').click();
      await Promise.all(closed);
      await expect.poll(() => call.count(), WAIT).toBe(0);
      expect(await sameDocument(page)).toBe(true);
      expect(errors).toEqual(refusals(403));
    } finally {
      await close();
    }
  }, 120_000);

  it('sets presence and places a click-to-dial call from the page; an offline agent is refused with its reason', async () => {
    const { page, errors, close } = await openOps();
    try {
      await page.getByTestId('ext-802-presence').selectOption('busy');
      await expect.poll(() => page.getByTestId('ext-802').getAttribute('data-presence'), WAIT).toBe('busy');
      expect(await extnumState('802')).toMatchObject({ presence: 'busy' });
      await page.getByTestId('ext-802-presence').selectOption('online');
      await expect.poll(async () => (await extnumState('802')).presence, WAIT).toBe('online');

      await page.getByTestId('dial-agent').selectOption('804');
      await page.getByTestId('dial-number').fill(CUSTOMER);
      await page.getByTestId('dial-go').click();
      await expect.poll(() => page.getByTestId('dial-answer').getAttribute('data-code'), WAIT).toBe('480');

      const agent = c.agents.get('802')!;
      const rings = next(agent, 'CALL_INCOMING');
      await page.getByTestId('dial-agent').selectOption('802');
      await page.getByTestId('dial-go').click();
      await rings;
      await expect.poll(() => page.getByTestId('dial-answer').getAttribute('data-code'), WAIT).toBe('200');
      await expect.poll(() => stateOf(page, '802'), WAIT).toBe('BUSY_OUTGOING');
      const trunkRings = next(c.trunk, 'CALL_INCOMING');
      expect((await agent.command('accept')).ok).toBe(true);
      await trunkRings;
      expect((await c.trunk.command('accept')).ok).toBe(true);
      const call = callOf(page, '802');
      await expect
        .poll(() => legsOf(call), WAIT)
        .toEqual([
          ['agent', '802', 'talking'],
          ['customer', CUSTOMER, 'talking'],
        ]);
      const clickCallId = (await page.getByTestId('dial-answer').textContent())!;
      expect(clickCallId).toContain((await call.getAttribute('data-callid'))!);

      const closed = [next(agent, 'CALL_CLOSED'), next(c.trunk, 'CALL_CLOSED')];
      await call.getByTestId('call-hangup').click();
      await Promise.all(closed);
      await expect.poll(() => stateOf(page, '802'), WAIT).toBe('ONLINE');
      expect(errors).toEqual(refusals(480));
    } finally {
      await close();
    }
  }, 120_000);

  it('lists a sipp caller in the IVR (in Chinese) and hangs it up', async () => {
    const { page, errors, close } = await openOps('zh-CN');
    try {
      expect(await page.getByTestId('ops-toolbar').textContent()).toContain('运营监控');
      const sipp = await runSipp('uac_wait_bye.xml', c.sip, { service: IN_IVR, timeoutSec: 30 });
      const call = callOf(page, '5551234');
      await expect.poll(() => legsOf(call), WAIT).toEqual([['customer', '5551234', 'talking']]);
      expect(await call.textContent()).toContain('此通话还没有坐席');
      expect(await call.getByTestId('call-monitor').isDisabled()).toBe(true);
      await call.getByTestId('call-hangup').click();
      const result = await sipp.done;
      expect(result.code, result.errors).toBe(0);
      await expect.poll(() => call.count(), WAIT).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opens from the designer, beside the drawing', async () => {
    const { page, errors } = await openDesigner(browser, base);
    try {
      const [ops] = await Promise.all([
        page.context().waitForEvent('page'),
        page.getByTestId('btn-ops').click(),
      ]);
      await ops.getByTestId('ops-extensions').waitFor();
      expect(new URL(ops.url()).pathname).toBe('/ops');
      await expect.poll(() => ops.getByTestId('ext-801').getAttribute('data-state'), WAIT).toBe('ONLINE');
      // The drawing stays open in its own tab.
      expect(await page.getByTestId('canvas').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
