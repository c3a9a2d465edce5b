import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../e2e/build-page';
import { chromiumSkipReason, launchChromium, REPO_ROOT } from '../e2e/chromium';
import { serveStatic, type StaticServer } from '../e2e/static-server';

/**
 * Renderer components in real Chromium (no jsdom): the fixture page (fixtures/harness.tsx) is built
 * with the app's Vite config, served over loopback with the app's CSP, and driven by Playwright.
 */
if (chromiumSkipReason) console.warn(chromiumSkipReason);

describe.skipIf(chromiumSkipReason !== null)('renderer components in Chromium', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    outDir = await buildPage({ root: path.join(REPO_ROOT, 'test/renderer/fixtures'), label: 'fixtures' });
    server = await serveStatic(outDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  async function open(which: string): Promise<Page> {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/index.html?case=${which}`);
    return page;
  }

  const calls = () => page.evaluate<{ channel: string; input: unknown }[]>('window.__calls');

  describe('VirtualList', () => {
    it('renders only the rows in view out of 10,000, and follows the scroll', async () => {
      await open('virtual-list');
      const list = page.getByRole('list', { name: 'Rows' });
      await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThan(0);
      const rows = await list.getByRole('listitem').count();
      // 400 px / 40 px = 10 visible, plus one partial and the overscan on each side.
      expect(rows).toBeGreaterThanOrEqual(10);
      expect(rows).toBeLessThanOrEqual(25);
      expect(await list.getByRole('listitem').first().textContent()).toBe('Row 0');

      // Row 5,000 sits at 200,000 px; scrolling there renders its neighbourhood only.
      await page.locator('.virtual-viewport').evaluate((element: { scrollTop: number }) => {
        element.scrollTop = 5000 * 40;
      });
      await expect.poll(() => list.getByText('Row 5000', { exact: true }).count()).toBe(1);
      expect(await list.getByText('Row 0', { exact: true }).count()).toBe(0);
      expect(await list.getByRole('listitem').count()).toBeLessThanOrEqual(25);
      const box = await list.getByText('Row 5000', { exact: true }).boundingBox();
      const frame = await page.locator('.virtual-viewport').boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(frame!.y - 1);
      expect(box!.y).toBeLessThan(frame!.y + frame!.height);
      // The list tells assistive technology where each row sits in the whole.
      expect(await list.getByRole('listitem').first().getAttribute('aria-setsize')).toBe('10000');
      expect(problems).toEqual([]);
    });

    it('asks for the next page only near the end of what is loaded, once per page', async () => {
      await open('virtual-list-paging');
      const viewport = page.locator('.virtual-viewport');
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe('100');
      expect(await page.evaluate('window.__nearEnd')).toBe(0);
      for (let loaded = 100; loaded < 400; loaded += 100) {
        await viewport.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
          element.scrollTop = element.scrollHeight;
        });
        await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe(String(loaded + 100));
        expect(await page.evaluate('window.__nearEnd')).toBe(loaded / 100);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('Catalog page', () => {
    it('a finished sync reads the loaded rows again in place: same rows, same scroll, an open field stays open', async () => {
      await open('catalog');
      const list = page.getByRole('list', { name: 'Catalog items' });
      const viewport = page.locator('.virtual-viewport');
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe('100');
      await viewport.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
        element.scrollTop = element.scrollHeight;
      });
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe('200');
      // A row on screen with its stock field open (focusing the field may scroll a little).
      const sku = (await list.getByRole('listitem').last().locator('.history-sku').textContent())!;
      await page.getByRole('button', { name: `Edit stock of ${sku}`, exact: true }).click();
      await page.getByLabel(`Stock of ${sku}`, { exact: true }).fill('42');
      const scrolled = await viewport.evaluate((element: { scrollTop: number }) => element.scrollTop);
      expect(scrolled).toBeGreaterThan(0);
      const before = (await calls()).filter((call) => call.channel === 'catalog:page').length;

      await page.evaluate('window.__synced()');
      // One read of the 200 loaded rows from the first, not the first page alone.
      await expect.poll(async () => (await calls()).filter((call) => call.channel === 'catalog:page').slice(before).map((call) => call.input)).toEqual([{ limit: 200 }]);
      expect(await viewport.getAttribute('data-loaded-rows')).toBe('200');
      expect(await viewport.evaluate((element: { scrollTop: number }) => element.scrollTop)).toBe(scrolled);
      expect(await page.getByLabel(`Stock of ${sku}`, { exact: true }).inputValue()).toBe('42');
      expect(problems).toEqual([]);
    });

    it('pages 20,000 variants by keyset, searches, filters, edits stock with validation, records a sale, opens a listing and the history', async () => {
      await open('catalog');
      const list = page.getByRole('list', { name: 'Catalog items' });
      await expect.poll(() => list.getByText('SKU-00001', { exact: true }).count()).toBe(1);
      const viewport = page.locator('.virtual-viewport');
      expect(Number(await viewport.getAttribute('data-loaded-rows'))).toBe(100);
      expect(Number(await viewport.getAttribute('data-rendered-rows'))).toBeLessThanOrEqual(30);
      // Near the end of what is loaded, the next page is asked for after the last SKU.
      await viewport.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
        element.scrollTop = element.scrollHeight;
      });
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe('200');
      const pages = (await calls()).filter((call) => call.channel === 'catalog:page');
      expect(pages.map((call) => call.input)).toEqual([{ limit: 100 }, { afterSku: 'SKU-00099', limit: 100 }]);

      await page.getByLabel('SKU or title').fill('heron print 12345');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
      await page.getByLabel('SKU or title').fill('');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByLabel('Show').selectOption('not_on_etsy');
      await expect.poll(() => list.getByText('SKU-00003', { exact: true }).count()).toBe(1);
      expect(await list.getByText('SKU-00001', { exact: true }).count()).toBe(0);
      expect((await calls()).filter((call) => call.channel === 'catalog:page').at(-1)?.input).toEqual({ filter: 'not_on_etsy', limit: 100 });
      // "On Etsy, not in the catalog" lists the sync's unmatched Etsy SKUs, not catalog rows.
      await page.getByLabel('Show').selectOption('not_in_catalog');
      const missing = page.getByRole('list', { name: 'On Etsy, not in the catalog' });
      await expect.poll(() => missing.getByRole('listitem').count()).toBe(1);
      expect(await missing.textContent()).toContain('OTTER-A5');
      await page.getByLabel('Show').selectOption('');
      await expect.poll(() => list.getByText('SKU-00001', { exact: true }).count()).toBe(1);

      // Edit stock in place: a bad value is refused next to the field and nothing is sent.
      await page.getByRole('button', { name: 'Edit stock of SKU-00001' }).click();
      const stock = page.getByLabel('Stock of SKU-00001', { exact: true });
      await stock.fill('1000000');
      await stock.press('Enter');
      await expect.poll(() => page.getByText('Enter a whole number from 0 to 999,999.').count()).toBe(1);
      expect(await stock.getAttribute('aria-invalid')).toBe('true');
      expect((await calls()).filter((call) => call.channel === 'catalog:setStock')).toEqual([]);
      await stock.fill('12');
      await stock.press('Enter');
      await expect.poll(() => page.getByText('Saved. Etsy gets it within seconds while Art Sync is syncing.').count()).toBe(1);
      expect(await list.getByLabel('Stock 12').count()).toBe(1);
      // Focus goes back to the button that opened the field, not to the page.
      const focused = () => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName");
      await expect.poll(focused).toBe('Edit stock of SKU-00001');
      await page.keyboard.press('Enter');
      await page.getByLabel('Stock of SKU-00001', { exact: true }).press('Escape');
      await expect.poll(focused).toBe('Edit stock of SKU-00001');
      expect((await calls()).filter((call) => call.channel === 'catalog:setStock')).toEqual([{ channel: 'catalog:setStock', input: { sku: 'SKU-00001', quantity: 12 } }]);
      // The core's refusal shows on its row.
      await page.getByRole('button', { name: 'Edit stock of SKU-00002' }).click();
      await page.getByLabel('Stock of SKU-00002', { exact: true }).fill('4');
      await page.getByLabel('Stock of SKU-00002', { exact: true }).press('Enter');
      await expect.poll(() => page.getByText('There is no SKU "SKU-00002" in the catalog.').count()).toBe(1);

      await page.getByRole('button', { name: 'Record sale of SKU-00004' }).click();
      await page.getByLabel('Quantity sold of SKU-00004').press('Enter');
      await expect.poll(() => page.getByText('Sold 1 in person: 1 → 0. Etsy gets it within seconds while Art Sync is syncing.').count()).toBe(1);
      await expect.poll(focused).toBe('Record sale of SKU-00004');
      expect((await calls()).filter((call) => call.channel === 'catalog:sell')).toEqual([{ channel: 'catalog:sell', input: { sku: 'SKU-00004', quantity: 1 } }]);

      await list.getByRole('button', { name: '1001 (active)' }).click();
      await expect.poll(async () => (await calls()).filter((call) => call.channel === 'app:openExternal')).toEqual([
        { channel: 'app:openExternal', input: { url: 'https://www.etsy.com/listing/1001' } },
      ]);
      await page.getByRole('button', { name: 'History of SKU-00001' }).click();
      const history = page.getByRole('complementary', { name: 'History of SKU-00001' });
      await expect.poll(() => history.getByText('Sold on Etsy (receipt 9): 2 → 1').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'history:list').at(-1)?.input).toEqual({ sku: 'SKU-00001', limit: 50 });
      // The item's own low-stock level, beside its history.
      await history.getByLabel('Low at or below').fill('-3');
      await history.getByRole('button', { name: 'Save level' }).click();
      await expect.poll(() => history.getByText('Enter a whole number from 0 to 999,999.').count()).toBe(1);
      await history.getByLabel('Low at or below').fill('3');
      await history.getByRole('button', { name: 'Save level' }).click();
      await expect.poll(() => history.getByText('Saved.').count()).toBe(1);
      await history.getByRole('button', { name: 'Use the setting' }).click();
      await expect.poll(() => history.getByText('Follows the setting.').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'catalog:setLowStock').map((call) => call.input)).toEqual([
        { sku: 'SKU-00001', threshold: 3 },
        { sku: 'SKU-00001', threshold: null },
      ]);
      expect(problems).toEqual([]);
    }, 90_000);
  });

  describe('Catalog page: push state and CSV (issue 15)', () => {
    it('shows each row\'s push state, follows a saved stock from pushing… to on Etsy, and previews a CSV before applying it', async () => {
      await open('catalog');
      const list = page.getByRole('list', { name: 'Catalog items' });
      const state = (sku: string) => list.getByRole('listitem').filter({ has: page.getByText(sku, { exact: true }) }).locator('[data-push-state]');
      await expect.poll(() => state('SKU-00001').textContent()).toBe('on Etsy');
      expect(await state('SKU-00000').count()).toBe(0); // not on Etsy: no push state at all
      expect(await state('SKU-00005').textContent()).toBe('not pushed: Etsy did not accept the stock update for listing 1005: bad variation.');

      await page.getByRole('button', { name: 'Edit stock of SKU-00001' }).click();
      await page.getByLabel('Stock of SKU-00001', { exact: true }).fill('7');
      await page.getByLabel('Stock of SKU-00001', { exact: true }).press('Enter');
      await expect.poll(() => state('SKU-00001').textContent()).toBe('pushing…');
      await expect.poll(() => state('SKU-00001').textContent()).toBe('on Etsy');
      expect((await calls()).filter((call) => call.channel === 'catalog:pushState').map((call) => call.input)).toEqual([{ skus: ['SKU-00001'] }, { skus: ['SKU-00001'] }]);

      // Export: one click, main does the dialog and the writing; the page only hears the outcome.
      await page.getByRole('button', { name: 'Export CSV…' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Exported 20000 items to catalog.csv.' }).count()).toBe(1);

      // Import: the preview, the refused line by number; Cancel sends importCancel and changes nothing.
      await page.getByRole('button', { name: 'Import CSV…' }).click();
      const preview = page.getByRole('region', { name: 'Import preview: stock.csv' });
      await expect.poll(() => preview.count()).toBe(1);
      expect(await preview.getByRole('list', { name: 'Lines with errors' }).textContent()).toBe('Line 3: quantity "x" is not a whole number of 0 or more');
      expect(await preview.getByRole('row').filter({ hasText: 'SKU-00001' }).textContent()).toContain('stock 1 → 9');
      // Escape (from anywhere in the preview) is Cancel too.
      await preview.getByRole('button', { name: 'Apply 2 changes' }).focus();
      await page.keyboard.press('Escape');
      expect(await preview.count()).toBe(0);
      // Focus goes back to the button that opened it.
      expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Import CSV…');
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Import cancelled; nothing changed.' }).count()).toBe(1);
      expect((await calls()).some((call) => call.channel === 'catalog:importApply')).toBe(false);

      // Apply finds the catalog changed: it says so and shows the new preview, which the next Apply applies.
      await page.getByRole('button', { name: 'Import CSV…' }).click();
      await preview.getByRole('button', { name: 'Apply 2 changes' }).click();
      await expect.poll(() => preview.getByRole('alert').textContent()).toBe(
        'The catalog changed since the preview (SKU-00001): nothing was imported. Check the new preview and apply again.',
      );
      expect(await preview.getByRole('row').filter({ hasText: 'SKU-00001' }).textContent()).toContain('stock 0 → 9');
      await preview.getByRole('button', { name: 'Apply 2 changes' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Imported stock.csv: 1 new, 1 changed. 1 line with errors left out.' }).count()).toBe(1);
      expect(await preview.count()).toBe(0);
      expect((await calls()).filter((call) => call.channel === 'catalog:importApply').map((call) => call.input)).toEqual([{ token: 'a'.repeat(64) }, { token: 'b'.repeat(64) }]);
      expect(problems).toEqual([]);
    }, 90_000);
  });

  describe('Activity: undo a run', () => {
    it('offers Undo only for runs that changed something, shows the plan first, then applies it', async () => {
      await open('activity-undo');
      const undo = page.getByRole('button', { name: 'Undo this run' });
      await expect.poll(() => undo.count()).toBe(1);
      await undo.click();
      const plan = page.getByRole('region', { name: 'Undo of run 12' });
      await expect.poll(() => plan.getByText('Undo of run 12: 3 → 1 (run 12 changed it 0 → 2; changes since are kept)').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'runs:undo')).toEqual([{ channel: 'runs:undo', input: { runId: 12, dryRun: true } }]);
      await plan.getByRole('button', { name: 'Apply undo' }).click();
      await expect.poll(() => page.getByText('Undone (run 13). Etsy gets it within seconds while Art Sync is syncing.').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'runs:undo').at(-1)).toEqual({ channel: 'runs:undo', input: { runId: 12, dryRun: false } });
      expect(problems).toEqual([]);
    });
  });

  describe('Settings form', () => {
    it('shows a validation error next to the field and saves nothing until it is fixed', async () => {
      await open('settings');
      const stock = page.getByLabel('Stock sync every (minutes)');
      await stock.fill('3');
      await page.getByRole('button', { name: 'Save settings' }).click();
      const error = page.getByText('The stock interval must be at least 5 minutes.');
      await expect.poll(() => error.count()).toBe(1);
      expect(await stock.getAttribute('aria-invalid')).toBe('true');
      const errorId = await error.getAttribute('id');
      expect((await stock.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
      // The error sits inside the same field as its control.
      expect(await page.locator('.field-invalid').filter({ has: stock }).filter({ has: error }).count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'settings:update')).toEqual([]);

      await page.getByLabel('Safety buffer').fill('');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => page.getByText('The buffer must be a number.').count()).toBe(1);

      // Fixed: only the changed keys are sent, and the errors go away.
      await stock.fill('10');
      await page.getByLabel('Safety buffer').fill('1');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => page.getByText('Settings saved.').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'settings:update')).toEqual([
        { channel: 'settings:update', input: { inventorySyncIntervalMinutes: 10, buffer: 1 } },
      ]);
      expect(await page.locator('.field-error').count()).toBe(0);
      expect(problems).toEqual([]);
    });

    it('chooses how often to check Etsy for sales', async () => {
      await open('settings');
      const check = page.getByLabel('Check Etsy for new sales');
      expect(await check.inputValue()).toBe('1');
      await check.selectOption('15');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => page.getByText('Settings saved.').count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'settings:update')).toEqual([
        { channel: 'settings:update', input: { watchIntervalMinutes: 15 } },
      ]);
      expect(problems).toEqual([]);
    });

    it('sends the server password once through server:setPassword, then empties the field', async () => {
      await open('settings');
      const field = page.getByLabel('Server password');
      expect([await field.getAttribute('type'), await field.getAttribute('autocomplete'), await field.inputValue()]).toEqual(['password', 'off', '']);
      const save = page.getByRole('button', { name: 'Save password' });
      expect(await save.isDisabled()).toBe(true);
      await field.fill('pw-canary-8k2');
      await save.click();
      await expect.poll(() => page.getByText('The server password is saved in the system keychain.').count()).toBe(1);
      expect(await field.inputValue()).toBe('');
      expect(await calls()).toEqual([{ channel: 'server:setPassword', input: { password: 'pw-canary-8k2' } }]);
      expect(problems).toEqual([]);
    });
  });

  describe('Status page', () => {
    it('shows live progress from sync:progress events, then the outcome; Pause and Resume', async () => {
      await open('status');
      // The header says what the tray says for this status (statusHeadline), once.
      await expect.poll(() => page.getByText('Synced 4 min ago · watching for sales, checked just now', { exact: true }).count()).toBe(1);
      expect(await page.getByText(/Synced 4 mins? ago/).count()).toBe(1);
      // When sales were last looked for, beside the background sync (issue 14 item 7).
      expect(await page.getByText('Watching for sales, checked just now', { exact: true }).count()).toBe(1);
      // With the server link on: how edits made on the server are noticed.
      expect(await page.getByText("Edits on the server: checked every few seconds (the server's announcements do not arrive).", { exact: true }).count()).toBe(1);
      expect(await page.getByRole('row', { name: /Stock/ }).textContent()).toContain('in 56 mins');

      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.evaluate(`window.__emit('sync:progress', { kind: 'inventory', phase: 'inventory', done: 12, total: 40 })`);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Syncing 12 of 40' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Syncing…' }).isDisabled()).toBe(true);
      await page.evaluate(`window.__emit('sync:progress', { kind: 'inventory', phase: 'writing', done: 39, total: 40 })`);
      await expect.poll(() => page.getByText('Syncing 39 of 40').count()).toBe(1);
      await page.evaluate(`window.__emit('sync:finished', { runs: [] }); window.__finishSync()`);
      await expect.poll(() => page.getByRole('status').filter({ hasText: '3 changes' }).count()).toBe(1);
      expect(await page.getByText(/Syncing \d+ of/).count()).toBe(0);

      // Keyboard: Space on the focused Pause button pauses; the label turns to Resume.
      await page.getByRole('button', { name: 'Pause' }).focus();
      await page.keyboard.press('Space');
      await expect.poll(() => page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
      expect((await calls()).filter((call) => call.channel === 'sync:setPaused')).toEqual([{ channel: 'sync:setPaused', input: { paused: true } }]);
      expect(problems).toEqual([]);
    });
  });

  describe('Onboarding', () => {
    it('goes app credentials → connect → starting point → review (dry run) → done, calling the contract in that order', async () => {
      await open('onboarding');
      const current = () => page.locator('.steps [aria-current="step"]').textContent();
      await expect.poll(current).toBe('1. Your Etsy app');
      expect(await page.locator('.steps li').allTextContents()).toEqual([
        '1. Your Etsy app',
        '2. Connect',
        '3. Starting point',
        '4. Review',
        '5. Done',
      ]);
      await expect.poll(() => page.getByLabel('Redirect URI to register on Etsy').inputValue()).toBe('http://localhost:3003/oauth/redirect');

      // Cannot move on without credentials.
      await page.getByRole('button', { name: 'Next' }).click();
      expect(await current()).toBe('1. Your Etsy app');
      await page.getByLabel('Keystring').fill('abc123');
      await page.getByLabel('Shared secret').fill('s3cret');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect.poll(current).toBe('2. Connect');

      await page.getByRole('button', { name: 'Connect to Etsy' }).click();
      await expect.poll(() => page.getByText('Waiting for Etsy…').count()).toBe(1);
      expect(await current()).toBe('2. Connect');
      await page.evaluate('window.__approve()');
      await expect.poll(current).toBe('3. Starting point');

      await page.getByLabel('My catalog').check();
      await page.getByRole('button', { name: 'Show what would change' }).click();
      await expect.poll(current).toBe('4. Review');
      expect(await page.getByText('First sync, taken from Etsy: new → 4').count()).toBe(1);
      expect(await page.getByText('What to do: Add a SKU to this variation on Etsy').count()).toBe(1);

      await page.getByRole('button', { name: 'Apply these changes' }).click();
      await expect.poll(current).toBe('5. Done');
      await page.getByRole('button', { name: 'Open Status' }).click();
      expect(await page.evaluate('window.__done')).toBe(true);

      // Status, the app's facts and the waiting screen's progress are read any time; the rest in order.
      const polled = new Set(['status:get', 'app:info', 'etsy:connectProgress']);
      const order = (await calls()).map((call) => call.channel).filter((channel) => !polled.has(channel));
      expect(order).toEqual(['etsy:redirectUri', 'etsy:connect', 'settings:update', 'sync:dryRun', 'sync:now']);
      const channels = (await calls()).map((call) => call.channel);
      expect(channels.indexOf('etsy:connectProgress')).toBeGreaterThan(channels.indexOf('etsy:connect'));
      const all = await calls();
      expect(all.find((call) => call.channel === 'etsy:connect')?.input).toEqual({ keystring: 'abc123', sharedSecret: 's3cret' });
      expect(all.find((call) => call.channel === 'settings:update')?.input).toEqual({ firstSyncSource: 'catalog' });
      expect(problems).toEqual([]);
    });
  });
});
