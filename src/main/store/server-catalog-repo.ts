/**
 * The local side of the server catalog (src/main/server/catalog-sync.ts does the Postgres side). With
 * the server link on, catalog_variants is a cache of the server's product_variants, and
 * `server_catalog_state` records, per SKU, the server stock and version the cache was last based on.
 * This repository owns `server_catalog_state` and is the one writer of server-origin values into the
 * catalog tables; like every catalog write, each one bumps the variant's `version` and `updated_at`.
 */
import type Database from 'better-sqlite3';

/** A cached catalog variant with the server state it was last based on. */
export interface CachedVariant {
  id: number;
  sku: string;
  quantity: number;
  priceAmount: number;
  currency: string;
  variantTitle: string | null;
  productTitle: string;
  /** null when the SKU was never read from (or written to) the server. */
  serverVersion: number | null;
  serverStock: number | null;
}

/** A server variant as the catalog adapter read it. */
export interface ServerVariant {
  sku: string;
  variantTitle: string | null;
  productTitle: string;
  stock: number;
  priceAmount: number;
  currency: string;
  version: number;
}

interface CachedSql {
  id: number;
  sku: string;
  quantity: number;
  price_amount: number;
  currency: string;
  variant_title: string | null;
  product_title: string;
  server_version: number | null;
  server_stock: number | null;
}

const CACHED_SELECT = `SELECT v.id, v.sku, v.quantity, v.price_amount, v.currency, v.title AS variant_title, p.title AS product_title,
    s.server_version, s.server_stock
  FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
  LEFT JOIN server_catalog_state s ON s.sku = v.sku`;

function cachedFromSql(row: CachedSql): CachedVariant {
  return {
    id: row.id,
    sku: row.sku,
    quantity: row.quantity,
    priceAmount: row.price_amount,
    currency: row.currency,
    variantTitle: row.variant_title,
    productTitle: row.product_title,
    serverVersion: row.server_version,
    serverStock: row.server_stock,
  };
}

export class ServerCatalogRepo {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly now: () => number,
  ) {}

  /**
   * Copies the server's variants into the cache in one transaction and records each one's server
   * stock and version. A cached SKU with a local change not yet pushed (its stock differs from the
   * server stock it was based on) is left alone: a pull never overwrites it. Returns the SKUs whose
   * cached row changed because the server's did.
   */
  cacheServerRows(rows: readonly ServerVariant[]): string[] {
    const updatedFromServer: string[] = [];
    this.sqlite.transaction(() => {
      const at = this.now();
      for (const row of rows) {
        const local = this.cached(row.sku);
        if (local && local.serverStock !== null && local.quantity !== local.serverStock) continue; // not pushed yet
        if (!local) {
          this.insertLocal(row, at);
          updatedFromServer.push(row.sku);
        } else if (
          local.quantity !== row.stock ||
          local.priceAmount !== row.priceAmount ||
          local.currency !== row.currency ||
          local.variantTitle !== row.variantTitle ||
          local.productTitle !== row.productTitle
        ) {
          this.sqlite
            .prepare(
              `UPDATE catalog_variants SET quantity = ?, price_amount = ?, currency = ?, title = ?, version = version + 1, updated_at = ?
               WHERE id = ?`,
            )
            .run(row.stock, row.priceAmount, row.currency, row.variantTitle, at, local.id);
          this.sqlite
            .prepare('UPDATE catalog_products SET title = ?, updated_at = ? WHERE id = (SELECT product_id FROM catalog_variants WHERE id = ?) AND title != ?')
            .run(row.productTitle, at, local.id, row.productTitle);
          updatedFromServer.push(row.sku);
        }
        this.record(row.sku, row.version, row.stock, at);
      }
    })();
    return updatedFromServer;
  }

  /** Cached SKUs the server does not have yet, or whose stock differs from the server stock they were based on. */
  pendingPushes(): CachedVariant[] {
    return (this.sqlite.prepare(`${CACHED_SELECT} WHERE s.sku IS NULL OR s.server_stock != v.quantity ORDER BY v.sku`).all() as CachedSql[]).map(
      cachedFromSql,
    );
  }

  /** Per SKU, the server stock and version the cache was last based on (what Art Sync wrote or read last). */
  serverStates(): Map<string, { version: number; stock: number }> {
    const rows = this.sqlite.prepare('SELECT sku, server_version, server_stock FROM server_catalog_state').all() as { sku: string; server_version: number; server_stock: number }[];
    return new Map(rows.map((r) => [r.sku, { version: r.server_version, stock: r.server_stock }]));
  }

  /** The server now holds `stock` at `version` for `sku` (our write landed as it was). */
  recordServerState(sku: string, version: number, stock: number): void {
    this.sqlite.transaction(() => this.record(sku, version, stock, this.now()))();
  }

  /**
   * The server now holds `serverStock` at `version`. The cache takes it (plus any local change made
   * since `pushedFrom` was read); the link baselines are left alone, so the difference is seen as a
   * local edit by the next sync and goes to Etsy.
   */
  applyServerStock(variant: Pick<CachedVariant, 'id' | 'sku'>, pushedFrom: number, serverStock: number, version: number): void {
    this.sqlite.transaction(() => {
      const now = this.now();
      const current = this.sqlite.prepare('SELECT quantity FROM catalog_variants WHERE id = ?').get(variant.id) as { quantity: number } | undefined;
      if (!current) return;
      const local = Math.max(0, serverStock + (current.quantity - pushedFrom));
      if (local !== current.quantity) {
        this.sqlite.prepare('UPDATE catalog_variants SET quantity = ?, version = version + 1, updated_at = ? WHERE id = ?').run(local, now, variant.id);
      }
      this.record(variant.sku, version, serverStock, now);
    })();
  }

  private cached(sku: string): CachedVariant | undefined {
    const row = this.sqlite.prepare(`${CACHED_SELECT} WHERE v.sku = ?`).get(sku) as CachedSql | undefined;
    return row ? cachedFromSql(row) : undefined;
  }

  private insertLocal(row: ServerVariant, at: number): void {
    const existing = this.sqlite.prepare('SELECT id FROM catalog_products WHERE title = ? ORDER BY id LIMIT 1').get(row.productTitle) as { id: number } | undefined;
    const productId =
      existing?.id ??
      Number(this.sqlite.prepare('INSERT INTO catalog_products (title, created_at, updated_at) VALUES (?, ?, ?)').run(row.productTitle, at, at).lastInsertRowid);
    this.sqlite
      .prepare(
        `INSERT INTO catalog_variants (product_id, sku, title, quantity, price_amount, currency, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(productId, row.sku, row.variantTitle, row.stock, row.priceAmount, row.currency, at, at);
  }

  private record(sku: string, version: number, stock: number, at: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO server_catalog_state (sku, server_version, server_stock, synced_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (sku) DO UPDATE SET server_version = excluded.server_version, server_stock = excluded.server_stock,
           synced_at = excluded.synced_at`,
      )
      .run(sku, version, stock, at);
  }
}
