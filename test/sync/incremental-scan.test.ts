/**
 * Item 14: Etsy's `sort_on=updated` is not always in order (etsy/open-api#906). The incremental listing
 * scan must not stop at the first old listing on a page — only once a whole page is past the watermark
 * margin — or a listing changed since the last pull, sorted onto the next page, is missed until the
 * daily full pull.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedListing } from '../../sim';
import { WATERMARK_MARGIN_S } from '../../src/main/sync/product-sync';
import { startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const EDITED = 101; // one more than a page
const OLD = 350; // five pages in all

describe('incremental listing scan', () => {
  it('reads every listing changed since the watermark although updated order is slightly out of order', async () => {
    const now = Math.floor(Date.now() / 1000);
    const listings: SeedListing[] = [];
    // The newest listing sets the watermark; every other one is well past the margin below it.
    listings.push({ listing_id: 5000, title: 'Watermark Print', products: [{ sku: 'WM', quantity: 3 }], created: now - 4 * 3600, updated: now - 3 * 3600 });
    for (let i = 0; i < EDITED + OLD; i++) {
      listings.push({ listing_id: 5001 + i, title: `Print ${i}`, products: [{ sku: `P-${i}`, quantity: 3 }], created: now - 6 * 3600, updated: now - 3 * 3600 - 2 * WATERMARK_MARGIN_S });
    }
    world = await startWorld({ shop: { listings } });
    const { sim, core } = world;
    await core.sync({ kinds: ['products'], trigger: 'cli' });

    // Changes on Etsy since the pull: 101 listings get new stock (and a new updated time).
    const edited = listings.slice(1, 1 + EDITED).map((l) => l.listing_id!);
    for (const id of edited) sim.editQuantity(id, undefined, 9);
    sim.setUpdatedOrderDisorder(20);

    // Precondition: the first page holds a listing past the margin and a later page an edited one.
    const token = sim.issueTokens().access_token;
    const page = async (offset: number) => {
      const r = await fetch(`${sim.url}/v3/application/shops/${sim.shop.shop_id}/listings?state=active&sort_on=updated&sort_order=desc&limit=100&offset=${offset}`, {
        headers: { 'x-api-key': sim.apiKey, authorization: `Bearer ${token}` },
      });
      return ((await r.json()) as { results: { listing_id: number }[] }).results.map((l) => l.listing_id);
    };
    const [first, second] = [await page(0), await page(100)];
    expect(first.some((id) => !edited.includes(id))).toBe(true);
    expect(second.some((id) => edited.includes(id))).toBe(true);

    sim.resetCounters();
    await core.sync({ kinds: ['products'], trigger: 'cli' });
    const mirrored = new Map(core.mirror.listListings(sim.shop.shop_id).map((l) => [l.listingId, l.products[0]!.quantity]));
    expect(edited.filter((id) => mirrored.get(id) !== 9)).toEqual([]);
    // Still incremental: it stopped at the first page wholly past the margin, not at the end.
    expect(sim.counters.byOperation.getListingsByShop).toBeLessThanOrEqual(3 + 4); // 3 active pages of 5, 4 empty states
    expect(sim.violations).toEqual([]);
  });
});
