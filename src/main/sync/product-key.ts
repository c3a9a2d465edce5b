import { inventoryProductKey } from '../etsy/inventory-body';
import type { PropertyValue } from './mirror-types';

/**
 * The stable key of an Etsy product within its listing: its sorted property/value ids ("" for a listing
 * without variations). Etsy's product_id changes on every inventory write (etsy/open-api#523, #432) and a
 * SKU may be missing or repeated, so the mirror, the links and the PUT body all use this one key — the
 * same function the inventory body builder uses, so a planned quantity always lands on its product.
 */
export function productKeyOf(propertyValues: readonly PropertyValue[]): string {
  return inventoryProductKey({
    property_values: propertyValues.map((value) => ({
      property_id: value.propertyId,
      value_ids: value.valueIds,
      values: value.values,
    })),
  });
}
