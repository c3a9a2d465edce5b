import { afterEach, describe, expect, it } from 'vitest';
import { catalogChanges, etsyChanges, link, listing, plan, product, variant } from './plan-fixtures';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 12 item 5: the first-sync starting point applies only to a SKU that has never been synced. A
 * SKU whose only baselined link is on a removed listing has been synced: a new link takes the
 * catalog's value (Δ = 0), like any other new link.
 */
describe('a new listing for a SKU synced before (planner)', () => {
  it('takes the catalog value even when the only baselined link is on a removed listing', () => {
    const result = plan({
      listings: [listing(1, [product('OWL', 0)], { removed: true, state: 'removed' }), listing(2, [product('OWL', 1)])],
      catalog: [variant('OWL', 8)],
      links: [link(1, 'OWL', 8, 8)],
    });
    expect(catalogChanges(result)).toEqual([]);
    expect(etsyChanges(result).map((c) => [c.listingId, c.before, c.after])).toEqual([[2, 1, 8]]);
    expect(result.attention.filter((a) => a.kind === 'conflict')).toEqual([]);
  });

  it('still lets a SKU never synced start from Etsy', () => {
    const result = plan({ listings: [listing(2, [product('OWL', 1)])], catalog: [variant('OWL', 8)] });
    expect(catalogChanges(result).map((c) => [c.before, c.after])).toEqual([[8, 1]]);
  });
});

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('a new listing for a SKU synced before (against the simulator)', () => {
  it('old listing deleted, new one published with 1, catalog 8 → catalog stays 8 and Etsy gets 8', async () => {
    world = await startWorld({ shop: { listings: [{ title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 8 }] }] } });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(8);

    sim.deleteListing(sim.listingIds()[0]!);
    const fresh = sim.addListing({ title: 'Owl Etching (new photos)', price: 3000, products: [{ sku: 'OWL', quantity: 1 }] });
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli', full: true });
    expect(catalogStock(core).get('OWL')).toBe(8);
    expect(sim.getListing(fresh)?.products[0]?.quantity).toBe(8);
    expect(sim.violations).toEqual([]);
  });
});
