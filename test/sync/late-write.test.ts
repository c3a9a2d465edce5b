import { afterEach, describe, expect, it } from 'vitest';
import type { ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 12 item 11: a write answered 504 and applied seconds later, after the engine's immediate
 * re-read. The outcome stays unknown until a later read settles it; the late quantity is never counted
 * as an Etsy-side edit (that would apply the delta twice).
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function owlShop(): ShopSeed {
  return {
    listings: [
      { title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 7 }] },
      { title: 'Owl Etching (gift edition)', price: 3000, products: [{ sku: 'OWL', quantity: 7 }] },
    ],
  };
}

describe('a write applied late', () => {
  it('stock set 7 → 12, the PUT answered 504 and applied later → both sides show 12, not 17', async () => {
    world = await startWorld({ shop: { listings: [owlShop().listings[0]!] } });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 12);
    sim.applyLate(1, { operationId: 'updateListingInventory', delayMs: 300 });
    const first = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(first.errors.map((e) => e.code)).toEqual(['WRITE_OUTCOME_UNKNOWN']);
    await sim.lateWritesApplied();
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(12);

    for (let i = 0; i < 3; i += 1) await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(12);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(12);
    expect(core.repos.writeIntents.listUnresolvedWrites()).toEqual([]);
  });

  it('a shared SKU: a sale on the other listing while the write is unsettled still counts once', async () => {
    world = await startWorld({ shop: owlShop() });
    const { sim, core } = world;
    const [owl, gift] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 12);
    sim.applyLate(1, { operationId: 'updateListingInventory', delayMs: 400 });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    sim.sell(gift!, undefined, 1);
    await sim.lateWritesApplied();
    for (let i = 0; i < 3; i += 1) await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(11);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(11);
    expect(sim.getListing(gift!)?.products[0]?.quantity).toBe(11);
  });

  it('a write that never lands is settled as not applied once the waiting period is over, then sent again', async () => {
    let skew = 0;
    world = await startWorld({ shop: { listings: [owlShop().listings[0]!] }, now: () => Date.now() + skew });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 12);
    sim.failNext(1, { status: 504, operationId: 'updateListingInventory' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(7);
    skew += 10 * 60 * 1000;
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(12);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(12);
    expect(core.repos.writeIntents.listUnresolvedWrites()).toEqual([]);
  });
});
