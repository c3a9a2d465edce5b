import { describe, expect, it } from 'vitest';
import { isPlanEmpty } from '../../src/shared/plan';
import {
  etsyChanges,
  link,
  listing,
  plan,
  product,
  sized,
  variant,
} from './plan-fixtures';

describe('planInventorySync: needs attention', () => {
  it('lists products without a SKU, one item per listing', () => {
    const result = plan({
      listings: [
        listing(1, [product('', 2)], { title: 'Moon' }),
        listing(2, [sized('', 1, 'A4'), sized('', 1, 'A3'), sized('C', 1, 'A2')], { title: 'Sun' }),
      ],
      catalog: [variant('C', 1)],
      links: [link(2, 'C', 1, 1)],
    });
    expect(result.attention).toEqual([
      {
        kind: 'missing_sku',
        listingId: 1,
        message: '"Moon" has no SKU on Etsy, so Art Sync cannot keep its stock in sync.',
        action: 'Add a SKU to this listing on Etsy',
      },
      {
        kind: 'missing_sku',
        listingId: 2,
        message: '"A4", "A3" of "Sun" have no SKU on Etsy, so Art Sync cannot keep their stock in sync.',
        action: 'Add a SKU to each variation on Etsy',
      },
    ]);
  });

  it('lists catalog variants no Etsy listing carries', () => {
    const result = plan({ catalog: [variant('Z', 3, { title: 'Zebra' })] });
    expect(result.attention).toEqual([
      {
        kind: 'unmatched_variant',
        sku: 'Z',
        message: '"Zebra" (SKU Z) is in your catalog but on no Etsy listing.',
        action: 'Add SKU Z to the matching variation on Etsy',
      },
    ]);
  });

  it('lists listings without inventory records and skips them', () => {
    const result = plan({
      listings: [listing(1, [], { hasInventory: false, title: 'Old print' })],
      catalog: [variant('A', 1)],
    });
    expect(result.attention[0]).toMatchObject({ kind: 'no_inventory', listingId: 1 });
  });
});

describe('planInventorySync: prices', () => {
  const base = {
    listings: [listing(1, [product('A', 5, { price: { amount: 1250, divisor: 100, currency: 'USD' } })])],
    links: [link(1, 'A', 5, 5)],
  };

  it('pushes the catalog price only when price sync is on', () => {
    const off = plan({ ...base, catalog: [variant('A', 5, { priceAmount: 1500 })] });
    expect(isPlanEmpty(off)).toBe(true);
    const on = plan({ ...base, settings: { pushPrices: true }, catalog: [variant('A', 5, { priceAmount: 1500 })] });
    expect(on.changes).toEqual([
      {
        sku: 'A',
        listingId: 1,
        productKey: 'A',
        side: 'etsy',
        field: 'price',
        before: 1250,
        after: 1500,
        reason: 'price_sync',
        explanation: 'Price follows the catalog: 12.50 USD → 15.00 USD',
        receiptIds: [],
      },
    ]);
    expect(on.listingWrites).toEqual([{ listingId: 1, products: [{ productKey: 'A', quantity: 5, priceAmount: 1500 }] }]);
  });

  it('compares in exact minor units: 12500/1000 equals 1250, 12505/1000 does not', () => {
    const exact = plan({
      settings: { pushPrices: true },
      listings: [listing(1, [product('A', 5, { price: { amount: 12500, divisor: 1000, currency: 'USD' } })])],
      links: [link(1, 'A', 5, 5)],
      catalog: [variant('A', 5, { priceAmount: 1250 })],
    });
    expect(isPlanEmpty(exact)).toBe(true);
    const inexact = plan({
      settings: { pushPrices: true },
      listings: [listing(1, [product('A', 5, { price: { amount: 12505, divisor: 1000, currency: 'USD' } })])],
      links: [link(1, 'A', 5, 5)],
      catalog: [variant('A', 5, { priceAmount: 1250 })],
    });
    expect(inexact.changes).toMatchObject([{ field: 'price', after: 1250 }]);
  });

  it('uses the currency’s own decimals (JPY has none)', () => {
    const result = plan({
      settings: { pushPrices: true, shopCurrency: 'JPY' },
      listings: [listing(1, [product('A', 5, { price: { amount: 120000, divisor: 100, currency: 'JPY' } })])],
      links: [link(1, 'A', 5, 5)],
      catalog: [variant('A', 5, { priceAmount: 1200, currency: 'JPY' })],
    });
    expect(isPlanEmpty(result)).toBe(true);
  });

  it('does not push a price in another currency than the shop’s, and says so', () => {
    const result = plan({
      ...base,
      settings: { pushPrices: true },
      catalog: [variant('A', 5, { priceAmount: 1500, currency: 'EUR' })],
    });
    expect(isPlanEmpty(result)).toBe(true);
    expect(result.attention).toEqual([
      {
        kind: 'currency_mismatch',
        sku: 'A',
        message: 'The price of A is in EUR but your Etsy shop uses USD, so Art Sync does not push it.',
        action: 'Set the price of A in USD in your catalog',
      },
    ]);
  });

  it('does not push prices to a listing being deactivated', () => {
    const result = plan({
      settings: { pushPrices: true },
      listings: [listing(1, [product('A', 1)])],
      catalog: [variant('A', 0, { priceAmount: 9999 })],
      links: [link(1, 'A', 1, 1)],
    });
    expect(result.listingWrites).toEqual([]);
    expect(etsyChanges(result, 'price')).toEqual([]);
  });
});
