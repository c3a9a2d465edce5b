import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/app';
import { generateShop, type EtsySimulator } from '../../sim';
import { axeViolations, describeViolations, keyboardWalk, seriousOnly, weakFieldBorders } from './a11y-check';
import { chromiumSkipReason } from './chromium';
import type { CoreBridge } from './core-bridge';
import type { StaticServer } from './static-server';
import { nav, newCoreAndShop, openWindow, type WindowUnderTest } from './window';

/**
 * Issue 15 item 7: axe-core on every page of the real window (Chromium, real core, strict simulator),
 * in the light and the dark theme, with no serious or critical violation; and every visible control on
 * every page reached by the Tab key, none with a positive tabindex, nothing clickable that cannot take
 * focus. Each state is checked where the owner meets it: the onboarding steps as they come, then the
 * pages with their usual content (rows, an edit open, an undo plan open).
 */
if (chromiumSkipReason) console.warn(chromiumSkipReason);

describe.skipIf(chromiumSkipReason !== null)('accessibility of the window (axe-core + keyboard, light and dark)', () => {
  let win: WindowUnderTest;
  let shop: Awaited<ReturnType<typeof newCoreAndShop>>;
  let server: StaticServer;
  let sim: EtsySimulator;
  let core: Core;
  let page: Page;
  let bridge: CoreBridge;
  let pageErrors: string[];
  /** Every serious/critical axe finding, keyboard gap and minor finding, by page state and theme. */
  const serious: string[] = [];
  const minor: string[] = [];
  const keyboard: string[] = [];
  const checked: string[] = [];
  const keyboardNotes: string[] = [];
  let approve: () => void = () => undefined;
  const approved = new Promise<void>((resolve) => (approve = resolve));

  beforeAll(async () => {
    shop = await newCoreAndShop({
      label: 'e2e-a11y',
      shop: generateShop({ listings: 6, seed: 5, variationRatio: 0.4, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 1 }),
    });
    ({ sim, core } = shop);
    win = await openWindow({
      label: 'e2e-a11y',
      core,
      openBrowser: async (url) => {
        void approved.then(() => fetch(url).catch(() => undefined));
      },
    });
    ({ server, page, bridge, problems: pageErrors } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
    await shop?.close();
  });

  /** axe in both themes, then the keyboard walk (once: the theme changes colours, not controls). */
  async function check(where: string, options: { keyboard?: boolean } = {}): Promise<void> {
    // A tall window for axe: content cut off by the scrolling main area leaves axe unable to tell the
    // background (colour contrast "needs review"); with everything in view it decides each one.
    await page.setViewportSize({ width: 1120, height: 3000 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await axeViolations(page);
      const bad = seriousOnly(violations);
      serious.push(...describeViolations(`${where} (${scheme})`, bad));
      minor.push(...describeViolations(`${where} (${scheme})`, violations.filter((v) => !bad.includes(v))));
      serious.push(...(await weakFieldBorders(page)).map((field) => `${where} (${scheme}): non-text contrast (WCAG 1.4.11): ${field}`));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1120, height: 780 });
    if (options.keyboard !== false) {
      const walk = await keyboardWalk(page);
      expect(walk.controls, `${where}: controls found`).toBeGreaterThan(0);
      where = `${where} (${walk.controls} Tab stops)`;
      keyboard.push(...walk.unreached.map((what) => `${where}: Tab never reaches ${what}`));
      keyboard.push(...walk.positiveTabindex.map((what) => `${where}: positive tabindex on ${what}`));
      keyboard.push(...walk.clickableNotFocusable.map((what) => `${where}: clickable but not focusable: ${what}`));
      keyboard.push(...walk.noFocusRing.map((what) => `${where}: no visible focus on ${what}`));
    }
    checked.push(`${where}${options.keyboard !== false ? '' : ' (axe only)'}`);
  }

  it('onboarding steps: no serious axe violation, every control reached by Tab', async () => {
    await page.goto(`${server.url}/index.html`);
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Art Sync' }).count()).toBe(1);
    await check('onboarding 1: your Etsy app');

    // The step's validation errors (text next to the fields, aria-invalid).
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByText('Enter the keystring of your Etsy app.').count()).toBe(1);
    await check('onboarding 1: with errors', { keyboard: false });

    await page.getByLabel('Keystring').fill(sim.keystring);
    await page.getByLabel('Shared secret').fill(sim.sharedSecret);
    await page.getByLabel('Shared secret').press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Connect to Etsy' }).count()).toBe(1);
    await check('onboarding 2: connect');
    await page.getByRole('button', { name: 'Connect to Etsy' }).click();
    await expect.poll(() => page.getByText('Waiting for Etsy…').count()).toBe(1);
    await check('onboarding 2: waiting for Etsy');
    approve();

    await expect.poll(() => page.getByRole('radiogroup', { name: 'First sync starting point' }).count(), { timeout: 30_000 }).toBe(1);
    await check('onboarding 3: starting point');
    await page.getByRole('button', { name: 'Show what would change' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Nothing has changed yet' }).count(), { timeout: 30_000 }).toBe(1);
    await check('onboarding 4: review');
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Open Status' }).count(), { timeout: 30_000 }).toBe(1);
    await check('onboarding 5: done');
    await page.getByRole('button', { name: 'Open Status' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Status' }).count()).toBe(1);
  }, 180_000);

  it('every page, light and dark: no serious axe violation, every control reached by Tab', async () => {
    // A run that changed stock (an in-person sale, for Activity's "Undo this run") and a sync outcome on Status.
    const sku = core.catalog.list().find((variant) => variant.quantity >= 2)!.sku;
    core.recordSale(sku, 1);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Status' }).count()).toBe(1);
    const runBefore = core.repos.runs.lastRun('inventory')?.id ?? 0;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(() => (core.repos.runs.lastRun('inventory')?.id ?? 0) > runBefore && core.scheduler.status().running === null, { timeout: 60_000 })
      .toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Sync now' }).count()).toBe(1);
    await check('Status');

    await nav(page, 'Catalog').click();
    const items = page.getByRole('list', { name: 'Catalog items' });
    await expect.poll(() => items.getByRole('button', { name: `Edit stock of ${sku}`, exact: true }).count()).toBe(1);
    await check('Catalog');
    await items.getByRole('button', { name: `Record sale of ${sku}`, exact: true }).click();
    await expect.poll(() => page.getByLabel(`Quantity sold of ${sku}`, { exact: true }).count()).toBe(1);
    await check('Catalog: record sale open');
    await page.getByLabel(`Quantity sold of ${sku}`, { exact: true }).fill('nope');
    await page.getByLabel(`Quantity sold of ${sku}`, { exact: true }).press('Enter');
    await expect.poll(() => items.getByText(/Enter a whole number/).count()).toBe(1);
    await check('Catalog: record sale refused', { keyboard: false });
    await page.getByLabel(`Quantity sold of ${sku}`, { exact: true }).press('Escape');
    await items.getByRole('button', { name: `History of ${sku}`, exact: true }).click();
    await check('Catalog: history open');

    await items.getByRole('button', { name: `Edit stock of ${sku}`, exact: true }).click();
    await page.getByLabel(`Stock of ${sku}`, { exact: true }).press('Enter');
    await expect.poll(() => items.getByText(/^Saved/).count()).toBe(1);
    await check('Catalog: a row saved, its message shown', { keyboard: false });
    for (const filter of ['Low stock', 'Sold out', 'On Etsy, not in the catalog']) {
      await page.getByLabel('Show').selectOption({ label: filter });
      await expect.poll(() => bridge.calls.at(-1)?.ok).toBe(true);
      await check(`Catalog: ${filter}`, { keyboard: false });
    }
    await page.getByLabel('Show').selectOption({ label: 'All items' });

    await nav(page, 'Activity').click();
    await expect.poll(() => page.getByRole('list', { name: 'Item changes' }).getByRole('listitem').count()).toBeGreaterThan(0);
    await check('Activity');
    // The in-person sale's run (the later sync only brought Etsy to the catalog: nothing to undo there).
    const undo = page.getByRole('list', { name: 'Recent runs' }).getByRole('listitem').filter({ hasText: 'Catalog' }).getByRole('button', { name: 'Undo this run' }).first();
    await expect.poll(() => undo.count()).toBe(1);
    await undo.click();
    await expect.poll(() => page.getByRole('region', { name: /Undo of run/ }).count()).toBe(1);
    await check('Activity: undo plan open');

    await nav(page, 'Needs attention').click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Needs attention' }).count()).toBe(1);
    await check('Needs attention');

    // Etsy unreachable: the warning and error banners (their colours in both themes).
    await sim.goOffline();
    await nav(page, 'Status').click();
    const failedBefore = core.repos.runs.lastRun('inventory')?.id ?? 0;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => (core.repos.runs.lastRun('inventory')?.id ?? 0) > failedBefore && core.scheduler.status().running === null, { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /could not reach Etsy/i }).count()).toBe(1);
    await check('Status: Etsy unreachable');
    await sim.goOnline();

    await nav(page, 'Settings').click();
    await expect.poll(() => page.getByLabel('Stock sync every (minutes)').inputValue()).not.toBe('');
    await check('Settings');
    await page.getByLabel('Stock sync every (minutes)').fill('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByText('The stock interval must be at least 5 minutes.').count()).toBe(1);
    await check('Settings: with an error', { keyboard: false });
  }, 240_000);

  it('the checks can fail: low contrast, an unnamed button, a clickable div, a positive tabindex and a missing focus ring are reported', async () => {
    await nav(page, 'Status').click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Status' }).count()).toBe(1);
    // Built with DOM calls, not innerHTML: the page's CSP and Trusted Types stay as shipped.
    await page.evaluate(`(() => {
      const box = document.createElement('div');
      box.id = 'a11y-probe';
      const faint = document.createElement('p');
      faint.textContent = 'Faint words';
      faint.style.color = '#bbbbbb';
      faint.style.background = '#ffffff';
      const button = document.createElement('button');
      const clickable = document.createElement('div');
      clickable.setAttribute('role', 'button');
      clickable.textContent = 'Click me';
      const skipped = document.createElement('button');
      skipped.textContent = 'Jump the queue';
      skipped.tabIndex = 3;
      const ringless = document.createElement('button');
      ringless.textContent = 'No ring';
      ringless.style.outline = 'none';
      const field = document.createElement('input');
      field.setAttribute('aria-label', 'Faint field');
      field.style.border = '1px solid #eeeeee';
      box.append(faint, button, clickable, skipped, ringless, field);
      document.querySelector('main').append(box);
    })()`);
    const ids = seriousOnly(await axeViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['color-contrast', 'button-name']));
    const walk = await keyboardWalk(page);
    expect(walk.clickableNotFocusable.join('\n')).toContain('Click me');
    expect(walk.positiveTabindex.join('\n')).toContain('Jump the queue');
    expect(walk.noFocusRing.join('\n')).toContain('No ring');
    expect((await weakFieldBorders(page)).join('\n')).toContain('Faint field');
    expect(walk.noFocusRing.join('\n')).not.toContain('Sync now');
    await page.evaluate(`document.getElementById('a11y-probe').remove()`);
  }, 60_000);

  it('works with the keyboard alone: record a sale, open an undo plan, cancel it; focus is never lost', async () => {
    const activeText = () => page.evaluate<string>('document.activeElement === document.body ? "(body)" : (document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent || "").trim()');
    const sku = core.catalog.list().find((variant) => variant.quantity >= 2)!.sku;
    const before = core.catalog.getBySku(sku)!.quantity;
    await nav(page, 'Catalog').click();
    const items = page.getByRole('list', { name: 'Catalog items' });
    await expect.poll(() => items.getByRole('button', { name: `Record sale of ${sku}`, exact: true }).count()).toBe(1);
    // Tab stops were checked above; here the keys do the work: Enter opens, typing and Enter record.
    await items.getByRole('button', { name: `Record sale of ${sku}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(activeText).toBe(`Quantity sold of ${sku}`);
    await page.keyboard.press('Enter'); // the field starts at 1
    await expect.poll(() => core.catalog.getBySku(sku)?.quantity).toBe(before - 1);
    // Where focus lands after the form closes (catalog-row.tsx, owned elsewhere): reported, not asserted.
    const afterSale = await activeText();
    if (afterSale === '(body)') keyboardNotes.push(`Catalog: after "Record" the form closes and focus falls back to the page (body); it could return to "Record sale of ${sku}"`);

    await nav(page, 'Activity').click();
    const runs = page.getByRole('list', { name: 'Recent runs' });
    const undo = runs.getByRole('listitem').filter({ hasText: 'Catalog' }).first().getByRole('button', { name: 'Undo this run' });
    await expect.poll(() => undo.count()).toBe(1);
    await undo.focus();
    await page.keyboard.press('Enter');
    const plan = page.getByRole('region', { name: /Undo of run/ });
    await expect.poll(() => plan.count()).toBe(1);
    // The plan takes focus (the button that opened it is gone), so the next Tab is inside it.
    await expect.poll(() => plan.evaluate((region) => region.contains(region.ownerDocument.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => plan.count()).toBe(0);
    await expect.poll(activeText).toBe('Undo this run');
    expect(core.catalog.getBySku(sku)?.quantity).toBe(before - 1);
  }, 60_000);

  it('reports nothing serious (every finding listed with id, impact, target and help)', () => {
    if (keyboardNotes.length > 0) console.info(`keyboard notes (not failing):\n${keyboardNotes.join('\n')}`);
    console.info(`checked, light and dark:\n${checked.join('\n')}`);
    if (minor.length > 0) console.info(`axe, moderate and minor (not failing):\n${minor.join('\n')}`);
    if (serious.length > 0) console.error(`axe, serious and critical:\n${serious.join('\n')}`);
    if (keyboard.length > 0) console.error(`keyboard:\n${keyboard.join('\n')}`);
    expect(checked.length).toBeGreaterThanOrEqual(21);
    expect(serious).toEqual([]);
    expect(keyboard).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
