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

export async function fetchReceipts(ctx: SyncContext): Promise<{ listingIds: number[]; added: number }> {
  const nowTs = Math.floor(ctx.now() / 1000);
  const stored = ctx.repos.syncState.getState(WATERMARK_KEY);
  const since = stored === undefined ? nowTs - FIRST_LOOKBACK_S : Number(stored) - MARGIN_S;
  let watermark = stored === undefined ? nowTs - FIRST_LOOKBACK_S : Number(stored);
  let added = 0;
  const listingIds = new Set<number>();
  for await (const page of ctx.client.shopReceiptsPages(ctx.shop.shopId, { minLastModified: Math.max(0, since), signal: ctx.signal })) {
    const items = toReceiptItems(page.results);
    const newlyStored = ctx.repos.receipts.saveReceiptItems(items, ctx.now());
    added += newlyStored;
    for (const receipt of page.results) watermark = Math.max(watermark, receipt.updated_timestamp ?? receipt.created_timestamp);
    if (newlyStored > 0) for (const item of items) if (item.listingId !== null) listingIds.add(item.listingId);
    ctx.onProgress?.({ phase: 'receipts', done: added, total: null });
  }
  ctx.repos.syncState.setState(WATERMARK_KEY, String(watermark), ctx.now());
  return { listingIds: [...listingIds], added };
}
