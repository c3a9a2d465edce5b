import type { PlanChange, PlanStateChange } from '../../../shared/plan';
import { explainQuantity, type QuantityCause, type QuantityNote } from './explain';
import type { ListingDecision } from './decide-listing';
import { ETSY_MAX_QUANTITY, type SkuMember, type SkuMerge } from './merge-sku';
import type { PlanSettings } from './plan-input';
import { describePrice } from './price';

/** Builds the explained change rows (what history records and dry run prints) from merges and decisions. */

function firstSyncCause(merge: SkuMerge): QuantityCause | null {
  if (merge.firstSync === 'catalog') return { kind: 'first_sync_from_catalog' };
  if (merge.firstSync === 'etsy') return { kind: 'first_sync_from_etsy', conflict: merge.conflictValues.length > 0 };
  return null;
}

/** What happened on Etsy to this SKU since the last sync. */
function etsyEventCauses(merge: SkuMerge): QuantityCause[] {
  const causes: QuantityCause[] = [];
  if (merge.sold > 0) causes.push({ kind: 'sold_on_etsy', quantity: merge.sold, receiptIds: merge.receiptIds });
  if (merge.etsyEditDelta !== 0) causes.push({ kind: 'edited_on_etsy', delta: merge.etsyEditDelta });
  return causes;
}

export function catalogChange(merge: SkuMerge): PlanChange | null {
  if (merge.catalogBefore === merge.catalogAfter) return null;
  const first = firstSyncCause(merge);
  const causes = first ? [first] : etsyEventCauses(merge);
  const notes: QuantityNote[] = merge.floored ? [{ kind: 'floored' }] : [];
  const { reason, explanation } = explainQuantity(causes, notes, merge.catalogBefore, merge.catalogAfter);
  return {
    sku: merge.sku,
    listingId: null,
    productKey: null,
    side: 'catalog',
    field: 'quantity',
    before: merge.catalogBefore,
    after: merge.catalogAfter,
    reason,
    explanation,
    receiptIds: causes.some((cause) => cause.kind === 'sold_on_etsy') ? merge.receiptIds : [],
  };
}

export function etsyQuantityChange(
  merge: SkuMerge,
  member: SkuMember,
  target: number,
  settings: PlanSettings,
): PlanChange {
  const before = member.product.quantity;
  const first = firstSyncCause(merge);
  let causes: QuantityCause[];
  if (first) causes = [first];
  else if (!member.baselined) causes = [{ kind: 'new_listing_link' }];
  else {
    causes = etsyEventCauses(merge);
    if (merge.localDelta !== 0) {
      const onServer = settings.serverEditedSkus?.has(merge.sku) === true;
      causes.push({ kind: 'edited_locally', delta: merge.localDelta, ...(onServer ? { onServer } : {}) });
    }
  }
  const buffered = settings.buffer > 0 && target < Math.min(merge.catalogAfter, ETSY_MAX_QUANTITY);
  const notes: QuantityNote[] = [];
  if (causes.length === 0) {
    // Nothing happened since the last sync, yet Etsy differs: say which rule makes the difference.
    if (buffered) causes.push({ kind: 'buffer', buffer: settings.buffer });
    else if (merge.capped) causes.push({ kind: 'cap_999' });
    else causes.push({ kind: 'resync' });
  }
  if (buffered && causes[0]?.kind !== 'buffer') notes.push({ kind: 'buffer', buffer: settings.buffer });
  if (merge.capped && !causes.some((cause) => cause.kind === 'cap_999')) notes.push({ kind: 'cap_999' });
  if (merge.floored) notes.push({ kind: 'floored' });
  const { reason, explanation } = explainQuantity(causes, notes, before, target);
  return {
    sku: merge.sku,
    listingId: member.listing.listingId,
    productKey: member.product.productKey,
    side: 'etsy',
    field: 'quantity',
    before,
    after: target,
    reason,
    explanation,
    receiptIds: causes.some((cause) => cause.kind === 'sold_on_etsy') ? merge.receiptIds : [],
  };
}

export function priceChanges(decision: ListingDecision): PlanChange[] {
  return decision.priceChanges.map((change) => ({
    sku: change.sku,
    listingId: decision.listing.listingId,
    productKey: change.product.productKey,
    side: 'etsy' as const,
    field: 'price' as const,
    before: change.before,
    after: change.after,
    reason: 'price_sync' as const,
    explanation:
      `Price follows the catalog: ${describePrice(change.before, change.currency)} → ` +
      `${describePrice(change.after, change.currency)}`,
    receiptIds: [],
  }));
}

export function stateChangeExplanation(change: Omit<PlanStateChange, 'explanation'>): string {
  return change.reason === 'deactivated_zero_stock'
    ? `No stock left in any variation, so the listing is set inactive on Etsy (Art Sync makes it active ` +
        `again when stock returns): ${change.from} → ${change.to}`
    : `Stock is back, so the listing Art Sync had set inactive is made active again: ${change.from} → ${change.to}`;
}

/** One row per distinct SKU of the listing, so each SKU's history shows what happened to its listing. */
export function stateChangeRows(change: PlanStateChange, skus: readonly string[]): PlanChange[] {
  return skus.map((sku) => ({
    sku,
    listingId: change.listingId,
    productKey: null,
    side: 'etsy' as const,
    field: 'state' as const,
    before: change.from,
    after: change.to,
    reason: change.reason,
    explanation: change.explanation,
    receiptIds: [],
  }));
}
