import { afterEach, describe, expect, it } from 'vitest';
import type { ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function owlShop(): ShopSeed {
  return { listings: [{ title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 4 }] }] };
}

describe('re-activating a listing the app deactivated (issue 12 item 1)', () => {
  it('stays inactive while the write of the quantities it needs is rejected, and is re-activated once it is confirmed', async () => {
    world = await startWorld({ shop: owlShop(), settings: { buffer: 2 } });
    const { sim, core } = world;
    const listingId = sim.listingIds()[0]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(sim.getListing(listingId)?.products[0]?.quantity).toBe(2);

    core.catalog.setStock('OWL', 2);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(listingId)?.state).toBe('inactive');
    // The zeros are not written: Etsy keeps the 2 it showed.
    expect(sim.getListing(listingId)?.products[0]?.quantity).toBe(2);

    // Stock returns: target 1. Etsy rejects the stock update, so the listing must not go live with 2.
    core.catalog.setStock('OWL', 3);
    sim.failNext(1, { status: 400, operationId: 'updateListingInventory' });
    const rejected = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(rejected.errors.length).toBeGreaterThan(0);
    expect(sim.getListing(listingId)?.state).toBe('inactive');
    expect(rejected.changes.filter((c) => c.field === 'state').map((c) => c.status)).toEqual(['failed']);

    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(listingId)?.state).toBe('active');
    expect(sim.getListing(listingId)?.products[0]?.quantity).toBe(1);
    expect(catalogStock(core).get('OWL')).toBe(3);
    expect(sim.violations).toEqual([]);
  });

  it('stays inactive while the outcome of that write is unknown', async () => {
    world = await startWorld({ shop: owlShop(), settings: { buffer: 2 } });
    const { sim, core } = world;
    const listingId = sim.listingIds()[0]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 2);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(listingId)?.state).toBe('inactive');

    core.catalog.setStock('OWL', 3);
    sim.failNext(1, { status: 500, operationId: 'updateListingInventory' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(listingId)?.state).toBe('inactive');
    expect(sim.getListing(listingId)?.products[0]?.quantity).toBe(2);
  });
});
