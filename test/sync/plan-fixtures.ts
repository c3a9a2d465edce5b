import { expect } from 'vitest';
import { planSchema, type Plan } from '../../src/shared/plan';
import type {
  InventoryPlanInput,
  PlanCatalogVariant,
  PlanEtsyProduct,
  PlanLink,
  PlanListing,
  PlanReceiptItem,
  PlanSettings,
} from '../../src/main/sync/plan/plan-input';
import { planInventorySync } from '../../src/main/sync/plan/plan-inventory';

/** Small builders for planner inputs: every field has a dull default, tests override what matters. */

export const NOW = 1_750_000_000_000;

export function product(sku: string, quantity: number, over: Partial<PlanEtsyProduct> = {}): PlanEtsyProduct {
  return {
    productKey: sku === '' ? `pv:100:${quantity}` : sku,
    sku,
    propertyValues: [],
    etsyProductId: null,
    quantity,
    isEnabled: true,
    price: { amount: 1000, divisor: 100, currency: 'USD' },
    ...over,
  };
}

/** A product of a variation listing ("Size: A4"). */
export function sized(sku: string, quantity: number, size: string, over: Partial<PlanEtsyProduct> = {}): PlanEtsyProduct {
  const valueId = [...size].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  return product(sku, quantity, {
    productKey: sku === '' ? `pv:100:${valueId}` : sku,
    propertyValues: [{ propertyId: 100, propertyName: 'Size', scaleId: null, valueIds: [valueId], values: [size] }],
    ...over,
  });
}

export function listing(listingId: number, products: PlanEtsyProduct[], over: Partial<PlanListing> = {}): PlanListing {
  return {
    listingId,
    title: `Print ${listingId}`,
    state: 'active',
    deactivatedByApp: false,
    removed: false,
    hasInventory: true,
    products,
    ...over,
  };
}

export function variant(sku: string, quantity: number, over: Partial<PlanCatalogVariant> = {}): PlanCatalogVariant {
  return { sku, title: `Variant ${sku}`, quantity, priceAmount: 1000, currency: 'USD', ...over };
}

export function link(
  listingId: number,
  sku: string,
  baselineEtsy: number | null,
  baselineCatalog: number | null,
  over: Partial<PlanLink> = {},
): PlanLink {
  return {
    listingId,
    productKey: sku,
    sku,
    baselineEtsy,
    baselineCatalog,
    writtenProductId: null,
    writtenQuantity: null,
    ...over,
  };
}

export function receipt(receiptId: number, listingId: number, sku: string, quantity: number): PlanReceiptItem {
  return { receiptId, transactionId: receiptId * 10, listingId, etsyProductId: null, sku, quantity, createdTs: 1_749_999_000 };
}

export interface InputParts {
  settings?: Partial<PlanSettings>;
  listings?: PlanListing[];
  catalog?: PlanCatalogVariant[];
  links?: PlanLink[];
  receipts?: PlanReceiptItem[];
}

export function makeInput(parts: InputParts): InventoryPlanInput {
  return {
    settings: { buffer: 0, pushPrices: false, firstSyncSource: 'etsy', shopCurrency: 'USD', ...parts.settings },
    listings: parts.listings ?? [],
    catalog: parts.catalog ?? [],
    links: parts.links ?? [],
    receipts: parts.receipts ?? [],
    now: NOW,
  };
}

/** Plans, and checks what every plan must satisfy: schema-valid and unchanged by a JSON round trip. */
export function plan(parts: InputParts): Plan {
  const result = planInventorySync(makeInput(parts));
  expect(planSchema.parse(result)).toEqual(result);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

export function etsyChanges(result: Plan, field: 'quantity' | 'price' | 'state' = 'quantity'): Plan['changes'] {
  return result.changes.filter((change) => change.side === 'etsy' && change.field === field);
}

export function catalogChanges(result: Plan): Plan['changes'] {
  return result.changes.filter((change) => change.side === 'catalog');
}
