/**
 * The local side of the server push: the `server_outbox` queue (filled by SQLite triggers in the same
 * transaction as each change, see drizzle/sqlite/0001_server_outbox.sql), switching it on with a
 * backfill, reading batches with the rows they describe, and marking them sent. This repository owns
 * `server_outbox` and the outbox's two `sync_state` keys; the rows a batch describes (history, links,
 * the shop's config) are read here too, so the relay gets typed events and no SQL. Synchronous, like
 * the rest of the store; the relay (src/main/server/outbox-relay.ts) does the network part.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Settings } from '../../shared/settings';

const FLAG_KEY = 'server.outbox';
const INSTALL_ID_KEY = 'server.installId';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistoryEvent {
  kind: 'history';
  outboxIds: number[];
  eventId: string;
  localId: number;
  runId: number;
  at: number;
  sku: string;
  listingId: number | null;
  side: string;
  field: string;
  before: unknown;
  after: unknown;
  reason: string;
  explanation: string;
  receiptIds: unknown;
  status: string;
}

export interface MappingEvent {
  kind: 'mapping';
  outboxIds: number[];
  listingId: number;
  productKey: string;
  /** null when the link is gone: the server row is soft-deleted. */
  current: { sku: string; listingTitle: string; listingState: string; listingUrl: string | null; deleted: boolean } | null;
}

export interface ConfigEvent {
  kind: 'config';
  outboxIds: number[];
  config: {
    shopId: number;
    shopName: string;
    lastProductSyncAt: number | null;
    lastInventorySyncAt: number | null;
    productSyncEnabled: boolean;
    inventorySyncEnabled: boolean;
    budgetUsedToday: number;
    budgetLimitPerDay: number;
    budgetLimitPerSecond: number;
  } | null;
}

export type OutboxEvent = HistoryEvent | MappingEvent | ConfigEvent;

export interface OutboxBatch {
  /** Every outbox row id the batch covers (coalesced mapping/config rows included). */
  ids: number[];
  events: OutboxEvent[];
}

