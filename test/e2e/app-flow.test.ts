import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/app';
import { generateShop, type EtsySimulator } from '../../sim';
import { etsySellable } from '../sync/world';
import { chromiumSkipReason, screenshotPath } from './chromium';
import type { CoreBridge } from './core-bridge';
import type { StaticServer } from './static-server';
import { nav, newCoreAndShop, openWindow, type WindowUnderTest } from './window';

/**
 * The real window in Debian's Chromium, bound to a real core (SQLite + the strict Etsy simulator):
 * onboarding → connect → dry run → apply → a sale on Etsy → sync → Activity explains it → settings
 * persist across a reload. One screenshot per page (light and dark) under test-artifacts/screenshots.
 */
if (chromiumSkipReason) console.warn(chromiumSkipReason);

describe.skipIf(chromiumSkipReason !== null)('the window end to end (Chromium + real core)', () => {
  let win: WindowUnderTest;
  let shop: Awaited<ReturnType<typeof newCoreAndShop>>;
  let server: StaticServer;
  let sim: EtsySimulator;
  let core: Core;
  let page: Page;
  let bridge: CoreBridge;
  let redirectUri: string;
  let problems: string[];
  /** Holds the "browser" back so the test can see the waiting state before Etsy approves. */
  let approve: () => void = () => undefined;
  const approved = new Promise<void>((resolve) => (approve = resolve));

  beforeAll(async () => {
    shop = await newCoreAndShop({
      label: 'e2e-app',
      shop: generateShop({ listings: 8, seed: 11, variationRatio: 0.4, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 1 }),
    });
    ({ sim, core } = shop);
    redirectUri = core.getSettings().redirectUri;

    win = await openWindow({
      label: 'e2e-app',
      core,
      // Stands in for the user's browser: the simulator approves and redirects to the loopback listener.
      openBrowser: async (url) => {
        void approved.then(() => fetch(url).catch(() => undefined));
      },
    });
    ({ server, page, bridge, problems } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
    await shop?.close();
  });

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
  }

  it('walks onboarding → connect → dry run → apply → activity → settings that persist', async () => {
    await page.goto(`${server.url}/index.html`);
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Art Sync' }).count()).toBe(1);

    // Step 1: the exact redirect URI to register, and the app's credentials.
    const steps = page.getByRole('list', { name: 'Setup steps' });
    expect(await steps.locator('[aria-current="step"]').textContent()).toContain('Your Etsy app');
    await expect.poll(() => page.getByLabel('Redirect URI to register on Etsy').inputValue()).toBe(redirectUri);
    await page.getByRole('button', { name: 'Next' }).click();
    // Nothing entered: the errors sit next to their fields.
    expect(await page.getByText('Enter the keystring of your Etsy app.').count()).toBe(1);
    await page.getByLabel('Keystring').fill(sim.keystring);
    await page.getByLabel('Shared secret').fill(sim.sharedSecret);
    await shot('onboarding-1-etsy-app');
    // Keyboard: Enter in a field submits the step.
    await page.getByLabel('Shared secret').press('Enter');

    // Step 2: connect; "Waiting for Etsy…" until the browser approves.
    await page.getByRole('button', { name: 'Connect to Etsy' }).click();
    await expect.poll(() => page.getByText('Waiting for Etsy…').count()).toBe(1);
    await expect.poll(() => bridge.opened.length).toBe(1);
    expect(bridge.opened[0]).toContain(sim.url);
    // The sign-in address to copy (a browser on another device), and the paste field for where Etsy
    // sends the browser back: a wrong paste says why, and the window keeps waiting.
    await expect.poll(() => page.getByLabel('Etsy sign-in address').inputValue()).toBe(bridge.opened[0]);
    const pasteField = page.getByLabel('Or paste the address Etsy sent you back to');
    await pasteField.fill('oauth/redirect?code=abc');
    await page.getByRole('button', { name: 'Use this address' }).click();
    await expect.poll(() => page.getByText('That is not a web address.', { exact: false }).count()).toBe(1);
    expect(await page.getByText('Waiting for Etsy…').count()).toBe(1);
    await shot('onboarding-2-waiting-for-etsy');
    approve();

    // Step 3: the starting point.
    await expect.poll(() => page.getByRole('radiogroup', { name: 'First sync starting point' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Connected to' }).count()).toBe(1);
    expect(await page.getByLabel('Etsy', { exact: true }).isChecked()).toBe(true);
    await shot('onboarding-3-starting-point');
    await page.getByRole('button', { name: 'Show what would change' }).click();

    // Step 4: the dry run's explained changes and attention; nothing written yet.
    await expect.poll(() => page.getByRole('heading', { name: 'Nothing has changed yet' }).count(), { timeout: 30_000 }).toBe(1);
    expect(core.catalog.list()).toEqual([]);
    expect(await page.getByRole('list', { name: 'Planned attention items' }).getByText('What to do:').count()).toBeGreaterThan(0);
    const summary = await page.getByLabel('Dry run summary').textContent();
    expect(summary).toMatch(/add \d+ items? to your catalog/);
    await shot('onboarding-4-review');
    await page.getByRole('button', { name: 'Apply these changes' }).click();

    // Step 5: done → Status.
    await expect.poll(() => page.getByRole('button', { name: 'Open Status' }).count(), { timeout: 30_000 }).toBe(1);
    expect(core.catalog.list().length).toBeGreaterThan(0);
    await shot('onboarding-5-done');
    await page.getByRole('button', { name: 'Open Status' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Status' }).count()).toBe(1);
    expect(await nav(page, 'Status').getAttribute('aria-current')).toBe('page');

    // A sale on Etsy, then "Sync now": the catalog follows and Activity explains why.
    const sold = etsySellable(sim).find((row) => row.quantity >= 2);
    expect(sold).toBeDefined();
    sim.sell(sold!.listingId, { sku: sold!.sku }, 1);
    const lastRunBefore = core.repos.runs.lastRun('inventory')?.id ?? 0;
    await page.getByRole('button', { name: 'Sync now' }).click();
    // Wait for the sync to finish (its inventory run recorded, nothing running), not for the first
    // progress text, which shows while the run is still reading Etsy.
    await expect
      .poll(() => (core.repos.runs.lastRun('inventory')?.id ?? 0) > lastRunBefore && core.scheduler.status().running === null, { timeout: 60_000 })
      .toBe(true);
    expect(core.catalog.list().find((variant) => variant.sku === sold!.sku)?.quantity).toBe(sold!.quantity - 1);
    // The window has seen the end too: the button is back and the outcome banner shows.
    await expect.poll(() => page.getByRole('button', { name: 'Sync now' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /changes|listings read|Sync finished/i }).count()).toBeGreaterThan(0);
    await shot('status');

    await nav(page, 'Activity').click();
    const list = page.getByRole('list', { name: 'Item changes' });
    await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThan(0);
    const saleRow = list.getByRole('listitem').filter({ hasText: sold!.sku }).filter({ hasText: 'Sold on Etsy' });
    await expect.poll(() => saleRow.count()).toBe(1);
    expect(await saleRow.textContent()).toMatch(/receipt/i);
    await shot('activity');

    // Filter by SKU (server side): only that SKU's rows come back.
    await page.getByLabel('SKU').fill(sold!.sku);
    await page.getByLabel('SKU').press('Enter');
    await expect.poll(() => bridge.calls.filter((call) => call.channel === 'history:list').at(-1)?.input).toMatchObject({ sku: sold!.sku });
    await expect.poll(async () => (await list.getByRole('listitem').allTextContents()).every((text) => text.includes(sold!.sku))).toBe(true);
    await shot('activity-filtered-by-sku');

    // The Catalog page (issue 15): edit a stock in place → the next sync puts it on the simulator's
    // listing and Activity explains it as a catalog edit.
    const edited = etsySellable(sim).find((row) => row.sku !== sold!.sku && core.catalog.list().some((v) => v.sku === row.sku));
    expect(edited).toBeDefined();
    const target = core.catalog.getBySku(edited!.sku)!.quantity + 5;
    await nav(page, 'Catalog').click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Catalog' }).count()).toBe(1);
    const items = page.getByRole('list', { name: 'Catalog items' });
    await expect.poll(() => items.getByRole('listitem').count()).toBeGreaterThan(5);
    await shot('catalog');
    await page.getByLabel('SKU or title').fill(edited!.sku);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => items.getByRole('button', { name: `Edit stock of ${edited!.sku}`, exact: true }).count()).toBe(1);
    await items.getByRole('button', { name: `Edit stock of ${edited!.sku}`, exact: true }).click();
    await page.getByLabel(`Stock of ${edited!.sku}`, { exact: true }).fill(String(target));
    await page.getByLabel(`Stock of ${edited!.sku}`, { exact: true }).press('Enter');
    await expect.poll(() => items.getByText('Saved. Etsy gets it within seconds while Art Sync is syncing.').count()).toBe(1);
    expect(core.catalog.getBySku(edited!.sku)?.quantity).toBe(target);
    const runBeforeEdit = core.repos.runs.lastRun('inventory')?.id ?? 0;
    await nav(page, 'Status').click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(() => (core.repos.runs.lastRun('inventory')?.id ?? 0) > runBeforeEdit && core.scheduler.status().running === null, { timeout: 60_000 })
      .toBe(true);
    expect(etsySellable(sim).filter((row) => row.sku === edited!.sku).map((row) => row.quantity)).toEqual([Math.min(999, target)]);
    await nav(page, 'Activity').click();
    await page.getByLabel('SKU').fill(edited!.sku);
    await page.getByLabel('SKU').press('Enter');
    const editRow = page.getByRole('list', { name: 'Item changes' }).getByRole('listitem').filter({ hasText: edited!.sku }).filter({ hasText: 'Edited in catalog' });
    await expect.poll(() => editRow.count()).toBeGreaterThan(0);

    await nav(page, 'Needs attention').click();
    await expect.poll(() => page.getByRole('list', { name: 'Items that need attention' }).getByText('What to do:').count()).toBeGreaterThan(0);
    await shot('needs-attention');

    // Settings: a bad interval is refused next to its field; good values persist across a reload.
    await nav(page, 'Settings').click();
    const stock = page.getByLabel('Stock sync every (minutes)');
    await expect.poll(() => stock.inputValue()).toBe('60');
    expect(await page.getByRole('group', { name: 'Etsy connection' }).textContent()).toContain('Connected');
    await stock.fill('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const error = page.getByText('The stock interval must be at least 5 minutes.');
    await expect.poll(() => error.count()).toBe(1);
    expect(await stock.getAttribute('aria-invalid')).toBe('true');
    expect(await stock.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
    await shot('settings-validation-error');
    expect(core.settings.get().inventorySyncIntervalMinutes).toBe(60);

    await stock.fill('30');
    await page.getByLabel('Safety buffer').fill('2');
    await page.getByLabel('Start Art Sync when I log in').check();
    await page.getByLabel('Encryption (TLS)').selectOption('verify-full');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByText('Settings saved.').count()).toBe(1);
    expect(core.settings.get()).toMatchObject({ inventorySyncIntervalMinutes: 30, buffer: 2, startAtLogin: true, serverTlsMode: 'verify-full' });

    await page.reload();
    await expect.poll(() => page.getByLabel('Stock sync every (minutes)').inputValue()).toBe('30');
    expect(await page.getByLabel('Safety buffer').inputValue()).toBe('2');
    expect(await page.getByLabel('Start Art Sync when I log in').isChecked()).toBe(true);
    expect(await page.getByLabel('Encryption (TLS)').inputValue()).toBe('verify-full');
    await shot('settings');

    // Every page in the dark theme too.
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, label] of [
      ['catalog', 'Catalog'],
      ['status', 'Status'],
      ['activity', 'Activity'],
      ['needs-attention', 'Needs attention'],
      ['settings', 'Settings'],
    ] as const) {
      await nav(page, label).click();
      await expect.poll(() => page.getByRole('heading', { level: 2, name: label }).count()).toBe(1);
      await shot(`${name}-dark`);
    }

    // Secrets only travel in: no answer the page received carries the shared secret, and only Etsy's
    // sign-in address (etsy:connectProgress) carries the keystring, as OAuth's public client_id.
    const answers = bridge.calls.map((call) => call.answer).join('\n');
    expect(answers).not.toContain(sim.sharedSecret);
    const others = bridge.calls.filter((call) => call.channel !== 'etsy:connectProgress').map((call) => call.answer).join('\n');
    expect(others).not.toContain(sim.keystring);
    expect(bridge.calls.some((call) => call.channel === 'etsy:connectProgress' && call.answer.includes(`client_id=${sim.keystring}`))).toBe(true);
    expect(problems).toEqual([]);
  }, 180_000);

  it('is usable from the keyboard: Tab reaches the navigation and Enter opens a page', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    // A fresh document (a hash-only goto would keep the old focus).
    await page.goto('about:blank');
    await page.goto(`${server.url}/index.html#status`);
    await expect.poll(() => page.getByRole('heading', { name: 'Status' }).count()).toBe(1);
    const focused = async () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Catalog');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Status');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Activity');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Activity' }).count()).toBe(1);
    expect(await nav(page, 'Activity').getAttribute('aria-current')).toBe('page');
    // The focused control shows a visible focus ring.
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    expect(problems).toEqual([]);
  }, 60_000);
});
