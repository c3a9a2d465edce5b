import type { SkuGroupsRepo } from '../store/sku-groups-repo';

/**
 * The scope of a targeted sync: the SKUs asked for, grown to whole SKU groups — every live listing
 * that carries one of them, and every SKU those listings carry — so a listing is never written with
 * some of its products planned and others not, and a SKU is never merged over only some of its
 * listings. Grows until nothing new joins (bounded: a shop whose listings chain into one big group
 * gets a scope that large, never an endless loop).
 */
export interface SyncScope {
  skus: Set<string>;
  listingIds: Set<number>;
}

const MAX_ROUNDS = 50;

export function skuGroupsOf(groups: SkuGroupsRepo, seed: Iterable<string>): SyncScope {
  const skus = new Set([...seed].filter((sku) => sku !== ''));
  const listingIds = new Set<number>();
  let newSkus = [...skus];
  for (let round = 0; round < MAX_ROUNDS && newSkus.length > 0; round += 1) {
    const newListings = groups.listingsCarrying(newSkus).filter((id) => !listingIds.has(id));
    for (const id of newListings) listingIds.add(id);
    newSkus = groups.skusOfListings(newListings).filter((sku) => !skus.has(sku));
    for (const sku of newSkus) skus.add(sku);
  }
  return { skus, listingIds };
}
