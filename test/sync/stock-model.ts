import type { Core } from '../../src/main/app';
import { FRAME_PROPERTY, SIZE_PROPERTY, type EtsySimulator, type ShopSeed } from '../../sim';
import { etsyTargetFor } from '../../src/main/sync/plan/merge-sku';

/**
 * Shared by the two-sided property test and the kill test: a small shop with variation listings and
 * shared SKUs, and the check that both sides show what an independent model of the stock says.
 */

/**
 * Six listings, every product with a SKU:
 *  - a size-variation print and its "Gift Edition" copy sharing both SKUs (the copy starts with more
 *    A4 stock, so the first sync from Etsy has a conflict and takes the lowest);
 *  - a single print whose SKU is also the only product of a second single listing;
 *  - a size × frame listing (four products) sharing one SKU with a one-variation listing.
 */
export function sharedSkuShop(): ShopSeed {
  return {
    listings: [
      {
        title: 'Blue Heron Print',
        price: 2400,
        properties: [SIZE_PROPERTY],
        products: [
          { values: ['A4'], sku: 'HERON-A4', quantity: 3, price: 2400 },
          { values: ['A3'], sku: 'HERON-A3', quantity: 2, price: 3400 },
        ],
      },
      {
        title: 'Blue Heron Print – Gift Edition',
        price: 2400,
        properties: [SIZE_PROPERTY],
        products: [
          { values: ['A4'], sku: 'HERON-A4', quantity: 5, price: 2400 },
          { values: ['A3'], sku: 'HERON-A3', quantity: 2, price: 3400 },
        ],
      },
      { title: 'Red Fox Linocut', price: 3000, products: [{ sku: 'FOX-1', quantity: 2 }] },
      { title: 'Red Fox Linocut (second listing)', price: 3000, products: [{ sku: 'FOX-1', quantity: 2 }] },
      {
        title: 'Otter Screen Print',
        price: 2800,
        properties: [SIZE_PROPERTY, FRAME_PROPERTY],
        products: [
          { values: ['A4', 'Unframed'], sku: 'OTTER-A4-U', quantity: 4, price: 2800 },
          { values: ['A4', 'Oak frame'], sku: 'OTTER-A4-OAK', quantity: 1, price: 5300 },
          { values: ['A3', 'Unframed'], sku: 'OTTER-A3-U', quantity: 0, price: 3800 },
          { values: ['A3', 'Oak frame'], sku: 'OTTER-A3-OAK', quantity: 2, price: 6300 },
        ],
      },
      {
        title: 'Otter Screen Print – Framed A4 only',
        price: 5300,
        properties: [SIZE_PROPERTY],
        products: [{ values: ['A4'], sku: 'OTTER-A4-OAK', quantity: 1, price: 5300 }],
      },
    ],
  };
}

/** Stock per SKU as the catalog holds it. */
export function catalogBySku(core: Core): Map<string, number> {
  return new Map(core.catalog.list().map((variant) => [variant.sku, variant.quantity]));
}

/** A product whose quantity may differ from its target by a known amount (a sale the model defers). */
export interface Allowance {
  listingId: number;
  key: string;
  less: number;
}

/**
 * The Etsy side of the invariant, for a model `expected[sku]`. For every listing (all of whose products
 * are linked):
 *  - a listing the owner deactivated (`userInactive`) stays inactive: the app never re-activates it;
 *    its products show their targets unless every target is 0 (then nothing is written);
 *  - otherwise, if every product's target is 0, the listing is not active (the app deactivated it, or
 *    Etsy marked it sold out) — its quantities may be stale, but a buyer can buy nothing;
 *  - otherwise every product shows its target `max(0, min(expected − buffer, 999))` (minus an allowed
 *    deferred sale), and the listing is not inactive (the app re-activates what it deactivated as soon
 *    as stock returns). `sold_out` is allowed: only a renewal ends it.
 * Returns the problems found (empty = holds).
 */
export function etsyProblems(
  sim: EtsySimulator,
  expected: ReadonlyMap<string, number>,
  options: { allowances?: readonly Allowance[]; userInactive?: ReadonlySet<number>; buffer?: number } = {},
): string[] {
  const problems: string[] = [];
  const buffer = options.buffer ?? 0;
  for (const listing of sim.snapshot()) {
    const targets = listing.products.map((product) => {
      const stock = expected.get(product.sku);
      return stock === undefined ? null : etsyTargetFor(stock, buffer);
    });
    if (targets.some((target) => target === null)) {
      problems.push(`listing ${listing.listing_id} has a SKU the model does not know`);
      continue;
    }
    const allZero = targets.every((target) => target === 0);
    const byUser = options.userInactive?.has(listing.listing_id) === true;
    if (byUser && listing.state !== 'inactive') problems.push(`listing ${listing.listing_id} was deactivated by its owner but is ${listing.state}`);
    if (allZero) {
      if (listing.state === 'active') problems.push(`listing ${listing.listing_id} is active but every target is 0`);
      continue;
    }
    if (!byUser && listing.state === 'inactive') problems.push(`listing ${listing.listing_id} is inactive although it has stock`);
    listing.products.forEach((product, index) => {
      const allowed = options.allowances?.find((a) => a.listingId === listing.listing_id && a.key === product.key)?.less ?? 0;
      const target = targets[index]! - allowed;
      if (product.quantity !== target) {
        problems.push(`listing ${listing.listing_id} ${product.key || '(single)'} ${product.sku}: Etsy shows ${product.quantity}, model says ${target}`);
      }
    });
  }
  return problems;
}

/** `extra`: local edits the model knows the engine has not seen yet (made during the last sync). */
export function catalogProblems(core: Core, expected: ReadonlyMap<string, number>, extra: ReadonlyMap<string, number> = new Map()): string[] {
  const catalog = catalogBySku(core);
  const problems: string[] = [];
  for (const [sku, stock] of expected) {
    const quantity = stock + (extra.get(sku) ?? 0);
    if (catalog.get(sku) !== quantity) problems.push(`catalog ${sku}: ${catalog.get(sku)}, model says ${quantity}`);
  }
  for (const sku of catalog.keys()) if (!expected.has(sku)) problems.push(`catalog has ${sku}, the model does not`);
  return problems;
}
