import type Database from 'better-sqlite3';
import type { ChangeField, ChangeSide, ChangeStatus } from './schema';

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

/** The per-item change history (every stock, price and state change with its explanation). */
export class HistoryRepo {
  private readonly sqlite: Database.Database;
  private readonly insertHistoryStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
    this.insertHistoryStmt = sqlite.prepare(`
      INSERT INTO change_history (run_id, at, sku, listing_id, side, field, before_value, after_value, reason,
        explanation, receipt_ids, status)
      VALUES (@runId, @at, @sku, @listingId, @side, @field, @before, @after, @reason, @explanation, @receiptIds,
        @status)`);
  }

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

  /** The stock changes one run applied, oldest first (what an undo of the run reverts). */
  runQuantityChanges(runId: number): { sku: string; side: ChangeSide; before: number | null; after: number | null }[] {
    const rows = this.sqlite
      .prepare(
        `SELECT sku, side, before_value, after_value FROM change_history
         WHERE run_id = ? AND field = 'quantity' AND status = 'applied' ORDER BY id`,
      )
      .all(runId) as { sku: string; side: ChangeSide; before_value: string | null; after_value: string | null }[];
    const number = (value: string | null) => {
      const parsed: unknown = value === null ? null : JSON.parse(value);
      return typeof parsed === 'number' ? parsed : null;
    };
    return rows.map((row) => ({ sku: row.sku, side: row.side, before: number(row.before_value), after: number(row.after_value) }));
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
