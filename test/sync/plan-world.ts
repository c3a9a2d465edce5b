import { currencyDecimals } from '../../src/main/catalog/money';
import { isWritableState } from '../../src/main/sync/plan/decide-listing';
import type {
  InventoryPlanInput,
  PlanCatalogVariant,
  PlanLink,
  PlanListing,
  PlanReceiptItem,
  PlanSettings,
} from '../../src/main/sync/plan/plan-input';
import type { Plan } from '../../src/shared/plan';

/**
 * Both sides of a shop in memory — Etsy listings as Etsy would keep them, the catalog, the link rows —
 * and an executor that applies a plan the way the real one must (refusing anything Etsy refuses). The
 * property tests run random sales and edits on both sides between plans against it.
 */
export interface World {
  settings: PlanSettings;
  listings: PlanListing[];
  catalog: Map<string, PlanCatalogVariant>;
  links: Map<string, PlanLink>;
  receipts: PlanReceiptItem[];
  nextId: number;
}

export function linkKey(listingId: number, productKey: string): string {
  return `${listingId}/${productKey}`;
}

export function toInput(world: World, now = 1_750_000_000_000): InventoryPlanInput {
  // A deep copy: the planner must not rely on (or mutate) the world's objects.
  return structuredClone({
    settings: world.settings,
    listings: world.listings,
    catalog: [...world.catalog.values()],
    links: [...world.links.values()],
    receipts: world.receipts,
    now,
  });
}

/** True when the product's sales and edits count for its SKU: a baselined link to a catalog variant. */
export function isLinked(world: World, listing: PlanListing, index: number): boolean {
  const product = listing.products[index];
  if (!product || product.sku === '' || !world.catalog.has(product.sku)) return false;
  const link = world.links.get(linkKey(listing.listingId, product.productKey));
  return link !== undefined && link.sku === product.sku && link.baselineEtsy !== null && link.baselineCatalog !== null;
}

export function applyPlan(world: World, plan: Plan): void {
  for (const create of plan.catalogCreates) {
    if (world.catalog.has(create.sku)) throw new Error(`create of existing SKU ${create.sku}`);
    world.catalog.set(create.sku, { ...create });
  }
  for (const change of plan.changes) {
    if (change.side !== 'catalog') continue;
    const variant = world.catalog.get(change.sku);
    if (!variant) throw new Error(`catalog change for unknown SKU ${change.sku}`);
    if (change.before !== null && variant.quantity !== change.before) throw new Error('catalog change from a stale value');
    if (typeof change.after !== 'number' || change.after < 0) throw new Error('bad catalog quantity');
    variant.quantity = change.after;
  }
  for (const newLink of plan.newLinks) {
    world.links.set(linkKey(newLink.listingId, newLink.productKey), {
      ...newLink,
      baselineEtsy: null,
      baselineCatalog: null,
      writtenProductId: null,
      writtenQuantity: null,
    });
  }
  for (const baseline of plan.baselines) {
    const link = world.links.get(linkKey(baseline.listingId, baseline.productKey));
    if (!link) throw new Error(`baseline for a missing link ${baseline.listingId}/${baseline.productKey}`);
    link.baselineEtsy = baseline.baselineEtsy;
    link.baselineCatalog = baseline.baselineCatalog;
  }
  for (const write of plan.listingWrites) applyWrite(world, write);
  for (const change of plan.stateChanges) {
    const listing = world.listings.find((candidate) => candidate.listingId === change.listingId);
    if (!listing || listing.state !== change.from) throw new Error('state change from a stale state');
    listing.state = change.to;
    listing.deactivatedByApp = change.to === 'inactive';
  }
  world.receipts = [];
}

/** Etsy's updateListingInventory, with the rules the planner must respect. */
function applyWrite(world: World, write: Plan['listingWrites'][number]): void {
  const listing = world.listings.find((candidate) => candidate.listingId === write.listingId);
  if (!listing || listing.removed || !isWritableState(listing.state)) throw new Error('write to a listing not writable');
  const keys = write.products.map((product) => product.productKey).sort();
  const existing = listing.products.map((product) => product.productKey).sort();
  if (JSON.stringify(keys) !== JSON.stringify(existing)) throw new Error('partial inventory write');
  if (write.products.every((product) => product.quantity === 0)) throw new Error('One offering must have quantity greater than 0');
  for (const target of write.products) {
    if (!Number.isInteger(target.quantity) || target.quantity < 0 || target.quantity > 999) {
      throw new Error(`quantity ${target.quantity} out of range`);
    }
    const product = listing.products.find((candidate) => candidate.productKey === target.productKey);
    if (!product) throw new Error('unknown product');
    product.quantity = target.quantity;
    if (target.priceAmount !== undefined) {
      const currency = world.settings.shopCurrency;
      product.price = { amount: target.priceAmount, divisor: 10 ** currencyDecimals(currency), currency };
    }
    // Etsy issues new product ids on every write (etsy/open-api#523).
    product.etsyProductId = world.nextId++;
    const link = world.links.get(linkKey(listing.listingId, product.productKey));
    if (link) {
      link.writtenProductId = product.etsyProductId;
      link.writtenQuantity = product.quantity;
    }
  }
}
