import type Database from 'better-sqlite3';
import type { AttentionKind } from './schema';

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

/** "Needs attention" items: open until the condition that raised them is gone. */
export class AttentionRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  /**
   * Replaces the open items of the given kinds with the current list: items still present are kept
   * (first seen stays), new ones are added, and those gone are marked resolved. With a scope (a
   * targeted sync, which saw only some listings and SKUs), only items about those listings and SKUs
   * can be resolved; the rest were not looked at.
   */
  replaceAttention(
    kinds: readonly string[],
    items: readonly AttentionInput[],
    now: number,
    scope?: { listingIds: readonly number[]; skus: readonly string[] },
  ): void {
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
           AND kind IN (SELECT value FROM json_each(@kinds))
           AND (@scoped = 0 OR (
             (listing_id = 0 OR listing_id IN (SELECT value FROM json_each(@listingIds)))
             AND (sku = '' OR sku IN (SELECT value FROM json_each(@skus)))
             AND NOT (listing_id = 0 AND sku = '')))`,
      )
      .run({
        now,
        kinds: JSON.stringify(kinds),
        scoped: scope ? 1 : 0,
        listingIds: JSON.stringify(scope?.listingIds ?? []),
        skus: JSON.stringify(scope?.skus ?? []),
      });
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

  resolveAttention(item: { kind: string; listingId?: number | null; sku?: string | null }, now: number): void {
    this.sqlite
      .prepare('UPDATE attention_items SET resolved_at = ? WHERE kind = ? AND listing_id = ? AND sku = ? AND resolved_at IS NULL')
      .run(now, item.kind, item.listingId ?? 0, item.sku ?? '');
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
}
