import { describe, expect, it } from 'vitest';
import { buildInventoryBody, inventoryProductKey, moneyToFloat } from '../../src/main/etsy/inventory-body';
import { inventorySchema, type ListingInventory } from '../../src/main/etsy/schemas';
import { AppError } from '../../src/shared/errors';

const usd = (amount: number) => ({ amount, divisor: 100, currency_code: 'USD' });

function twoSizes(): ListingInventory {
  return inventorySchema.parse({
    products: [
      {
        product_id: 1001,
        sku: 'PRINT-S',
        is_deleted: false,
        property_values: [
          { property_id: 100, property_name: 'Size', scale_id: 5, scale_name: 'Inches', value_ids: [9001], values: ['8x10'] },
        ],
        offerings: [{ offering_id: 2001, quantity: 4, is_enabled: true, is_deleted: false, price: usd(2999), readiness_state_id: 77 }],
      },
      {
        product_id: 1002,
        sku: 'PRINT-L',
        is_deleted: false,
        property_values: [
          { property_id: 100, property_name: 'Size', scale_id: 5, scale_name: 'Inches', value_ids: [9002], values: ['16x20'] },
        ],
        offerings: [{ offering_id: 2002, quantity: 1, is_enabled: true, is_deleted: false, price: usd(5900), readiness_state_id: 78 }],
      },
      {
        product_id: 1003,
        sku: 'OLD',
        is_deleted: true,
        property_values: [{ property_id: 100, value_ids: [9003], values: ['A0'] }],
        offerings: [{ offering_id: 2003, quantity: 0, is_enabled: false, is_deleted: true, price: usd(100), readiness_state_id: 77 }],
      },
    ],
    price_on_property: [100],
    quantity_on_property: [100],
    sku_on_property: [100],
    readiness_state_on_property: [100],
  });
}

