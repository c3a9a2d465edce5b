/**
 * Item 10: Etsy documents an offering's `readiness_state_id` as null outside shop-scoped or
 * single-listing reads of active listings (so the batch read taken just before a write has none), and
 * the PUT requires a processing profile on every offering. The engine never sends null: it falls back to
 * the value the mirror holds for that product, else the one the listing's other products share, else
 * it sends nothing and raises an attention item that says why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SIZE_PROPERTY, type ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const HERON = 2001;
const OTTER = 2002;

function shop(): ShopSeed {
  return {
    listings: [
      {
        listing_id: HERON,
        title: 'Blue Heron Print',
        properties: [SIZE_PROPERTY],
        products: [
          { values: ['A4'], sku: 'HERON-A4', quantity: 5 },
          { values: ['A3'], sku: 'HERON-A3', quantity: 2 },
        ],
      },
      { listing_id: OTTER, title: 'Otter Linocut', products: [{ sku: 'OTTER', quantity: 4 }] },
    ],
  };
}

describe('readiness_state_id on the PUT', () => {
  it('a stock edit is written with the processing profile the mirror holds, though the fresh batch read has none', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const profileBefore = sim.store.listing(HERON)!.inventory!.products.map((p) => p.offerings[0]!.readiness_state_id);
    expect(profileBefore.every((id) => typeof id === 'number')).toBe(true);

    core.catalog.setStock('HERON-A4', 9);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    expect(sim.getListing(HERON)!.products.find((p) => p.sku === 'HERON-A4')!.quantity).toBe(9);
    expect(sim.store.listing(HERON)!.inventory!.products.map((p) => p.offerings[0]!.readiness_state_id)).toEqual(profileBefore);
    expect(sim.violations).toEqual([]);
  });

  it("a product Etsy never named a profile for takes the one the listing's other products share", async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    sim.setOfferingReadiness(HERON, 'HERON-A3', 'absent');
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('HERON-A3', 6);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    const products = sim.store.listing(HERON)!.inventory!.products;
    expect(products.map((p) => p.offerings[0]!.quantity)).toEqual([5, 6]);
    expect(products[1]!.offerings[0]!.readiness_state_id).toBe(products[0]!.offerings[0]!.readiness_state_id);
    expect(sim.violations).toEqual([]);
  });

  it('with no profile known anywhere, nothing is sent and an attention item says why', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    sim.setOfferingReadiness(OTTER, 'OTTER', null);
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OTTER', 7);
    sim.resetCounters();
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.counters.byOperation.updateListingInventory ?? 0).toBe(0);
    expect(sim.getListing(OTTER)!.quantity).toBe(4);
    expect(catalogStock(core).get('OTTER')).toBe(7);
    const attention = core.repos.attention.listAttention().filter((item) => item.listingId === OTTER);
    expect(attention.map((item) => item.message).join('\n')).toMatch(/processing profile/i);
    expect(sim.violations).toEqual([]);
  });
});
