/**
 * Sends the local outbox to the server: each batch in ONE Postgres transaction of idempotent upserts
 * (history by event id: DO NOTHING; links and sync config: DO UPDATE), then marks the batch sent locally.
 * A crash between the remote commit and the local mark re-sends the batch, which changes nothing. While
 * the server is unreachable it backs off (exponential, full jitter, capped); the queue is in SQLite, so
 * it survives restarts. Ends with stop() (awaits the batch in flight).
 */
import type pg from 'pg';
import type { Settings } from '../../shared/settings';
import { inTransaction, isConnectionError } from './connection';
import type { ConfigEvent, HistoryEvent, MappingEvent, OutboxBatch, OutboxRepo } from '../store/outbox-repo';

export interface OutboxRelayOptions {
  outbox: OutboxRepo;
  /** The pool to the server, or null when the link is off / not configured (the relay then idles). */
  pool(): Promise<pg.Pool | null>;
  settings(): Settings;
  batchSize?: number;
  /** First retry delay and cap of the backoff (ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often to look for new rows when nobody calls notify(). */
  idleMs?: number;
  random?: () => number;
  /** Called with each failure (for status / logs); never given secrets. */
  onError?(error: unknown): void;
}

export interface RelayStatus {
  waiting: number;
  lastError: string | null;
  lastSentAt: number | null;
  retryAt: number | null;
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base·2^n)). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly idleMs: number;
  private readonly random: () => number;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastError: string | null = null;
  private lastSentAt: number | null = null;
  private retryAt: number | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /** Awaits the batch in flight; what is not sent stays queued. */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
    this.controller = null;
  }

  /** New rows were queued (a sync finished): send now instead of at the next idle tick. */
  notify(): void {
    this.wake?.();
  }

  status(): RelayStatus {
    return { waiting: this.options.outbox.pendingCount(), lastError: this.lastError, lastSentAt: this.lastSentAt, retryAt: this.retryAt };
  }

  /**
   * Sends every waiting row now, batch by batch. Resolves to the number of rows sent; throws the
   * connection error if the server cannot be reached (nothing is lost, the rows stay queued).
   */
  async drain(signal?: AbortSignal): Promise<number> {
    const pool = await this.options.pool();
    if (!pool) return 0;
    let sent = 0;
    for (;;) {
      if (signal?.aborted) return sent;
      const batch = this.options.outbox.readBatch(this.batchSize, this.options.settings());
      if (batch.ids.length === 0) return sent;
      await sendBatch(pool, batch);
      // The server has committed; from here a crash only means this batch is sent again (idempotent).
      this.options.outbox.markSent(batch.ids);
      sent += batch.ids.length;
      this.lastSentAt = Date.now();
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      let delay = this.idleMs;
      try {
        await this.drain(signal);
        this.options.outbox.pruneSent();
        attempt = 0;
        this.lastError = null;
        this.retryAt = null;
      } catch (error) {
        this.lastError = isConnectionError(error) ? 'The server cannot be reached.' : error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        delay = backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random);
        attempt += 1;
        this.retryAt = Date.now() + delay;
      }
      await this.sleep(delay, signal, attempt === 0);
    }
  }

  /** Waits `ms`, or until notify() (only when not backing off: a failing server is not hammered), or stop(). */
  private sleep(ms: number, signal: AbortSignal, wakeOnNotify: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.wake = wakeOnNotify ? done : null;
    });
  }
}

/** One Postgres transaction per batch; every statement is an idempotent upsert. */
export async function sendBatch(pool: pg.Pool, batch: OutboxBatch): Promise<void> {
  await inTransaction(pool, async (client) => {
    const history: HistoryEvent[] = [];
    for (const event of batch.events) {
      // History rows are independent of each other and of the mappings: they go in multi-row inserts.
      if (event.kind === 'history') history.push(event);
      else if (event.kind === 'mapping') await sendMapping(client, event);
      else await sendConfig(client, event);
    }
    for (let i = 0; i < history.length; i += HISTORY_ROWS_PER_INSERT) {
      await sendHistory(client, history.slice(i, i + HISTORY_ROWS_PER_INSERT));
    }
  });
}

/** 15 parameters a row; Postgres allows 65,535 parameters a statement. */
const HISTORY_ROWS_PER_INSERT = 1000;

