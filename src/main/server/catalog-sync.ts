/**
 * The catalog adapter for the server link. With the link on, the server's product_variants is the
 * catalog; the sync engine keeps working on the local catalog_variants (its transaction stays local and
 * synchronous), which becomes a cache of the server:
 *
 * - pullBeforeSync: first pushes any local change not yet on the server, then copies the server's
 *   variants into the cache and records each one's server stock and version (server_catalog_state).
 * - pushAfterSync: every cached SKU whose stock differs from the server stock it was based on is written
 *   with `UPDATE ... WHERE sku = $ AND version = $read`. If someone changed the row meanwhile the write
 *   matches nothing: the row is re-read and the server gets `their stock + our delta` — never our value
 *   over theirs. The cache takes the merged value while the link baselines (bL) stay, so the next sync
 *   sees their edit as a local edit and pushes it to Etsy (docs/SYNC.md, "Server catalog").
 *
 * A local change that cannot be pushed (server away) stays in the cache and is pushed, merged the same
 * way, on the next attempt; a pull never overwrites it. This file holds the Postgres side only; the
 * cache's SQLite reads and writes are store/server-catalog-repo.ts.
 */
import type pg from 'pg';
import type { CachedVariant, ServerCatalogRepo, ServerVariant } from '../store/server-catalog-repo';
import { isConnectionError } from './connection';

export interface CatalogMerge {
  sku: string;
  /** Stock the server had when we last read it. */
  base: number;
  /** What the sync made of it locally (base + our delta). */
  ours: number;
  /** What someone else wrote on the server meanwhile. */
  theirs: number;
  /** What the server and the cache now hold: max(0, theirs + ours − base). */
  merged: number;
}

export interface CatalogPushResult {
  pushed: string[];
  created: string[];
  merged: CatalogMerge[];
}

export interface CatalogPullResult extends CatalogPushResult {
  /** SKUs whose cached row changed because the server's did. */
  updatedFromServer: string[];
}

/** What Core calls around an inventory sync when the server link is on. */
export interface CatalogSync {
  pullBeforeSync(signal?: AbortSignal): Promise<CatalogPullResult>;
  pushAfterSync(signal?: AbortSignal): Promise<CatalogPushResult>;
}

interface ServerRow {
  sku: string;
  variant_title: string | null;
  product_title: string;
  stock: number;
  price_amount: number;
  currency: string;
  version: number;
}

const MAX_MERGE_ATTEMPTS = 5;

export class ServerCatalogSync implements CatalogSync {
  /** Pulls and pushes in flight: the server edit watcher waits for them before it tells ours from theirs. */
  private active = 0;

  constructor(
    private readonly cache: ServerCatalogRepo,
    private readonly pool: () => Promise<pg.Pool | null>,
  ) {}

  /** True while a pull or push runs (its writes fire the server's trigger before their versions are recorded). */
  busy(): boolean {
    return this.active > 0;
  }

  /** What the cache last knew of each server variant: a change matching it is ours, or already pulled. */
  knownStates(): Map<string, { version: number; stock: number }> {
    return this.cache.serverStates();
  }

  async pullBeforeSync(signal?: AbortSignal): Promise<CatalogPullResult> {
    this.active += 1;
    try {
      return await this.pull(signal);
    } finally {
      this.active -= 1;
    }
  }

  async pushAfterSync(signal?: AbortSignal): Promise<CatalogPushResult> {
    this.active += 1;
    try {
      return await this.push(signal);
    } finally {
      this.active -= 1;
    }
  }

  private async pull(signal?: AbortSignal): Promise<CatalogPullResult> {
    const pushed = await this.push(signal);
    const pool = await this.pool();
    if (!pool) return { ...pushed, updatedFromServer: [] };
    const server = await pool.query<ServerRow>(
      `SELECT v.sku, v.title AS variant_title, p.title AS product_title, v.stock, v.price_amount, v.currency, v.version
       FROM product_variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku`,
    );
    const updatedFromServer = this.cache.cacheServerRows(server.rows.map(serverVariantFromSql));
    return { ...pushed, updatedFromServer };
  }

