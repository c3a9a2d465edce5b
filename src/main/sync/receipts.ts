import { toReceiptItems } from './from-etsy';
import type { SyncContext } from './sync-context';

/**
 * Fetches receipts modified since the last fetch (`min_last_modified`, with a margin for Etsy's clock
 * and late updates) and stores their transactions. Stored transactions explain Etsy-side decreases
 * ("sold on Etsy, receipt 123") and count sales a write overwrote.
 */
const WATERMARK_KEY = 'receipts.lastModifiedWatermarkTs';
const MARGIN_S = 15 * 60;
/** On the very first fetch: how far back sales are worth explaining. */
const FIRST_LOOKBACK_S = 24 * 60 * 60;

/** Etsy's clock (epoch seconds, the `Date` of the last receipts answer): how far receipts have been read. */
export const RECEIPTS_FETCHED_AT_KEY = 'receipts.lastFetchEtsyTs';

export async function fetchReceipts(ctx: SyncContext): Promise<{ listingIds: number[]; added: number }> {
  const nowTs = Math.floor(ctx.now() / 1000);
  const stored = ctx.repos.syncState.getState(WATERMARK_KEY);
  let since = stored === undefined ? nowTs - FIRST_LOOKBACK_S : Number(stored) - MARGIN_S;
  // While a write is still checked for overwritten sales, receipts since its read are asked for again:
  // a receipt that appears late may carry a modification time older than the watermark's margin.
  for (const write of ctx.repos.writeIntents.listWrittenWrites()) {
    const intent = JSON.parse(write.body) as { readAt?: number };
    if (typeof intent.readAt === 'number') since = Math.min(since, Math.floor(intent.readAt / 1000) - MARGIN_S);
  }
  let fetchedAtEtsyMs: number | undefined;
  let watermark = stored === undefined ? nowTs - FIRST_LOOKBACK_S : Number(stored);
  let added = 0;
  const listingIds = new Set<number>();
  const pages = ctx.client.shopReceiptsPages(ctx.shop.shopId, {
    minLastModified: Math.max(0, since),
    signal: ctx.signal,
    onServerDate: (ms) => (fetchedAtEtsyMs ??= ms),
  });
  for await (const page of pages) {
    const items = toReceiptItems(page.results);
    const newlyStored = ctx.repos.receipts.saveReceiptItems(items, ctx.now());
    added += newlyStored;
    for (const receipt of page.results) watermark = Math.max(watermark, receipt.updated_timestamp ?? receipt.created_timestamp);
    if (newlyStored > 0) for (const item of items) if (item.listingId !== null) listingIds.add(item.listingId);
    ctx.onProgress?.({ phase: 'receipts', done: added, total: null });
  }
  ctx.repos.syncState.setState(WATERMARK_KEY, String(watermark), ctx.now());
  // The first page's answer time: every receipt Etsy showed by then has been read.
  if (fetchedAtEtsyMs !== undefined) ctx.repos.syncState.setState(RECEIPTS_FETCHED_AT_KEY, String(Math.floor(fetchedAtEtsyMs / 1000)), ctx.now());
  return { listingIds: [...listingIds], added };
}
