import type Database from 'better-sqlite3';
import type { PulledInventory, PulledListing, PulledProduct } from '../../shared/mirror-types';
import { productKeyOf } from '../../shared/product-key';

/**
 * The local copy of the shop's listings and inventories. Writes use prepared statements (not the query
 * builder): a full sync of a large shop applies tens of thousands of rows and this is its hot path.
 */
export interface MirrorProductRow {
  listingId: number;
  productKey: string;
  sku: string;
  propertyValues: PulledProduct['propertyValues'];
  etsyProductId: number | null;
  quantity: number;
  isEnabled: boolean;
  priceAmount: number;
  priceDivisor: number;
  currency: string;
  readinessStateId: number | null;
}

export interface MirrorListingRow {
  listingId: number;
  shopId: number;
  title: string;
  state: string;
  url: string | null;
  etsyUpdatedTs: number | null;
  hasInventory: boolean;
  removed: boolean;
  deactivatedByApp: boolean;
  priceOnProperty: number[];
  quantityOnProperty: number[];
  skuOnProperty: number[];
  readinessStateOnProperty: number[];
  products: MirrorProductRow[];
}

export class MirrorRepo {
  private readonly sqlite: Database.Database;
  private readonly upsertListingStmt: Database.Statement;
  private readonly touchListingStmt: Database.Statement;
  private readonly upsertProductStmt: Database.Statement;
  private readonly deleteOfferingsStmt: Database.Statement;
  private readonly knownReadinessStmt: Database.Statement;
  private readonly insertOfferingStmt: Database.Statement;
  private readonly markMissingProductsDeletedStmt: Database.Statement;
  private readonly setInventoryMetaStmt: Database.Statement;
  private readonly knownListingsStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
    this.upsertListingStmt = sqlite.prepare(`
      INSERT INTO etsy_listings (listing_id, shop_id, title, state, url, etsy_created_ts, etsy_updated_ts,
        etsy_state_ts, price_on_property, quantity_on_property, sku_on_property, readiness_state_on_property,
        has_inventory, inventory_fetched_at, last_seen_at, removed_at)
      VALUES (@listingId, @shopId, @title, @state, @url, @createdTs, @updatedTs, @stateTs, @priceOnProperty,
        @quantityOnProperty, @skuOnProperty, @readinessStateOnProperty, @hasInventory, @inventoryFetchedAt,
        @now, NULL)
      ON CONFLICT (listing_id) DO UPDATE SET shop_id = excluded.shop_id, title = excluded.title,
        state = excluded.state, url = excluded.url, etsy_created_ts = excluded.etsy_created_ts,
        etsy_updated_ts = excluded.etsy_updated_ts, etsy_state_ts = excluded.etsy_state_ts,
        price_on_property = CASE WHEN @hasInventoryInPage THEN excluded.price_on_property ELSE price_on_property END,
        quantity_on_property = CASE WHEN @hasInventoryInPage THEN excluded.quantity_on_property ELSE quantity_on_property END,
        sku_on_property = CASE WHEN @hasInventoryInPage THEN excluded.sku_on_property ELSE sku_on_property END,
        readiness_state_on_property = CASE WHEN @hasInventoryInPage THEN excluded.readiness_state_on_property ELSE readiness_state_on_property END,
        has_inventory = CASE WHEN @hasInventoryInPage THEN excluded.has_inventory ELSE has_inventory END,
        inventory_fetched_at = CASE WHEN @hasInventoryInPage THEN excluded.inventory_fetched_at ELSE inventory_fetched_at END,
        -- Etsy itself moved the listing back to active: whatever the app deactivated is now the owner's.
        deactivated_by_app = CASE WHEN excluded.state = 'inactive' THEN deactivated_by_app ELSE 0 END,
        last_seen_at = excluded.last_seen_at, removed_at = NULL`);
    this.touchListingStmt = sqlite.prepare(
      'UPDATE etsy_listings SET has_inventory = 0, inventory_fetched_at = @now WHERE listing_id = @listingId',
    );
    this.upsertProductStmt = sqlite.prepare(`
      INSERT INTO etsy_products (listing_id, product_key, sku, property_values, etsy_product_id, is_deleted)
      VALUES (@listingId, @productKey, @sku, @propertyValues, @etsyProductId, 0)
      ON CONFLICT (listing_id, product_key) DO UPDATE SET sku = excluded.sku,
        property_values = excluded.property_values, etsy_product_id = excluded.etsy_product_id, is_deleted = 0
      RETURNING id`);
    this.deleteOfferingsStmt = sqlite.prepare('DELETE FROM etsy_offerings WHERE product_id = ?');
    this.knownReadinessStmt = sqlite
      .prepare('SELECT readiness_state_id FROM etsy_offerings WHERE product_id = ? AND readiness_state_id IS NOT NULL LIMIT 1')
      .pluck();
    this.insertOfferingStmt = sqlite.prepare(`
      INSERT INTO etsy_offerings (product_id, etsy_offering_id, quantity, price_amount, price_divisor, currency,
        is_enabled, readiness_state_id)
      VALUES (@productId, @offeringId, @quantity, @amount, @divisor, @currency, @isEnabled, @readinessStateId)`);
    this.setInventoryMetaStmt = sqlite.prepare(
      `UPDATE etsy_listings SET has_inventory = 1, inventory_fetched_at = @now, price_on_property = @p,
         quantity_on_property = @q, sku_on_property = @s, readiness_state_on_property = @r
       WHERE listing_id = @listingId`,
    );
    this.knownListingsStmt = sqlite
      .prepare('SELECT listing_id FROM etsy_listings WHERE listing_id IN (SELECT value FROM json_each(?))')
      .pluck();
    this.markMissingProductsDeletedStmt = sqlite.prepare(`
      UPDATE etsy_products SET is_deleted = 1
      WHERE listing_id = @listingId AND is_deleted = 0
        AND product_key NOT IN (SELECT value FROM json_each(@keys))`);
  }

  /**
   * Applies one page of pulled listings in one transaction. A listing pulled without inventory keeps
   * the inventory it had (the caller fetches it through the batch endpoint and calls applyInventory).
   */
  applyListings(listings: readonly PulledListing[], now: number): void {
    this.sqlite.transaction(() => {
      // A listing new to the mirror has no products or offerings yet (foreign key), so the statements
      // that clear old ones are skipped for it: over a third of a first full sync's statements.
      const known = new Set(this.knownListingsStmt.all(JSON.stringify(listings.map((l) => l.listingId))) as number[]);
      for (const listing of listings) {
        this.applyOne(listing, now, !known.has(listing.listingId));
        known.add(listing.listingId);
      }
    })();
  }

  /** Replaces the mirrored inventory of listings read through the inventory endpoints. */
  applyInventories(items: readonly { listingId: number; inventory: PulledInventory | null }[], now: number): void {
    this.sqlite.transaction(() => {
      for (const item of items) {
        if (item.inventory === null) {
          this.touchListingStmt.run({ listingId: item.listingId, now });
          continue;
        }
        this.setInventoryMetaStmt.run({
          listingId: item.listingId,
          now,
          p: JSON.stringify(item.inventory.priceOnProperty),
          q: JSON.stringify(item.inventory.quantityOnProperty),
          s: JSON.stringify(item.inventory.skuOnProperty),
          r: JSON.stringify(item.inventory.readinessStateOnProperty),
        });
        this.applyProducts(item.listingId, item.inventory);
      }
    })();
  }

  /**
   * After a complete pull of every state: listings not seen since `since` are gone from Etsy. They are
   * marked removed, never deleted, because history and links point at them.
   */
  markUnseenRemoved(shopId: number, since: number, now: number): number {
    return this.sqlite
      .prepare(
        'UPDATE etsy_listings SET removed_at = ? WHERE shop_id = ? AND last_seen_at < ? AND removed_at IS NULL',
      )
      .run(now, shopId, since).changes;
  }

  /** Etsy answered 404 for this listing: it is gone. */
  markRemoved(listingId: number, now: number): void {
    this.sqlite.prepare('UPDATE etsy_listings SET removed_at = ? WHERE listing_id = ? AND removed_at IS NULL').run(now, listingId);
  }

  setDeactivatedByApp(listingId: number, value: boolean, state?: string): void {
    this.sqlite
      .prepare(
        'UPDATE etsy_listings SET deactivated_by_app = ?, state = coalesce(?, state) WHERE listing_id = ?',
      )
      .run(value ? 1 : 0, state ?? null, listingId);
  }

  /** Every mirrored listing of the shop that is not removed, with its live products. */
  listListings(shopId: number, listingIds?: readonly number[]): MirrorListingRow[] {
    const filter = listingIds ? 'AND l.listing_id IN (SELECT value FROM json_each(@ids))' : '';
    const listingRows = this.sqlite
      .prepare(
        `SELECT listing_id, shop_id, title, state, url, etsy_updated_ts, has_inventory, removed_at,
           deactivated_by_app, price_on_property, quantity_on_property, sku_on_property,
           readiness_state_on_property
         FROM etsy_listings l WHERE shop_id = @shopId ${filter} ORDER BY listing_id`,
      )
      .all({ shopId, ids: JSON.stringify(listingIds ?? []) }) as ListingSqlRow[];
    const productRows = this.sqlite
      .prepare(
        `SELECT p.listing_id, p.product_key, p.sku, p.property_values, p.etsy_product_id,
           o.quantity, o.is_enabled, o.price_amount, o.price_divisor, o.currency, o.readiness_state_id
         FROM etsy_products p
         JOIN etsy_listings l ON l.listing_id = p.listing_id
         LEFT JOIN etsy_offerings o ON o.id = (SELECT min(id) FROM etsy_offerings WHERE product_id = p.id)
         WHERE l.shop_id = @shopId AND p.is_deleted = 0 ${filter} ORDER BY p.listing_id, p.id`,
      )
      .all({ shopId, ids: JSON.stringify(listingIds ?? []) }) as ProductSqlRow[];
    const byListing = new Map<number, MirrorProductRow[]>();
    for (const row of productRows) {
      const list = byListing.get(row.listing_id) ?? [];
      list.push({
        listingId: row.listing_id,
        productKey: row.product_key,
        sku: row.sku,
        propertyValues: JSON.parse(row.property_values) as MirrorProductRow['propertyValues'],
        etsyProductId: row.etsy_product_id,
        quantity: row.quantity ?? 0,
        isEnabled: row.is_enabled === 1,
        priceAmount: row.price_amount ?? 0,
        priceDivisor: row.price_divisor ?? 100,
        currency: row.currency ?? '',
        readinessStateId: row.readiness_state_id,
      });
      byListing.set(row.listing_id, list);
    }
    return listingRows.map((row) => ({
      listingId: row.listing_id,
      shopId: row.shop_id,
      title: row.title,
      state: row.state,
      url: row.url,
      etsyUpdatedTs: row.etsy_updated_ts,
      hasInventory: row.has_inventory === 1,
      removed: row.removed_at !== null,
      deactivatedByApp: row.deactivated_by_app === 1,
      priceOnProperty: JSON.parse(row.price_on_property) as number[],
      quantityOnProperty: JSON.parse(row.quantity_on_property) as number[],
      skuOnProperty: JSON.parse(row.sku_on_property) as number[],
      readinessStateOnProperty: JSON.parse(row.readiness_state_on_property) as number[],
      products: byListing.get(row.listing_id) ?? [],
    }));
  }

  private applyOne(listing: PulledListing, now: number, isNew: boolean): void {
    const inventory = listing.inventory;
    this.upsertListingStmt.run({
      listingId: listing.listingId,
      shopId: listing.shopId,
      title: listing.title,
      state: listing.state,
      url: listing.url,
      createdTs: listing.createdTs,
      updatedTs: listing.updatedTs,
      stateTs: listing.stateTs,
      priceOnProperty: JSON.stringify(inventory?.priceOnProperty ?? []),
      quantityOnProperty: JSON.stringify(inventory?.quantityOnProperty ?? []),
      skuOnProperty: JSON.stringify(inventory?.skuOnProperty ?? []),
      readinessStateOnProperty: JSON.stringify(inventory?.readinessStateOnProperty ?? []),
      hasInventory: inventory ? 1 : 0,
      hasInventoryInPage: inventory ? 1 : 0,
      inventoryFetchedAt: inventory ? now : null,
      now,
    });
    if (inventory) this.applyProducts(listing.listingId, inventory, isNew);
  }

  /** `isNew`: the listing was not in the mirror before, so there is nothing of it to replace or mark. */
  private applyProducts(listingId: number, inventory: PulledInventory, isNew = false): void {
    const live = inventory.products.filter((product) => !product.isDeleted);
    const keys = live.map((product) => productKeyOf(product.propertyValues));
    const inserted = new Set<number>();
    live.forEach((product, index) => {
      const productKey = keys[index] as string;
      const row = this.upsertProductStmt.get({
        listingId,
        productKey,
        sku: product.sku.trim(),
        propertyValues: JSON.stringify(product.propertyValues),
        etsyProductId: product.productId,
      }) as { id: number };
      // Two products with one key (Etsy sent a duplicate) land on one row: the later one replaces it.
      // Etsy leaves readiness_state_id null outside shop-scoped or single-listing reads of active
      // listings (the batch read before a write among them): a null read keeps the profile we knew,
      // since the inventory PUT needs one on every offering (docs/SYNC.md).
      const needsKnown = !isNew && product.offerings.some((offering) => offering.readinessStateId === null);
      const known = needsKnown ? ((this.knownReadinessStmt.get(row.id) as number | undefined) ?? null) : null;
      if (!isNew || inserted.has(row.id)) this.deleteOfferingsStmt.run(row.id);
      inserted.add(row.id);
      for (const offering of product.offerings) {
        if (offering.isDeleted) continue;
        this.insertOfferingStmt.run({
          productId: row.id,
          offeringId: offering.offeringId,
          quantity: offering.quantity,
          amount: offering.price.amount,
          divisor: offering.price.divisor,
          currency: offering.price.currencyCode,
          isEnabled: offering.isEnabled ? 1 : 0,
          readinessStateId: offering.readinessStateId ?? known,
        });
      }
    });
    if (!isNew) this.markMissingProductsDeletedStmt.run({ listingId, keys: JSON.stringify(keys) });
  }
}

interface ListingSqlRow {
  listing_id: number;
  shop_id: number;
  title: string;
  state: string;
  url: string | null;
  etsy_updated_ts: number | null;
  has_inventory: number;
  removed_at: number | null;
  deactivated_by_app: number;
  price_on_property: string;
  quantity_on_property: string;
  sku_on_property: string;
  readiness_state_on_property: string;
}

interface ProductSqlRow {
  listing_id: number;
  product_key: string;
  sku: string;
  property_values: string;
  etsy_product_id: number | null;
  quantity: number | null;
  is_enabled: number | null;
  price_amount: number | null;
  price_divisor: number | null;
  currency: string | null;
  readiness_state_id: number | null;
}
