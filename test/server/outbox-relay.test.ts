import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { createServerPool } from '../../src/main/server/connection';
import { migrateServer } from '../../src/main/server/migrate';
import { OutboxRepo } from '../../src/main/store/outbox-repo';
import { backoffDelay, OutboxRelay } from '../../src/main/server/outbox-relay';
import { applyMigrations, loadMigrations } from '../../src/main/store/migrate';
import { startTestPg, type TestPg } from './pg-harness';

let pg: TestPg;
beforeAll(async () => {
  pg = await startTestPg();
  const client = await pg.admin.connect();
  await migrateServer(client);
  client.release();
});
afterAll(async () => {
  await pg.close();
});

/** Polls until `check` holds; the test fails by its own timeout otherwise (no timed assertion). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('backoffDelay', () => {
  it('is full jitter: uniform below min(cap, base·2^attempt)', () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(backoffDelay(20, 1000, 60_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(5, 1000, 60_000, () => 0)).toBe(0);
  });
});

describe('OutboxRelay', () => {
  it('backs off while the server is away and drains when it is back; the queue is in SQLite', { timeout: 60_000 }, async () => {
    const sqlite = new Database(':memory:');
    applyMigrations(sqlite, loadMigrations());
    const outbox = new OutboxRepo(sqlite, Date.now);
    outbox.enable();
    sqlite.exec(`
      INSERT INTO sync_runs (id, kind, trigger, started_at, status) VALUES (1, 'inventory', 'cli', 0, 'running');
      INSERT INTO change_history (run_id, at, sku, side, field, before_value, after_value, reason, explanation, status)
        VALUES (1, 1700000000000, 'A', 'catalog', 'quantity', '3', '2', 'sold_on_etsy', 'Sold 1 on Etsy: 3 → 2', 'applied'),
               (1, 1700000000001, 'A', 'etsy', 'state', '"active"', '"inactive"', 'zero_stock', 'Out of stock', 'applied');`);
    const pool = createServerPool({ url: pg.url, tlsMode: 'disable', password: pg.password });
    const errors: unknown[] = [];
    const relay = new OutboxRelay({
      outbox,
      pool: async () => pool,
      settings: () => DEFAULT_SETTINGS,
      baseDelayMs: 5,
      maxDelayMs: 20,
      idleMs: 10_000,
      onError: (error) => errors.push(error),
    });
    await pg.proxy.down();
    relay.start();
    await until(() => errors.length >= 3);
    expect(relay.status()).toMatchObject({ waiting: 2, lastError: 'The server cannot be reached.' });
    expect(relay.status().retryAt).not.toBeNull();
    await pg.proxy.up();
    await until(() => relay.status().waiting === 0);
    await relay.stop();
    expect(relay.status()).toMatchObject({ waiting: 0, lastError: null, retryAt: null });
    const rows = await pg.admin.query<{ sku: string; before_value: unknown; after_value: unknown }>(
      'SELECT sku, before_value, after_value FROM etsy_inventory_sync_log ORDER BY local_id',
    );
    expect(rows.rows).toEqual([
      { sku: 'A', before_value: 3, after_value: 2 },
      { sku: 'A', before_value: 'active', after_value: 'inactive' },
    ]);
    await pool.end();
    sqlite.close();
  });
});
