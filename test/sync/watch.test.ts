import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShopSeed } from '../../sim';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore } from '../../src/main/store/open-store';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 14 items 1–3 end to end against the simulator: the sales watcher sees a sale and a targeted run
 * carries it to the other listing and the catalog, with no scheduled run; an edit committed by another
 * connection (another process) is noticed and pushed.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function shop(): ShopSeed {
  return {
    listings: [
      { title: 'Fox Print', products: [{ sku: 'FOX', quantity: 1 }] },
      { title: 'Fox Print (framed)', products: [{ sku: 'FOX', quantity: 1 }] },
      { title: 'Hare Linocut', products: [{ sku: 'HARE', quantity: 3 }] },
    ],
  };
}

describe('watching for sales and edits', () => {
  it('an original sold on one listing comes off the other listing and the catalog through the watcher', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    const [fox, foxFramed] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.scheduler.start();

    // Nothing sold yet: one receipts call, no run.
    const quiet = await core.watch.watcher.checkNow();
    expect(quiet).toMatchObject({ state: 'watching', lastError: null, intervalReason: 'default' });
    expect(quiet.lastCheckAt).not.toBeNull();

    const sale = sim.sell(fox!, undefined, 1);
    const status = await core.watch.watcher.checkNow();
    expect(status.lastError).toBeNull();
    expect(status.lastSaleAt).not.toBeNull();
    // Just after a sale the watcher looks more often.
    expect(status.intervalReason).toBe('after_sale');
    expect(status.callsLast24h).toBeGreaterThanOrEqual(2);

    expect(catalogStock(core).get('FOX')).toBe(0);
    // The other listing's last unit is gone too (all zero: deactivated rather than written as 0).
    const framed = sim.getListing(foxFramed!);
    expect(framed?.state === 'inactive' || framed?.products[0]?.quantity === 0).toBe(true);
    const runs = core.repos.runs.listRuns(10);
    expect(runs.map((run) => run.trigger)).toEqual(['sale', 'cli', 'cli']);
    const history = core.repos.history.listHistory({ limit: 20 });
    expect(history.some((item) => item.sku === 'FOX' && item.receiptIds.includes(sale.receipt_id))).toBe(true);
    expect(sim.violations).toEqual([]);
  });

  it('a stock edit committed by another process is noticed and pushed to Etsy', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core, dataDir } = world;
    const hare = sim.listingIds()[2]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.scheduler.start();
    core.watch.start();

    // "art-sync catalog set-stock HARE 8" in another process: its own connection to the same file.
    const other = openStore({ dataDir });
    try {
      createCatalogRepo(other.db).setStock('HARE', 8);
    } finally {
      other.close();
    }
    await vi.waitFor(() => expect(sim.getListing(hare)?.products[0]?.quantity).toBe(8), { timeout: 30_000, interval: 200 });
    await vi.waitFor(() => expect(core.repos.runs.listRuns(1)[0]).toMatchObject({ trigger: 'edit', status: 'ok' }), { timeout: 10_000, interval: 100 });
    expect(core.watch.status().edits.lastPushSkus).toEqual(['HARE']);
    expect(sim.violations).toEqual([]);
  });

  it('`art-sync catalog set-stock` run while the app runs: the app notices and pushes it', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core, dataDir } = world;
    const hare = sim.listingIds()[2]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.scheduler.start();
    core.watch.start();

    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/art-sync.js');
    const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, 'catalog', 'set-stock', 'HARE', '5'], {
      encoding: 'utf8',
      env: { ...process.env, ART_SYNC_DATA_DIR: '', ART_SYNC_NO_KEYCHAIN: '1' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    await vi.waitFor(() => expect(sim.getListing(hare)?.products[0]?.quantity).toBe(5), { timeout: 30_000, interval: 200 });
    expect(sim.violations).toEqual([]);
  }, 60_000);
});