export class OutboxRepo {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly now: () => number,
  ) {}

  isEnabled(): boolean {
    return this.state(FLAG_KEY) === 'on';
  }

  /**
   * Turns the outbox on. The first time (or after it was off), everything the server mirrors is queued
   * once in the same transaction, so history written while the link was off is not missing there; the
   * server ignores what it already has (event ids are stable per local row).
   */
  enable(): void {
    this.sqlite.transaction(() => {
      if (this.isEnabled()) return;
      const at = this.now();
      this.installId();
      this.setState(FLAG_KEY, 'on', at);
      this.sqlite.prepare(`INSERT INTO server_outbox (kind, ref, created_at) SELECT 'history', CAST(id AS TEXT), ? FROM change_history ORDER BY id`).run(at);
      this.sqlite
        .prepare(`INSERT INTO server_outbox (kind, ref, created_at) SELECT 'mapping', listing_id || ':' || product_key, ? FROM sku_links ORDER BY id`)
        .run(at);
      this.sqlite.prepare(`INSERT INTO server_outbox (kind, ref, created_at) SELECT 'config', 'shop', ? FROM etsy_connection`).run(at);
    })();
  }

  /** Stops queueing; what is queued stays and is sent if the link is turned on again. */
  disable(): void {
    this.setState(FLAG_KEY, 'off', this.now());
  }

  pendingCount(): number {
    return (this.sqlite.prepare('SELECT count(*) AS n FROM server_outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  }

  /** The oldest waiting rows (up to `limit`), with what they describe read now. */
  readBatch(limit: number, settings: Pick<Settings, 'productSyncEnabled' | 'inventorySyncEnabled'>): OutboxBatch {
    const rows = this.sqlite
      .prepare('SELECT id, kind, ref FROM server_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?')
      .all(limit) as { id: number; kind: 'history' | 'mapping' | 'config'; ref: string }[];
    const installId = this.installId();
    const events: OutboxEvent[] = [];
    const mappings = new Map<string, MappingEvent>();
    let config: ConfigEvent | null = null;
    const history = this.sqlite.prepare(
      `SELECT id, run_id, at, sku, listing_id, side, field, before_value, after_value, reason, explanation, receipt_ids, status
       FROM change_history WHERE id = ?`,
    );
    for (const row of rows) {
      if (row.kind === 'history') {
        const h = history.get(Number(row.ref)) as HistorySql | undefined;
        // Only a deleted history row can be missing: nothing to send; the row is marked sent with the batch.
        if (!h) continue;
        events.push({
          kind: 'history',
          outboxIds: [row.id],
          eventId: eventIdFor(installId, 'history', h.id),
          localId: h.id,
          runId: h.run_id,
          at: h.at,
          sku: h.sku,
          listingId: h.listing_id,
          side: h.side,
          field: h.field,
          before: h.before_value === null ? null : JSON.parse(h.before_value),
          after: h.after_value === null ? null : JSON.parse(h.after_value),
          reason: h.reason,
          explanation: h.explanation,
          receiptIds: JSON.parse(h.receipt_ids),
          status: h.status,
        });
      } else if (row.kind === 'mapping') {
        // Several queued changes of one link are sent once, with the link as it is now.
        const existing = mappings.get(row.ref);
        if (existing) {
          existing.outboxIds.push(row.id);
          continue;
        }
        const split = row.ref.indexOf(':');
        const listingId = Number(row.ref.slice(0, split));
        const productKey = row.ref.slice(split + 1);
        const event: MappingEvent = { kind: 'mapping', outboxIds: [row.id], listingId, productKey, current: this.mapping(listingId, productKey) };
        mappings.set(row.ref, event);
        events.push(event);
      } else {
        if (config) {
          config.outboxIds.push(row.id);
          continue;
        }
        config = { kind: 'config', outboxIds: [row.id], config: this.config(settings) };
        events.push(config);
      }
    }
    return { ids: rows.map((r) => r.id), events };
  }

  markSent(ids: readonly number[]): void {
    if (ids.length === 0) return;
    const at = this.now();
    this.sqlite.prepare('UPDATE server_outbox SET sent_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND sent_at IS NULL').run(at, JSON.stringify(ids));
  }

  /** Sent rows are kept a week for diagnosis, then removed. */
  pruneSent(): number {
    return this.sqlite.prepare('DELETE FROM server_outbox WHERE sent_at IS NOT NULL AND sent_at < ?').run(this.now() - 7 * DAY_MS).changes;
  }

  /** A random id per data folder, so event ids of two installations never collide on one server. */
  installId(): string {
    const existing = this.state(INSTALL_ID_KEY);
    if (existing) return existing;
    const id = crypto.randomUUID();
    this.setState(INSTALL_ID_KEY, id, this.now());
    return id;
  }

  private mapping(listingId: number, productKey: string): MappingEvent['current'] {
    const row = this.sqlite
      .prepare(
        `SELECT v.sku AS sku, l.title AS title, l.state AS state, l.url AS url, l.removed_at AS removed_at,
           p.is_deleted AS is_deleted, p.sku AS etsy_sku
         FROM sku_links k JOIN catalog_variants v ON v.id = k.variant_id
         LEFT JOIN etsy_listings l ON l.listing_id = k.listing_id
         LEFT JOIN etsy_products p ON p.listing_id = k.listing_id AND p.product_key = k.product_key
         WHERE k.listing_id = ? AND k.product_key = ?`,
      )
      .get(listingId, productKey) as
      | { sku: string; title: string | null; state: string | null; url: string | null; removed_at: number | null; is_deleted: number | null; etsy_sku: string | null }
      | undefined;
    if (!row) return null;
    const gone = row.removed_at !== null || row.is_deleted === 1 || (row.etsy_sku !== null && row.etsy_sku !== row.sku);
    return { sku: row.sku, listingTitle: row.title ?? '', listingState: row.state ?? 'unknown', listingUrl: row.url, deleted: gone };
  }

  private config(settings: Pick<Settings, 'productSyncEnabled' | 'inventorySyncEnabled'>): ConfigEvent['config'] {
    const shop = this.sqlite.prepare('SELECT shop_id, shop_name FROM etsy_connection WHERE id = 1').get() as { shop_id: number; shop_name: string } | undefined;
    if (!shop) return null;
    const last = (kind: string) =>
      (this.sqlite.prepare(`SELECT max(finished_at) AS at FROM sync_runs WHERE kind = ? AND dry_run = 0 AND status IN ('ok', 'partial')`).get(kind) as { at: number | null }).at;
    const limits = this.sqlite.prepare('SELECT limit_per_second, limit_per_day FROM rate_limit_state WHERE id = 1').get() as
      | { limit_per_second: number; limit_per_day: number }
      | undefined;
    const used = (this.sqlite.prepare('SELECT coalesce(sum(count), 0) AS n FROM api_call_log WHERE bucket_start >= ?').get(this.now() - DAY_MS) as { n: number }).n;
    return {
      shopId: shop.shop_id,
      shopName: shop.shop_name,
      lastProductSyncAt: last('products'),
      lastInventorySyncAt: last('inventory'),
      productSyncEnabled: settings.productSyncEnabled,
      inventorySyncEnabled: settings.inventorySyncEnabled,
      budgetUsedToday: used,
      budgetLimitPerDay: limits?.limit_per_day ?? 5000,
      budgetLimitPerSecond: limits?.limit_per_second ?? 5,
    };
  }

  private state(key: string): string | undefined {
    return (this.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private setState(key: string, value: string, at: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, at);
  }
}

/** A stable UUID (version 8, name-based with SHA-256) for one local row: the server's idempotence key. */
export function eventIdFor(installId: string, kind: string, localId: number): string {
  const hash = crypto.createHash('sha256').update(`${installId}:${kind}:${localId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A change_history row as SQLite returns it (snake_case columns). */
export interface HistorySql {
  id: number;
  run_id: number;
  at: number;
  sku: string;
  listing_id: number | null;
  side: string;
  field: string;
  before_value: string | null;
  after_value: string | null;
  reason: string;
  explanation: string;
  receipt_ids: string;
  status: string;
}
