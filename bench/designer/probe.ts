// In-page measurement for the designer benchmark: frame times (rAF), long tasks, and the scripted gestures.
// Page code is passed as strings: tsx would add helpers (__name) to functions that do not exist in the page.
import type { Page } from 'playwright-core';

/** Installed before any page script: a long-task observer and a frame recorder. */
export const PROBE = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let recording = null;
  window.__startFrames = () => {
    recording = { deltas: [], last: performance.now(), on: true };
    const r = recording;
    const tick = (now) => {
      if (!r.on) return;
      r.deltas.push(now - r.last);
      r.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  window.__stopFrames = () => {
    recording.on = false;
    return recording.deltas.slice(1);
  };
  /** Resolves at the first animation frame where the selector matches, with the time since window.__t0. */
  window.__firstFrame = (selector) => new Promise((resolve) => {
    const tick = () => {
      if (document.querySelector(selector)) resolve(performance.now() - window.__t0);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  window.__maxLongTask = (from, to) => Math.max(0, ...window.__longTasks
    .filter((t) => t.start + t.duration >= from && t.start <= to).map((t) => t.duration));
})()`;

export interface Gesture {
  /** Frame times (ms) while the gesture ran. */
  frames: number[];
  /** Longest task (ms) while it ran. */
  longest: number;
}

async function during(page: Page, act: () => Promise<void>): Promise<Gesture> {
  const from = await page.evaluate<number>('(window.__startFrames(), performance.now())');
  await act();
  const frames = await page.evaluate<number[]>('window.__stopFrames()');
  const longest = await page.evaluate<number>(`window.__maxLongTask(${from}, performance.now())`);
  return { frames, longest };
}

async function paneCentre(page: Page): Promise<{ x: number; y: number }> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  return { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
}

/** A point of the empty pane near its centre (up close the centre may be a node: dragging it is no pan). */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const spot = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    for (let r = 0; r < 400; r += 20) for (let a = 0; a < 360; a += 30) {
      const x = ${pane.x + pane.width / 2} + r * Math.cos(a * Math.PI / 180);
      const y = ${pane.y + pane.height / 2} + r * Math.sin(a * Math.PI / 180);
      const el = document.elementFromPoint(x, y);
      if (el && (el.classList.contains('react-flow__pane') || el.classList.contains('birds-eye'))) return { x, y };
    }
    return null;
  })()`);
  return spot ?? paneCentre(page);
}

/** Drags the empty pane back and forth (as the old benchmark did, for comparable figures). */
export async function pan(page: Page): Promise<Gesture> {
  const { x, y } = await emptySpot(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  const g = await during(page, async () => {
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(x - 300, y - 150, { steps: 30 });
      await page.mouse.move(x, y, { steps: 30 });
    }
  });
  await page.mouse.up();
  return g;
}

/** Wheel zoom in and back out around the pane's centre. */
export async function zoom(page: Page): Promise<Gesture> {
  const { x, y } = await paneCentre(page);
  await page.mouse.move(x, y);
  return during(page, async () => {
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -120);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 120);
  });
}

/** The designer's way to a node from far away: search it (the bird's-eye view has no node elements). */
export async function searchTo(page: Page, id: string): Promise<string> {
  await page.getByTestId('btn-search').click();
  await page.getByTestId('search-input').fill(id);
  await page.getByTestId('search-input').press('Enter');
  await page.getByTestId('search-input').press('Escape');
  const node = `.react-flow__node:has([data-form-id="${id}"])`;
  await page.locator(node).waitFor();
  // The focus animates for 200 ms: wait until the node stops moving.
  await page.waitForFunction(`new Promise((r) => {
    const el = document.querySelector('[data-form-id="${id}"]');
    let last = el.getBoundingClientRect().x;
    const tick = () => requestAnimationFrame(() => {
      const x = el.getBoundingClientRect().x;
      if (x === last) r(true); else { last = x; tick(); }
    });
    setTimeout(tick, 250);
  })`);
  return node;
}

/** Zooms in on the first node until it is drawn at least `width` px wide; returns its selector. */
export async function closeUp(page: Page, width = 200): Promise<string> {
  const selector = '.react-flow__node[data-id]';
  const id = await page.locator(selector).first().getAttribute('data-id');
  const node = `.react-flow__node[data-id="${id}"]`;
  for (let i = 0; i < 60; i++) {
    const box = (await page.locator(node).boundingBox())!;
    if (box.width >= width) break;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction('new Promise((r) => requestAnimationFrame(() => r(true)))');
  }
  return node;
}

/** Drags a node by its top strip in circles. */
export async function dragNode(page: Page, node: string): Promise<Gesture> {
  const box = (await page.locator(node).boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + 8];
  await page.mouse.move(x, y);
  await page.mouse.down();
  const g = await during(page, async () => {
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(x + 200, y + 100, { steps: 30 });
      await page.mouse.move(x, y, { steps: 30 });
    }
  });
  await page.mouse.up();
  return g;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: number[]): number => percentile(values, 50);
