import type Database from 'better-sqlite3';
import type { AttentionKind, ChangeField, ChangeSide, ChangeStatus, SyncRunKind, SyncRunStatus, SyncRunTrigger } from './schema';

/**
 * What the sync engine remembers between runs: links with their baselines, runs, the per-item history,
 * "needs attention", write intents, receipts and watermarks. Plain prepared statements; every method
 * that writes several rows is meant to be called inside the engine's own transaction.
 */
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

export interface HistoryInsert {
  runId: number;
  at: number;
  sku: string;
  listingId: number | null;
  side: ChangeSide;
  field: ChangeField;
  before: number | string | null;
  after: number | string | null;
  reason: string;
  explanation: string;
  receiptIds: readonly number[];
  status: ChangeStatus;
}

export interface HistoryRow extends Omit<HistoryInsert, 'receiptIds'> {
  id: number;
  receiptIds: number[];
}

export interface AttentionInput {
  kind: AttentionKind | string;
  listingId?: number | null;
  sku?: string | null;
  message: string;
  action?: string | null;
}

export interface AttentionRow {
  id: number;
  kind: string;
  listingId: number | null;
  sku: string | null;
  message: string;
  action: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface PendingWriteRow {
  id: number;
  listingId: number;
  runId: number | null;
  kind: 'inventory' | 'state';
  body: string;
  status: 'pending' | 'unknown' | 'written' | 'done' | 'failed';
  createdAt: number;
}

export interface ReceiptItemInput {
  receiptId: number;
  receiptStatus: string | null;
  receiptCreatedTs: number;
  receiptUpdatedTs: number | null;
  transactionId: number;
  listingId: number | null;
  etsyProductId: number | null;
  sku: string | null;
  quantity: number;
  createdTs: number;
}

export interface RunRow {
  id: number;
  kind: SyncRunKind;
  trigger: SyncRunTrigger;
  dryRun: boolean;
  startedAt: number;
  finishedAt: number | null;
  status: SyncRunStatus;
  callsUsed: number;
  changesCount: number;
  errorCode: string | null;
  errorMessage: string | null;
  summary: string | null;
}

export class SyncRepo {
  private readonly sqlite: Database.Database;
  private readonly insertHistoryStmt: Database.Statement;
  private readonly upsertLinkStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
    this.insertHistoryStmt = sqlite.prepare(`
      INSERT INTO change_history (run_id, at, sku, listing_id, side, field, before_value, after_value, reason,
        explanation, receipt_ids, status)
      VALUES (@runId, @at, @sku, @listingId, @side, @field, @before, @after, @reason, @explanation, @receiptIds,
        @status)`);
    this.upsertLinkStmt = sqlite.prepare(`
      INSERT INTO sku_links (listing_id, product_key, variant_id, baseline_etsy, baseline_catalog, baseline_at)
      VALUES (@listingId, @productKey, @variantId, @baselineEtsy, @baselineCatalog, @now)
      ON CONFLICT (listing_id, product_key) DO UPDATE SET variant_id = excluded.variant_id,
        baseline_etsy = excluded.baseline_etsy, baseline_catalog = excluded.baseline_catalog,
        baseline_at = excluded.baseline_at`);
  }

  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  // ------------------------------------------------------------------ links

  listLinks(): LinkRow[] {
    return this.sqlite
      .prepare(
        `SELECT l.listing_id AS listingId, l.product_key AS productKey, v.sku AS sku, l.variant_id AS variantId,
           l.baseline_etsy AS baselineEtsy, l.baseline_catalog AS baselineCatalog,
           l.written_product_id AS writtenProductId, l.written_quantity AS writtenQuantity
         FROM sku_links l JOIN catalog_variants v ON v.id = l.variant_id ORDER BY l.id`,
      )
      .all() as LinkRow[];
  }

  /** Sets both baselines of a link (creating the link when the product is new). */
  setBaselines(input: { listingId: number; productKey: string; variantId: number; baselineEtsy: number; baselineCatalog: number }, now: number): void {
    this.upsertLinkStmt.run({ ...input, now });
  }

  /** After a confirmed write: the quantity Etsy now holds and the product id the write created. */
  setWritten(listingId: number, productKey: string, productId: number | null, quantity: number, now: number): void {
    this.sqlite
      .prepare(
        `UPDATE sku_links SET baseline_etsy = ?, written_product_id = ?, written_quantity = ?, written_at = ?
         WHERE listing_id = ? AND product_key = ?`,
      )
      .run(quantity, productId, quantity, now, listingId, productKey);
  }

