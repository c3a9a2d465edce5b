import type Database from 'better-sqlite3';

/** Etsy's documented defaults until response headers say otherwise (docs/SYNC.md, rate limits). */
export const DEFAULT_LIMIT_PER_SECOND = 5;
export const DEFAULT_LIMIT_PER_DAY = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BudgetUsage {
  usedToday: number;
  limitPerDay: number;
  limitPerSecond: number;
}

/**
 * The Etsy API budget as the status shows it: calls in the rolling last 24 hours (minute buckets of
 * api_call_log) against the last limits Etsy announced. Read-only; the rate limiter writes both tables.
 */
export class BudgetUsageRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  usage(now: number): BudgetUsage {
    const used = this.sqlite.prepare('SELECT sum(count) AS total FROM api_call_log WHERE bucket_start > ?').get(now - DAY_MS) as {
      total: number | null;
    };
    const limits = this.sqlite.prepare('SELECT limit_per_day, limit_per_second FROM rate_limit_state WHERE id = 1').get() as
      | { limit_per_day: number; limit_per_second: number }
      | undefined;
    return {
      usedToday: used.total ?? 0,
      limitPerDay: limits?.limit_per_day ?? DEFAULT_LIMIT_PER_DAY,
      limitPerSecond: limits?.limit_per_second ?? DEFAULT_LIMIT_PER_SECOND,
    };
  }
}