  private async push(signal?: AbortSignal): Promise<CatalogPushResult> {
    const result: CatalogPushResult = { pushed: [], created: [], merged: [] };
    const pool = await this.pool();
    if (!pool) return result;
    const pending = this.cache.pendingPushes();
    for (const row of pending) {
      if (signal?.aborted) break;
      try {
        await this.pushOne(pool, row, result);
      } catch (error) {
        // Server away: everything not pushed stays pending in the cache. Other errors (a constraint)
        // concern one SKU only; it is retried next time.
        if (isConnectionError(error)) throw error;
      }
    }
    return result;
  }

  private async pushOne(pool: pg.Pool, row: CachedVariant, result: CatalogPushResult): Promise<void> {
    if (row.serverVersion === null || row.serverStock === null) {
      const created = await this.createOnServer(pool, row);
      if (created) {
        this.cache.recordServerState(row.sku, created.version, row.quantity);
        result.created.push(row.sku);
        return;
      }
      // The SKU exists on the server but we never read it: the server's stock is the base (delta 0).
      const current = await this.readServer(pool, row.sku);
      if (!current) return;
      this.cache.applyServerStock(row, row.quantity, current.stock, current.version);
      return;
    }
    const base = row.serverStock;
    const delta = row.quantity - base;
    let expected = row.serverVersion;
    let target = row.quantity;
    let theirs = base;
    for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt += 1) {
      const updated = await pool.query<{ version: number }>(
        `UPDATE product_variants SET stock = $1, version = version + 1, updated_at = now() WHERE sku = $2 AND version = $3 RETURNING version`,
        [target, row.sku, expected],
      );
      const version = updated.rows[0]?.version;
      if (version !== undefined) {
        if (attempt === 0) {
          this.cache.recordServerState(row.sku, version, target);
          result.pushed.push(row.sku);
        } else {
          this.cache.applyServerStock(row, row.quantity, target, version);
          result.merged.push({ sku: row.sku, base, ours: row.quantity, theirs, merged: target });
        }
        return;
      }
      // Someone changed the row since we read it: merge our delta into their value, never overwrite.
      const current = await this.readServer(pool, row.sku);
      if (!current) return; // deleted on the server; the next pull no longer lists it
      theirs = current.stock;
      expected = current.version;
      target = Math.max(0, current.stock + delta);
    }
  }

  private async createOnServer(pool: pg.Pool, row: CachedVariant): Promise<{ version: number } | null> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const product = await client.query<{ id: number }>(
        `WITH found AS (
           SELECT p.id FROM products p WHERE p.title = $1 ORDER BY p.id LIMIT 1
         ), made AS (
           INSERT INTO products (title) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id
         ) SELECT id FROM found UNION ALL SELECT id FROM made`,
        [row.productTitle],
      );
      const inserted = await client.query<{ version: number }>(
        `INSERT INTO product_variants (product_id, sku, title, price_amount, currency, stock) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sku) DO NOTHING RETURNING version`,
        [product.rows[0]!.id, row.sku, row.variantTitle, row.priceAmount, row.currency, row.quantity],
      );
      await client.query(inserted.rows.length === 0 ? 'ROLLBACK' : 'COMMIT');
      return inserted.rows[0] ?? null;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async readServer(pool: pg.Pool, sku: string): Promise<{ stock: number; version: number } | undefined> {
    const read = await pool.query<{ stock: number; version: number }>('SELECT stock, version FROM product_variants WHERE sku = $1', [sku]);
    return read.rows[0];
  }
}

function serverVariantFromSql(row: ServerRow): ServerVariant {
  return {
    sku: row.sku,
    variantTitle: row.variant_title,
    productTitle: row.product_title,
    stock: row.stock,
    priceAmount: row.price_amount,
    currency: row.currency,
    version: row.version,
  };
}