  /** Raises a link's Etsy baseline so the next pass sees a sale that a write overwrote as a decrease. */
  addToEtsyBaseline(listingId: number, productKey: string, amount: number): void {
    this.sqlite
      .prepare('UPDATE sku_links SET baseline_etsy = baseline_etsy + ? WHERE listing_id = ? AND product_key = ?')
      .run(amount, listingId, productKey);
  }

  // ------------------------------------------------------------------ runs

  startRun(input: { kind: SyncRunKind; trigger: SyncRunTrigger; dryRun: boolean }, now: number): number {
    const result = this.sqlite
      .prepare(`INSERT INTO sync_runs (kind, trigger, dry_run, started_at, status) VALUES (?, ?, ?, ?, 'running')`)
      .run(input.kind, input.trigger, input.dryRun ? 1 : 0, now);
    return Number(result.lastInsertRowid);
  }

  finishRun(
    runId: number,
    input: { status: SyncRunStatus; callsUsed: number; changesCount: number; errorCode?: string | null; errorMessage?: string | null; summary?: unknown },
    now: number,
  ): void {
    this.sqlite
      .prepare(
        `UPDATE sync_runs SET finished_at = ?, status = ?, calls_used = ?, changes_count = ?, error_code = ?,
           error_message = ?, summary = ? WHERE id = ?`,
      )
      .run(
        now,
        input.status,
        input.callsUsed,
        input.changesCount,
        input.errorCode ?? null,
        input.errorMessage ?? null,
        input.summary === undefined ? null : JSON.stringify(input.summary),
        runId,
      );
  }

  /** Runs left 'running' by a process that died: they did not finish. */
  closeAbandonedRuns(now: number): number {
    return this.sqlite
      .prepare(
        `UPDATE sync_runs SET status = 'failed', finished_at = ?, error_code = 'INTERRUPTED',
           error_message = 'Art Sync stopped before this sync finished.' WHERE status = 'running'`,
      )
      .run(now).changes;
  }

  lastRun(kind: SyncRunKind, options: { includeDryRuns?: boolean } = {}): RunRow | undefined {
    const row = this.sqlite
      .prepare(
        `SELECT * FROM sync_runs WHERE kind = ? AND status != 'running' ${options.includeDryRuns ? '' : 'AND dry_run = 0'}
         ORDER BY id DESC LIMIT 1`,
      )
      .get(kind) as RunSqlRow | undefined;
    return row ? runFromSql(row) : undefined;
  }

  listRuns(limit: number): RunRow[] {
    return (this.sqlite.prepare('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?').all(limit) as RunSqlRow[]).map(runFromSql);
  }

  // ------------------------------------------------------------------ history

  addHistory(rows: readonly HistoryInsert[]): void {
    for (const row of rows) {
      this.insertHistoryStmt.run({
        ...row,
        before: row.before === null ? null : JSON.stringify(row.before),
        after: row.after === null ? null : JSON.stringify(row.after),
        receiptIds: JSON.stringify(row.receiptIds),
      });
    }
  }

