// Headless Chromium for the designer tests (the system's /usr/bin/chromium; never a downloaded browser).
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './server.ts';

/** How long `expect.poll` waits for the page (two shared cores: builds and layouts can be slow). */
export const WAIT = { timeout: 20_000, interval: 50 };

export const ARTIFACTS = join(root, '.artifacts', 'designer');

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh page on the designer, in English, with an empty browser copy. `errors` collects uncaught page errors
 * and every console error and warning (a failed request shows up there too): tests expect it empty.
 */
export async function openDesigner(
  browser: Browser,
  url: string,
  lang = 'en',
  opts: { keepFlowList?: boolean } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: lang,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByTestId('canvas').waitFor();
  // A new visitor of a runtime with flows starts on the flow list: most tests start a new flow instead.
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
  if (!opts.keepFlowList && (await page.getByTestId('flows-start-new').count()) > 0) {
    await page.getByTestId('flows-start-new').click();
    await page.getByTestId('flows-dialog').waitFor({ state: 'detached' });
  }
  return { page, errors };
}

export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** The centre of the element `selector` matches, in page coordinates. */
export async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`no box for ${selector}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an exit handle to a node's input handle with the mouse, as a person does. */
export async function connect(page: Page, fromId: string, handle: string, toId: string): Promise<void> {
  const from = await centre(
    page,
    `[data-form-id="${fromId}"] .react-flow__handle[data-handleid="${handle}"]`,
  );
  const to = await centre(page, `[data-form-id="${toId}"] .react-flow__handle[data-handleid="in"]`);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}
