/**
 * The window's Catalog page, read a page at a time: variants in SKU order (keyset paging on the unique
 * SKU, so page 200 costs what page 1 costs), with a search over SKU and title, a filter, the Etsy
 * listings each SKU is linked to, and its newest history row. The links and history are read for the
 * page's variants only, so 20,000 variants never load whole.
 */
import type Database from 'better-sqlite3';

export const CATALOG_PAGE_FILTERS = ['low_stock', 'not_on_etsy', 'sold_out'] as const;
export type CatalogPageFilter = (typeof CATALOG_PAGE_FILTERS)[number];

export interface CatalogPageQuery {
  /** Part of a SKU or title, any case. */
  query?: string;
  filter?: CatalogPageFilter;
  /** Keyset paging: only SKUs after this one. */
  afterSku?: string;
  limit: number;
  /** The global low-stock threshold (0 = off); a variant's own threshold wins. */
  lowStockThreshold: number;
}

export interface CatalogPageRow {
  sku: string;
  title: string;
  quantity: number;
  priceAmount: number;
  currency: string;
  updatedAt: number;
  /** This variant's own level; null = the global setting. */
  lowStockThreshold: number | null;
  low: boolean;
  listings: { listingId: number; state: string; removed: boolean }[];
  lastChange: { at: number; reason: string; explanation: string } | null;
}

/** Linked to a listing Etsy still has (a removed listing does not count as "on Etsy"). */
const ON_ETSY = `EXISTS (SELECT 1 FROM sku_links l JOIN etsy_listings e ON e.listing_id = l.listing_id
  WHERE l.variant_id = v.id AND e.removed_at IS NULL AND e.state != 'removed')`;

/**
 * Low: in stock, at or below the variant's own threshold, else the global one; 0 = never low. Sold out
 * has its own filter, so originals sold once do not count as low forever.
 */
const LEVEL = 'coalesce(v.low_stock_threshold, @threshold)';
export const LOW_STOCK_SQL = `(v.quantity > 0 AND v.quantity <= ${LEVEL} AND ${LEVEL} > 0)`;

export class CatalogPageRepo {
  constructor(private readonly sqlite: Database.Database) {}

  /** How many variants are low (the status's `lowStock`): one indexed-free count, fine for 20,000 rows. */
  countLow(threshold: number): number {
    return (this.sqlite.prepare(`SELECT count(*) AS n FROM catalog_variants v WHERE ${LOW_STOCK_SQL}`).get({ threshold }) as { n: number }).n;
  }

  /** A variant's own low-stock level (0 = never low), or null to follow the global setting. False: no such SKU. */
  setLowStockThreshold(sku: string, threshold: number | null): boolean {
    return this.sqlite.prepare('UPDATE catalog_variants SET low_stock_threshold = ? WHERE sku = ?').run(threshold, sku).changes === 1;
  }

  page(input: CatalogPageQuery): CatalogPageRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: input.limit, threshold: input.lowStockThreshold };
    if (input.afterSku !== undefined) {
      where.push('v.sku > @afterSku');
      params.afterSku = input.afterSku;
    }
    const query = input.query?.trim() ?? '';
    if (query !== '') {
      where.push(`(v.sku LIKE @like ESCAPE '\\' OR (p.title || coalesce(' — ' || v.title, '')) LIKE @like ESCAPE '\\')`);
      params.like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (input.filter === 'sold_out') where.push('v.quantity = 0');
    else if (input.filter === 'not_on_etsy') where.push(`NOT ${ON_ETSY}`);
    else if (input.filter === 'low_stock') where.push(LOW_STOCK_SQL);
    const variants = this.sqlite
      .prepare(
        `SELECT v.id, v.sku, p.title AS productTitle, v.title AS variantTitle, v.quantity, v.price_amount AS priceAmount,
           v.currency, v.updated_at AS updatedAt, v.low_stock_threshold AS lowStockThreshold, ${LOW_STOCK_SQL} AS low
         FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.sku LIMIT @limit`,
      )
      .all(params) as {
      id: number;
      sku: string;
      productTitle: string;
      variantTitle: string | null;
      quantity: number;
      priceAmount: number;
      currency: string;
      updatedAt: number;
      lowStockThreshold: number | null;
      low: number;
    }[];
    if (variants.length === 0) return [];
    const ids = JSON.stringify(variants.map((v) => v.id));
    const skus = JSON.stringify(variants.map((v) => v.sku));
    const links = this.sqlite
      .prepare(
        `SELECT DISTINCT l.variant_id AS variantId, l.listing_id AS listingId, coalesce(e.state, 'unknown') AS state,
           e.removed_at IS NOT NULL AS removed
         FROM sku_links l LEFT JOIN etsy_listings e ON e.listing_id = l.listing_id
         WHERE l.variant_id IN (SELECT value FROM json_each(?)) ORDER BY l.listing_id`,
      )
      .all(ids) as { variantId: number; listingId: number; state: string; removed: number }[];
    const changes = this.sqlite
      .prepare(
        `SELECT sku, at, reason, explanation FROM change_history
         WHERE id IN (SELECT max(id) FROM change_history WHERE sku IN (SELECT value FROM json_each(?)) GROUP BY sku)`,
      )
      .all(skus) as { sku: string; at: number; reason: string; explanation: string }[];
    const lastBySku = new Map(changes.map((c) => [c.sku, { at: c.at, reason: c.reason, explanation: c.explanation }]));
    return variants.map((v) => ({
      sku: v.sku,
      title: v.variantTitle === null ? v.productTitle : `${v.productTitle} — ${v.variantTitle}`,
      quantity: v.quantity,
      priceAmount: v.priceAmount,
      currency: v.currency,
      updatedAt: v.updatedAt,
      lowStockThreshold: v.lowStockThreshold,
      low: v.low === 1,
      listings: links.filter((l) => l.variantId === v.id).map((l) => ({ listingId: l.listingId, state: l.state, removed: l.removed === 1 })),
      lastChange: lastBySku.get(v.sku) ?? null,
    }));
  }
}
