import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import { isPlanEmpty } from '../../src/shared/plan';
import { planInventorySync } from '../../src/main/sync/plan/plan-inventory';
import {
  catalogChanges,
  etsyChanges,
  link,
  listing,
  makeInput,
  NOW,
  plan,
  product,
  receipt,
  sized,
  variant,
} from './plan-fixtures';

describe('planInventorySync: the three-way merge', () => {
  it('takes a sale on Etsy into the catalog, with the receipt, and writes nothing to Etsy', () => {
    const result = plan({
      listings: [listing(1, [product('A', 4)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5)],
      receipts: [receipt(1234, 1, 'A', 1)],
    });
    expect(result.computedAt).toBe(NOW);
    expect(result.changes).toEqual([
      {
        sku: 'A',
        listingId: null,
        productKey: null,
        side: 'catalog',
        field: 'quantity',
        before: 5,
        after: 4,
        reason: 'sold_on_etsy',
        explanation: 'Sold 1 on Etsy (receipt 1234): 5 → 4',
        receiptIds: [1234],
      },
    ]);
    expect(result.listingWrites).toEqual([]);
    expect(result.baselines).toEqual([
      { listingId: 1, productKey: 'A', sku: 'A', etsyRead: 4, baselineEtsy: 4, baselineCatalog: 4 },
    ]);
    expect(result.summary).toMatchObject({ skus: 1, changes: 1, catalogChanges: 1, etsyQuantityChanges: 0 });
  });

  it('passes a sale in one listing on to another listing with the same SKU', () => {
    const result = plan({
      listings: [listing(1, [product('A', 3)]), listing(2, [product('A', 5)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5), link(2, 'A', 5, 5)],
      receipts: [receipt(77, 1, 'A', 2)],
    });
    expect(catalogChanges(result)).toMatchObject([{ before: 5, after: 3, reason: 'sold_on_etsy' }]);
    expect(etsyChanges(result)).toEqual([
      {
        sku: 'A',
        listingId: 2,
        productKey: 'A',
        side: 'etsy',
        field: 'quantity',
        before: 5,
        after: 3,
        reason: 'sold_on_etsy',
        explanation: 'Sold 2 on Etsy (receipt 77): 5 → 3',
        receiptIds: [77],
      },
    ]);
    expect(result.listingWrites).toEqual([{ listingId: 2, products: [{ productKey: 'A', quantity: 3 }] }]);
    expect(result.baselines).toEqual([
      { listingId: 1, productKey: 'A', sku: 'A', etsyRead: 3, baselineEtsy: 3, baselineCatalog: 3 },
      { listingId: 2, productKey: 'A', sku: 'A', etsyRead: 5, baselineEtsy: 3, baselineCatalog: 3 },
    ]);
  });

  it('calls a decrease without a receipt an edit on Etsy, and an increase too', () => {
    const down = plan({
      listings: [listing(1, [product('A', 2)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5)],
    });
    expect(catalogChanges(down)).toMatchObject([
      { after: 2, reason: 'edited_on_etsy', explanation: 'Edited on Etsy -3: 5 → 2', receiptIds: [] },
    ]);
    const up = plan({
      listings: [listing(1, [product('A', 9)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5)],
    });
    expect(catalogChanges(up)).toMatchObject([{ after: 9, reason: 'edited_on_etsy', explanation: 'Edited on Etsy +4: 5 → 9' }]);
  });

  it('splits a decrease into what receipts explain and an edit on Etsy', () => {
    const result = plan({
      listings: [listing(1, [product('A', 7)])],
      catalog: [variant('A', 10)],
      links: [link(1, 'A', 10, 10)],
      receipts: [receipt(1, 1, 'A', 1), receipt(2, 1, 'A', 1)],
    });
    expect(catalogChanges(result)).toMatchObject([
      {
        after: 7,
        reason: 'combined',
        explanation: 'Sold 2 on Etsy (receipts 1, 2) and edited on Etsy -1: 10 → 7',
        receiptIds: [1, 2],
      },
    ]);
  });

  it('pushes a local edit to Etsy', () => {
    const result = plan({
      listings: [listing(1, [product('A', 5)])],
      catalog: [variant('A', 8)],
      links: [link(1, 'A', 5, 5)],
    });
    expect(catalogChanges(result)).toEqual([]);
    expect(etsyChanges(result)).toMatchObject([
      { listingId: 1, before: 5, after: 8, reason: 'edited_locally', explanation: 'Edited locally +3: 5 → 8' },
    ]);
    expect(result.listingWrites).toEqual([{ listingId: 1, products: [{ productKey: 'A', quantity: 8 }] }]);
  });

  it('combines a sale on Etsy and a local edit (both count)', () => {
    const result = plan({
      listings: [listing(1, [product('A', 8)]), listing(2, [product('A', 10)])],
      catalog: [variant('A', 13)],
      links: [link(1, 'A', 10, 10), link(2, 'A', 10, 10)],
      receipts: [receipt(1234, 1, 'A', 2)],
    });
    expect(catalogChanges(result)).toMatchObject([{ before: 13, after: 11, reason: 'sold_on_etsy' }]);
    expect(etsyChanges(result)).toMatchObject([
      { listingId: 1, before: 8, after: 11, reason: 'combined', receiptIds: [1234] },
      {
        listingId: 2,
        before: 10,
        after: 11,
        reason: 'combined',
        explanation: 'Sold 2 on Etsy (receipt 1234) and edited locally +3: 10 → 11',
      },
    ]);
  });

  it('subtracts two sales on two sides', () => {
    const result = plan({
      listings: [listing(1, [product('A', 4)])],
      catalog: [variant('A', 4)],
      links: [link(1, 'A', 5, 5)],
      receipts: [receipt(9, 1, 'A', 1)],
    });
    expect(catalogChanges(result)).toMatchObject([{ before: 4, after: 3 }]);
    expect(etsyChanges(result)).toMatchObject([{ before: 4, after: 3, reason: 'combined' }]);
    expect(etsyChanges(result)[0]?.explanation).toBe('Sold 1 on Etsy (receipt 9) and edited locally -1: 4 → 3');
  });

  it('floors at 0 when Etsy sold more than the catalog had, and says so', () => {
    const result = plan({
      listings: [listing(1, [product('A', 0), product('', 2)]), listing(2, [product('A', 0), product('', 1)])],
      catalog: [variant('A', 1)],
      links: [link(1, 'A', 1, 1), link(2, 'A', 1, 1)],
      receipts: [receipt(1, 1, 'A', 1), receipt(2, 2, 'A', 1)],
    });
    expect(catalogChanges(result)).toMatchObject([
      { before: 1, after: 0, explanation: 'Sold 2 on Etsy (receipts 1, 2); stock cannot go below 0: 1 → 0' },
    ]);
  });

  it('ignores links without a baseline for the delta (a new link joins at the catalog value)', () => {
    const result = plan({
      listings: [listing(1, [product('A', 5)]), listing(2, [product('A', 9)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5)],
    });
    expect(catalogChanges(result)).toEqual([]);
    expect(result.newLinks).toEqual([{ listingId: 2, productKey: 'A', sku: 'A' }]);
    expect(etsyChanges(result)).toMatchObject([
      {
        listingId: 2,
        before: 9,
        after: 5,
        reason: 'new_listing_link',
        explanation: 'Newly linked to the catalog, so Etsy takes the catalog stock: 9 → 5',
      },
    ]);
    expect(result.baselines).toEqual([
      { listingId: 2, productKey: 'A', sku: 'A', etsyRead: 9, baselineEtsy: 5, baselineCatalog: 5 },
    ]);
  });

  it('treats a link row with null baselines like a new link, but does not ask to insert it again', () => {
    const result = plan({
      listings: [listing(1, [product('A', 5)]), listing(2, [product('A', 9)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5), link(2, 'A', null, null)],
    });
    expect(result.newLinks).toEqual([]);
    expect(etsyChanges(result)).toMatchObject([{ listingId: 2, after: 5, reason: 'new_listing_link' }]);
  });

  it('ignores receipts of other listings and attributes each transaction once', () => {
    const result = plan({
      listings: [
        listing(1, [
          sized('A', 3, 'A4', { productKey: 'A|pv:a4', etsyProductId: 11 }),
          sized('A', 5, 'A3', { productKey: 'A|pv:a3', etsyProductId: 12 }),
        ]),
      ],
      catalog: [variant('A', 5)],
      links: [
        link(1, 'A', 5, 5, { productKey: 'A|pv:a4' }),
        link(1, 'A', 5, 5, { productKey: 'A|pv:a3' }),
      ],
      receipts: [
        { ...receipt(1, 1, 'A', 2), etsyProductId: 11 },
        receipt(2, 99, 'A', 4),
      ],
    });
    expect(catalogChanges(result)).toMatchObject([
      { before: 5, after: 3, explanation: 'Sold 2 on Etsy (receipt 1): 5 → 3', receiptIds: [1] },
    ]);
  });
});

describe('planInventorySync: first sync', () => {
  it('from Etsy creates the catalog variant, the link and its baselines', () => {
    const result = plan({
      listings: [listing(1, [sized('A', 4, 'A4', { price: { amount: 2500, divisor: 100, currency: 'USD' } })])],
    });
    expect(result.catalogCreates).toEqual([
      { sku: 'A', title: 'Print 1 — A4', quantity: 4, priceAmount: 2500, currency: 'USD' },
    ]);
    expect(result.newLinks).toEqual([{ listingId: 1, productKey: 'A', sku: 'A' }]);
    expect(result.changes).toEqual([
      {
        sku: 'A',
        listingId: null,
        productKey: null,
        side: 'catalog',
        field: 'quantity',
        before: null,
        after: 4,
        reason: 'first_sync_from_etsy',
        explanation: 'First sync, taken from Etsy: new → 4',
        receiptIds: [],
      },
    ]);
    expect(result.listingWrites).toEqual([]);
    expect(result.baselines).toEqual([
      { listingId: 1, productKey: 'A', sku: 'A', etsyRead: 4, baselineEtsy: 4, baselineCatalog: 4 },
    ]);
  });

  it('from Etsy updates an existing catalog variant', () => {
    const result = plan({ listings: [listing(1, [product('A', 4)])], catalog: [variant('A', 9)] });
    expect(result.catalogCreates).toEqual([]);
    expect(catalogChanges(result)).toMatchObject([{ before: 9, after: 4, reason: 'first_sync_from_etsy' }]);
  });

  it('from Etsy takes the lowest when listings disagree, flags a conflict and aligns the others', () => {
    const result = plan({ listings: [listing(1, [product('A', 5)]), listing(2, [product('A', 3)])] });
    expect(result.catalogCreates).toMatchObject([{ sku: 'A', quantity: 3 }]);
    expect(result.attention).toContainEqual({
      kind: 'conflict',
      sku: 'A',
      message: 'Etsy listings with SKU "A" showed different stock (3, 5); Art Sync started from the lowest, 3.',
      action: 'Check the stock of A in your catalog',
    });
    expect(etsyChanges(result)).toMatchObject([{ listingId: 1, before: 5, after: 3, reason: 'first_sync_from_etsy' }]);
    expect(etsyChanges(result)[0]?.explanation).toContain('disagreed');
  });

  it('from Etsy prefers active listings over a sold-out copy, and restocks the copy', () => {
    const result = plan({
      listings: [listing(1, [product('A', 5)]), listing(2, [product('A', 0)], { state: 'sold_out' })],
    });
    expect(result.catalogCreates).toMatchObject([{ quantity: 5 }]);
    expect(result.attention.filter((item) => item.kind === 'conflict')).toEqual([]);
    expect(result.listingWrites).toEqual([{ listingId: 2, products: [{ productKey: 'A', quantity: 5 }] }]);
    expect(result.stateChanges).toEqual([]);
    expect(result.attention).toContainEqual(
      expect.objectContaining({ kind: 'sold_out_restock', listingId: 2, action: 'Renew it on Etsy; Etsy charges a listing fee' }),
    );
  });

  it('from the catalog sets Etsy to the catalog stock', () => {
    const result = plan({
      settings: { firstSyncSource: 'catalog' },
      listings: [listing(1, [product('A', 3)])],
      catalog: [variant('A', 7)],
    });
    expect(catalogChanges(result)).toEqual([]);
    expect(etsyChanges(result)).toMatchObject([
      { before: 3, after: 7, reason: 'first_sync_from_catalog', explanation: 'First sync, taken from the catalog: 3 → 7' },
    ]);
    expect(result.newLinks).toEqual([{ listingId: 1, productKey: 'A', sku: 'A' }]);
    expect(result.baselines).toEqual([
      { listingId: 1, productKey: 'A', sku: 'A', etsyRead: 3, baselineEtsy: 7, baselineCatalog: 7 },
    ]);
  });

  it('from the catalog reports an Etsy SKU the catalog lacks and leaves it alone', () => {
    const result = plan({
      settings: { firstSyncSource: 'catalog' },
      listings: [listing(1, [product('X', 3)])],
    });
    expect(isPlanEmpty(result)).toBe(true);
    expect(result.attention).toEqual([
      {
        kind: 'unmatched_etsy',
        listingId: 1,
        sku: 'X',
        message: 'SKU "X" is on Etsy but not in your catalog, so its stock is not synced.',
        action: 'Add X to your catalog, or correct the SKU on Etsy',
      },
    ]);
  });
});

describe('planInventorySync: buffer, cap and catch-up', () => {
  it('keeps the buffer back from Etsy (a buffer-only change says so)', () => {
    const result = plan({
      settings: { buffer: 2 },
      listings: [listing(1, [product('A', 5)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 5, 5)],
    });
    expect(etsyChanges(result)).toMatchObject([
      { before: 5, after: 3, reason: 'buffer', explanation: '2 kept back as safety stock: 5 → 3' },
    ]);
  });

  it('mentions the buffer as a note when something else caused the change', () => {
    const result = plan({
      settings: { buffer: 2 },
      listings: [listing(1, [product('A', 3)])],
      catalog: [variant('A', 8)],
      links: [link(1, 'A', 3, 5)],
    });
    expect(etsyChanges(result)).toMatchObject([
      { after: 6, reason: 'edited_locally', explanation: 'Edited locally +3; 2 kept back as safety stock: 3 → 6' },
    ]);
  });

  it('never lets the buffer push Etsy below 0', () => {
    const result = plan({
      settings: { buffer: 5 },
      listings: [listing(1, [sized('A', 3, 'A4'), sized('B', 2, 'A3')])],
      catalog: [variant('A', 3), variant('B', 8)],
      links: [link(1, 'A', 3, 3), link(1, 'B', 2, 8)],
    });
    expect(result.listingWrites).toEqual([
      { listingId: 1, products: [{ productKey: 'A', quantity: 0 }, { productKey: 'B', quantity: 3 }] },
    ]);
  });

  it('caps Etsy at 999', () => {
    const first = plan({
      settings: { firstSyncSource: 'catalog' },
      listings: [listing(1, [product('A', 3)])],
      catalog: [variant('A', 1500)],
    });
    expect(etsyChanges(first)).toMatchObject([
      { after: 999, explanation: 'First sync, taken from the catalog; Etsy allows at most 999: 3 → 999' },
    ]);
    const steady = plan({
      listings: [listing(1, [product('A', 500)])],
      catalog: [variant('A', 1500)],
      links: [link(1, 'A', 500, 1500)],
    });
    expect(etsyChanges(steady)).toMatchObject([{ after: 999, reason: 'cap_999' }]);
  });

  it('re-sends the catalog stock when Etsy still differs with no change since the last sync', () => {
    const result = plan({
      listings: [listing(1, [product('A', 3)])],
      catalog: [variant('A', 5)],
      links: [link(1, 'A', 3, 5)],
    });
    expect(etsyChanges(result)).toMatchObject([
      { after: 5, reason: 'resync', explanation: "Etsy did not show the catalog's stock yet: 3 → 5" },
    ]);
  });

  it('refuses a negative or fractional buffer', () => {
    for (const buffer of [-1, 1.5]) {
      try {
        planInventorySync(makeInput({ settings: { buffer } }));
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
      }
    }
  });
});

describe('planInventorySync: determinism', () => {
  it('gives the same plan whatever the order of its input', () => {
    const listings = [listing(2, [product('B', 1)]), listing(1, [product('A', 3)]), listing(3, [product('A', 5)])];
    const catalog = [variant('B', 4), variant('A', 2)];
    const links = [link(1, 'A', 3, 3), link(2, 'B', 1, 1), link(3, 'A', 3, 3)];
    const one = planInventorySync(makeInput({ listings, catalog, links }));
    const two = planInventorySync(
      makeInput({ listings: [...listings].reverse(), catalog: [...catalog].reverse(), links: [...links].reverse() }),
    );
    expect(two).toEqual(one);
  });
});
