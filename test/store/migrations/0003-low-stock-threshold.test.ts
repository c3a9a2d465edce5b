import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../../src/main/store/migrate';

// Migration 0003: a variant's own low-stock level (issue 15 item 5); null = the global setting.
const all = loadMigrations();
const upTo0003 = all.slice(0, 4);

describe('migration 0003 catalog_variants.low_stock_threshold', () => {
  let sqlite: Database.Database;
  beforeEach(() => {
    sqlite = new Database(':memory:');
    applyMigrations(sqlite, upTo0003);
  });
  afterEach(() => sqlite.close());

  it('adds a nullable integer column', () => {
    const column = (sqlite.prepare(`PRAGMA table_info('catalog_variants')`).all() as { name: string; type: string; notnull: number; dflt_value: unknown }[]).find(
      (c) => c.name === 'low_stock_threshold',
    );
    expect(column).toEqual(expect.objectContaining({ type: 'INTEGER', notnull: 0, dflt_value: null }));
  });

  it('keeps existing variants, each following the global setting (null)', () => {
    const older = new Database(':memory:');
    applyMigrations(older, all.slice(0, 3));
    older.exec(`INSERT INTO catalog_products (id, title, created_at, updated_at) VALUES (1, 'Fox', 0, 0)`);
    older.exec(`INSERT INTO catalog_variants (product_id, sku, quantity, price_amount, currency, created_at, updated_at) VALUES (1, 'FOX', 3, 100, 'USD', 0, 0)`);
    applyMigrations(older, upTo0003);
    expect(older.prepare('SELECT sku, quantity, low_stock_threshold AS t FROM catalog_variants').all()).toEqual([{ sku: 'FOX', quantity: 3, t: null }]);
    older.close();
  });
});
