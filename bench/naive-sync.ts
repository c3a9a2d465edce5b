import type { EtsyClient } from '../src/main/etsy/client';
import { SYNCED_STATES } from '../src/main/sync/product-sync';
import { toPulledInventory, toPulledListing } from '../src/main/sync/from-etsy';
import type { MirrorRepo } from '../src/main/store/mirror-repo';

/**
 * The common naive full sync, as the ratio to beat: page every state without `includes`, then one
 * getListingInventory per listing. Same client (limiter, budget, retries) as the engine, and it
 * writes a mirror too, so only the call pattern differs.
 */
export async function naiveFullSync(
  client: EtsyClient,
  mirror: MirrorRepo,
  shopId: number,
  signal?: AbortSignal,
): Promise<{ listings: number; inventories: number }> {
  const ids: number[] = [];
  for (const state of SYNCED_STATES) {
    for await (const page of client.listingsByShopPages(shopId, state, { includeInventory: false, signal })) {
      mirror.applyListings(page.results.map((listing) => toPulledListing(listing, shopId)), Date.now());
      for (const listing of page.results) ids.push(listing.listing_id);
    }
  }
  let inventories = 0;
  for (const id of ids) {
    const inventory = await client.getListingInventory(id, { signal });
    mirror.applyInventories([{ listingId: id, inventory: inventory ? toPulledInventory(inventory) : null }], Date.now());
    if (inventory) inventories += 1;
  }
  return { listings: ids.length, inventories };
}

/** Calls the naive way needs, from the formula: 1 (getMe) + Σ⌈listings per state / 100⌉ + one read per listing. */
export function naiveCallsFormula(listingsPerState: Record<string, number>): number {
  const pages = Object.values(listingsPerState).reduce((sum, n) => sum + Math.ceil(n / 100), 0);
  const listings = Object.values(listingsPerState).reduce((sum, n) => sum + n, 0);
  return 1 + pages + listings;
}
