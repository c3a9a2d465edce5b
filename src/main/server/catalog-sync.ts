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
 * way, on the next attempt; a pull never overwrites it.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
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

interface LocalRow {
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
  constructor(
    private readonly sqlite: Database.Database,
    private readonly pool: () => Promise<pg.Pool | null>,
    private readonly now: () => number,
  ) {}

  async pullBeforeSync(signal?: AbortSignal): Promise<CatalogPullResult> {
    const pushed = await this.pushAfterSync(signal);
    const pool = await this.pool();
    if (!pool) return { ...pushed, updatedFromServer: [] };
    const server = await pool.query<ServerRow>(
      `SELECT v.sku, v.title AS variant_title, p.title AS product_title, v.stock, v.price_amount, v.currency, v.version
       FROM product_variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku`,
    );
    const updatedFromServer: string[] = [];
    this.sqlite.transaction(() => {
      const at = this.now();
      for (const row of server.rows) {
        const local = this.local(row.sku);
        if (local && local.server_stock !== null && local.quantity !== local.server_stock) continue; // not pushed yet
        if (!local) {
          this.insertLocal(row, at);
          updatedFromServer.push(row.sku);
        } else if (
          local.quantity !== row.stock ||
          local.price_amount !== row.price_amount ||
          local.currency !== row.currency ||
          local.variant_title !== row.variant_title ||
          local.product_title !== row.product_title
        ) {
          this.sqlite
            .prepare(
              `UPDATE catalog_variants SET quantity = ?, price_amount = ?, currency = ?, title = ?, version = version + 1, updated_at = ?
               WHERE id = ?`,
            )
            .run(row.stock, row.price_amount, row.currency, row.variant_title, at, local.id);
          this.sqlite
            .prepare('UPDATE catalog_products SET title = ?, updated_at = ? WHERE id = (SELECT product_id FROM catalog_variants WHERE id = ?) AND title != ?')
            .run(row.product_title, at, local.id, row.product_title);
          updatedFromServer.push(row.sku);
        }
        this.record(row.sku, row.version, row.stock, at);
      }
    })();
    return { ...pushed, updatedFromServer };
  }

  async pushAfterSync(signal?: AbortSignal): Promise<CatalogPushResult> {
    const result: CatalogPushResult = { pushed: [], created: [], merged: [] };
    const pool = await this.pool();
    if (!pool) return result;
    const pending = this.sqlite
      .prepare(
        `SELECT v.id, v.sku, v.quantity, v.price_amount, v.currency, v.title AS variant_title, p.title AS product_title,
           s.server_version, s.server_stock
         FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
         LEFT JOIN server_catalog_state s ON s.sku = v.sku
         WHERE s.sku IS NULL OR s.server_stock != v.quantity ORDER BY v.sku`,
      )
      .all() as LocalRow[];
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

  private async pushOne(pool: pg.Pool, row: LocalRow, result: CatalogPushResult): Promise<void> {
    if (row.server_version === null || row.server_stock === null) {
      const created = await this.createOnServer(pool, row);
      if (created) {
        this.sqlite.transaction(() => this.record(row.sku, created.version, row.quantity, this.now()))();
        result.created.push(row.sku);
        return;
      }
      // The SKU exists on the server but we never read it: the server's stock is the base (delta 0).
      const current = await this.readServer(pool, row.sku);
      if (!current) return;
      this.applyMerge(row, row.quantity, current.stock, current.version);
      return;
    }
    const base = row.server_stock;
    const delta = row.quantity - base;
    let expected = row.server_version;
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
          this.sqlite.transaction(() => this.record(row.sku, version, target, this.now()))();
          result.pushed.push(row.sku);
        } else {
          this.applyMerge(row, row.quantity, target, version);
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

  /**
   * The server now holds `serverStock` at `version`. The cache takes it (plus any local change made
   * since `pushedFrom` was read); the link baselines are left alone, so the difference is seen as a
   * local edit by the next sync and goes to Etsy.
   */
  private applyMerge(row: LocalRow, pushedFrom: number, serverStock: number, version: number): void {
    this.sqlite.transaction(() => {
      const now = this.now();
      const current = this.sqlite.prepare('SELECT quantity FROM catalog_variants WHERE id = ?').get(row.id) as { quantity: number } | undefined;
      if (!current) return;
      const local = Math.max(0, serverStock + (current.quantity - pushedFrom));
      if (local !== current.quantity) {
        this.sqlite.prepare('UPDATE catalog_variants SET quantity = ?, version = version + 1, updated_at = ? WHERE id = ?').run(local, now, row.id);
      }
      this.record(row.sku, version, serverStock, now);
    })();
  }

  private async createOnServer(pool: pg.Pool, row: LocalRow): Promise<{ version: number } | null> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const product = await client.query<{ id: number }>(
        `WITH found AS (
           SELECT p.id FROM products p WHERE p.title = $1 ORDER BY p.id LIMIT 1
         ), made AS (
           INSERT INTO products (title) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id
         ) SELECT id FROM found UNION ALL SELECT id FROM made`,
        [row.product_title],
      );
      const inserted = await client.query<{ version: number }>(
        `INSERT INTO product_variants (product_id, sku, title, price_amount, currency, stock) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sku) DO NOTHING RETURNING version`,
        [product.rows[0]!.id, row.sku, row.variant_title, row.price_amount, row.currency, row.quantity],
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

  private local(sku: string): LocalRow | undefined {
    return this.sqlite
      .prepare(
        `SELECT v.id, v.sku, v.quantity, v.price_amount, v.currency, v.title AS variant_title, p.title AS product_title,
           s.server_version, s.server_stock
         FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
         LEFT JOIN server_catalog_state s ON s.sku = v.sku WHERE v.sku = ?`,
      )
      .get(sku) as LocalRow | undefined;
  }

  private insertLocal(row: ServerRow, at: number): void {
    const existing = this.sqlite.prepare('SELECT id FROM catalog_products WHERE title = ? ORDER BY id LIMIT 1').get(row.product_title) as { id: number } | undefined;
    const productId =
      existing?.id ??
      Number(this.sqlite.prepare('INSERT INTO catalog_products (title, created_at, updated_at) VALUES (?, ?, ?)').run(row.product_title, at, at).lastInsertRowid);
    this.sqlite
      .prepare(
        `INSERT INTO catalog_variants (product_id, sku, title, quantity, price_amount, currency, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(productId, row.sku, row.variant_title, row.stock, row.price_amount, row.currency, at, at);
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
