import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogPageRepo } from '../../src/main/store/catalog-page-repo';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore, type Store } from '../../src/main/store/open-store';

describe('catalog page repo', () => {
  let dir: string;
  let store: Store;
  let pages: CatalogPageRepo;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-catalog-page-'));
    store = openStore({ dataDir: dir });
    pages = new CatalogPageRepo(store.sqlite);
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      sku: `P-${String(i).padStart(4, '0')}`,
      title: i === 7 ? 'Heron 100%_off print' : `Print ${i}`,
      quantity: i % 5,
      priceAmount: 1000 + i,
      currency: 'USD',
    }));
    createCatalogRepo(store.db).upsertMany(rows);
    const sql = store.sqlite;
    // P-0001 is on a live listing, P-0002 only on a removed one; both have history.
    sql.prepare(`INSERT INTO etsy_listings (listing_id, shop_id, title, state, last_seen_at) VALUES (11, 1, 'a', 'active', 0), (12, 1, 'b', 'active', 0)`).run();
    sql.prepare('UPDATE etsy_listings SET removed_at = 5 WHERE listing_id = 12').run();
    const variant = (sku: string) => (sql.prepare('SELECT id FROM catalog_variants WHERE sku = ?').get(sku) as { id: number }).id;
    sql.prepare(`INSERT INTO sku_links (listing_id, product_key, variant_id) VALUES (11, '', ?), (12, '', ?)`).run(variant('P-0001'), variant('P-0002'));
    sql.prepare(`INSERT INTO sync_runs (kind, trigger, started_at, status) VALUES ('inventory', 'cli', 0, 'ok')`).run();
    const history = sql.prepare(
      `INSERT INTO change_history (run_id, at, sku, side, field, before_value, after_value, reason, explanation, status)
       VALUES (1, ?, 'P-0001', 'catalog', 'quantity', '2', '1', ?, ?, 'applied')`,
    );
    history.run(10, 'edited_on_etsy', 'older');
    history.run(20, 'sold_on_etsy', 'Sold on Etsy: 2 → 1');
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pages by SKU with a keyset, each row with its listings and newest change', () => {
    const first = pages.page({ limit: 3, lowStockThreshold: 2 });
    expect(first.map((row) => row.sku)).toEqual(['P-0000', 'P-0001', 'P-0002']);
    expect(first[1]).toMatchObject({ listings: [{ listingId: 11, state: 'active', removed: false }], lastChange: { at: 20, reason: 'sold_on_etsy', explanation: 'Sold on Etsy: 2 → 1' } });
    expect(first[2]!.listings).toEqual([{ listingId: 12, state: 'active', removed: true }]);
    expect(first[0]).toMatchObject({ listings: [], lastChange: null, title: 'Print 0', priceAmount: 1000 });
    const deep = pages.page({ limit: 3, afterSku: 'P-2400', lowStockThreshold: 2 });
    expect(deep.map((row) => row.sku)).toEqual(['P-2401', 'P-2402', 'P-2403']);
  });

  it('searches SKU and title (LIKE wildcards typed are literal) and filters', () => {
    expect(pages.page({ limit: 10, query: 'p-249', lowStockThreshold: 2 }).map((row) => row.sku)).toHaveLength(10);
    expect(pages.page({ limit: 10, query: '100%_off', lowStockThreshold: 2 }).map((row) => row.sku)).toEqual(['P-0007']);
    expect(pages.page({ limit: 10, query: '%', lowStockThreshold: 2 }).map((row) => row.sku)).toEqual(['P-0007']);
    expect(pages.page({ limit: 4, filter: 'sold_out', lowStockThreshold: 2 }).map((row) => row.sku)).toEqual(['P-0000', 'P-0005', 'P-0010', 'P-0015']);
    expect(pages.page({ limit: 4, filter: 'low_stock', lowStockThreshold: 2 }).map((row) => [row.sku, row.quantity])).toEqual([
      ['P-0001', 1],
      ['P-0002', 2],
      ['P-0006', 1],
      ['P-0007', 2],
    ]);
    expect(pages.page({ limit: 4, filter: 'low_stock', lowStockThreshold: 0 })).toEqual([]);
    // A variant's own level wins over the global one, 0 = never low.
    expect(pages.setLowStockThreshold('P-0003', 3)).toBe(true);
    expect(pages.setLowStockThreshold('P-0001', 0)).toBe(true);
    expect(pages.setLowStockThreshold('NOPE', 1)).toBe(false);
    expect(pages.page({ limit: 3, filter: 'low_stock', lowStockThreshold: 2 }).map((row) => [row.sku, row.low, row.lowStockThreshold])).toEqual([
      ['P-0002', true, null],
      ['P-0003', true, 3],
      ['P-0006', true, null],
    ]);
    expect(pages.countLow(2)).toBe(2 * 500 - 1 + 1);
    expect(pages.countLow(0)).toBe(1);
    // Only P-0001 is on a listing Etsy still has.
    expect(pages.page({ limit: 3, filter: 'not_on_etsy', lowStockThreshold: 2 }).map((row) => row.sku)).toEqual(['P-0000', 'P-0002', 'P-0003']);
  });
});