describe('buildInventoryBody', () => {
  it('keeps every live product, drops deleted ones and read-only fields, flattens prices', () => {
    const body = buildInventoryBody(twoSizes());
    expect(body).toEqual({
      products: [
        {
          sku: 'PRINT-S',
          property_values: [{ property_id: 100, value_ids: [9001], values: ['8x10'], scale_id: 5, property_name: 'Size' }],
          offerings: [{ price: 29.99, quantity: 4, is_enabled: true, readiness_state_id: 77 }],
        },
        {
          sku: 'PRINT-L',
          property_values: [{ property_id: 100, value_ids: [9002], values: ['16x20'], scale_id: 5, property_name: 'Size' }],
          offerings: [{ price: 59, quantity: 1, is_enabled: true, readiness_state_id: 78 }],
        },
      ],
      price_on_property: [100],
      quantity_on_property: [100],
      sku_on_property: [100],
      readiness_state_on_property: [100],
    });
    const text = JSON.stringify(body);
    for (const field of ['product_id', 'offering_id', 'is_deleted', 'scale_name', 'amount', 'divisor']) expect(text).not.toContain(field);
  });

  it('applies quantity / enabled / price overrides by product key only to that product', () => {
    const inv = twoSizes();
    const large = inventoryProductKey(inv.products[1]!);
    expect(large).toBe('100:9002');
    const body = buildInventoryBody(inv, { [large]: { quantity: 0, isEnabled: false, price: usd(6150) } });
    expect(body.products[1]!.offerings).toEqual([{ price: 61.5, quantity: 0, is_enabled: false, readiness_state_id: 78 }]);
    expect(body.products[0]!.offerings[0]!.quantity).toBe(4);
  });

  it('a simple listing has the empty key', () => {
    const inv = inventorySchema.parse({
      products: [{ product_id: 1, sku: '', offerings: [{ offering_id: 2, quantity: 5, is_enabled: true, price: usd(1000) }] }],
    });
    expect(inventoryProductKey(inv.products[0]!)).toBe('');
    // The read named no processing profile (a batch read): the one the mirror knows is sent, never null.
    const body = buildInventoryBody(inv, { '': { quantity: 2 } }, { knownReadiness: new Map([['', 55]]) });
    expect(body.products).toEqual([{ sku: '', property_values: [], offerings: [{ price: 10, quantity: 2, is_enabled: true, readiness_state_id: 55 }] }]);
    expect(() => buildInventoryBody(inv, { '': { quantity: 2 } })).toThrow(/processing profile/);
  });

  it('*_on_property are fitted to what varies in the body, keeping what the seller listed', () => {
    const inv = twoSizes();
    inv.quantity_on_property = [];
    inv.price_on_property = [];
    // Quantities 4 and 1 already differ: the read list [] could not be sent back (docs/ETSY_API_NOTES.md §9.7).
    const body = buildInventoryBody(inv, {}, {});
    expect(body.quantity_on_property).toEqual([100]);
    expect(body.price_on_property).toEqual([100]);
    // Equal stock and price: nothing varies, the seller's [] stays; a listed property is kept.
    const same = buildInventoryBody(inv, { [inventoryProductKey(inv.products[0]!)]: { quantity: 1, price: usd(5900) } });
    expect(same.quantity_on_property).toEqual([]);
    expect(same.sku_on_property).toEqual([100]);
  });

  it('a product without a profile takes the one shared by the products it shares a profile with, never a guess', () => {
    const inv = twoSizes();
    inv.products[1]!.offerings[0]!.readiness_state_id = null;
    // Processing varies by size here, so the other size's profile says nothing about this one.
    expect(() => buildInventoryBody(inv)).toThrow(/processing profile is known for 16x20/);
    expect(buildInventoryBody(inv, {}, { knownReadiness: new Map([[inventoryProductKey(inv.products[1]!), 78]]) }).products[1]!.offerings[0]!.readiness_state_id).toBe(78);
    inv.readiness_state_on_property = [];
    expect(buildInventoryBody(inv).products.map((p) => p.offerings[0]!.readiness_state_id)).toEqual([77, 77]);
  });

  it('keys ignore property order and use text for custom values without ids', () => {
    const a = inventoryProductKey({ property_values: [
      { property_id: 513, value_ids: [], values: ['Gold'] },
      { property_id: 200, value_ids: [3, 1], values: ['x', 'y'] },
    ] });
    const b = inventoryProductKey({ property_values: [
      { property_id: 200, value_ids: [1, 3], values: ['y', 'x'] },
      { property_id: 513, value_ids: [], values: ['Gold'] },
    ] });
    expect(a).toBe(b);
    expect(a).toBe('200:1,3|513:"Gold"');
  });

  it('rejects bad overrides instead of sending them', () => {
    const inv = twoSizes();
    const small = inventoryProductKey(inv.products[0]!);
    for (const override of [{ quantity: -1 }, { quantity: 1.5 }, { quantity: 1000 }, { price: { amount: 100, divisor: 100, currency_code: 'EUR' } }]) {
      expect(() => buildInventoryBody(inv, { [small]: override })).toThrow(AppError);
    }
    expect(() => buildInventoryBody(inv, { 'no-such-key': { quantity: 1 } })).toThrow(/no variation/);
  });

  it('converts integer Money to a rounded float for any divisor', () => {
    expect(moneyToFloat(usd(1999))).toBe(19.99);
    expect(moneyToFloat(usd(10))).toBe(0.1);
    expect(moneyToFloat({ amount: 1500, divisor: 1, currency_code: 'JPY' })).toBe(1500);
    expect(moneyToFloat({ amount: 12345, divisor: 1000, currency_code: 'KWD' })).toBe(12.345);
    // 0.07 * 100 style float noise never leaks: the float round-trips to the same integer amount.
    for (let amount = 0; amount < 2000; amount += 7) expect(Math.round(moneyToFloat(usd(amount)) * 100)).toBe(amount);
  });
});
