import type { PropertyValue } from './mirror-types';

/**
 * The stable key of an Etsy product within its listing: its sorted property/value ids ("" for a listing
 * without variations), e.g. "200:1,2|513:7". Etsy's product_id changes on every inventory write
 * (etsy/open-api#523, #432) and a SKU may be missing or repeated, so the mirror, the links and the PUT
 * body all use this one key — the inventory body builder (src/main/etsy/inventory-body.ts) calls this
 * same function, so a planned quantity always lands on its product. Custom values without ids fall
 * back to their text.
 */
export function productKeyOf(propertyValues: readonly Pick<PropertyValue, 'propertyId' | 'valueIds' | 'values'>[]): string {
  return propertyValues
    .map((pv) => {
      const values = pv.valueIds.length > 0 ? [...pv.valueIds].sort((a, b) => a - b).join(',') : pv.values.map((v) => `"${v}"`).join(',');
      return `${pv.propertyId}:${values}`;
    })
    .sort()
    .join('|');
}
