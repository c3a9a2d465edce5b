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

/**
 * How many listings a full run plans and writes at once (docs/SYNC.md "A full run, group by group").
 * An object so tests can make chunks tiny and exercise many of them on a small shop.
 */
export const FULL_RUN_CHUNK = { listings: 500 };

/**
 * A full run's work, split into bounded chunks of whole SKU groups (every live listing of the shop in
 * exactly one chunk, with every SKU its listings show), then the rest: listings gone from Etsy (so their
 * write-failure items are resolved as before) and catalog SKUs on no live listing (each gets its
 * "on no Etsy listing" item). A group larger than the bound is a chunk of its own: it is never split.
 */
export function shopChunks(groups: SkuGroupsRepo, shopId: number, maxListings = FULL_RUN_CHUNK.listings): SyncScope[] {
  // Union-find over listings, joined by every SKU two of them share.
  const parent = new Map<number, number>();
  const find = (id: number): number => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = id; at !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  const firstListingOfSku = new Map<string, number>();
  const rows = groups.listingSkus(shopId);
  for (const { listingId, sku } of rows) {
    if (!parent.has(listingId)) parent.set(listingId, listingId);
    if (sku === '') continue;
    const other = firstListingOfSku.get(sku);
    if (other === undefined) firstListingOfSku.set(sku, listingId);
    else {
      const a = find(listingId);
      const b = find(other);
      // The smaller id is the root, so groups come out in the order of their first listing.
      if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
    }
  }
  const byRoot = new Map<number, SyncScope>();
  for (const { listingId, sku } of rows) {
    const root = find(listingId);
    let group = byRoot.get(root);
    if (!group) byRoot.set(root, (group = { skus: new Set(), listingIds: new Set() }));
    group.listingIds.add(listingId);
    if (sku !== '') group.skus.add(sku);
  }
  const chunks: SyncScope[] = [];
  let current: SyncScope = { skus: new Set(), listingIds: new Set() };
  const push = (): void => {
    if (current.listingIds.size > 0 || current.skus.size > 0) chunks.push(current);
    current = { skus: new Set(), listingIds: new Set() };
  };
  for (const root of [...byRoot.keys()].sort((a, b) => a - b)) {
    const group = byRoot.get(root)!;
    if (current.listingIds.size > 0 && current.listingIds.size + group.listingIds.size > maxListings) push();
    for (const id of group.listingIds) current.listingIds.add(id);
    for (const sku of group.skus) current.skus.add(sku);
  }
  push();
  // The rest, in chunks of the same bound (counting listings and SKUs alike).
  for (const id of groups.removedListings(shopId)) {
    if (current.listingIds.size >= maxListings) push();
    current.listingIds.add(id);
  }
  for (const sku of groups.catalogSkusOnNoListing(shopId)) {
    if (current.listingIds.size + current.skus.size >= maxListings) push();
    current.skus.add(sku);
  }
  push();
  return chunks;
}
