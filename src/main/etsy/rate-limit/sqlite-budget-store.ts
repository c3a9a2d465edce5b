import { bucketStart, DEFAULT_LIMITS, type BudgetLimits, type BudgetStore } from './budget-store';

/** BudgetLimits as a row stores them: null where Etsy's headers were never seen. */
export interface StoredLimits {
  limitPerSecond: number;
  limitPerDay: number;
  remainingToday: number | null;
  observedAt: number | null;
}

/**
 * The rows a persistent budget needs; src/main/store/budget-repo.ts (BudgetRepo) is the one over the
 * app's SQLite. Declared here, not imported, so the Etsy client does not depend on the store.
 */
export interface BudgetTable {
  loadLimits(): StoredLimits | undefined;
  saveLimits(limits: StoredLimits): void;
  addCalls(bucketStart: number, count: number): void;
  callsSince(sinceMs: number): number;
  oldestBucketSince(sinceMs: number): number | undefined;
  pruneBefore(beforeMs: number): void;
}

/**
 * BudgetStore over the store's budget tables (`rate_limit_state`, `api_call_log`, read and written by
 * BudgetRepo): the minute buckets and Etsy's default limits are decided here, the rows live there.
 */
export class SqliteBudgetStore implements BudgetStore {
  constructor(private readonly table: BudgetTable) {}

  load(): BudgetLimits {
    const row = this.table.loadLimits();
    if (row === undefined) return { ...DEFAULT_LIMITS };
    return {
      limitPerSecond: row.limitPerSecond,
      limitPerDay: row.limitPerDay,
      remainingToday: row.remainingToday ?? undefined,
      observedAt: row.observedAt ?? undefined,
    };
  }

  record(atMs: number, count = 1): void {
    this.table.addCalls(bucketStart(atMs), count);
  }

  usedSince(sinceMs: number): number {
    return this.table.callsSince(sinceMs);
  }

  oldestBucketSince(sinceMs: number): number | undefined {
    return this.table.oldestBucketSince(sinceMs);
  }

  saveLimits(limits: BudgetLimits): void {
    this.table.saveLimits({
      limitPerSecond: limits.limitPerSecond,
      limitPerDay: limits.limitPerDay,
      remainingToday: limits.remainingToday ?? null,
      observedAt: limits.observedAt ?? null,
    });
  }

  prune(beforeMs: number): void {
    this.table.pruneBefore(beforeMs);
  }
}
