import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxRepo } from '../../../src/main/store/outbox-repo';
import { applyMigrations, loadMigrations } from '../../../src/main/store/migrate';

// Migration 0001: the server outbox and catalog-state tables, and the triggers that fill the outbox in
// the same transaction as each change, only while the link is on.
const all = loadMigrations();
const upTo0001 = all.slice(0, 2);

function outbox(sqlite: Database.Database): { kind: string; ref: string }[] {
  return sqlite.prepare('SELECT kind, ref FROM server_outbox ORDER BY id').all() as { kind: string; ref: string }[];
}

describe('migration 0001 server_outbox', () => {
  let sqlite: Database.Database;
  beforeEach(() => {
    sqlite = new Database(':memory:');
    applyMigrations(sqlite, upTo0001);
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec(`
      INSERT INTO catalog_products (id, title, created_at, updated_at) VALUES (1, 'Print', 0, 0);
      INSERT INTO catalog_variants (id, product_id, sku, quantity, price_amount, currency, created_at, updated_at) VALUES (1, 1, 'A', 3, 100, 'USD', 0, 0);
      INSERT INTO catalog_variants (id, product_id, sku, quantity, price_amount, currency, created_at, updated_at) VALUES (2, 1, 'B', 3, 100, 'USD', 0, 0);
      INSERT INTO etsy_listings (listing_id, shop_id, title, state, last_seen_at) VALUES (10, 1, 'Print', 'active', 0);
      INSERT INTO sync_runs (id, kind, trigger, started_at, status) VALUES (1, 'inventory', 'cli', 0, 'running');`);
  });
  afterEach(() => sqlite.close());

  it('creates the tables and the triggers', () => {
    const names = (sqlite.prepare(`SELECT type || ':' || name AS n FROM sqlite_master`).all() as { n: string }[]).map((r) => r.n);
    expect(names).toEqual(
      expect.arrayContaining([
        'table:server_outbox',
        'table:server_catalog_state',
        'index:server_outbox_pending_idx',
        'trigger:server_outbox_history_insert',
        'trigger:server_outbox_link_insert',
        'trigger:server_outbox_link_update',
        'trigger:server_outbox_link_delete',
        'trigger:server_outbox_listing_update',
        'trigger:server_outbox_product_update',
        'trigger:server_outbox_run_finished',
      ]),
    );
  });

  it('queues nothing while the link is off', () => {
    sqlite.exec(`INSERT INTO change_history (run_id, at, sku, side, field, reason, explanation, status) VALUES (1, 0, 'A', 'catalog', 'quantity', 'x', 'y', 'applied')`);
    sqlite.exec(`INSERT INTO sku_links (listing_id, product_key, variant_id) VALUES (10, '', 1)`);
    expect(outbox(sqlite)).toEqual([]);
  });

  it('with the link on: backfills once, then queues history, link and listing changes and finished runs', () => {
    sqlite.exec(`INSERT INTO change_history (run_id, at, sku, side, field, reason, explanation, status) VALUES (1, 0, 'A', 'catalog', 'quantity', 'x', 'y', 'applied')`);
    new OutboxRepo(sqlite, () => 5).enable();
    expect(outbox(sqlite)).toEqual([{ kind: 'history', ref: '1' }]);
    sqlite.exec(`INSERT INTO change_history (run_id, at, sku, side, field, reason, explanation, status) VALUES (1, 0, 'A', 'catalog', 'quantity', 'x', 'y', 'applied')`);
    sqlite.exec(`INSERT INTO sku_links (listing_id, product_key, variant_id) VALUES (10, '', 1)`);
    // Baseline updates are not mapping changes; a new variant is.
    sqlite.exec(`UPDATE sku_links SET baseline_etsy = 3, baseline_catalog = 3, variant_id = 1`);
    sqlite.exec(`UPDATE sku_links SET variant_id = 2`);
    sqlite.exec(`UPDATE etsy_listings SET last_seen_at = 9`);
    sqlite.exec(`UPDATE etsy_listings SET state = 'inactive'`);
    sqlite.exec(`UPDATE sync_runs SET finished_at = 1, status = 'ok'`);
    sqlite.exec(`DELETE FROM sku_links`);
    expect(outbox(sqlite)).toEqual([
      { kind: 'history', ref: '1' },
      { kind: 'history', ref: '2' },
      { kind: 'mapping', ref: '10:' },
      { kind: 'mapping', ref: '10:' },
      { kind: 'mapping', ref: '10:' },
      { kind: 'mapping', ref: '10:' },
      { kind: 'config', ref: 'shop' },
      { kind: 'mapping', ref: '10:' },
    ]);
  });

  it('a rolled-back change leaves nothing queued (same transaction)', () => {
    new OutboxRepo(sqlite, () => 5).enable();
    expect(() =>
      sqlite.transaction(() => {
        sqlite.exec(`INSERT INTO change_history (run_id, at, sku, side, field, reason, explanation, status) VALUES (1, 0, 'A', 'catalog', 'quantity', 'x', 'y', 'applied')`);
        throw new Error('boom');
      })(),
    ).toThrow('boom');
    expect(outbox(sqlite)).toEqual([]);
  });
});
