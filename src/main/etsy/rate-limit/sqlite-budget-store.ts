import type Database from 'better-sqlite3';
import { bucketStart, DEFAULT_LIMITS, type BudgetLimits, type BudgetStore } from './budget-store';

interface StateRow {
  limit_per_second: number;
  limit_per_day: number;
  remaining_today: number | null;
  observed_at: number | null;
}

/**
 * BudgetStore over the store's `rate_limit_state` (single row, id = 1) and `api_call_log`
 * (bucket_start ms primary key, count) tables — see src/main/store/schema.ts. The tables are
 * created by the store's migrations, not here. Every call writes through, so a restart (or a
 * second process on the same file, e.g. the CLI next to the app) sees the same usage.
 */
export class SqliteBudgetStore implements BudgetStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      load: db.prepare<[], StateRow>(
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

  load(): BudgetLimits {
    const row = this.stmts.load.get();
    if (row === undefined) return { ...DEFAULT_LIMITS };
    return {
      limitPerSecond: row.limit_per_second,
      limitPerDay: row.limit_per_day,
      remainingToday: row.remaining_today ?? undefined,
      observedAt: row.observed_at ?? undefined,
    };
  }

  record(atMs: number, count = 1): void {
    this.stmts.record.run(bucketStart(atMs), count);
  }

  usedSince(sinceMs: number): number {
    return this.stmts.usedSince.get(sinceMs)?.used ?? 0;
  }

  oldestBucketSince(sinceMs: number): number | undefined {
    return this.stmts.oldest.get(sinceMs)?.start ?? undefined;
  }

  saveLimits(limits: BudgetLimits): void {
    this.stmts.save.run(limits.limitPerSecond, limits.limitPerDay, limits.remainingToday ?? null, limits.observedAt ?? null);
  }

  prune(beforeMs: number): void {
    this.stmts.prune.run(beforeMs);
  }
}
