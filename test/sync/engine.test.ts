import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { demoShop, generateShop } from '../../sim';
import { catalogStock, etsySellable, startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** Every row of every table but the call budget (which a dry run's calls really spent). */
function tablesExceptBudget(core: World['core']): Record<string, unknown[]> {
  const tables = core.store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('rate_limit_state', 'api_call_log') ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, core.store.sqlite.prepare(`SELECT * FROM "${name}"`).all()]));
}

/** A small shop: a few single prints and one with sizes, all with SKUs. */
function smallShop() {
  return generateShop({ listings: 6, seed: 7, variationRatio: 0.5, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 0 });
}

describe('sync engine against the simulator', () => {
  it('first sync from Etsy fills the catalog, lists SKU-less items, and pulls with the fewest calls', async () => {
    world = await startWorld({ shop: demoShop() });
    const { sim, core } = world;
    sim.resetCounters();
    const report = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    const etsy = etsySellable(sim);
    const stock = catalogStock(core);
    for (const row of etsy) expect(stock.has(row.sku)).toBe(true);
    const status = await core.status();
    expect(status.attention).toBeGreaterThan(0);
    expect(core.repos.attention.listAttention().some((item) => item.kind === 'missing_sku')).toBe(true);
    expect(sim.violations).toEqual([]);
    // Product sync: getMe is not needed (shop known); listing pages per state (≤100 each).
    expect(sim.counters.byOperation.getListingInventory ?? 0).toBe(0);
  });

  it('merges a sale on Etsy and a local edit, and explains both', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const [first, second] = etsySellable(sim).filter((row) => row.quantity >= 2);
    expect(first && second).toBeTruthy();
    sim.sell(first!.listingId, { sku: first!.sku }, 2);
    const localBefore = catalogStock(core).get(second!.sku)!;
    core.catalog.setStock(second!.sku, localBefore + 3);

    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    expect(catalogStock(core).get(first!.sku)).toBe(first!.quantity - 2);
    const etsyAfter = etsySellable(sim).find((row) => row.sku === second!.sku);
    expect(etsyAfter?.quantity).toBe(localBefore + 3);
    const reasons = report.changes.map((change) => [change.sku, change.side, change.reason]);
    expect(reasons).toContainEqual([first!.sku, 'catalog', 'sold_on_etsy']);
    expect(reasons).toContainEqual([second!.sku, 'etsy', 'edited_locally']);
    const history = core.repos.history.listHistory({ limit: 50, sku: first!.sku });
    expect(history[0]?.explanation).toMatch(/receipt/i);
    expect(sim.violations).toEqual([]);
  });

  it('a dry run changes nothing but the call budget: every other table and Etsy unchanged', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const sku = etsySellable(sim)[0]!.sku;
    core.catalog.setStock(sku, 9);
    const before = tablesExceptBudget(core);
    const writes = sim.counters.writes;
    const report = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli', dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.runId).toBeNull();
    expect(report.changes.some((change) => change.sku === sku && change.side === 'etsy' && change.after === 9)).toBe(true);
    expect(tablesExceptBudget(core)).toEqual(before);
    expect(sim.counters.writes).toBe(writes);
  });

  it('a dry run undoes no one\'s work: an edit made during the preview stays, and its calls stay counted', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const sku = etsySellable(sim)[0]!.sku;
    core.catalog.setStock(sku, 6);
    const usedBefore = (await core.etsyClient()).budgetSnapshot().usedToday;
    let edited = false;
    const off = sim.onRequest(() => {
      if (edited) return;
      edited = true;
      // The window saves an edit while the preview waits for Etsy.
      core.catalog.setStock(sku, 13);
    });
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli', dryRun: true });
    off();
    expect(edited).toBe(true);
    expect(report.errors).toEqual([]);
    expect(catalogStock(core).get(sku)).toBe(13);
    // The preview's calls were sent to Etsy, so they stay counted in the day's budget.
    const usedAfter = (await core.etsyClient()).budgetSnapshot().usedToday;
    expect(usedAfter - usedBefore).toBeGreaterThan(0);
    expect(core.store.sqlite.inTransaction).toBe(false);
  });

  it('a dry run holds no write transaction while it waits for Etsy: another connection can write', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const other = new Database(core.store.path, { timeout: 0 });
    const results: string[] = [];
    const off = sim.onRequest(() => {
      try {
        other.prepare("INSERT INTO sync_state (key, value, updated_at) VALUES ('test.other', 'x', 0) ON CONFLICT (key) DO NOTHING").run();
        results.push('ok');
      } catch (error) {
        results.push((error as Error).message);
      }
    });
    await core.sync({ kinds: ['inventory'], trigger: 'cli', dryRun: true });
    off();
    other.close();
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result === 'ok')).toBe(true);
  });

  it('keeps a sale made between the engine\'s read and its write', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const target = etsySellable(sim).find((row) => row.quantity >= 3)!;
    const start = catalogStock(core).get(target.sku)!;
    core.catalog.setStock(target.sku, start + 5);
    let sold = false;
    const off = sim.onRequest((info) => {
      if (!sold && info.operationId === 'updateListingInventory' && info.pathParams.listing_id === String(target.listingId)) {
        sold = true;
        sim.sell(target.listingId, { sku: target.sku }, 1);
      }
    });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    off();
    expect(sold).toBe(true);
    // Local +5, one sold on Etsy during the write: both sides end at start + 5 − 1.
    expect(catalogStock(core).get(target.sku)).toBe(start + 4);
    expect(etsySellable(sim).find((row) => row.sku === target.sku)?.quantity).toBe(start + 4);
  });

  it('a write whose answer is lost is confirmed by re-reading, never applied twice', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const target = etsySellable(sim)[0]!;
    core.catalog.setStock(target.sku, target.quantity + 4);
    sim.resetAfterApply(1, { operationId: 'updateListingInventory' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(etsySellable(sim).find((row) => row.sku === target.sku)?.quantity).toBe(target.quantity + 4);
    expect(catalogStock(core).get(target.sku)).toBe(target.quantity + 4);
    // Another sync changes nothing: the applied write was not counted as an Etsy-side edit.
    const again = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(again.changes).toEqual([]);
    expect(catalogStock(core).get(target.sku)).toBe(target.quantity + 4);
  });

  it('deactivates a listing at zero stock and re-activates it when stock returns, but never one the user deactivated', async () => {
    world = await startWorld({ shop: generateShop({ listings: 12, seed: 3, variationRatio: 0.2, twoPropertyRatio: 0, sharedSkuRatio: 0 }) });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const singles = sim.snapshot().filter((listing) => listing.products.length === 1 && listing.state === 'active');
    const [mine, users] = singles;
    expect(mine && users).toBeTruthy();
    core.catalog.setStock(mine!.products[0]!.sku, 0);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(mine!.listing_id)?.state).toBe('inactive');
    core.catalog.setStock(mine!.products[0]!.sku, 3);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(mine!.listing_id)?.state).toBe('active');
    expect(sim.getListing(mine!.listing_id)?.products[0]?.quantity).toBe(3);

    sim.setState(users!.listing_id, 'inactive');
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock(users!.products[0]!.sku, 7);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(users!.listing_id)?.state).toBe('inactive');
    expect(sim.violations).toEqual([]);
  });

  it('an inventory-only sync still does the daily full pull: a listing deleted on Etsy is caught', async () => {
    world = await startWorld({ shop: smallShop(), settings: { productSyncEnabled: false } });
    const { sim, core } = world;
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const gone = sim.snapshot()[0]!.listing_id;
    sim.deleteListing(gone);
    // The next incremental pull cannot see a deleted listing; a day later the full pull must.
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const lastFull = Number(core.repos.syncState.getState('products.lastFullAt'));
    core.repos.syncState.setState('products.lastFullAt', String(lastFull - 25 * 3600_000), Date.now());
    const report = await core.sync({ kinds: ['inventory'], trigger: 'schedule' });
    expect(report.errors).toEqual([]);
    const removed = core.store.sqlite.prepare('SELECT removed_at FROM etsy_listings WHERE listing_id = ?').get(gone) as { removed_at: number | null };
    expect(removed.removed_at).not.toBeNull();
    expect(Number(core.repos.syncState.getState('products.lastFullAt'))).toBeGreaterThan(lastFull);
  });

  it('holds scheduled syncs after connecting until the first run has been previewed', async () => {
    world = await startWorld({ shop: smallShop() });
    const { sim, core } = world;
    expect(core.engine.firstRunPreviewPending()).toBe(true);
    for (const trigger of ['schedule', 'catchup'] as const) {
      const held = await core.sync({ kinds: ['products', 'inventory'], trigger });
      expect(held.runs.find((run) => run.kind === 'inventory')).toMatchObject({ status: 'held', runId: null, callsUsed: 0 });
      expect(core.catalog.list()).toEqual([]);
      expect(sim.counters.writes).toBe(0);
      expect(core.repos.runs.lastRun('inventory')).toBeUndefined();
    }

    const preview = await core.sync({ kinds: ['inventory'], trigger: 'manual', dryRun: true });
    expect(preview.changes.length).toBeGreaterThan(0);
    expect(core.catalog.list()).toEqual([]);
    expect(core.engine.firstRunPreviewPending()).toBe(false);

    const real = await core.sync({ kinds: ['inventory'], trigger: 'schedule' });
    expect(real.runs[0]?.status).toBe('ok');
    expect(core.catalog.list().length).toBeGreaterThan(0);
  });

  it('a shop that has synced before is not held, and a newly connected shop is held again', async () => {
    world = await startWorld({ shop: smallShop() });
    const { core } = world;
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(core.engine.firstRunPreviewPending()).toBe(false);
    expect((await core.sync({ kinds: ['inventory'], trigger: 'schedule' })).runs[0]?.status).toBe('ok');
    // Connected to another shop: its first run is previewed first too.
    core.store.sqlite.prepare('UPDATE etsy_connection SET shop_id = shop_id + 1').run();
    expect(core.engine.firstRunPreviewPending()).toBe(true);
  });
});

