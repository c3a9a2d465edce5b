import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/store/open-store';
import { MirrorRepo } from '../../src/main/store/mirror-repo';
import type { PulledListing, PulledProduct } from '../../src/shared/mirror-types';

function product(sku: string, quantity: number, productId: number, valueId?: number): PulledProduct {
  return {
    productId,
    sku,
    isDeleted: false,
    propertyValues:
      valueId === undefined
        ? []
        : [{ propertyId: 513, propertyName: 'Size', scaleId: null, valueIds: [valueId], values: [`S${valueId}`] }],
    offerings: [
      {
        offeringId: productId * 10,
        quantity,
        isEnabled: true,
        isDeleted: false,
        price: { amount: 2500, divisor: 100, currencyCode: 'USD' },
        readinessStateId: 7,
      },
    ],
  };
}

function listing(listingId: number, products: PulledProduct[] | null, state = 'active'): PulledListing {
  return {
    listingId,
    shopId: 1,
    title: `Print ${listingId}`,
    state,
    url: `https://www.etsy.com/listing/${listingId}`,
    createdTs: 1_700_000_000,
    updatedTs: 1_700_000_100,
    stateTs: 1_700_000_000,
    inventory:
      products === null
        ? null
        : { products, priceOnProperty: [], quantityOnProperty: products.length > 1 ? [513] : [], skuOnProperty: [], readinessStateOnProperty: [] },
  };
}

describe('MirrorRepo', () => {
  let dir: string;
  let store: Store;
  let repo: MirrorRepo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-mirror-'));
    store = openStore({ dataDir: dir });
    repo = new MirrorRepo(store.sqlite);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores listings with their products keyed by variation, not by Etsy product id', () => {
    repo.applyListings([listing(10, [product('HERON-A4', 3, 100, 1), product('HERON-A3', 0, 101, 2)])], 1000);
    // Etsy renews product and offering ids on every write: the rows must stay the same.
    repo.applyListings([listing(10, [product('HERON-A4', 2, 200, 1), product('HERON-A3', 5, 201, 2)])], 2000);
    const [row] = repo.listListings(1);
    expect(row?.products.map((p) => [p.productKey, p.quantity, p.etsyProductId])).toEqual([
      ['513:1', 2, 200],
      ['513:2', 5, 201],
    ]);
    expect(row?.quantityOnProperty).toEqual([513]);
    const count = store.sqlite.prepare('SELECT count(*) AS n FROM etsy_products').get() as { n: number };
    expect(count.n).toBe(2);
    const offerings = store.sqlite.prepare('SELECT count(*) AS n FROM etsy_offerings').get() as { n: number };
    expect(offerings.n).toBe(2);
  });

  it('keys products without a SKU the same way, and a listing without variations as ""', () => {
    repo.applyListings([listing(11, [product('', 1, 300, 5), product('', 1, 301, 6)]), listing(19, [product('SOLO', 2, 400)])], 1000);
    const rows = repo.listListings(1);
    expect(rows.flatMap((row) => row.products.map((p) => [p.sku, p.productKey]))).toEqual([
      ['', '513:5'],
      ['', '513:6'],
      ['SOLO', ''],
    ]);
  });

  it('marks a variation that disappeared as deleted instead of dropping it', () => {
    repo.applyListings([listing(12, [product('A', 1, 1, 1), product('B', 1, 2, 2)])], 1000);
    repo.applyListings([listing(12, [product('A', 1, 3, 1)])], 2000);
    const [row] = repo.listListings(1);
    expect(row?.products.map((p) => p.sku)).toEqual(['A']);
    const deleted = store.sqlite.prepare("SELECT is_deleted FROM etsy_products WHERE sku = 'B'").get() as { is_deleted: number };
    expect(deleted.is_deleted).toBe(1);
  });

  it('keeps the inventory it has when a page comes without one, and fills it from the batch read', () => {
    repo.applyListings([listing(13, [product('C', 4, 1)])], 1000);
    repo.applyListings([listing(13, null)], 2000);
    expect(repo.listListings(1)[0]?.products[0]?.quantity).toBe(4);
    repo.applyInventories([{ listingId: 13, inventory: listing(13, [product('C', 9, 2)]).inventory }], 3000);
    expect(repo.listListings(1)[0]?.products[0]?.quantity).toBe(9);
    repo.applyInventories([{ listingId: 13, inventory: null }], 4000);
    expect(repo.listListings(1)[0]?.hasInventory).toBe(false);
  });

  it('marks listings not seen in a complete pull as removed, never deleting them', () => {
    repo.applyListings([listing(14, [product('D', 1, 1)]), listing(15, [product('E', 1, 2)])], 1000);
    repo.applyListings([listing(14, [product('D', 1, 3)])], 5000);
    expect(repo.markUnseenRemoved(1, 5000, 6000)).toBe(1);
    const rows = repo.listListings(1);
    expect(rows.map((r) => [r.listingId, r.removed])).toEqual([
      [14, false],
      [15, true],
    ]);
    // Seen again: back.
    repo.applyListings([listing(15, [product('E', 1, 4)])], 7000);
    expect(repo.listListings(1).every((r) => !r.removed)).toBe(true);
  });

  it('forgets that the app deactivated a listing once Etsy shows it active again', () => {
    repo.applyListings([listing(16, [product('F', 1, 1)])], 1000);
    repo.setDeactivatedByApp(16, true, 'inactive');
    repo.applyListings([listing(16, [product('F', 1, 1)], 'inactive')], 2000);
    expect(repo.listListings(1)[0]?.deactivatedByApp).toBe(true);
    repo.applyListings([listing(16, [product('F', 1, 1)], 'active')], 3000);
    expect(repo.listListings(1)[0]?.deactivatedByApp).toBe(false);
  });

  it('applies a page atomically: a bad row rolls back the whole page', () => {
    const bad = listing(18, [product('G', 1, 1)]);
    (bad as { title: unknown }).title = null;
    expect(() => repo.applyListings([listing(17, [product('H', 1, 2)]), bad], 1000)).toThrow();
    expect(repo.listListings(1)).toHaveLength(0);
  });
  it('a listing new to the mirror ends with the same rows as one applied over an old copy (duplicates included)', () => {
    // Two products with one key, and the listing twice in one page: the later copy wins either way.
    const page = [listing(20, [product('K', 1, 1, 1), product('K2', 4, 2, 1)]), listing(20, [product('K', 6, 3, 1), product('L', 2, 4, 2)])];
    repo.applyListings(page, 1000);
    const fresh = repo.listListings(1);
    const offerings = (): number => (store.sqlite.prepare('SELECT count(*) AS n FROM etsy_offerings').get() as { n: number }).n;
    const freshOfferings = offerings();
    repo.applyListings(page, 1000);
    expect(repo.listListings(1)).toEqual(fresh);
    expect(offerings()).toBe(freshOfferings);
    expect(fresh[0]?.products.map((p) => [p.sku, p.quantity])).toEqual([['K', 6], ['L', 2]]);
  });
});
