import type { EtsyClient } from '../etsy/client';
import type { EtsyListingState } from '../etsy/schemas';
import type { MirrorRepo } from '../store/mirror-repo';
import type { AttentionInput } from '../store/attention-repo';
import type { SyncRepos } from '../store/sync-repos';
import { toPulledInventory, toPulledListing } from './from-etsy';
import type { PulledListing } from '../../shared/mirror-types';

/**
 * Product sync: refreshes the local mirror of the shop's listings and inventories.
 *
 * Every state is paged with `includes=Inventory` and `limit=100`, so a full pull of N listings in one
 * state costs ⌈N/100⌉ calls and no per-listing reads; a listing that arrives without inventory is read
 * through the batch endpoint afterwards (≤100 per call). An incremental pass pages each state by
 * `updated` descending and stops after the first page wholly below the last watermark minus a margin
 * (Etsy's `updated` order was seen out of order, etsy/open-api#906, so one old listing on a page does not
 * end the scan); a full pass at least daily catches anything that slipped and
 * marks listings gone from Etsy as removed.
 */
export const SYNCED_STATES: readonly EtsyListingState[] = ['active', 'inactive', 'sold_out', 'draft', 'expired'];

/** How far below the watermark an incremental scan keeps reading (seconds). */
export const WATERMARK_MARGIN_S = 60 * 60;
export const FULL_RECONCILE_MS = 24 * 60 * 60 * 1000;

const WATERMARK_KEY = 'products.updatedWatermarkTs';
const LAST_FULL_KEY = 'products.lastFullAt';

export interface ProductSyncDeps {
  client: EtsyClient;
  mirror: MirrorRepo;
  repos: SyncRepos;
  now(): number;
  onProgress?(progress: { phase: 'listings' | 'inventory'; done: number; total: number | null }): void;
}

export interface ProductSyncOptions {
  shopId: number;
  /**
   * 'full' pulls everything; 'incremental' stops at the watermark (a full pull only when there is no
   * watermark yet); 'auto' (default) is full when the last full pull is older than a day.
   */
  mode?: 'auto' | 'incremental' | 'full';
  signal?: AbortSignal;
}

export interface ProductSyncResult {
  full: boolean;
  listingsSeen: number;
  inventoriesFetched: number;
  removed: number;
  skipped: AttentionInput[];
}

export async function syncProducts(deps: ProductSyncDeps, options: ProductSyncOptions): Promise<ProductSyncResult> {
  const { client, mirror, repos } = deps;
  const startedAt = deps.now();
  const lastFull = Number(repos.syncState.getState(LAST_FULL_KEY) ?? 0);
  const watermark = Number(repos.syncState.getState(WATERMARK_KEY) ?? 0);
  const mode = options.mode ?? 'auto';
  const full = mode === 'full' || watermark === 0 || (mode === 'auto' && startedAt - lastFull >= FULL_RECONCILE_MS);
  const stopBelow = watermark - WATERMARK_MARGIN_S;

  let listingsSeen = 0;
  let maxUpdated = watermark;
  const withoutInventory: number[] = [];
  const skipped: AttentionInput[] = [];

  for (const state of SYNCED_STATES) {
    const pages = client.listingsByShopPages(options.shopId, state, {
      includeInventory: true,
      signal: options.signal,
      ...(full
        ? {}
        : {
            sortOn: 'updated' as const,
            sortOrder: 'desc' as const,
            // Etsy's updated order is not strictly monotonic (#906): one old listing on a page says
            // nothing about the next page. Stop only once a whole page is past the margin.
            stopWhen: (page) => page.results.length > 0 && page.results.every((listing) => listingUpdatedTs(listing) < stopBelow),
          }),
    });
    for await (const page of pages) {
      const pulled: PulledListing[] = page.results.map((listing) => toPulledListing(listing, options.shopId));
      mirror.applyListings(pulled, deps.now());
      for (const listing of pulled) {
        if (listing.inventory === null) withoutInventory.push(listing.listingId);
        maxUpdated = Math.max(maxUpdated, listing.updatedTs ?? 0);
      }
      for (const item of page.skipped) skipped.push(skippedToAttention(item));
      listingsSeen += pulled.length;
      deps.onProgress?.({ phase: 'listings', done: listingsSeen, total: null });
    }
  }

  const inventoriesFetched = await fetchMissingInventories(deps, withoutInventory, options.signal, skipped);

  let removed = 0;
  const now = deps.now();
  repos.transaction(() => {
    if (full) {
      // Only a complete pull of every state can say a listing is gone.
      removed = mirror.markUnseenRemoved(options.shopId, startedAt, now);
      repos.syncState.setState(LAST_FULL_KEY, String(startedAt), now);
    }
    repos.syncState.setState(WATERMARK_KEY, String(maxUpdated), now);
    repos.attention.replaceAttention(['invalid_item'], skipped, now);
  });
  return { full, listingsSeen, inventoriesFetched, removed, skipped };
}

/** Reads inventories through the batch endpoint (≤100 per call) and stores them in the mirror. */
export async function fetchMissingInventories(
  deps: Pick<ProductSyncDeps, 'client' | 'mirror' | 'now' | 'onProgress'>,
  listingIds: readonly number[],
  signal: AbortSignal | undefined,
  skipped: AttentionInput[],
): Promise<number> {
  let fetched = 0;
  for (let i = 0; i < listingIds.length; i += 100) {
    const ids = listingIds.slice(i, i + 100);
    const result = await deps.client.getListingsInventoryByListingIds(ids, { signal });
    const byId = new Map(result.listings.map((listing) => [listing.listing_id, listing]));
    deps.mirror.applyInventories(
      ids
        .filter((id) => !result.deadIds.includes(id))
        .map((id) => {
          const inventory = byId.get(id)?.inventory;
          return { listingId: id, inventory: inventory ? toPulledInventory(inventory) : null };
        }),
      deps.now(),
    );
    for (const item of result.skipped) skipped.push(skippedToAttention(item));
    fetched += ids.length;
    deps.onProgress?.({ phase: 'inventory', done: fetched, total: listingIds.length });
  }
  return fetched;
}

function listingUpdatedTs(listing: { updated_timestamp?: number; last_modified_timestamp?: number }): number {
  return listing.updated_timestamp ?? listing.last_modified_timestamp ?? 0;
}

function skippedToAttention(item: { listingId?: number | undefined; reason: string }): AttentionInput {
  return {
    kind: 'invalid_item',
    listingId: item.listingId ?? null,
    message: `Etsy sent data for ${item.listingId ? `listing ${item.listingId}` : 'an item'} that Art Sync could not read (${item.reason}); it was skipped.`,
    action: 'Check the listing on Etsy; if it looks right, report this to Art Sync.',
  };
}
