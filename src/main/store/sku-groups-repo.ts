import type Database from 'better-sqlite3';

/**
 * Which listings carry which SKUs, for targeted syncs (docs/SYNC.md "Watching for sales"): a sale or an
 * edit touches a few SKUs, and a targeted run reads and plans only the listings that carry them (and,
 * through multi-SKU listings, the SKUs those listings carry too). Read from the mirror; listings gone
 * from Etsy and deleted products do not count.
 */
export class SkuGroupsRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  /** Live listings with a product showing one of these SKUs. */
  listingsCarrying(skus: readonly string[]): number[] {
    if (skus.length === 0) return [];
    return (
      this.sqlite
        .prepare(
          `SELECT DISTINCT p.listing_id AS id FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
           WHERE p.is_deleted = 0 AND l.removed_at IS NULL AND l.state != 'removed'
             AND p.sku IN (SELECT value FROM json_each(?)) ORDER BY p.listing_id`,
        )
        .all(JSON.stringify(skus)) as { id: number }[]
    ).map((row) => row.id);
  }

  /** The SKUs (never '') the products of these listings show. */
  skusOfListings(listingIds: readonly number[]): string[] {
    if (listingIds.length === 0) return [];
    return (
      this.sqlite
        .prepare(
          `SELECT DISTINCT sku FROM etsy_products WHERE is_deleted = 0 AND sku != ''
             AND listing_id IN (SELECT value FROM json_each(?)) ORDER BY sku`,
        )
        .all(JSON.stringify(listingIds)) as { sku: string }[]
    ).map((row) => row.sku);
  }

  /**
   * The SKUs these receipt transactions sold: by the product id (the mirror's current one, or the one
   * our last write created, through the link), else the SKU the transaction carries; never ''.
   */
  skusOfReceiptListings(listingIds: readonly number[]): string[] {
    if (listingIds.length === 0) return [];
    return (
      this.sqlite
        .prepare(
          `SELECT DISTINCT coalesce(
               (SELECT p.sku FROM etsy_products p WHERE p.etsy_product_id = i.etsy_product_id AND p.sku != '' LIMIT 1),
               (SELECT v.sku FROM sku_links k JOIN catalog_variants v ON v.id = k.variant_id
                  WHERE k.written_product_id = i.etsy_product_id LIMIT 1),
               nullif(i.sku, '')) AS sku
           FROM etsy_receipt_items i WHERE i.listing_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(listingIds)) as { sku: string | null }[]
    )
      .map((row) => row.sku)
      .filter((sku): sku is string => sku !== null && sku !== '');
  }

  /**
   * Every live listing of the shop with the SKUs its products show ('' for a listing without any SKU
   * or product), for splitting a full run into SKU groups (src/main/sync/sku-groups.ts).
   */
  listingSkus(shopId: number): { listingId: number; sku: string }[] {
    return this.sqlite
      .prepare(
        `SELECT DISTINCT l.listing_id AS listingId, coalesce(p.sku, '') AS sku FROM etsy_listings l
           LEFT JOIN etsy_products p ON p.listing_id = l.listing_id AND p.is_deleted = 0
         WHERE l.shop_id = ? AND l.removed_at IS NULL AND l.state != 'removed' ORDER BY l.listing_id, sku`,
      )
      .all(shopId) as { listingId: number; sku: string }[];
  }

  /** Listings of the shop gone from Etsy (the mirror keeps them). */
  removedListings(shopId: number): number[] {
    return (
      this.sqlite
        .prepare(`SELECT listing_id AS id FROM etsy_listings WHERE shop_id = ? AND (removed_at IS NOT NULL OR state = 'removed') ORDER BY listing_id`)
        .all(shopId) as { id: number }[]
    ).map((row) => row.id);
  }

  /** Catalog SKUs no live listing of the shop shows. */
  catalogSkusOnNoListing(shopId: number): string[] {
    return (
      this.sqlite
        .prepare(
          `SELECT v.sku FROM catalog_variants v WHERE NOT EXISTS (
             SELECT 1 FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
             WHERE p.sku = v.sku AND p.is_deleted = 0 AND l.shop_id = ? AND l.removed_at IS NULL AND l.state != 'removed')
           ORDER BY v.sku`,
        )
        .all(shopId) as { sku: string }[]
    ).map((row) => row.sku);
  }
}
