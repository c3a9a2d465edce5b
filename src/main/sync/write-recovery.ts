import { toPulledInventory } from './from-etsy';
import { confirmInventoryWrite, confirmStateWrite } from './execute-plan';
import type { SyncContext } from './sync-context';
import { inventoryWasRewritten, type WriteIntent } from './write-intent';

/**
 * Settles Etsy writes whose outcome is not known — left 'unknown' by a timeout or reset, or 'pending'
 * by a process that died mid-write — by re-reading the listings (batch endpoint) before anything is
 * retried: a write that happened is confirmed (baselines move to it), one that did not is marked failed
 * (its baselines were never moved, so the next plan simply pushes again) — for a write that got an
 * error answer, only once a read late enough says so (LATE_WRITE_SETTLE_MS). A delta is never applied twice.
 */
export interface RecoveryResult {
  confirmed: number;
  failed: number;
  /** Still unknown: answered with an error but maybe applied later; their listings are held. */
  waiting: number;
}

/**
 * How long a write answered with a timeout or a gateway error may still land on Etsy. Until a read
 * taken this long after it still shows the ids we read, it is neither confirmed nor failed, and its
 * listing is held: not written again, its Etsy-side changes not counted (issue 12 item 11: a 504 applied
 * 3 s after our re-read was counted as an Etsy edit, applying the delta twice).
 */
export const LATE_WRITE_SETTLE_MS = 2 * 60 * 1000;

/** `onlyListings`: a targeted run settles only its own listings' writes (the rest stay held for theirs). */
export async function recoverPendingWrites(ctx: SyncContext, runId: number, onlyListings?: ReadonlySet<number>): Promise<RecoveryResult> {
  const result: RecoveryResult = { confirmed: 0, failed: 0, waiting: 0 };
  const pending = ctx.repos.writeIntents
    .listUnresolvedWrites()
    .filter((write) => onlyListings === undefined || onlyListings.has(write.listingId));
  if (pending.length === 0) return result;
  const listingIds = [...new Set(pending.map((write) => write.listingId))];
  let etsyMs: number | undefined;
  const read = await ctx.client.getListingsInventoryByListingIds(listingIds, { signal: ctx.signal, onServerDate: (ms) => (etsyMs = ms) });
  const byId = new Map(read.listings.map((listing) => [listing.listing_id, listing]));
  const now = ctx.now();
  ctx.mirror.applyInventories(
    read.listings.filter((listing) => listing.inventory).map((listing) => ({ listingId: listing.listing_id, inventory: toPulledInventory(listing.inventory!) })),
    now,
  );

  for (const write of pending) {
    const intent = JSON.parse(write.body) as WriteIntent;
    const listing = byId.get(write.listingId);
    const note = '(confirmed after an interrupted write)';
    if (intent.kind === 'inventory' && listing?.inventory && inventoryWasRewritten(intent, listing.inventory)) {
      // Applied before this read: its Etsy time bounds the write's from above.
      confirmInventoryWrite(ctx, {
        runId,
        listingId: write.listingId,
        intentId: write.id,
        intent,
        inventory: listing.inventory,
        note,
        ...(etsyMs === undefined ? {} : { etsyMs }),
      });
      result.confirmed += 1;
      continue;
    }
    if (intent.kind === 'state' && listing && listing.state === intent.to) {
      confirmStateWrite(ctx, { runId, listingId: write.listingId, intentId: write.id, intent, note });
      continue;
    }
    // 'pending' belongs to a process that died: settled by this read. 'unknown' got an answer that
    // may hide a write still on its way: it waits until the read is late enough to trust.
    if (intent.kind === 'inventory' && write.status === 'unknown' && now - write.updatedAt < LATE_WRITE_SETTLE_MS) {
      result.waiting += 1;
      continue;
    }
    ctx.repos.writeIntents.setPendingWriteStatus({ id: write.id, status: 'failed' }, now);
    result.failed += 1;
  }
  return result;
}
