import type Database from 'better-sqlite3';

export interface PendingWriteRow {
  id: number;
  listingId: number;
  runId: number | null;
  kind: 'inventory' | 'state';
  body: string;
  status: 'pending' | 'unknown' | 'written' | 'done' | 'failed';
  createdAt: number;
  /** When the status last changed (for 'unknown': when the outcome became unknown). */
  updatedAt: number;
}

/** Write intents: every Etsy write is recorded before it is sent, so an unknown outcome is settled after a crash. */
export class WriteIntentsRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  addPendingWrite(input: { listingId: number; runId: number | null; kind: 'inventory' | 'state'; body: unknown }, now: number): number {
    const result = this.sqlite
      .prepare(
        `INSERT INTO pending_writes (listing_id, run_id, kind, body, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(input.listingId, input.runId, input.kind, JSON.stringify(input.body), now, now);
    return Number(result.lastInsertRowid);
  }

  setPendingWriteStatus(input: { id: number; status: PendingWriteRow['status'] }, now: number): void {
    this.sqlite.prepare('UPDATE pending_writes SET status = ?, updated_at = ? WHERE id = ?').run(input.status, now, input.id);
  }

  /** Replaces an intent's recorded body (e.g. what has been counted of it so far). */
  setPendingWriteBody(input: { id: number; body: unknown }, now: number): void {
    this.sqlite.prepare('UPDATE pending_writes SET body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(input.body), now, input.id);
  }

  /** Intents whose outcome is not known: 'pending' ones belong to a process that died mid-write. */
  listUnresolvedWrites(): PendingWriteRow[] {
    return this.listWritesWithStatus(['pending', 'unknown']);
  }

  /** Writes applied on Etsy whose overwritten sales may not all be counted yet (receipts can come late). */
  listWrittenWrites(): PendingWriteRow[] {
    return this.listWritesWithStatus(['written']);
  }

  private listWritesWithStatus(statuses: readonly PendingWriteRow['status'][]): PendingWriteRow[] {
    return (
      this.sqlite
        .prepare(
          `SELECT id, listing_id, run_id, kind, body, status, created_at, updated_at FROM pending_writes
           WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY id`,
        )
        .all(...statuses) as { id: number; listing_id: number; run_id: number | null; kind: 'inventory' | 'state'; body: string; status: PendingWriteRow['status']; created_at: number; updated_at: number }[]
    ).map((row) => ({
      id: row.id,
      listingId: row.listing_id,
      runId: row.run_id,
      kind: row.kind,
      body: row.body,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }
}
