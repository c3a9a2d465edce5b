import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../../src/main/store/migrate';

// Migration 0002: the durable set of listings to re-read because of a sale (issue 12 item 2).
const all = loadMigrations();
const upTo0002 = all.slice(0, 3);

describe('migration 0002 etsy_reread_listings', () => {
  let sqlite: Database.Database;
  beforeEach(() => {
    sqlite = new Database(':memory:');
    applyMigrations(sqlite, upTo0002);
  });
  afterEach(() => sqlite.close());

  it('creates the table, one row per listing', () => {
    const columns = (sqlite.prepare(`PRAGMA table_info('etsy_reread_listings')`).all() as { name: string; notnull: number; pk: number }[]).map(
      (c) => [c.name, c.notnull, c.pk],
    );
    expect(columns).toEqual([
      ['listing_id', 1, 1],
      ['seq', 1, 0],
      ['added_at', 1, 0],
    ]);
    sqlite.exec('INSERT INTO etsy_reread_listings (listing_id, seq, added_at) VALUES (1, 1, 0)');
    expect(() => sqlite.exec('INSERT INTO etsy_reread_listings (listing_id, seq, added_at) VALUES (1, 2, 0)')).toThrow(/UNIQUE/);
  });

  it('applies on top of a database that already holds receipts', () => {
    const older = new Database(':memory:');
    applyMigrations(older, all.slice(0, 2));
    older.exec(`INSERT INTO etsy_receipts (receipt_id, status, created_ts) VALUES (5, 'Paid', 1)`);
    applyMigrations(older, upTo0002);
    expect(older.prepare('SELECT count(*) AS n FROM etsy_receipts').get()).toEqual({ n: 1 });
    expect(older.prepare('SELECT count(*) AS n FROM etsy_reread_listings').get()).toEqual({ n: 0 });
    older.close();
  });
});
