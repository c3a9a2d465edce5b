/**
 * Turns an inventory as read from Etsy into the body of updateListingInventory (docs/ETSY_API_NOTES.md §6, §9).
 * The PUT replaces the whole inventory, so every live product is sent back; read-only fields
 * (product_id, offering_id, is_deleted, scale_name) are left out because echoing them fails
 * (etsy/open-api#159); prices go as floats built from the integer Money; `*_on_property` are kept as
 * read unless what is sent varies along another property (then they name it); `readiness_state_id` is
 * never null: it falls back to what the mirror last saw. Pure: no I/O.
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

/** Etsy's UI cap per offering (docs/ETSY_API_NOTES.md §9.5). */
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

export interface BuildInventoryOptions {
  /**
   * The processing profile last seen per product key (the mirror). Etsy leaves an offering's
   * readiness_state_id null outside shop-scoped or single-listing reads of active listings, and the
   * PUT needs one on every offering, so a null read falls back to this.
   */
  knownReadiness?: ReadonlyMap<string, number>;
}

export function buildInventoryBody(
  inventory: ListingInventory,
  overrides: Readonly<Record<string, ProductOverride>> = {},
  options: BuildInventoryOptions = {},
): UpdateInventoryBody {
  const live = inventory.products.filter((p) => !p.is_deleted);
  const keys = new Set(live.map(inventoryProductKey));
  for (const key of Object.keys(overrides)) {
    if (!keys.has(key)) throw new AppError('INVALID_INPUT', `The listing has no variation "${key || '(no variations)'}" to change.`);
  }
  const readinessOf = readinessResolver(inventory, live, options.knownReadiness ?? new Map());
  const products = live.map((product) => {
    const override = overrides[inventoryProductKey(product)];
    const readiness = readinessOf(product);
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
          readiness_state_id: offering.readiness_state_id ?? readiness,
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
  // Etsy rejects a body whose per-product quantities (prices, SKUs, profiles) differ along a property
  // its `*_on_property` does not name, and wants the ids in the products' property order (docs/ETSY_API_NOTES.md §9.7,
  // #375). A new quantity can make stock vary where it did not, so each list is fitted to what is sent.
  const order = live[0]?.property_values.map((pv) => pv.property_id) ?? [];
  const valuesOf = products.map((p) => p.property_values.map((pv) => pv.values.join(',')));
  const fit = (field: string, read: readonly number[], values: readonly unknown[]): number[] =>
    fitOnProperty(field, read, order, valuesOf, values);
  return {
    products,
    price_on_property: fit('price', inventory.price_on_property, products.map((p) => p.offerings[0]?.price)),
    quantity_on_property: fit('quantity', inventory.quantity_on_property, products.map((p) => p.offerings[0]?.quantity)),
    sku_on_property: fit('SKU', inventory.sku_on_property, products.map((p) => p.sku)),
    readiness_state_on_property: fit('processing profile', inventory.readiness_state_on_property, products.map((p) => p.offerings[0]?.readiness_state_id)),
  };
}

/**
 * The `*_on_property` list to send: the read list (in property order) when it explains how the field
 * varies across the products sent, else the smallest set of properties containing it that does. Only
 * a body with two products of the same variation could have no such set; that is an error, not a PUT
 * Etsy would reject.
 */
export function fitOnProperty(
  field: string,
  read: readonly number[],
  order: readonly number[],
  productValues: readonly (readonly string[])[],
  fieldValues: readonly unknown[],
): number[] {
  const readPositions = order.map((_, i) => i).filter((i) => read.includes(order[i]!));
  const subsets: number[][] = [];
  for (let mask = 0; mask < 1 << order.length; mask++) {
    const positions = order.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0);
    if (readPositions.every((i) => positions.includes(i))) subsets.push(positions);
  }
  subsets.sort((a, b) => a.length - b.length);
  for (const positions of subsets) {
    const seen = new Map<string, unknown>();
    const explains = fieldValues.every((value, i) => {
      const key = positions.map((pos) => productValues[i]![pos]).join('\u0000');
      if (!seen.has(key)) seen.set(key, value);
      return seen.get(key) === value;
    });
    if (explains) return positions.map((pos) => order[pos]!);
  }
  throw new AppError('INVALID_INPUT', `The ${field} of two identical variations differs, so no inventory update Etsy accepts can say it; check the listing's variations on Etsy.`);
}

/**
 * A product's processing profile, never null: its own read value, else the one the mirror last saw for
 * it, else the one every product it shares a processing profile with agrees on (all products when
 * `readiness_state_on_property` is empty). None → an error that says why nothing was sent.
 */
function readinessResolver(
  inventory: ListingInventory,
  live: readonly InventoryProduct[],
  known: ReadonlyMap<string, number>,
): (product: InventoryProduct) => number {
  const own = (product: InventoryProduct): number | undefined =>
    product.offerings.find((o) => !o.is_deleted && o.readiness_state_id != null)?.readiness_state_id ??
    known.get(inventoryProductKey(product));
  const varying = inventory.readiness_state_on_property;
  const group = (product: InventoryProduct): string =>
    varying.map((id) => product.property_values.find((pv) => pv.property_id === id)?.values.join(',') ?? '').join('\u0000');
  return (product) => {
    const value = own(product);
    if (value !== undefined) return value;
    const shared = new Set(live.filter((other) => group(other) === group(product)).map(own).filter((v) => v !== undefined));
    if (shared.size === 1) return [...shared][0]!;
    const name = product.property_values.map((pv) => pv.values.join(',')).join(' / ') || 'the listing';
    throw new AppError(
      'INVALID_INPUT',
      `no processing profile is known for ${name}: Etsy needs one on every variation of an inventory update and named none when read, so Art Sync sent nothing. Set the processing profile on Etsy; the next full sync reads it.`,
    );
  };
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_OFFERING_QUANTITY) {
    throw new AppError('INVALID_INPUT', `Etsy stock must be a whole number from 0 to ${MAX_OFFERING_QUANTITY}; got ${quantity}.`);
  }
}
