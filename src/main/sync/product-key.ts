import type { PropertyValue, PulledProduct } from './mirror-types';

/**
 * The stable key of an Etsy product within its listing. Etsy's product_id changes on every inventory
 * write (etsy/open-api#523, #432), so the mirror and the links key on what the seller controls: the SKU,
 * or for a product without one the variation it stands for.
 */
export function propertyValuesKey(values: readonly PropertyValue[]): string {
  const parts = values
    .map((value) => `${value.propertyId}:${[...value.valueIds].sort((a, b) => a - b).join('+') || value.values.join('+')}`)
    .sort();
  return `pv:${parts.join(',')}`;
}

/**
 * Keys for every product of one listing, in order. The SKU is the key when it is non-empty and unique in
 * the listing; otherwise the variation key (prefixed by the SKU when there is one), so keys never collide.
 */
export function productKeys(products: readonly Pick<PulledProduct, 'sku' | 'propertyValues'>[]): string[] {
  const skuCounts = new Map<string, number>();
  for (const product of products) {
    const sku = product.sku.trim();
    if (sku !== '') skuCounts.set(sku, (skuCounts.get(sku) ?? 0) + 1);
  }
  return products.map((product) => {
    const sku = product.sku.trim();
    if (sku !== '' && skuCounts.get(sku) === 1) return sku;
    const variation = propertyValuesKey(product.propertyValues);
    return sku === '' ? variation : `${sku}|${variation}`;
  });
}
