// A new user's first look at the designer of a runtime with published flows (what `npm start` gives): the flow
// list with the published ones first, one click to open one, an icon, and a console with nothing to say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, root, startDesignerHost, type DesignerHost } from './server.ts';

let server: DesignerHost;
let browser: Browser;

async function post(path: string, body: unknown): Promise<{ id?: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'switchboard-designer' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id?: string };
}

beforeAll(async () => {
  await ensureBuilt();
  server = await startDesignerHost();
  browser = await launch();
  // Two published examples and a draft, as `npm start` publishes the examples.
  for (const name of ['food-ordering', 'satisfaction-survey']) {
    const xml = readFileSync(join(root, 'examples', name, 'flow.xml'), 'utf8');
    const { id } = await post('/api/flows', { name, xml });
    await post(`/api/flows/${id}/publish`, { author: 'test', note: 'example' });
  }
  await post('/api/flows', {
    name: 'draft only',
    xml: readFileSync(join(root, 'examples', 'captcha', 'flow.xml'), 'utf8'),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('first look', () => {
  it('opens on the flow list, published flows first, and opens one in a click', async () => {
    const { page, errors } = await openDesigner(browser, server.url, 'en', { keepFlowList: true });
    await page.getByTestId('flows-dialog').waitFor();
    const rows = page.getByTestId('flow-row');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    const names = await rows.locator('td:first-child').allTextContents();
    expect(names.slice(0, 2).sort()).toEqual(['food-ordering', 'satisfaction-survey']);
    expect(names[2]).toBe('draft only');
    await shot(page, 'first-look');
    await rows.filter({ hasText: 'food-ordering' }).getByTestId('flow-open').click();
    await page.getByTestId('flows-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="flow-node"][data-form-id="input_telnum"]').waitFor();
    await expect.poll(() => page.getByTestId('flow-name').inputValue(), WAIT).toBe('food-ordering');
    expect(errors).toEqual([]);
  });

  it('reopens the flow last edited in this browser instead of the list', async () => {
    const { page } = await openDesigner(browser, server.url, 'en', { keepFlowList: true });
    await page.getByTestId('flows-dialog').waitFor();
    await page
      .getByTestId('flow-row')
      .filter({ hasText: 'satisfaction-survey' })
      .getByTestId('flow-open')
      .click();
    await expect.poll(() => page.getByTestId('flow-name').inputValue(), WAIT).toBe('satisfaction-survey');
    await expect.poll(() => page.getByTestId('save-state').textContent(), WAIT).not.toBe('');
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('flows-dialog').count()).toBe(0);
    expect(await page.getByTestId('flow-name').inputValue()).toBe('satisfaction-survey');
  });

  it('serves an icon', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toContain('<svg');
    }
  });
});
