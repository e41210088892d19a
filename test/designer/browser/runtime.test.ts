// The designer served by the real runtime: save a draft, publish versions, and place a test call over /api/sim.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, root, startDesignerHost, type DesignerHost } from './server.ts';

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="choice" length="1" inputexpires="5000">
      <tns:prompt repeat="2" bargein="true">
        <tns:tts>Press one</tns:tts>
      </tns:prompt>
    </tns:field>
    <tns:if cond="choice == '1'">
      <tns:goto next="#bye"/>
      <tns:else>
        <tns:goto next="#main"/>
      </tns:else>
    </tns:if>
  </tns:form>
  <tns:form id="bye">
    <tns:prompt bargein="false">
      <tns:tts>Bye</tns:tts>
    </tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;

let host: DesignerHost;
let sounds: string;
let url: string;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  // A sound root of its own: the upload test writes into it.
  sounds = mkdtempSync(join(tmpdir(), 'ivr-designer-sounds-'));
  mkdirSync(join(sounds, 'delicious'));
  copyFileSync(join(root, 'sounds', 'delicious', 'goodbye.wav'), join(sounds, 'delicious', 'goodbye.wav'));
  host = await startDesignerHost({ sounds });
  url = host.url;
  writeFileSync(join(host.dir, 'press-one.xml'), FLOW);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (sounds) rmSync(sounds, { recursive: true, force: true });
});

async function importFlow(page: Page): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(join(host.dir, 'press-one.xml'));
  await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(2);
}

describe('designer on the runtime', () => {
  it('saves the flow as a draft, publishes numbered versions and lists them', async () => {
    const { page, errors } = await openDesigner(browser, url);
    await importFlow(page);
    await page.getByTestId('btn-flows').click();
    await page.getByTestId('flow-new-name').fill('Press one');
    await page.getByTestId('flow-create').click();
    await page.getByTestId('flows-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('save-state').textContent(), WAIT).toBe('Saved');
    const flows = (await (await fetch(`${url}/api/flows`)).json()) as { id: string; name: string }[];
    expect(flows.map((f) => f.name)).toEqual(['Press one']);

    for (const note of ['first', 'second']) {
      await page.getByTestId('btn-publish').click();
      await page.getByTestId('publish-author').fill('ana');
      await page.getByTestId('publish-note').fill(note);
      await page.getByTestId('publish-confirm').click();
      await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    }
    expect(await page.getByTestId('toast').textContent()).toContain('2');
    await page.getByTestId('btn-versions').click();
    await expect.poll(() => page.getByTestId('version-row').count(), WAIT).toBe(2);
    expect(await page.getByTestId('version-row').first().textContent()).toContain('ana');
    await shot(page, 'versions');

    // An edit is saved as the draft on its own (debounced), and the runtime has it.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+Digit7');
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(3);
    await expect
      .poll(async () => {
        const flow = (await (await fetch(`${url}/api/flows/${flows[0].id}`)).json()) as { xml: string };
        return flow.xml.includes('id="hangup"');
      }, WAIT)
      .toBe(true);
    expect(errors).toEqual([]);
  });

  it('places a test call: the node being executed is highlighted, keys go to the flow, the trace is live', async () => {
    const { page, errors } = await openDesigner(browser, url);
    await importFlow(page);
    await page.getByTestId('btn-test').click();
    await page.getByTestId('sim-call').click();
    const main = page.locator(
      '[data-testid="flow-node"][data-form-id="main"] .ivr-node, .ivr-node[data-form-id="main"]',
    );
    await main.and(page.locator('.running')).waitFor();
    await expect.poll(() => page.getByTestId('sim-trace').textContent(), WAIT).toContain('[main]');
    await shot(page, 'test-call');
    await page.getByTestId('sim-key-1').click();
    await page.locator('.ivr-node.running[data-form-id="bye"]').waitFor();
    await page.getByTestId('sim-ended').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sim-trace').textContent()).toContain('[bye]');
    expect(await page.locator('.ivr-node.running').count()).toBe(0);
    // After the call: the path it took, with the keys, the branch and the exit of each form.
    const visits = page.getByTestId('sim-visit');
    expect(await visits.evaluateAll((v) => v.map((e) => e.getAttribute('data-form')))).toEqual([
      'main',
      'bye',
    ]);
    expect(await visits.first().getByTestId('sim-digits').textContent()).toContain('keys 1');
    expect(await visits.first().getByTestId('sim-branch').textContent()).toContain("choice == '1'");
    expect(await visits.first().getByTestId('sim-exit').textContent()).toBe('go to #bye');
    // ... and on the canvas: the nodes it went through, the edge it followed.
    expect(await page.locator('.ivr-node.visited').count()).toBe(2);
    expect(await page.locator('.react-flow__edge.taken').count()).toBe(1);
    await shot(page, 'test-call-path');
    expect(errors).toEqual([]);
  });

  it('picks a sound from the library, uploads a WAV, and previews TTS text', async () => {
    const { page, errors } = await openDesigner(browser, url);
    // Every state-changing request carries the header the runtime's request guard asks of a POST.
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET')
        writes.push(`${r.method()} ${new URL(r.url()).pathname} ${r.headers()['x-requested-with']}`);
    });
    await importFlow(page);
    await page.locator('[data-testid="flow-node"][data-form-id="bye"]').click();
    const prompt = page.getByTestId('properties').locator('.sources').first();
    await prompt.locator('[data-testid$="-add-audio"]').click();
    await page.getByTestId('sounds-dialog').waitFor();
    await expect.poll(() => page.getByTestId('sound-row').count(), WAIT).toBe(1);

    await page.getByTestId('sounds-upload-file').setInputFiles(join(root, 'sounds', 'delicious', 'menu.wav'));
    await page.getByTestId('sounds-upload-path').fill('uploads/menu.wav');
    await page.getByTestId('sounds-upload').click();
    await expect.poll(() => page.getByTestId('sound-row').count(), WAIT).toBe(2);
    const listed = (await (await fetch(`${url}/api/sounds`)).json()) as { path: string }[];
    expect(listed.map((s) => s.path).sort()).toEqual(['delicious/goodbye.wav', 'uploads/menu.wav']);

    await page
      .locator('[data-testid="sound-row"]', { hasText: 'uploads/menu.wav' })
      .getByRole('button', { name: 'Pick…' })
      .click();
    await page.getByTestId('sounds-dialog').waitFor({ state: 'detached' });
    await expect
      .poll(
        () => page.locator('[data-testid="flow-node"][data-form-id="bye"] .node-summary').textContent(),
        WAIT,
      )
      .toContain('menu.wav');

    const [preview] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/tts/preview')),
      prompt.locator('button[title="Preview"]').first().click(),
    ]);
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toContain('audio/wav');
    expect(writes).toContain('POST /api/sounds switchboard-designer');
    expect(writes).toContain('POST /api/tts/preview switchboard-designer');
    expect(writes.filter((w) => !w.endsWith(' switchboard-designer'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
