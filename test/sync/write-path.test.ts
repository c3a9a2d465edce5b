import { afterEach, describe, expect, it } from 'vitest';
import type { ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function twoPrints(): ShopSeed {
  return {
    listings: [
      { title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 4 }] },
      { title: 'Hare Linocut', price: 2500, products: [{ sku: 'HARE', quantity: 3 }] },
    ],
  };
}

function open(world: World, kind: string): number[] {
  return world.core.repos.attention
    .listAttention()
    .filter((item) => item.kind === kind)
    .map((item) => item.listingId ?? 0);
}

describe('write_failed attention (issue 12 item 6)', () => {
  it('is resolved by a later successful write of the listing', async () => {
    world = await startWorld({ shop: twoPrints() });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 6);
    sim.failNext(1, { status: 400, operationId: 'updateListingInventory' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(open(world, 'write_failed')).toEqual([owl]);

    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(6);
    expect(open(world, 'write_failed')).toEqual([]);
    expect(core.repos.attention.countAttention()).toBe(0);
  });

  it('is resolved when the listing no longer needs a write (the edit was undone)', async () => {
    world = await startWorld({ shop: twoPrints() });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 6);
    sim.failNext(1, { status: 400, operationId: 'updateListingInventory' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(open(world, 'write_failed')).toEqual([owl]);
    // The owner puts the catalog back to what Etsy shows: nothing is left to write.
    core.catalog.setStock('OWL', 4);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(4);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(4);
    expect(report.changes.filter((c) => c.side === 'etsy')).toEqual([]);
    expect(open(world, 'write_failed')).toEqual([]);
  });
});

describe('a deactivation Etsy rejects (issue 12 item 15)', () => {
  it('raises an attention item that says the listing is still for sale, writes no zeros, and clears once it goes through', async () => {
    world = await startWorld({ shop: twoPrints() });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 0);
    // Etsy's answer to a PATCH to inactive reported in etsy/open-api#538.
    sim.failNext(1, { status: 400, operationId: 'updateListing', message: 'There was a problem with /quantity : cannot be empty' });
    sim.resetCounters();
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors.map((e) => e.listingId)).toEqual([owl]);
    expect(sim.counters.byOperation.updateListingInventory ?? 0).toBe(0);
    expect(sim.getListing(owl!)?.state).toBe('active');
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(4);
    const items = core.repos.attention.listAttention().filter((item) => item.listingId === owl);
    expect(items.map((item) => item.kind)).toEqual(['deactivate_failed']);
    expect(items[0]?.message).toMatch(/still .*for sale/i);
    expect(items[0]?.message).toContain('cannot be empty');

    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(sim.counters.byOperation.updateListingInventory ?? 0).toBe(0);
    expect(sim.getListing(owl!)?.state).toBe('inactive');
    expect(core.repos.attention.listAttention()).toEqual([]);
  });
});

describe('cancelled orders (issue 12 item 13)', () => {
  it('a cancelled order that restocks a product our write created is not counted as a sale the next write overwrote', async () => {
    world = await startWorld({ shop: { listings: [{ title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 5 }] }] } });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    // Our write creates the product id the sale is made on.
    core.catalog.setStock('OWL', 6);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const sale = sim.sell(owl!, undefined, 1);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(5);

    sim.cancelOrder(sale.receipt_id, { restock: true });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(6);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(6);

    core.catalog.setStock('OWL', 9);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(9);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(9);
    expect(sim.violations).toEqual([]);
  });
});
