import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConfig } from '../../src/main/server/connection';
import { migrateServer } from '../../src/main/server/migrate';
import { leaveShopBaselines, readShopBaselines, renewShopLease, takeShopLease, type LeaseHolder } from '../../src/main/server/shop-lease';
import { ShopSyncGuard } from '../../src/main/server/shop-sync-guard';
import { openStore } from '../../src/main/store/open-store';
import { createSyncRepos } from '../../src/main/store/sync-repos';
import { startTestPg, type TestPg } from './pg-harness';

/**
 * The per-shop lease on its own (issue 13 item 2): the atomic take under a race, renewal, baselines
 * left only while the lease is ours, and a run's signal aborted when its lease is lost mid-run. Runs
 * on PGlite in `npm test` and on PostgreSQL in .ci/run (there the two pools really race).
 */
let db: TestPg;
let poolA: pg.Pool;
let poolB: pg.Pool;
beforeAll(async () => {
  db = await startTestPg();
  const client = await db.admin.connect();
  try {
    await migrateServer(client);
  } finally {
    client.release();
  }
  // Connections close as soon as they are idle: PGlite behind pglite-socket serves one session at a time.
  const pool = () => {
    const p = new pg.Pool({ ...pgConfig({ url: db.url, tlsMode: 'disable', password: db.password }), max: 1, idleTimeoutMillis: 1 });
    p.on('error', () => undefined);
    return p;
  };
  poolA = pool();
  poolB = pool();
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
  await db.close();
});

const a: LeaseHolder = { machineId: 'machine-a', host: 'studio', pid: 11, what: 'inventory sync' };
const b: LeaseHolder = { machineId: 'machine-b', host: 'laptop', pid: 22, what: 'products sync' };

describe('shop lease', () => {
  it('two machines taking one shop at once: exactly one gets it, the other learns who holds it', { timeout: 60_000 }, async () => {
    for (let shop = 1; shop <= 5; shop += 1) {
      const [first, second] = await Promise.all([takeShopLease(poolA, shop, a, 60_000), takeShopLease(poolB, shop, b, 60_000)]);
      expect([first.taken, second.taken].filter(Boolean)).toHaveLength(1);
      const loser = first.taken ? second : first;
      expect(loser).toMatchObject({ taken: false, heldBy: { host: first.taken ? 'studio' : 'laptop' } });
    }
  });

  it('renews only while held; once expired another machine takes over, and the old holder can no longer leave baselines', { timeout: 60_000 }, async () => {
    const shop = 100;
    expect(await takeShopLease(poolA, shop, a, 60_000)).toEqual({ taken: true, takeoverFrom: null });
    expect(await renewShopLease(poolA, shop, a.machineId, 60_000)).toBe(true);
    expect(await leaveShopBaselines(poolA, shop, a.machineId, [{ listingId: 1, productKey: 'p', sku: 'S', baselineEtsy: 5, baselineCatalog: 5 }], true)).toBe(true);
    // Taken again by A, then A stops renewing.
    expect(await takeShopLease(poolA, shop, a, 60_000)).toEqual({ taken: true, takeoverFrom: null });
    expect((await takeShopLease(poolB, shop, b, 60_000)).taken).toBe(false);
    await db.admin.query(`UPDATE etsy_sync_leases SET expires_at = now() - interval '1 second' WHERE shop_id = $1`, [shop]);
    expect(await takeShopLease(poolB, shop, b, 60_000)).toEqual({ taken: true, takeoverFrom: { machineId: 'machine-a', host: 'studio' } });
    expect(await renewShopLease(poolA, shop, a.machineId, 60_000)).toBe(false);
    expect(await leaveShopBaselines(poolA, shop, a.machineId, [{ listingId: 1, productKey: 'p', sku: 'S', baselineEtsy: 1, baselineCatalog: 1 }], true)).toBe(false);
    expect(await readShopBaselines(poolB, shop)).toEqual([{ listingId: 1, productKey: 'p', sku: 'S', baselineEtsy: 5, baselineCatalog: 5 }]);
    const row = await db.admin.query('SELECT holder_machine_id FROM etsy_sync_leases WHERE shop_id = $1', [shop]);
    expect(row.rows).toEqual([{ holder_machine_id: 'machine-b' }]);
  });

  it('a server not migrated for the lease: a shop only this machine syncs goes on without it; once another machine was seen, the run names the step', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-lease-'));
    const store = openStore({ dataDir });
    await db.admin.query('ALTER TABLE etsy_sync_leases RENAME TO etsy_sync_leases_hidden');
    try {
      const repos = createSyncRepos(store.sqlite);
      const guard = new ShopSyncGuard({ repos, pool: async () => poolA, now: Date.now, host: 'studio', pid: 11 });
      expect(await guard.claim(300, 'inventory sync')).toBeNull();
      repos.syncState.setState('server.otherMachineSeen', 'laptop', Date.now());
      await expect(guard.claim(300, 'inventory sync')).rejects.toThrow(
        'The server\'s Art Sync tables are older than this version, so it cannot tell whether another machine is syncing this Etsy shop; this sync did not run — run "art-sync server migrate", then sync again.',
      );
    } finally {
      await db.admin.query('ALTER TABLE etsy_sync_leases_hidden RENAME TO etsy_sync_leases');
      store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a run whose lease is taken over mid-run is stopped through its signal, with a sentence', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-lease-'));
    const store = openStore({ dataDir });
    try {
      const guard = new ShopSyncGuard({ repos: createSyncRepos(store.sqlite), pool: async () => poolA, now: Date.now, ttlMs: 600, host: 'studio', pid: 11 });
      const claim = (await guard.claim(200, 'inventory sync'))!;
      expect(claim.takeoverFrom).toBeNull();
      expect(guard.syncingMachine()).toMatch(/^studio \(pid 11, inventory sync, since .* UTC\), this machine$/);
      const stopped = new Promise<unknown>((resolve) => claim.signal.addEventListener('abort', () => resolve(claim.signal.reason), { once: true }));
      await db.admin.query(`UPDATE etsy_sync_leases SET holder_machine_id = 'machine-x', holder_host = 'other' WHERE shop_id = 200`);
      const reason = (await stopped) as Error;
      expect(reason.message).toBe(
        'This sync stopped because another machine took the shop over after this one stopped renewing its claim; what it had done is kept, and the next sync carries on.',
      );
      await claim.release();
      expect(guard.syncingMachine()).toBeNull();
      // The machine that took it over still holds it: releasing did not free someone else's lease.
      const row = await db.admin.query('SELECT holder_machine_id FROM etsy_sync_leases WHERE shop_id = 200');
      expect(row.rows).toEqual([{ holder_machine_id: 'machine-x' }]);
    } finally {
      store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