  /** Newest first; keyset pagination by id so a large history never loads whole. */
  listHistory(filter: {
    sku?: string;
    limit: number;
    beforeId?: number;
    runId?: number;
    side?: ChangeSide;
    field?: ChangeField;
    reason?: string;
    since?: number;
    until?: number;
  }): HistoryRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.sku !== undefined) {
      where.push('sku = @sku');
      params.sku = filter.sku;
    }
    if (filter.beforeId !== undefined) {
      where.push('id < @beforeId');
      params.beforeId = filter.beforeId;
    }
    if (filter.runId !== undefined) {
      where.push('run_id = @runId');
      params.runId = filter.runId;
    }
    if (filter.side !== undefined) {
      where.push('side = @side');
      params.side = filter.side;
    }
    if (filter.field !== undefined) {
      where.push('field = @field');
      params.field = filter.field;
    }
    if (filter.reason !== undefined) {
      where.push('reason = @reason');
      params.reason = filter.reason;
    }
    if (filter.since !== undefined) {
      where.push('at >= @since');
      params.since = filter.since;
    }
    if (filter.until !== undefined) {
      where.push('at < @until');
      params.until = filter.until;
    }
    const rows = this.sqlite
      .prepare(
        `SELECT id, run_id, at, sku, listing_id, side, field, before_value, after_value, reason, explanation,
           receipt_ids, status FROM change_history ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT @limit`,
      )
      .all(params) as HistorySqlRow[];
    return rows.map((row) => ({
      id: row.id,
      runId: row.run_id,
      at: row.at,
      sku: row.sku,
      listingId: row.listing_id,
      side: row.side,
      field: row.field,
      before: row.before_value === null ? null : (JSON.parse(row.before_value) as number | string),
      after: row.after_value === null ? null : (JSON.parse(row.after_value) as number | string),
      reason: row.reason,
      explanation: row.explanation,
      receiptIds: JSON.parse(row.receipt_ids) as number[],
      status: row.status,
    }));
  }

  // ------------------------------------------------------------------ needs attention

  /**
   * Replaces the open items of the given kinds with the current list: items still present are kept
   * (first seen stays), new ones are added, and those gone are marked resolved.
   */
  replaceAttention(kinds: readonly string[], items: readonly AttentionInput[], now: number): void {
    const upsert = this.sqlite.prepare(`
      INSERT INTO attention_items (kind, listing_id, sku, message, action, first_seen_at, last_seen_at, resolved_at)
      VALUES (@kind, @listingId, @sku, @message, @action, @now, @now, NULL)
      ON CONFLICT (kind, listing_id, sku) DO UPDATE SET message = excluded.message, action = excluded.action,
        last_seen_at = excluded.last_seen_at,
        first_seen_at = CASE WHEN resolved_at IS NULL THEN first_seen_at ELSE excluded.first_seen_at END,
        resolved_at = NULL`);
    for (const item of items) {
      upsert.run({
        kind: item.kind,
        listingId: item.listingId ?? 0,
        sku: item.sku ?? '',
        message: item.message,
        action: item.action ?? null,
        now,
      });
    }
    this.sqlite
      .prepare(
        `UPDATE attention_items SET resolved_at = @now WHERE resolved_at IS NULL AND last_seen_at < @now
           AND kind IN (SELECT value FROM json_each(@kinds))`,
      )
      .run({ now, kinds: JSON.stringify(kinds) });
  }

  addAttention(item: AttentionInput, now: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO attention_items (kind, listing_id, sku, message, action, first_seen_at, last_seen_at)
         VALUES (@kind, @listingId, @sku, @message, @action, @now, @now)
         ON CONFLICT (kind, listing_id, sku) DO UPDATE SET message = excluded.message, action = excluded.action,
           last_seen_at = excluded.last_seen_at, resolved_at = NULL`,
      )
      .run({ kind: item.kind, listingId: item.listingId ?? 0, sku: item.sku ?? '', message: item.message, action: item.action ?? null, now });
  }

  resolveAttention(kind: string, listingId: number | null, sku: string | null, now: number): void {
    this.sqlite
      .prepare('UPDATE attention_items SET resolved_at = ? WHERE kind = ? AND listing_id = ? AND sku = ? AND resolved_at IS NULL')
      .run(now, kind, listingId ?? 0, sku ?? '');
  }

  listAttention(): AttentionRow[] {
    const rows = this.sqlite
      .prepare(
        `SELECT id, kind, listing_id, sku, message, action, first_seen_at, last_seen_at FROM attention_items
         WHERE resolved_at IS NULL ORDER BY kind, listing_id, sku`,
      )
      .all() as { id: number; kind: string; listing_id: number; sku: string; message: string; action: string | null; first_seen_at: number; last_seen_at: number }[];
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      listingId: row.listing_id === 0 ? null : row.listing_id,
      sku: row.sku === '' ? null : row.sku,
      message: row.message,
      action: row.action,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
    }));
  }

  countAttention(): number {
    return (this.sqlite.prepare('SELECT count(*) AS n FROM attention_items WHERE resolved_at IS NULL').get() as { n: number }).n;
  }

  // ------------------------------------------------------------------ write intents

  addPendingWrite(input: { listingId: number; runId: number | null; kind: 'inventory' | 'state'; body: unknown }, now: number): number {
    const result = this.sqlite
      .prepare(
        `INSERT INTO pending_writes (listing_id, run_id, kind, body, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(input.listingId, input.runId, input.kind, JSON.stringify(input.body), now, now);
    return Number(result.lastInsertRowid);
  }

  setPendingWriteStatus(id: number, status: PendingWriteRow['status'], now: number): void {
    this.sqlite.prepare('UPDATE pending_writes SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
  }

  /** Intents whose outcome is not known: 'pending' ones belong to a process that died mid-write. */
  listUnresolvedWrites(): PendingWriteRow[] {
    return this.listWritesWithStatus(['pending', 'unknown']);
  }

  /** Writes applied on Etsy whose overwritten sales are not counted yet. */
  listWrittenWrites(): PendingWriteRow[] {
    return this.listWritesWithStatus(['written']);
  }

  private listWritesWithStatus(statuses: readonly PendingWriteRow['status'][]): PendingWriteRow[] {
    return (
      this.sqlite
        .prepare(
          `SELECT id, listing_id, run_id, kind, body, status, created_at FROM pending_writes
           WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY id`,
        )
        .all(...statuses) as { id: number; listing_id: number; run_id: number | null; kind: 'inventory' | 'state'; body: string; status: PendingWriteRow['status']; created_at: number }[]
    ).map((row) => ({
      id: row.id,
      listingId: row.listing_id,
      runId: row.run_id,
      kind: row.kind,
      body: row.body,
      status: row.status,
      createdAt: row.created_at,
    }));
  }

  // ------------------------------------------------------------------ receipts

  saveReceiptItems(items: readonly ReceiptItemInput[]): number {
    const receipt = this.sqlite.prepare(`
      INSERT INTO etsy_receipts (receipt_id, status, created_ts, updated_ts) VALUES (?, ?, ?, ?)
      ON CONFLICT (receipt_id) DO UPDATE SET status = excluded.status, updated_ts = excluded.updated_ts`);
    const item = this.sqlite.prepare(`
      INSERT INTO etsy_receipt_items (transaction_id, receipt_id, listing_id, etsy_product_id, sku, quantity, created_ts)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transaction_id) DO NOTHING`);
    let added = 0;
    for (const row of items) {
      receipt.run(row.receiptId, row.receiptStatus, row.receiptCreatedTs, row.receiptUpdatedTs);
      added += item.run(row.transactionId, row.receiptId, row.listingId, row.etsyProductId, row.sku, row.quantity, row.createdTs).changes;
    }
    return added;
  }

  /** Units sold of one Etsy product id, by the receipts stored so far. */
  soldOfProduct(etsyProductId: number): number {
    const row = this.sqlite
      .prepare('SELECT coalesce(sum(quantity), 0) AS n FROM etsy_receipt_items WHERE etsy_product_id = ?')
      .get(etsyProductId) as { n: number };
    return row.n;
  }

  /** Units sold of one Etsy product id in transactions created after a time (epoch seconds). */
  soldOfProductAfter(etsyProductId: number, afterTs: number): number {
    const row = this.sqlite
      .prepare('SELECT coalesce(sum(quantity), 0) AS n FROM etsy_receipt_items WHERE etsy_product_id = ? AND created_ts > ?')
      .get(etsyProductId, afterTs) as { n: number };
    return row.n;
  }

  /** Receipt transactions stored since a time (epoch seconds), to explain Etsy-side decreases. */
  receiptItemsSince(sinceTs: number): ReceiptItemInput[] {
    return this.sqlite
      .prepare(
        `SELECT i.receipt_id AS receiptId, r.status AS receiptStatus, r.created_ts AS receiptCreatedTs,
           r.updated_ts AS receiptUpdatedTs, i.transaction_id AS transactionId, i.listing_id AS listingId,
           i.etsy_product_id AS etsyProductId, i.sku, i.quantity, i.created_ts AS createdTs
         FROM etsy_receipt_items i JOIN etsy_receipts r ON r.receipt_id = i.receipt_id
         WHERE i.created_ts >= ? ORDER BY i.created_ts, i.transaction_id`,
      )
      .all(sinceTs) as ReceiptItemInput[];
  }

  // ------------------------------------------------------------------ watermarks

  getState(key: string): string | undefined {
    const row = this.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setState(key: string, value: string, now: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now);
  }
}

interface HistorySqlRow {
  id: number;
  run_id: number;
  at: number;
  sku: string;
  listing_id: number | null;
  side: ChangeSide;
  field: ChangeField;
  before_value: string | null;
  after_value: string | null;
  reason: string;
  explanation: string;
  receipt_ids: string;
  status: ChangeStatus;
}

interface RunSqlRow {
  id: number;
  kind: SyncRunKind;
  trigger: SyncRunTrigger;
  dry_run: number;
  started_at: number;
  finished_at: number | null;
  status: SyncRunStatus;
  calls_used: number;
  changes_count: number;
  error_code: string | null;
  error_message: string | null;
  summary: string | null;
}

function runFromSql(row: RunSqlRow): RunRow {
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    dryRun: row.dry_run === 1,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    callsUsed: row.calls_used,
    changesCount: row.changes_count,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    summary: row.summary,
  };
}
