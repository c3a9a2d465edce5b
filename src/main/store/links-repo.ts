import type Database from 'better-sqlite3';

export interface LinkRow {
  listingId: number;
  productKey: string;
  sku: string;
  variantId: number;
  baselineEtsy: number | null;
  baselineCatalog: number | null;
  writtenProductId: number | null;
  writtenQuantity: number | null;
}

/** Links between Etsy products and catalog variants, with the per-link baselines of the three-way merge. */
export class LinksRepo {
  private readonly sqlite: Database.Database;
  private readonly upsertLinkStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
    this.upsertLinkStmt = sqlite.prepare(`
      INSERT INTO sku_links (listing_id, product_key, variant_id, baseline_etsy, baseline_catalog, baseline_at)
      VALUES (@listingId, @productKey, @variantId, @baselineEtsy, @baselineCatalog, @now)
      ON CONFLICT (listing_id, product_key) DO UPDATE SET variant_id = excluded.variant_id,
        baseline_etsy = excluded.baseline_etsy, baseline_catalog = excluded.baseline_catalog,
        baseline_at = excluded.baseline_at`);
  }

  /**
   * All links, or with `of` only those of these SKUs or on these listings (one SKU group's, so a full
   * run planned group by group never holds every link at once).
   */
  listLinks(of?: { skus: readonly string[]; listingIds: readonly number[] }): LinkRow[] {
    const filter = of
      ? 'WHERE v.sku IN (SELECT value FROM json_each(@skus)) OR l.listing_id IN (SELECT value FROM json_each(@listingIds))'
      : '';
    const statement = this.sqlite.prepare(
      `SELECT l.listing_id AS listingId, l.product_key AS productKey, v.sku AS sku, l.variant_id AS variantId,
         l.baseline_etsy AS baselineEtsy, l.baseline_catalog AS baselineCatalog,
         l.written_product_id AS writtenProductId, l.written_quantity AS writtenQuantity
       FROM sku_links l JOIN catalog_variants v ON v.id = l.variant_id ${filter} ORDER BY l.id`,
    );
    return (of ? statement.all({ skus: JSON.stringify(of.skus), listingIds: JSON.stringify(of.listingIds) }) : statement.all()) as LinkRow[];
  }

  /** Sets both baselines of a link (creating the link when the product is new). */
  setBaselines(input: { listingId: number; productKey: string; variantId: number; baselineEtsy: number; baselineCatalog: number }, now: number): void {
    this.upsertLinkStmt.run({ ...input, now });
  }

  /** After a confirmed write: the quantity Etsy now holds and the product id the write created. */
  setWritten(input: { listingId: number; productKey: string; productId: number | null; quantity: number }, now: number): void {
    const { listingId, productKey, productId, quantity } = input;
    this.sqlite
      .prepare(
        `UPDATE sku_links SET baseline_etsy = ?, written_product_id = ?, written_quantity = ?, written_at = ?
         WHERE listing_id = ? AND product_key = ?`,
      )
      .run(quantity, productId, quantity, now, listingId, productKey);
  }

  /** Raises a link's Etsy baseline so the next pass sees a sale that a write overwrote as a decrease. */
  addToEtsyBaseline(input: { listingId: number; productKey: string; amount: number }): void {
    const { listingId, productKey, amount } = input;
    this.sqlite
      .prepare('UPDATE sku_links SET baseline_etsy = baseline_etsy + ? WHERE listing_id = ? AND product_key = ?')
      .run(amount, listingId, productKey);
  }
}
