import type { PlanCatalogVariant, PlanEtsyProduct, PlanLink, PlanListing, PlanReceiptItem, PlanSettings } from './plan-input';

/**
 * The three-way stock merge for one SKU (docs/SYNC.md "The merge"):
 *   new  = max(0, L + Σ_i (E_i − bE_i))     over the SKU's Etsy products that have baselines
 *   etsy = max(0, min(new − buffer, 999))   for every Etsy product linked to the SKU
 * plus the first-sync rule for a SKU that has never been synced (no baselined link, live or removed).
 */

export const ETSY_MAX_QUANTITY = 999;

/** One Etsy product carrying the SKU, in a listing the planner syncs. */
export interface SkuMember {
  listing: PlanListing;
  product: PlanEtsyProduct;
  /** The existing link row, or null when the plan creates it. */
  link: PlanLink | null;
  /** The link has both baselines and the catalog has the SKU: its E − bE counts. */
  baselined: boolean;
  /** Receipt transactions attributed to this product since the last sync. */
  receipts: PlanReceiptItem[];
}

export interface SkuMerge {
  sku: string;
  /** The catalog's stock now; null when the plan creates the catalog variant. */
  catalogBefore: number | null;
  /** The catalog's stock after the plan (`new`). */
  catalogAfter: number;
  /** What every linked Etsy product should show. */
  etsyTarget: number;
  /** Set when no product of the SKU has a baseline yet. */
  firstSync: 'etsy' | 'catalog' | null;
  /** First sync from Etsy: the distinct quantities when the candidate products disagreed. */
  conflictValues: number[];
  /** Sold on Etsy per receipts, over baselined products. */
  sold: number;
  receiptIds: number[];
  /** Σ(E − bE) + sold: the part of Etsy's change receipts do not explain. */
  etsyEditDelta: number;
  /** L − bL (explanation only; the catalog already holds it). */
  localDelta: number;
  /** L + Σ(E − bE) was below 0. */
  floored: boolean;
  /** new − buffer was above 999. */
  capped: boolean;
}

export function etsyTargetFor(stock: number, buffer: number): number {
  return Math.max(0, Math.min(stock - buffer, ETSY_MAX_QUANTITY));
}

/**
 * Merges one SKU. Returns null when it cannot be synced: a first sync from the catalog for a SKU the
 * catalog does not have (the caller reports it as unmatched).
 */
export function mergeSku(
  sku: string,
  catalog: PlanCatalogVariant | undefined,
  members: readonly SkuMember[],
  settings: PlanSettings,
  /** Some link of this SKU, on any listing (removed ones too), has baselines: it is not a first sync. */
  syncedBefore = false,
): SkuMerge | null {
  const baselined = members.filter((member) => member.baselined);
  let catalogAfter: number;
  let firstSync: SkuMerge['firstSync'] = null;
  let conflictValues: number[] = [];
  let sold = 0;
  let etsyEditDelta = 0;
  let localDelta = 0;
  let floored = false;
  const receiptIds = new Set<number>();

  if (catalog !== undefined && baselined.length > 0) {
    let sumDelta = 0;
    for (const member of baselined) {
      sumDelta += member.product.quantity - (member.link?.baselineEtsy ?? member.product.quantity);
      for (const receipt of member.receipts) {
        sold += receipt.quantity;
        receiptIds.add(receipt.receiptId);
      }
    }
    etsyEditDelta = sumDelta + sold;
    const raw = catalog.quantity + sumDelta;
    floored = raw < 0;
    catalogAfter = Math.max(0, raw);
    localDelta = catalog.quantity - (baselined[0]?.link?.baselineCatalog ?? catalog.quantity);
  } else if (catalog !== undefined && syncedBefore) {
    // A new link (e.g. the print re-listed after its old listing was removed) joins a SKU that has
    // been synced: like any new link it takes the catalog's value, Δ = 0.
    catalogAfter = Math.max(0, catalog.quantity);
  } else if (settings.firstSyncSource === 'catalog' || members.length === 0) {
    if (catalog === undefined) return null;
    firstSync = 'catalog';
    catalogAfter = Math.max(0, catalog.quantity);
  } else {
    // Etsy is the starting point. Listings a buyer can see decide; an old sold-out or inactive copy of
    // the same print must not zero the stock of the live one. Disagreement → the lowest (never oversell).
    firstSync = 'etsy';
    const active = members.filter((member) => member.listing.state === 'active');
    const candidates = (active.length > 0 ? active : members).map((member) => member.product.quantity);
    const distinct = [...new Set(candidates)].sort((a, b) => a - b);
    catalogAfter = Math.max(0, distinct[0] ?? 0);
    conflictValues = distinct.length > 1 ? distinct : [];
  }

  const capped = catalogAfter - settings.buffer > ETSY_MAX_QUANTITY;
  return {
    sku,
    catalogBefore: catalog?.quantity ?? null,
    catalogAfter,
    etsyTarget: etsyTargetFor(catalogAfter, settings.buffer),
    firstSync,
    conflictValues,
    sold,
    receiptIds: [...receiptIds].sort((a, b) => a - b),
    etsyEditDelta,
    localDelta,
    floored,
    capped,
  };
}

/**
 * Attributes each receipt transaction of one listing to at most one of its products: by product_id
 * first (the current one, or the one our last write created), else by SKU. A transaction is never
 * counted twice, even when two variations of the listing share a SKU.
 */
export function attributeReceipts(
  listing: PlanListing,
  receipts: readonly PlanReceiptItem[],
  linkFor: (product: PlanEtsyProduct) => PlanLink | null,
): Map<string, PlanReceiptItem[]> {
  const byKey = new Map<string, PlanReceiptItem[]>();
  const byProductId = new Map<number, string>();
  const bySku = new Map<string, string>();
  for (const product of listing.products) {
    if (product.etsyProductId !== null) byProductId.set(product.etsyProductId, product.productKey);
    const written = linkFor(product)?.writtenProductId;
    if (written !== null && written !== undefined && !byProductId.has(written)) {
      byProductId.set(written, product.productKey);
    }
    if (product.sku !== '' && !bySku.has(product.sku)) bySku.set(product.sku, product.productKey);
  }
  for (const receipt of receipts) {
    if (receipt.listingId !== listing.listingId || receipt.quantity <= 0) continue;
    const key =
      (receipt.etsyProductId !== null ? byProductId.get(receipt.etsyProductId) : undefined) ??
      (receipt.sku ? bySku.get(receipt.sku) : undefined);
    if (key === undefined) continue;
    const list = byKey.get(key) ?? [];
    list.push(receipt);
    byKey.set(key, list);
  }
  return byKey;
}
