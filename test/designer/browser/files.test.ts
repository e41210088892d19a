// Import and export in Chromium: the food-ordering example draws every form and jump, exports like `ivr format`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../../schema/parse.ts';
import { missingTargets, unknownAttributes } from '../../schema/many-problems.ts';
import { serialize } from '../../../schema/serialize.ts';
import { ARTIFACTS, launch, openDesigner, shot, WAIT } from './browser.ts';
import { generateFlow } from '../big-flows.ts';
import { expectedCounts } from './expected.ts';
import { ensureBuilt, root, startDesignerHost, type DesignerHost } from './server.ts';

const FOOD = join(root, 'examples', 'food-ordering', 'flow.xml');
const MANUAL = join(root, 'test', 'schema', 'fixtures', 'manual-delicious.xml');
const EXAMPLES = readdirSync(join(root, 'examples'))
  .map((name) => join(root, 'examples', name, 'flow.xml'))
  .filter((file) => existsSync(file));

let server: DesignerHost;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  server = await startDesignerHost();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function importFile(page: Page, file: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(file);
}

describe('designer import and export', () => {
  it('imports the food-ordering example: one node per form, one labelled edge per jump', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    const want = expectedCounts(parse(readFileSync(FOOD, 'utf8')));
    await importFile(page, FOOD);
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(want.nodes);
    await expect.poll(() => page.locator('.react-flow__edge').count(), WAIT).toBe(want.edges);
    const labels = await page.locator('.react-flow__edge-text').allTextContents();
    expect(labels).toHaveLength(want.edges);
    expect(labels.every((l) => l.trim().length > 0)).toBe(true);
    expect(labels).toContain("input_checked == 'LOGIN_SUCCESS'");
    await shot(page, 'food-ordering');
    expect(errors).toEqual([]);
  });

  it('exports exactly what `ivr format` prints for the original file', async () => {
    const { page } = await openDesigner(browser, server.url);
    await importFile(page, FOOD);
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBeGreaterThan(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('btn-export').click(),
    ]);
    const saved = join(ARTIFACTS, 'food-ordering.export.xml');
    await download.saveAs(saved);
    const formatted = execFileSync(process.execPath, [join(root, 'bin', 'ivr.js'), 'format', FOOD], {
      encoding: 'utf8',
    });
    expect(readFileSync(saved, 'utf8')).toBe(formatted);
  });

  it('exports every example and the manual IVR byte for byte as `ivr format` (the serializer) writes it', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    for (const file of [...EXAMPLES, MANUAL]) {
      await importFile(page, file);
      // Wait for this flow's own forms: the previous flow may have had as many nodes, and a `main`.
      const ids = parse(readFileSync(file, 'utf8'))
        .forms.map((f) => f.id)
        .sort()
        .join(' ');
      const shown = () =>
        page.getByTestId('flow-node').evaluateAll((nodes) =>
          nodes
            .map((n) => n.getAttribute('data-form-id'))
            .sort()
            .join(' '),
        );
      await expect.poll(shown, WAIT).toBe(ids);
      // The manual's example jumps to a form it lacks: `ivr format` refuses it, and so does the export at
      // first; forced, the export is what `ivr format`'s serializer writes.
      const refused = file === MANUAL;
      const formatted = refused
        ? serialize(parse(readFileSync(file, 'utf8')))
        : execFileSync(process.execPath, [join(root, 'bin', 'ivr.js'), 'format', file], { encoding: 'utf8' });
      const clicked = page.getByTestId('btn-export').click();
      if (refused) {
        await clicked;
        await page.getByTestId('export-refused').waitFor();
      }
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        refused ? page.getByTestId('export-anyway').click() : clicked,
      ]);
      const saved = join(ARTIFACTS, `${basename(dirname(file))}-${basename(file)}.export.xml`);
      await download.saveAs(saved);
      expect(readFileSync(saved, 'utf8'), file).toBe(formatted);
    }
    expect(errors).toEqual([]);
  }, 240_000);

  it('imports a 600-form flow (it comes back from the worker in slices) and exports it byte for byte', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    const xml = serialize(generateFlow(600));
    const file = join(ARTIFACTS, 'big-600.xml');
    writeFileSync(file, xml);
    await importFile(page, file);
    // The import is on the canvas once its `ivr:load` measure is taken (io/files.ts).
    await page.waitForFunction(`performance.getEntriesByName('ivr:load', 'measure').length > 0`, undefined, {
      timeout: WAIT.timeout,
    });
    expect(await page.locator('.react-flow__node, .birds-eye').count()).toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('btn-export').click(),
    ]);
    const saved = join(ARTIFACTS, 'big-600.export.xml');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(xml);
    expect(errors).toEqual([]);
  });

  it('refuses a broken file with its problems and line numbers, keeping the canvas', async () => {
    const { page } = await openDesigner(browser, server.url);
    const want = expectedCounts(parse(readFileSync(FOOD, 'utf8')));
    await importFile(page, FOOD);
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBe(want.nodes);
    const broken = join(ARTIFACTS, 'broken.xml');
    writeFileSync(
      broken,
      '<?xml version="1.0" encoding="UTF-8"?>\n<tns:vxml xmlns:tns="http://www.example.org/voicemail">\n  <tns:form id="main">\n    <tns:goto next="#a">\n  </tns:form>\n</tns:vxml>\n',
    );
    await importFile(page, broken);
    await page.getByTestId('import-failed').waitFor();
    const rows = await page.getByTestId('dialog-problem').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatch(/^\d+:\d+/);
    await shot(page, 'import-refused');
    expect(await page.getByTestId('flow-node').count()).toBe(want.nodes);
  });

  it('lists 100 problems of a file with 30 000 and counts the rest', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    const hostile = join(ARTIFACTS, 'unknown-attributes.xml');
    writeFileSync(hostile, unknownAttributes(30_000));
    const started = performance.now();
    await importFile(page, hostile);
    await page.getByTestId('import-failed').waitFor();
    console.log(`designer import, 30000 problems: ${(performance.now() - started).toFixed(0)} ms`);
    const rows = page.getByTestId('dialog-problem');
    expect(await rows.count()).toBe(101);
    expect(await rows.last().textContent()).toContain('E_MORE_PROBLEMS29900 more problems not listed');
    expect(errors).toEqual([]);
  });

  it('caps the problems list of a drawn flow, while the counts cover every problem', async () => {
    const { page } = await openDesigner(browser, server.url);
    const gotos = join(ARTIFACTS, 'missing-targets.xml');
    writeFileSync(gotos, missingTargets(150));
    await importFile(page, gotos);
    await expect.poll(() => page.getByTestId('problems-errors').textContent(), WAIT).toBe('150 errors');
    expect(await page.getByTestId('problem-row').count()).toBe(101);
    expect(await page.getByTestId('problem-row').last().getAttribute('data-code')).toBe('E_MORE_PROBLEMS');
  });

  it('refuses to export a flow with errors and lists them; a problem click focuses its node', async () => {
    const { page } = await openDesigner(browser, server.url);
    await importFile(page, MANUAL);
    await page.locator('[data-testid="problem-row"][data-code="E_GOTO_TARGET"]').first().waitFor();
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-refused').waitFor();
    expect(await page.getByTestId('dialog-problem').first().textContent()).toContain('E_GOTO_TARGET');
    await page.keyboard.press('Escape');
    const row = page.locator('[data-testid="problem-row"][data-code="E_GOTO_TARGET"]').first();
    const form = await row.getAttribute('data-form');
    await row.click();
    await expect.poll(() => page.getByTestId('properties').getAttribute('data-form-id'), WAIT).toBe(form);
  });

  it('finds nodes by id or prompt and focuses them', async () => {
    const { page } = await openDesigner(browser, server.url);
    await importFile(page, FOOD);
    await expect.poll(() => page.getByTestId('flow-node').count(), WAIT).toBeGreaterThan(1);
    await page.keyboard.press('/');
    await page.getByTestId('search-input').fill('goods_ok_suffix');
    await page.getByTestId('search-result').first().click();
    await expect
      .poll(() => page.getByTestId('properties').getAttribute('data-form-id'))
      .toBe('input_goods_confirm');
  });

  it('shows the steps of a branch on its edge and in the panel, and edits them', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await importFile(page, FOOD);
    const loginError = page.locator('.react-flow__edge-text', { hasText: "input_checked == 'LOGIN_ERROR'" });
    await expect.poll(() => loginError.textContent(), WAIT).toContain('login_error.wav');
    await page.locator('[data-testid="flow-node"][data-form-id="input_telnum"]').click();
    const audio = page.getByTestId('step-1.elseifs.0.items.1-0-audio-0');
    expect(await audio.inputValue()).toBe('[FILE_PATH]/delicious/login_error.wav');
    await audio.fill('[FILE_PATH]/delicious/sorry.wav');
    await audio.press('Enter');
    await expect.poll(() => loginError.textContent(), WAIT).toContain('sorry.wav');
    await page.getByTestId('step-remove-1.elseifs.0.items.1-0').click();
    await expect.poll(() => loginError.textContent(), WAIT).toBe("input_checked == 'LOGIN_ERROR'");
    expect(errors).toEqual([]);
  });
});
