/**
 * Persistence for the rolling 24 h call budget. Calls are counted in one-minute buckets so the
 * window can slide without keeping a row per call; the sum of the buckets in the last 24 h is the
 * day's usage. Implementations: SQLite (the app) and in-memory (tests, demo).
 */
export interface BudgetLimits {
  limitPerSecond: number;
  limitPerDay: number;
  /** Etsy's last `x-remaining-today`, kept for status; the buckets are the source of truth. */
  remainingToday?: number | undefined;
  /** When (ms) Etsy's headers were last seen. */
  observedAt?: number | undefined;
}

export interface BudgetStore {
  /** Limits last learned from Etsy, or the defaults when none were ever seen. */
  load(): BudgetLimits;
  /** Counts `count` calls (default 1) in the minute bucket containing `atMs`. */
  record(atMs: number, count?: number): void;
  /** Calls counted in buckets starting at or after `sinceMs`. */
  usedSince(sinceMs: number): number;
  /** Start (ms) of the oldest non-empty bucket at or after `sinceMs`, or undefined. */
  oldestBucketSince(sinceMs: number): number | undefined;
  saveLimits(limits: BudgetLimits): void;
  /** Drops buckets older than `beforeMs` (housekeeping; never affects the window). */
  prune(beforeMs: number): void;
}

export const BUCKET_MS = 60_000;
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Etsy's limits for a new personal app (docs/ETSY_API_NOTES.md §4) until its headers say otherwise. */
export const DEFAULT_LIMITS: Readonly<BudgetLimits> = Object.freeze({ limitPerSecond: 5, limitPerDay: 5000 });

export function bucketStart(atMs: number): number {
  return Math.floor(atMs / BUCKET_MS) * BUCKET_MS;
}

/** In-memory store: same semantics as the SQLite one, lost on exit. */
export class MemoryBudgetStore implements BudgetStore {
  private limits: BudgetLimits;
  private readonly buckets = new Map<number, number>();

  constructor(limits: BudgetLimits = DEFAULT_LIMITS) {
    this.limits = { ...limits };
  }

  load(): BudgetLimits {
    return { ...this.limits };
  }

  record(atMs: number, count = 1): void {
    const start = bucketStart(atMs);
    this.buckets.set(start, (this.buckets.get(start) ?? 0) + count);
  }

  usedSince(sinceMs: number): number {
    let sum = 0;
    for (const [start, count] of this.buckets) if (start >= sinceMs) sum += count;
    return sum;
  }

  oldestBucketSince(sinceMs: number): number | undefined {
    let oldest: number | undefined;
    for (const [start, count] of this.buckets) {
      if (start >= sinceMs && count > 0 && (oldest === undefined || start < oldest)) oldest = start;
    }
    return oldest;
  }

  saveLimits(limits: BudgetLimits): void {
    this.limits = { ...limits };
  }

  prune(beforeMs: number): void {
    for (const start of [...this.buckets.keys()]) if (start < beforeMs) this.buckets.delete(start);
  }
}

/** The day's usage as the status shows it: calls in the rolling last 24 h against the last known limits. */
export function budgetUsage(store: BudgetStore, now: number): { usedToday: number; limitPerDay: number; limitPerSecond: number } {
  const limits = store.load();
  return { usedToday: store.usedSince(now - DAY_MS), limitPerDay: limits.limitPerDay, limitPerSecond: limits.limitPerSecond };
}
