import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Core } from '../../src/main/app';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
// The window asks for the contract's default page size.
import { CATALOG_PAGE_MAX, HISTORY_PAGE_DEFAULT as HISTORY_PAGE_SIZE } from '../../src/shared/ipc';
import { buildPage } from './build-page';
import { chromiumSkipReason, launchChromium, screenshotPath } from './chromium';
import { bindCore, type CoreBridge } from './core-bridge';
import { serveStatic, type StaticServer } from './static-server';

/**
 * The built page in Chromium: its CSP blocks an injected inline script; Activity over 100,000 history
 * rows and the Catalog over 20,000 variants fetch pages by keyset (row counts through the contract),
 * never the whole table, and keep only the visible rows in the DOM.
 */
if (chromiumSkipReason) console.warn(chromiumSkipReason);

const ROWS = 100_000;
const SKUS = 5_000;

function skuOf(index: number): string {
  return `SKU-${String(index % SKUS).padStart(5, '0')}`;
}

/** Seeds one finished run and 100,000 history rows straight into the store (one transaction). */
function seedHistory(core: Core): void {
  const sqlite = core.store.sqlite;
  const now = Date.now();
  const runId = Number(
    sqlite
      .prepare(
        `INSERT INTO sync_runs (kind, trigger, dry_run, started_at, finished_at, status, calls_used, changes_count, summary)
         VALUES ('inventory', 'schedule', 0, ?, ?, 'ok', 10, ?, ?)`,
      )
      .run(now - 60_000, now - 50_000, ROWS, JSON.stringify(`${ROWS} changes`)).lastInsertRowid,
  );
  const insert = sqlite.prepare(
    `INSERT INTO change_history (run_id, at, sku, listing_id, side, field, before_value, after_value, reason, explanation, receipt_ids, status)
     VALUES (?, ?, ?, ?, ?, 'quantity', ?, ?, ?, ?, '[]', 'applied')`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < ROWS; i += 1) {
      const side = i % 2 === 0 ? 'catalog' : 'etsy';
      const before = (i % 9) + 1;
      insert.run(runId, now - (ROWS - i) * 1000, skuOf(i), 1000 + (i % SKUS), side, JSON.stringify(before), JSON.stringify(before - 1), side === 'catalog' ? 'sold_on_etsy' : 'edited_locally', `Change ${i}: ${before} → ${before - 1}`);
    }
  })();
}

const VARIANTS = 20_000;

function variantSku(index: number): string {
  return `PRINT-${String(index).padStart(5, '0')}`;
}

