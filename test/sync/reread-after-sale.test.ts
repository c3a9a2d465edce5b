import { afterEach, describe, expect, it } from 'vitest';
import type { SeedListing, ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 12 item 2: a sale whose receipt is stored by a run's post-write fetch (or by a run that failed
 * after fetching receipts) must still make the engine read that listing before planning it again. A
 * sale may not move the listing's `updated` time, so in a shop of more than a page of listings the
 * incremental scan stops before reaching it; only a read of the listing itself shows the sale.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function bigShop(): ShopSeed {
  const now = Math.floor(Date.now() / 1000);
  const fillers: SeedListing[] = Array.from({ length: 200 }, (_, i) => ({
    title: `Small Study ${i + 1}`,
    price: 1500,
    products: [{ sku: `STUDY-${i + 1}`, quantity: 2 }],
    created: now - 3 * 3600,
    updated: now - 3 * 3600,
  }));
  return {
    listings: [
      { title: 'Fox Print', price: 3000, products: [{ sku: 'FOX', quantity: 4 }], created: now, updated: now },
      { title: 'Hare Linocut', price: 2500, products: [{ sku: 'HARE', quantity: 3 }], created: now, updated: now },
      ...fillers,
      // The same print in an old listing, last updated long ago: past the first pages of the scan.
      { title: 'Fox Print (old listing)', price: 3000, products: [{ sku: 'FOX', quantity: 4 }], created: now - 5 * 3600, updated: now - 5 * 3600 },
    ],
  };
}

describe('listings with a sale are read before they are planned again', () => {
  it('a shared-SKU print sold while a writing sync ran: the next sync shows the sale on the catalog and the other listing', async () => {
    world = await startWorld({ shop: bigShop() });
    const { sim, core } = world;
    sim.setSalesTouchListing(false);
    const ids = sim.listingIds();
    const [fox, hare] = ids;
    const oldFox = ids[ids.length - 1]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('FOX')).toBe(4);

    core.catalog.setStock('HARE', 5);
    let sold = false;
    const off = sim.onRequest((info) => {
      if (!sold && info.operationId === 'updateListingInventory' && info.pathParams.listing_id === String(hare)) {
        sold = true;
        sim.sell(oldFox, undefined, 1);
      }
    });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    off();
    expect(sold).toBe(true);
    expect(sim.getListing(oldFox)?.products[0]?.quantity).toBe(3);

    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('FOX')).toBe(3);
    expect(sim.getListing(fox!)?.products[0]?.quantity).toBe(3);
    expect(sim.getListing(oldFox)?.products[0]?.quantity).toBe(3);
    expect(sim.violations).toEqual([]);
  });

  it('a receipt stored by a run that failed afterwards still makes the listing read', async () => {
    world = await startWorld({ shop: bigShop() });
    const { sim, core } = world;
    sim.setSalesTouchListing(false);
    const ids = sim.listingIds();
    const [fox] = ids;
    const oldFox = ids[ids.length - 1]!;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    sim.sell(oldFox, undefined, 1);
    // The receipts are fetched, then every listing page fails: the run ends before planning.
    let receiptsSeen = false;
    const off = sim.onRequest((info) => {
      if (info.operationId === 'getShopReceipts') receiptsSeen = true;
    });
    sim.failNext(20, { status: 500, operationId: 'getListingsByShop' });
    const failed = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    off();
    sim.clearFaults();
    expect(receiptsSeen).toBe(true);
    expect(failed.runs[0]?.status).toBe('failed');

    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('FOX')).toBe(3);
    expect(sim.getListing(fox!)?.products[0]?.quantity).toBe(3);
  });
});
