// The designer in Chromium: drag from the palette, connect, edit with inline validation, undo/redo, copy/paste.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, startDesignerHost, type DesignerHost } from './server.ts';

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

const nodes = (page: Page) => page.getByTestId('flow-node');
const node = (page: Page, id: string) => page.locator(`[data-testid="flow-node"][data-form-id="${id}"]`);

async function clickPane(page: Page): Promise<void> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  await page.mouse.click(box!.x + 20, box!.y + 20);
}

describe('designer editing', () => {
  it('drags nodes from the palette and connects them with labelled edges', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await expect.poll(() => nodes(page).count(), WAIT).toBe(1);
    const canvas = page.getByTestId('canvas');
    await page.getByTestId('palette-play').dragTo(canvas, { targetPosition: { x: 120, y: 80 } });
    await page.getByTestId('palette-hangup').dragTo(canvas, { targetPosition: { x: 600, y: 120 } });
    await expect.poll(() => nodes(page).count(), WAIT).toBe(3);
    await expect.poll(() => page.locator('[data-form-id="play"]').count(), WAIT).toBe(1);

    await connect(page, 'main', 'next', 'play');
    await connect(page, 'play', 'next', 'hangup');
    await expect.poll(() => page.locator('.react-flow__edge').count(), WAIT).toBe(2);
    const labels = await page.locator('.react-flow__edge-text').allTextContents();
    expect(labels).toEqual(['next', 'next']);
    // Every form is reachable now: no problem is left.
    await expect.poll(() => page.getByTestId('problem-row').count(), WAIT).toBe(0);
    await shot(page, 'palette-and-connect');
    expect(errors).toEqual([]);
  });

  it('shows a validation error on the node and in the panel, and clears it when fixed', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await page.getByTestId('palette-collect').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => node(page, 'collect').count(), WAIT).toBe(1);
    await expect(page.getByTestId('properties').getAttribute('data-form-id')).resolves.toBe('collect');

    await page.getByTestId('prop-length').fill('99');
    await page.getByTestId('prop-length').press('Enter');
    const message = page.getByTestId('prop-length-problems');
    await message.waitFor();
    expect(await message.textContent()).toContain('99');
    expect(await node(page, 'collect').getByTestId('node-problems').textContent()).toBe('1');
    await expect
      .poll(() => page.locator('[data-testid="problem-row"][data-code="E_FIELD_LENGTH"]').count())
      .toBe(1);
    await shot(page, 'validation-error');

    await page.getByTestId('prop-length').fill('4');
    await page.getByTestId('prop-length').press('Enter');
    await message.waitFor({ state: 'detached' });
    // Only the warning that nothing leads here yet is left.
    expect(await node(page, 'collect').locator('.badge-error').count()).toBe(0);
    expect(await page.locator('[data-code="E_FIELD_LENGTH"]').count()).toBe(0);
    expect(await page.locator('.node-facts').first().textContent()).toContain('≤4');
    expect(errors).toEqual([]);
  });

  it('undoes and redoes structural and property edits, copies, pastes and deletes', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await page.keyboard.press('Alt+Digit2');
    await expect.poll(() => nodes(page).count(), WAIT).toBe(2);
    await page.getByTestId('prop-id').fill('welcome');
    await page.getByTestId('prop-id').press('Enter');
    await expect.poll(() => node(page, 'welcome').count(), WAIT).toBe(1);
    await clickPane(page);

    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'play').count(), WAIT).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodes(page).count(), WAIT).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect.poll(() => node(page, 'welcome').count(), WAIT).toBe(1);

    await node(page, 'welcome').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => node(page, 'welcome_2').count(), WAIT).toBe(1);
    await page.keyboard.press('Control+d');
    await expect.poll(() => nodes(page).count(), WAIT).toBe(4);
    await page.keyboard.press('Delete');
    await expect.poll(() => nodes(page).count(), WAIT).toBe(3);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodes(page).count(), WAIT).toBe(4);
    expect(errors).toEqual([]);
  });

  it('keeps the work across a reload and shows the shortcut help', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await page.keyboard.press('Alt+Digit4');
    await expect.poll(() => node(page, 'menu').count(), WAIT).toBe(1);
    await expect.poll(() => page.getByTestId('save-state').textContent(), WAIT).toContain('browser');
    await page.reload();
    await page.getByTestId('canvas').waitFor();
    await expect.poll(() => node(page, 'menu').count(), WAIT).toBe(1);
    await clickPane(page);
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    expect(await page.getByTestId('help-overlay').textContent()).toContain('Ctrl+Z');
    await page.keyboard.press('Escape');
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' });
    await page.getByTestId('lang-select').selectOption('zh');
    expect(await page.getByTestId('palette-play').textContent()).toContain('放音');
    expect(errors).toEqual([]);
  });
});
