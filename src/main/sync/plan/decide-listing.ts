import type { PlanListingWrite, PlanStateChange } from '../../../shared/plan';
import type { SkuMerge } from './merge-sku';
import type { PlanCatalogVariant, PlanEtsyProduct, PlanListing, PlanSettings } from './plan-input';
import { etsyMoneyToMinor, etsyMoneyToMinorRounded } from './price';

/**
 * What happens to one Etsy listing: the whole-inventory write (if any) and the state change (if any).
 * docs/SYNC.md "Zero stock": Etsy rejects an inventory whose offerings are all 0, so a listing whose
 * every product would be 0 is set inactive instead of written, and only a listing the app deactivated
 * is made active again.
 */

/** States the app writes inventory to. Drafts, expired and unknown states are read, never written. */
const WRITABLE_STATES = new Set(['active', 'inactive', 'sold_out']);

export interface PriceChange {
  product: PlanEtsyProduct;
  sku: string;
  /** Etsy's price in minor units (rounded when not exact, for display). */
  before: number;
  after: number;
  currency: string;
}

export interface ListingDecision {
  listing: PlanListing;
  /** Target quantity per product key (unlinked products keep their current quantity). */
  targets: Map<string, number>;
  write: PlanListingWrite | null;
  stateChange: Omit<PlanStateChange, 'explanation'> | null;
  priceChanges: PriceChange[];
  /** Stock returned to a listing Etsy marked sold out: written, but only a renewal makes it sellable. */
  soldOutRestock: boolean;
  /** SKUs whose price could not be compared because currencies differ. */
  currencyMismatches: string[];
}

export function isWritableState(state: string): boolean {
  return WRITABLE_STATES.has(state);
}

/** `catalogBySku`: the catalog as the plan leaves it (variants it creates included), for prices. */
export function decideListing(
  listing: PlanListing,
  merges: ReadonlyMap<string, SkuMerge>,
  catalogBySku: ReadonlyMap<string, PlanCatalogVariant>,
  settings: PlanSettings,
): ListingDecision {
  const targets = new Map<string, number>();
  let linkedCount = 0;
  for (const product of listing.products) {
    const merge = product.sku === '' ? undefined : merges.get(product.sku);
    if (merge !== undefined) linkedCount += 1;
    targets.set(product.productKey, merge?.etsyTarget ?? product.quantity);
  }
  const decision: ListingDecision = {
    listing,
    targets,
    write: null,
    stateChange: null,
    priceChanges: [],
    soldOutRestock: false,
    currencyMismatches: [],
  };
  // A listing with nothing linked is not ours to write or deactivate.
  if (linkedCount === 0 || !isWritableState(listing.state) || listing.held === true) return decision;

  const allZero = listing.products.every((product) => targets.get(product.productKey) === 0);
  if (allZero) {
    // Keep the quantities as they are (a write of zeros is rejected); the listing stops selling.
    if (listing.state === 'active') {
      decision.stateChange = {
        listingId: listing.listingId,
        from: listing.state,
        to: 'inactive',
        reason: 'deactivated_zero_stock',
      };
    }
    return decision;
  }

  if (settings.pushPrices) collectPriceChanges(listing, merges, catalogBySku, settings, decision);
  const quantityChanged = listing.products.some((product) => targets.get(product.productKey) !== product.quantity);
  if (quantityChanged || decision.priceChanges.length > 0) {
    const newPrices = new Map(decision.priceChanges.map((change) => [change.product.productKey, change.after]));
    decision.write = {
      listingId: listing.listingId,
      products: listing.products.map((product) => {
        const quantity = targets.get(product.productKey) ?? product.quantity;
        const priceAmount = newPrices.get(product.productKey);
        return priceAmount === undefined
          ? { productKey: product.productKey, quantity }
          : { productKey: product.productKey, quantity, priceAmount };
      }),
    };
  }
  if (listing.state === 'inactive' && listing.deactivatedByApp) {
    decision.stateChange = {
      listingId: listing.listingId,
      from: listing.state,
      to: 'active',
      reason: 'reactivated_stock_returned',
    };
  }
  // Renewing a sold-out listing costs the shop owner a fee: never done by the app.
  if (listing.state === 'sold_out') decision.soldOutRestock = true;
  return decision;
}

function collectPriceChanges(
  listing: PlanListing,
  merges: ReadonlyMap<string, SkuMerge>,
  catalogBySku: ReadonlyMap<string, PlanCatalogVariant>,
  settings: PlanSettings,
  decision: ListingDecision,
): void {
  const currency = settings.shopCurrency;
  for (const product of listing.products) {
    if (product.sku === '' || !merges.has(product.sku)) continue;
    const variant = catalogBySku.get(product.sku);
    if (variant === undefined) continue;
    if (variant.currency !== currency || product.price.currency !== currency) {
      if (!decision.currencyMismatches.includes(product.sku)) decision.currencyMismatches.push(product.sku);
      continue;
    }
    const etsyMinor = etsyMoneyToMinor(product.price, currency);
    if (etsyMinor === variant.priceAmount) continue;
    decision.priceChanges.push({
      product,
      sku: product.sku,
      before: etsyMinor ?? etsyMoneyToMinorRounded(product.price),
      after: variant.priceAmount,
      currency,
    });
  }
}
