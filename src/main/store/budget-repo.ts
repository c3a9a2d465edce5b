/**
 * The Etsy call budget's two tables (see schema.ts): `rate_limit_state`, one row (id = 1) with the
 * limits last learned from Etsy's headers, and `api_call_log`, calls counted per minute bucket
 * (bucket_start ms primary key). The rules (bucket size, the rolling day, Etsy's default limits) are
 * the rate limiter's (src/main/etsy/rate-limit/); this repository only reads and writes rows. Every
 * call writes through, so a restart (or a second process on the same file, e.g. the CLI next to the
 * app) sees the same usage.
 */
import type Database from 'better-sqlite3';

export interface BudgetLimitsRow {
  limitPerSecond: number;
  limitPerDay: number;
  /** Etsy's last `x-remaining-today`; null when never seen. */
  remainingToday: number | null;
  /** When (ms) Etsy's headers were last seen; null when never. */
  observedAt: number | null;
}

interface StateSql {
  limit_per_second: number;
  limit_per_day: number;
  remaining_today: number | null;
  observed_at: number | null;
}

export class BudgetRepo {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      load: db.prepare<[], StateSql>(
        'SELECT limit_per_second, limit_per_day, remaining_today, observed_at FROM rate_limit_state WHERE id = 1',
      ),
      record: db.prepare<[number, number]>(
        'INSERT INTO api_call_log (bucket_start, count) VALUES (?, ?) ' +
          'ON CONFLICT(bucket_start) DO UPDATE SET count = count + excluded.count',
      ),
      usedSince: db.prepare<[number], { used: number | null }>(
        'SELECT SUM(count) AS used FROM api_call_log WHERE bucket_start >= ?',
      ),
      oldest: db.prepare<[number], { start: number | null }>(
        'SELECT MIN(bucket_start) AS start FROM api_call_log WHERE bucket_start >= ? AND count > 0',
      ),
      save: db.prepare<[number, number, number | null, number | null]>(
        'INSERT INTO rate_limit_state (id, limit_per_second, limit_per_day, remaining_today, observed_at) ' +
          'VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET limit_per_second = excluded.limit_per_second, ' +
          'limit_per_day = excluded.limit_per_day, remaining_today = excluded.remaining_today, ' +
          'observed_at = excluded.observed_at',
      ),
      prune: db.prepare<[number]>('DELETE FROM api_call_log WHERE bucket_start < ?'),
    };
  }

  /** The stored limits, or undefined when Etsy's headers were never recorded. */
  loadLimits(): BudgetLimitsRow | undefined {
    const row = this.stmts.load.get();
    if (row === undefined) return undefined;
    return {
      limitPerSecond: row.limit_per_second,
      limitPerDay: row.limit_per_day,
      remainingToday: row.remaining_today,
      observedAt: row.observed_at,
    };
  }

  saveLimits(limits: BudgetLimitsRow): void {
    this.stmts.save.run(limits.limitPerSecond, limits.limitPerDay, limits.remainingToday, limits.observedAt);
  }

  /** Adds `count` calls to the bucket starting at `bucketStart` (ms). */
  addCalls(bucketStart: number, count: number): void {
    this.stmts.record.run(bucketStart, count);
  }

  /** Calls counted in buckets starting at or after `sinceMs`. */
  callsSince(sinceMs: number): number {
    return this.stmts.usedSince.get(sinceMs)?.used ?? 0;
  }

  /** Start (ms) of the oldest non-empty bucket at or after `sinceMs`, or undefined. */
  oldestBucketSince(sinceMs: number): number | undefined {
    return this.stmts.oldest.get(sinceMs)?.start ?? undefined;
  }

  /** Drops buckets that start before `beforeMs`. */
  pruneBefore(beforeMs: number): void {
    this.stmts.prune.run(beforeMs);
  }
}