async function sendHistory(client: pg.PoolClient, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, index) => {
    const p = index * 15;
    values.push(
      e.eventId,
      e.at,
      e.sku,
      e.listingId,
      e.side,
      e.field,
      JSON.stringify(e.before),
      JSON.stringify(e.after),
      e.reason,
      e.explanation,
      JSON.stringify(e.receiptIds),
      e.runId,
      e.status,
      e.status === 'failed' ? e.explanation : null,
      e.localId,
    );
    return `($${p + 1}::uuid, to_timestamp($${p + 2}::double precision / 1000), $${p + 3}::text, $${p + 4}::bigint, $${p + 5}, $${p + 6},
       $${p + 7}::jsonb, $${p + 8}::jsonb, $${p + 9}, $${p + 10}, $${p + 11}::jsonb, $${p + 12}::integer, $${p + 13}, $${p + 14}, $${p + 15}::bigint)`;
  });
  await client.query(
    `INSERT INTO etsy_inventory_sync_log (event_id, at, sku, variant_id, listing_id, side, field, before_value, after_value,
       reason, explanation, receipt_ids, run_id, status, error, local_id)
     SELECT r.event_id, r.at, r.sku, v.id, r.listing_id, r.side, r.field, r.before_value, r.after_value, r.reason,
       r.explanation, r.receipt_ids, r.run_id, r.status, r.error, r.local_id
     FROM (VALUES ${rows.join(',\n')}) AS r (event_id, at, sku, listing_id, side, field, before_value, after_value, reason,
       explanation, receipt_ids, run_id, status, error, local_id)
     LEFT JOIN product_variants v ON v.sku = r.sku
     ON CONFLICT (event_id) DO NOTHING`,
    values,
  );
}

async function sendMapping(client: pg.PoolClient, e: MappingEvent): Promise<void> {
  if (!e.current) {
    await client.query(`UPDATE etsy_products SET deleted_at = now(), updated_at = now() WHERE listing_id = $1 AND product_key = $2 AND deleted_at IS NULL`, [
      e.listingId,
      e.productKey,
    ]);
    return;
  }
  await client.query(
    `INSERT INTO etsy_products (listing_id, product_key, sku, product_id, variant_id, listing_title, listing_state, listing_url, updated_at, deleted_at)
     SELECT $1, $2, $3, v.product_id, v.id, $4, $5, $6, now(), CASE WHEN $7::boolean THEN now() ELSE NULL END
     FROM (SELECT 1) AS one LEFT JOIN product_variants v ON v.sku = $3
     ON CONFLICT (listing_id, product_key) DO UPDATE SET sku = excluded.sku, product_id = excluded.product_id,
       variant_id = excluded.variant_id, listing_title = excluded.listing_title, listing_state = excluded.listing_state,
       listing_url = excluded.listing_url, updated_at = excluded.updated_at,
       deleted_at = CASE WHEN $7::boolean THEN coalesce(etsy_products.deleted_at, now()) ELSE NULL END`,
    [e.listingId, e.productKey, e.current.sku, e.current.listingTitle, e.current.listingState, e.current.listingUrl, e.current.deleted],
  );
}

async function sendConfig(client: pg.PoolClient, e: ConfigEvent): Promise<void> {
  const c = e.config;
  if (!c) return;
  await client.query(
    `INSERT INTO etsy_sync_config (shop_id, shop_name, last_product_sync_at, last_inventory_sync_at, product_sync_enabled,
       inventory_sync_enabled, budget_used_today, budget_limit_per_day, budget_limit_per_second, updated_at)
     VALUES ($1, $2, to_timestamp($3::double precision / 1000), to_timestamp($4::double precision / 1000), $5, $6, $7, $8, $9, now())
     ON CONFLICT (shop_id) DO UPDATE SET shop_name = excluded.shop_name, last_product_sync_at = excluded.last_product_sync_at,
       last_inventory_sync_at = excluded.last_inventory_sync_at, product_sync_enabled = excluded.product_sync_enabled,
       inventory_sync_enabled = excluded.inventory_sync_enabled, budget_used_today = excluded.budget_used_today,
       budget_limit_per_day = excluded.budget_limit_per_day, budget_limit_per_second = excluded.budget_limit_per_second,
       updated_at = excluded.updated_at`,
    [c.shopId, c.shopName, c.lastProductSyncAt, c.lastInventorySyncAt, c.productSyncEnabled, c.inventorySyncEnabled, c.budgetUsedToday, c.budgetLimitPerDay, c.budgetLimitPerSecond],
  );
}
