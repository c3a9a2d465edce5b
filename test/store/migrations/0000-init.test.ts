import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations, readAppliedMigrations } from '../../../src/main/store/migrate';

// One file per migration (docs/STYLE.md): each applies its migrations onto an empty database and checks
// what that migration promises.
const all = loadMigrations();
const upTo0000 = all.slice(0, 1);

const TABLES = [
  'catalog_products',
  'catalog_variants',
  'etsy_connection',
  'etsy_listings',
  'etsy_products',
  'etsy_offerings',
  'sku_links',
  'sync_runs',
  'change_history',
  'attention_items',
  'pending_writes',
  'etsy_receipts',
  'etsy_receipt_items',
  'settings',
  'sync_state',
  'rate_limit_state',
  'api_call_log',
];

describe('migration 0000 init', () => {
  let sqlite: Database.Database;
  beforeEach(() => {
    sqlite = new Database(':memory:');
    applyMigrations(sqlite, upTo0000);
    sqlite.pragma('foreign_keys = ON');
  });
  afterEach(() => sqlite.close());

  it('is the first migration in the journal and gets recorded', () => {
    expect(all.length).toBeGreaterThanOrEqual(1);
    const applied = readAppliedMigrations(sqlite);
    expect(applied).toEqual([{ hash: upTo0000[0]!.hash, createdAt: upTo0000[0]!.folderMillis }]);
  });

  it('creates every table', () => {
    const names = (
      sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>
    ).map((r) => r.name);
    for (const table of TABLES) expect(names).toContain(table);
  });

  it('creates the indexes the history and links rely on', () => {
    const indexes = (
      sqlite.prepare(`SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'index'`).all() as Array<{
        name: string;
        tbl: string;
      }>
    ).map((r) => `${r.tbl}.${r.name}`);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'change_history.change_history_sku_at_idx',
        'change_history.change_history_at_idx',
        'change_history.change_history_run_idx',
        'catalog_variants.catalog_variants_sku_unique',
        'etsy_products.etsy_products_listing_key_uq',
        'sku_links.sku_links_listing_key_uq',
        'attention_items.attention_items_key_uq',
      ]),
    );
  });

  it('enforces foreign keys, unique SKUs and non-negative stock', () => {
    const variant = sqlite.prepare(
      `INSERT INTO catalog_variants (product_id, sku, quantity, price_amount, currency, created_at, updated_at)
       VALUES (?, ?, ?, 1000, 'USD', 0, 0)`,
    );
    expect(() => variant.run(999, 'A', 1)).toThrow(/FOREIGN KEY/);
    sqlite.prepare(`INSERT INTO catalog_products (id, title, created_at, updated_at) VALUES (1, 'P', 0, 0)`).run();
    variant.run(1, 'A', 1);
    expect(() => variant.run(1, 'A', 1)).toThrow(/UNIQUE/);
    expect(() => variant.run(1, 'B', -1)).toThrow(/CHECK/);
    expect(() =>
      sqlite
        .prepare(
          `INSERT INTO change_history (run_id, at, sku, side, field, reason, explanation, status)
           VALUES (42, 0, 'A', 'etsy', 'quantity', 'x', 'x', 'applied')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('cascades a deleted product to its variants and their links', () => {
    sqlite.prepare(`INSERT INTO catalog_products (id, title, created_at, updated_at) VALUES (1, 'P', 0, 0)`).run();
    sqlite
      .prepare(
        `INSERT INTO catalog_variants (id, product_id, sku, quantity, price_amount, currency, created_at, updated_at)
         VALUES (7, 1, 'A', 1, 100, 'USD', 0, 0)`,
      )
      .run();
    sqlite.prepare(`INSERT INTO sku_links (listing_id, product_key, variant_id) VALUES (5, 'A', 7)`).run();
    sqlite.prepare(`DELETE FROM catalog_products WHERE id = 1`).run();
    expect(sqlite.prepare(`SELECT count(*) AS n FROM sku_links`).get()).toEqual({ n: 0 });
  });

  it('keeps single-row tables single and attention keys unique', () => {
    expect(() =>
      sqlite
        .prepare(`INSERT INTO etsy_connection (id, user_id, shop_id, shop_name, connected_at) VALUES (2, 1, 1, 's', 0)`)
        .run(),
    ).toThrow(/CHECK/);
    const attention = sqlite.prepare(
      `INSERT INTO attention_items (kind, listing_id, message, first_seen_at, last_seen_at) VALUES ('missing_sku', 9, 'm', 0, 0)`,
    );
    attention.run();
    expect(() => attention.run()).toThrow(/UNIQUE/);
  });
});
