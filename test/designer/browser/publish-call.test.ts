// End to end: an analyst draws an IVR with the mouse, publishes it, and a real sipp call runs the published version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../runtime/config/load.ts';
import { createLogger } from '../../../runtime/log.ts';
import { startRuntime, type Runtime } from '../../../runtime/server.ts';
import { eventsOf, lastCall } from '../../calls/harness.ts';
import { killPeers, runSipp, waitFor } from '../../media/embedded/sip/peers.ts';
import { connect, launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, root } from './server.ts';

const NUMBER = '4321';

let dir: string;
let runtime: Runtime;
let browser: Browser;
const url = () => `http://127.0.0.1:${runtime.http.port}`;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ivr-publish-call-'));
  // The designer host of server.ts has SIP off; this one serves the designer and answers calls.
  const config = loadConfig({
    env: {},
    overrides: {
      db: join(dir, 'ivr.db'),
      recordings: join(dir, 'recordings'),
      voicemail: join(dir, 'voicemail'),
      sounds: join(root, 'sounds'),
      designer: join(root, 'designer', 'dist'),
      'http.host': '127.0.0.1',
      'http.port': 0,
      'sip.host': '127.0.0.1',
      'sip.port': 0,
    },
  });
  runtime = await startRuntime(config, { log: createLogger('silent') });
  browser = await launch();
});

afterEach(() => killPeers());

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Selects the play node and sets the text its prompt speaks through the property panel. */
async function setPrompt(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="flow-node"][data-form-id="play"]').click();
  const tts = page.getByTestId('prompt-0-tts-0');
  await tts.fill(text);
  await tts.press('Enter');
  await expect
    .poll(
      () => page.locator('[data-testid="flow-node"][data-form-id="play"] .node-summary').textContent(),
      WAIT,
    )
    .toContain(text);
  // The node's own prompt is edited once, under its prompts, not again as a step of its `next` exit.
  const showing = (): Promise<number> =>
    page
      .getByTestId('properties')
      .locator('textarea')
      .evaluateAll((areas, t) => areas.filter((a) => (a as HTMLTextAreaElement).value === t).length, text);
  await expect.poll(showing, WAIT).toBe(1);
}

/** Publishes through the dialog and returns the version number the toast shows. */
async function publish(page: Page, note: string): Promise<number> {
  await page.getByTestId('btn-publish').click();
  await page.getByTestId('publish-author').fill('ana');
  await page.getByTestId('publish-note').fill(note);
  await page.getByTestId('publish-confirm').click();
  await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
  // The dialog notifies before it closes, so the toast names this publication now.
  const toast = (await page.getByTestId('toast').textContent()) ?? '';
  const shown = /Published version (\d+)/.exec(toast);
  if (!shown) throw new Error(`no version in the toast: ${toast}`);
  return Number(shown[1]);
}

/** One sipp call to NUMBER that waits for our BYE; returns the call log row and trace once the call is over. */
async function call() {
  const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${runtime.sip!.port}`, {
    service: NUMBER,
    timeoutSec: 30,
  });
  const result = await sipp.done;
  expect(result.code, result.errors).toBe(0);
  await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
  return lastCall(runtime.http.port);
}

describe('designer to live call', () => {
  it('draws a flow, publishes it, and calls reach the newest published version', async () => {
    const { page, errors } = await openDesigner(browser, url());
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(1);
    const canvas = page.getByTestId('canvas');
    await page.getByTestId('palette-play').dragTo(canvas, { targetPosition: { x: 120, y: 80 } });
    await page.getByTestId('palette-hangup').dragTo(canvas, { targetPosition: { x: 600, y: 120 } });
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(3);
    await connect(page, 'main', 'next', 'play');
    await connect(page, 'play', 'next', 'hangup');
    await expect.poll(() => page.locator('.react-flow__edge').count(), WAIT).toBe(2);
    await expect.poll(() => page.getByTestId('problem-row').count(), WAIT).toBe(0);
    await setPrompt(page, 'First version');

    await page.getByTestId('btn-flows').click();
    await page.getByTestId('flow-new-name').fill('Publish call');
    await page.getByTestId('flow-create').click();
    await page.getByTestId('flows-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('save-state').textContent(), WAIT).toBe('Saved');
    const first = await publish(page, 'first');
    expect(first).toBe(1);
    await shot(page, 'publish-call');

    const flows = (await (await fetch(`${url()}/api/flows`)).json()) as { id: string; name: string }[];
    const flow = flows.find((f) => f.name === 'Publish call');
    expect(flow).toBeDefined();
    const put = await fetch(`${url()}/api/routes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ number: NUMBER, flowId: flow!.id }]),
    });
    expect(put.status).toBe(200);

    const one = await call();
    expect(one.row).toMatchObject({ flowId: flow!.id, flowVersion: first, endReason: 'hangup' });
    expect(eventsOf(one.trace, 'form.enter').map((e) => e.form)).toEqual(['main', 'play', 'hangup']);
    expect(eventsOf(one.trace, 'prompt.start').map((e) => e.sources)).toEqual([['tts:First version']]);
    expect(eventsOf(one.trace, 'prompt.end').map((e) => e.reason)).toEqual(['completed']);
    expect(eventsOf(one.trace, 'hangup')).toHaveLength(1);
    expect(eventsOf(one.trace, 'error')).toEqual([]);

    // A second version with another prompt: the next call runs it, not the first.
    await setPrompt(page, 'Second version');
    const second = await publish(page, 'second');
    expect(second).toBe(2);
    const two = await call();
    expect(two.row.callid).not.toBe(one.row.callid);
    expect(two.row).toMatchObject({ flowId: flow!.id, flowVersion: second, endReason: 'hangup' });
    expect(eventsOf(two.trace, 'prompt.start').map((e) => e.sources)).toEqual([['tts:Second version']]);
    expect(eventsOf(two.trace, 'form.enter').map((e) => e.form)).toEqual(['main', 'play', 'hangup']);
    expect(errors).toEqual([]);
  });
});
