import { afterEach, describe, expect, it } from 'vitest';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 12 item 12: a sale made just before our PUT, whose receipt appears minutes later. The write
 * overwrote it; it is counted once its receipt is read, because a written intent is checked until
 * receipts beyond its write time (Etsy's clock) have been read.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('late receipts', () => {
  it('a sale overwritten by our write whose receipt appears later is still counted, once', async () => {
    let etsyAhead = 0;
    world = await startWorld({
      shop: { listings: [{ title: 'Owl Etching', price: 3000, products: [{ sku: 'OWL', quantity: 5 }] }] },
      simNow: () => Date.now() + etsyAhead,
    });
    const { sim, core } = world;
    const [owl] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL', 8);
    let sold = false;
    const off = sim.onRequest((info) => {
      if (!sold && info.operationId === 'updateListingInventory') {
        sold = true;
        sim.holdReceipts();
        sim.sell(owl!, undefined, 1);
      }
    });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    off();
    expect(sold).toBe(true);
    // Our PUT overwrote the sale: Etsy shows 8 and no receipt is visible yet.
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(8);

    sim.releaseReceipts();
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(7);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(7);

    // Counted once: more syncs change nothing; a later sale (a receipt beyond the write) closes the check.
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(7);
    expect(core.repos.writeIntents.listWrittenWrites()).not.toEqual([]);
    // Etsy's clock moves on (a later second than the write); this sale's receipt is beyond the write.
    etsyAhead = 5_000;
    sim.sell(owl!, undefined, 1);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('OWL')).toBe(6);
    expect(sim.getListing(owl!)?.products[0]?.quantity).toBe(6);
    expect(core.repos.writeIntents.listWrittenWrites()).toEqual([]);
    expect(sim.violations).toEqual([]);
  });
});
