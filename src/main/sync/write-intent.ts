import type { PlanChange } from '../../shared/plan';
import type { ListingInventory } from '../etsy/schemas';
import { productKeyOf } from '../../shared/product-key';
import { toPulledInventory } from './from-etsy';

/**
 * What a write intent (pending_writes.body) records before an Etsy write is sent, so that after a
 * crash or an unknown outcome the write can be judged applied or not by re-reading the listing
 * (docs/SYNC.md, "Writing to Etsy safely"), and overwritten sales can still be counted.
 */
export interface IntentProduct {
  productKey: string;
  /** Target quantity sent. */
  quantity: number;
  /** product_id as read just before the write; a different id afterwards means the write happened. */
  readProductId: number | null;
  /** Quantity as read just before the write. */
  etsyRead: number;
  /** What our previous write of this product created (null: not created by us). */
  prevWrittenProductId: number | null;
  prevWrittenQuantity: number | null;
  /**
   * Units of this product id sold from the read's second on, by the receipts stored when the write was
   * planned: those were already in Etsy's quantity as read, so they are not "overwritten".
   */
  soldFromReadSecondKnown: number;
  linked: boolean;
}

export interface InventoryIntent {
  kind: 'inventory';
  /** When the listing was read before the write (ms), by Etsy's clock (the read's `Date` header) when known. */
  readAt: number;
  /**
   * When Etsy applied the write (epoch seconds, Etsy's clock: the PUT response's `Date`, or the re-read
   * that confirmed it). The intent stays 'written' until receipts beyond it have been read.
   */
  writtenEtsyTs?: number;
  /** Overwritten sales counted so far per product key, so a receipt that appears late is counted once. */
  counted?: Record<string, number>;
  products: IntentProduct[];
  /** The plan's Etsy-side changes of this listing, recorded in history once the write is confirmed. */
  changes: PlanChange[];
}

export interface StateIntent {
  kind: 'state';
  from: string;
  to: 'active' | 'inactive';
  changes: PlanChange[];
}

export type WriteIntent = InventoryIntent | StateIntent;

/** product_id by product key, for the live products of an inventory. */
export function productIdsByKey(inventory: ListingInventory): Map<string, number> {
  const ids = new Map<string, number>();
  for (const product of toPulledInventory(inventory).products) {
    if (product.isDeleted || product.productId === null) continue;
    ids.set(productKeyOf(product.propertyValues), product.productId);
  }
  return ids;
}

/**
 * Whether Etsy's inventory changed since the intent's read. Etsy renews every product id on each
 * inventory write and keeps them across sales, so changed ids mean a write happened — ours, unless
 * the seller saved the listing on etsy.com in the same minutes (then their edit is taken as ours).
 */
export function inventoryWasRewritten(intent: InventoryIntent, current: ListingInventory): boolean {
  const now = productIdsByKey(current);
  return intent.products.some((product) => product.readProductId !== null && now.get(product.productKey) !== product.readProductId);
}

/**
 * Sales Etsy took between our read and our write, which the full-replace write then overwrote.
 * When the product id we read is the one our previous write created with quantity Q0, every sale
 * of it is on record: overwritten = sold(P) − (Q0 − E_read). Otherwise (the first sync, or an
 * Etsy-side edit made the id) the sales of it from the read's second on that were not on record when
 * the write was planned are counted. Etsy's timestamps are whole seconds, so a sale in the same second
 * just before the read may be counted too: the error is toward less stock, never an oversell.
 */
export function overwrittenSales(
  product: IntentProduct,
  receipts: { soldOfProduct(productId: number): number; soldOfProductAfter(input: { etsyProductId: number; afterTs: number }): number },
  readAt: number,
): number {
  if (product.readProductId === null) return 0;
  if (product.prevWrittenProductId === product.readProductId && product.prevWrittenQuantity !== null) {
    const soldBeforeRead = product.prevWrittenQuantity - product.etsyRead;
    return Math.max(0, receipts.soldOfProduct(product.readProductId) - soldBeforeRead);
  }
  const fromReadSecond = receipts.soldOfProductAfter({ etsyProductId: product.readProductId, afterTs: Math.floor(readAt / 1000) - 1 });
  return Math.max(0, fromReadSecond - product.soldFromReadSecondKnown);
}
