/**
 * Turns an inventory as read from Etsy into the body of updateListingInventory (notes §6, §9).
 * The PUT replaces the whole inventory, so every live product is sent back; read-only fields
 * (product_id, offering_id, is_deleted, scale_name) are left out because echoing them fails
 * (etsy/open-api#159); prices go as floats built from the integer Money; `*_on_property` and
 * `readiness_state_id` are kept as read. Pure: no I/O.
 */
import { AppError } from '../../shared/errors';
import { productKeyOf } from '../../shared/product-key';
import type { operations } from './generated/etsy-api';
import type { InventoryProduct, ListingInventory, Money } from './schemas';

export type UpdateInventoryBody = NonNullable<
  operations['updateListingInventory']['requestBody']
>['content']['application/json'];

export interface ProductOverride {
  quantity?: number;
  isEnabled?: boolean;
  /** Integer Money; its currency must match the offering's. */
  price?: Money;
}

/** Etsy's UI cap per offering (notes §9.5). */
export const MAX_OFFERING_QUANTITY = 999;

/**
 * Stable key of a product within its listing (src/shared/product-key.ts, the one definition the
 * mirror, the links and this body builder share). Unlike product_id it survives a PUT (ids churn,
 * #523), and unlike the SKU it is unique inside the listing.
 */
export function inventoryProductKey(product: Pick<InventoryProduct, 'property_values'>): string {
  return productKeyOf(
    product.property_values.map((pv) => ({ propertyId: pv.property_id, valueIds: pv.value_ids, values: pv.values })),
  );
}

/** Money → the float Etsy wants, rounded to the currency's decimals (derived from the divisor). */
export function moneyToFloat(money: Money): number {
  const decimals = Math.max(0, Math.round(Math.log10(money.divisor)));
  return Number((money.amount / money.divisor).toFixed(decimals));
}

export function buildInventoryBody(
  inventory: ListingInventory,
  overrides: Readonly<Record<string, ProductOverride>> = {},
): UpdateInventoryBody {
  const live = inventory.products.filter((p) => !p.is_deleted);
  const keys = new Set(live.map(inventoryProductKey));
  for (const key of Object.keys(overrides)) {
    if (!keys.has(key)) throw new AppError('INVALID_INPUT', `The listing has no variation "${key || '(no variations)'}" to change.`);
  }
  const products = live.map((product) => {
    const override = overrides[inventoryProductKey(product)];
    const offerings = product.offerings
      .filter((o) => !o.is_deleted)
      .map((offering) => {
        const quantity = override?.quantity ?? offering.quantity;
        checkQuantity(quantity);
        const price = override?.price ?? offering.price;
        if (override?.price !== undefined && override.price.currency_code !== offering.price.currency_code) {
          throw new AppError('INVALID_INPUT', `A price in ${override.price.currency_code} cannot be set on an offering priced in ${offering.price.currency_code}.`);
        }
        return {
          price: moneyToFloat(price),
          quantity,
          is_enabled: override?.isEnabled ?? offering.is_enabled,
          readiness_state_id: offering.readiness_state_id ?? null,
        };
      });
    return {
      sku: product.sku,
      property_values: product.property_values.map((pv) => ({
        property_id: pv.property_id,
        value_ids: [...pv.value_ids],
        values: [...pv.values],
        ...(pv.scale_id !== undefined && pv.scale_id !== null ? { scale_id: pv.scale_id } : {}),
        ...(pv.property_name !== undefined && pv.property_name !== null ? { property_name: pv.property_name } : {}),
      })),
      offerings,
    };
  });
  return {
    products,
    price_on_property: [...inventory.price_on_property],
    quantity_on_property: [...inventory.quantity_on_property],
    sku_on_property: [...inventory.sku_on_property],
    readiness_state_on_property: [...inventory.readiness_state_on_property],
  };
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_OFFERING_QUANTITY) {
    throw new AppError('INVALID_INPUT', `Etsy stock must be a whole number from 0 to ${MAX_OFFERING_QUANTITY}; got ${quantity}.`);
  }
}