/** Seeds 20,000 catalog variants (10,000 products of two sizes) and one finished run, straight into the store. */
function seedCatalog(core: Core): void {
  const sqlite = core.store.sqlite;
  const now = Date.now();
  sqlite
    .prepare(
      `INSERT INTO sync_runs (kind, trigger, dry_run, started_at, finished_at, status, calls_used, changes_count, summary)
       VALUES ('inventory', 'schedule', 0, ?, ?, 'ok', 10, 0, '"no changes"')`,
    )
    .run(now - 60_000, now - 50_000);
  const product = sqlite.prepare('INSERT INTO catalog_products (title, created_at, updated_at) VALUES (?, ?, ?)');
  const variant = sqlite.prepare(
    `INSERT INTO catalog_variants (product_id, sku, title, quantity, price_amount, currency, created_at, updated_at)
     VALUES (?, ?, ?, ?, 2500, 'USD', ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < VARIANTS; i += 2) {
      const productId = Number(product.run(`Heron print ${i / 2}`, now, now).lastInsertRowid);
      variant.run(productId, variantSku(i), 'A4', i % 7, now, now);
      variant.run(productId, variantSku(i + 1), 'A3', (i + 1) % 7, now, now);
    }
  })();
}

describe.skipIf(chromiumSkipReason !== null)('the built page in Chromium: CSP and 100,000 history rows', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    outDir = await buildPage({ label: 'e2e-csp' });
    const index = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
    // A copy of the built page with an inline script injected, as an attacker's HTML would be.
    server = await serveStatic(outDir, {
      '/injected.html': index.replace('</head>', '<script>window.__pwned = 1;</script></head>'),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('ships a CSP without unsafe-inline or unsafe-eval, and Chromium blocks an injected inline script', async () => {
    const index = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(index)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // the build itself has no inline script

    const context = await browser.newContext();
    const page = await context.newPage();
    // Init scripts run outside the page's CSP: this one only records the violations.
    await page.addInitScript({
      content: `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective));`,
    });
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await page.goto(`${server.url}/injected.html`);
    // The page's own module script still runs (it says it needs the app, since no bridge is bound).
    await expect.poll(() => page.getByText('This window only works inside the Art Sync app.').count()).toBe(1);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.evaluate('window.__violations')).toContain('script-src-elem');
    expect(console.some((text) => /Content Security Policy/.test(text) && /inline script/i.test(text))).toBe(true);
    await context.close();
  }, 60_000);

  /**
   * A core in its own data folder, seeded, in a fresh context of the shared browser; made before the
   * calling describe's tests and closed after them.
   */
  function seededWindow(tmpPrefix: string, seed: (core: Core) => void): { page: Page; bridge: CoreBridge } {
    const held = {} as { page: Page; bridge: CoreBridge };
    let core: Core | undefined;
    let dataDir: string | undefined;
    let context: BrowserContext | undefined;
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
      core = await createApp({ dataDir, env: { ART_SYNC_NO_KEYCHAIN: '1' }, secrets: new MemorySecretStore() });
      seed(core);
      context = await browser.newContext({ viewport: { width: 1120, height: 780 }, colorScheme: 'light' });
      held.bridge = await bindCore(context, { core, pageOrigin: server.url, openBrowser: async () => undefined });
      held.page = await context.newPage();
    }, 120_000);
    afterAll(async () => {
      await held.bridge?.close();
      await context?.close();
      await core?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });
    return held;
  }

  describe('Activity with 100,000 history rows', () => {
    const seeded = seededWindow('art-sync-e2e-100k-', seedHistory);

    const historyCalls = () => seeded.bridge.calls.filter((call) => call.channel === 'history:list');

    it('renders the first page from one page-sized fetch, pages by keyset when scrolled, and filters by SKU on the server', async () => {
      const { page } = seeded;
      await page.goto(`${server.url}/index.html#activity`);
      const list = page.getByRole('list', { name: 'Item changes' });
      await expect.poll(() => list.getByRole('listitem').first().textContent()).toContain(`Change ${ROWS - 1}:`);

      // One page fetched, of at most the page size; only the visible rows (plus overscan) are in the DOM.
      expect(historyCalls()).toHaveLength(1);
      expect(historyCalls()[0]!.rows).toBe(HISTORY_PAGE_SIZE);
      const rendered = await list.getByRole('listitem').count();
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(40);
      await page.screenshot({ path: screenshotPath('activity-100k-rows') });

      // Scrolling to the end of what is loaded asks for the next page by keyset (beforeId).
      const viewport = page.locator('.virtual-viewport');
      for (let round = 0; round < 3; round += 1) {
        const before = historyCalls().length;
        await viewport.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
          element.scrollTop = element.scrollHeight;
        });
        await expect.poll(() => historyCalls().length).toBe(before + 1);
        await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe(String((before + 1) * HISTORY_PAGE_SIZE));
      }
      const paged = historyCalls();
      for (const call of paged) expect(call.rows).toBeLessThanOrEqual(HISTORY_PAGE_SIZE);
      for (const call of paged.slice(1)) expect(call.input).toMatchObject({ beforeId: expect.any(Number), limit: HISTORY_PAGE_SIZE });
      expect(Number(await viewport.getAttribute('data-rendered-rows'))).toBeLessThan(40);

      // Filter by SKU: one server-side query answers with that SKU's 20 rows.
      const sku = skuOf(4242);
      await page.getByLabel('SKU').fill(sku);
      await page.getByLabel('SKU').press('Enter');
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe(String(ROWS / SKUS));
      const last = historyCalls().at(-1)!;
      expect(last.input).toMatchObject({ sku, limit: HISTORY_PAGE_SIZE });
      expect(last.input).not.toHaveProperty('beforeId');
      expect(last.rows).toBe(ROWS / SKUS);
      const texts = await list.getByRole('listitem').allTextContents();
      // Back at the top, and still windowed: at most the 20 rows, all of that SKU.
      expect(texts.length).toBeGreaterThan(5);
      expect(texts.length).toBeLessThanOrEqual(ROWS / SKUS);
      expect(texts[0]).toContain(`Change ${ROWS - SKUS + 4242}:`);
      for (const text of texts) expect(text).toContain(sku);

      // Everything the window ever fetched is a sliver of the table.
      const fetched = historyCalls().reduce((sum, call) => sum + (call.rows ?? 0), 0);
      expect(fetched).toBeLessThanOrEqual(5 * HISTORY_PAGE_SIZE);
      await page.screenshot({ path: screenshotPath('activity-100k-filtered') });
    }, 120_000);
  });
  describe('Catalog with 20,000 variants', () => {
    const seeded = seededWindow('art-sync-e2e-20k-', seedCatalog);

    const pageCalls = () => seeded.bridge.calls.filter((call) => call.channel === 'catalog:page');

    it('shows the first page from one page-sized fetch, pages by SKU keyset when scrolled, and searches on the server', async () => {
      const { page } = seeded;
      await page.goto(`${server.url}/index.html#catalog`);
      const list = page.getByRole('list', { name: 'Catalog items' });
      await expect.poll(() => list.getByRole('listitem').first().textContent()).toContain(variantSku(0));

      // One fetch of one page; only the visible rows (plus overscan) are in the DOM.
      expect(pageCalls()).toHaveLength(1);
      const pageSize = pageCalls()[0]!.rows!;
      expect(pageSize).toBeGreaterThan(0);
      expect(pageSize).toBeLessThanOrEqual(CATALOG_PAGE_MAX);
      expect(await list.getByRole('listitem').count()).toBeLessThan(60);

      // Scrolling to the end of what is loaded asks for the next page after the last SKU shown.
      const viewport = page.locator('.virtual-viewport');
      for (let round = 0; round < 3; round += 1) {
        const before = pageCalls().length;
        await viewport.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
          element.scrollTop = element.scrollHeight;
        });
        await expect.poll(() => pageCalls().length).toBe(before + 1);
        await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe(String((before + 1) * pageSize));
        expect(pageCalls().at(-1)!.input).toMatchObject({ afterSku: variantSku((before * pageSize) - 1) });
      }
      expect(Number(await viewport.getAttribute('data-rendered-rows'))).toBeLessThan(60);

      // Search by SKU: answered by the store, from the top.
      await page.getByLabel('SKU or title').fill(variantSku(12_345));
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => viewport.getAttribute('data-loaded-rows')).toBe('1');
      expect(pageCalls().at(-1)!.input).toMatchObject({ query: variantSku(12_345) });
      expect(pageCalls().at(-1)!.input).not.toHaveProperty('afterSku');
      expect(await list.getByRole('listitem').first().textContent()).toContain('Heron print 6172');

      const fetched = pageCalls().reduce((sum, call) => sum + (call.rows ?? 0), 0);
      expect(fetched).toBeLessThanOrEqual(5 * pageSize);
      await page.screenshot({ path: screenshotPath('catalog-20k-variants') });
    }, 120_000);
  });
});
