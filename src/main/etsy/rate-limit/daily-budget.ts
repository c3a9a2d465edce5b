import { dailyBudgetExhausted } from '../errors';
import { BUCKET_MS, bucketStart, DAY_MS, type BudgetStore } from './budget-store';

export interface BudgetSnapshot {
  usedToday: number;
  limitPerDay: number;
  limitPerSecond: number;
  remainingToday: number;
  /** When (ms) the oldest counted minute leaves the 24 h window and frees calls; null when nothing is counted. */
  resetsAt: number | null;
}

/** What Etsy's four rate headers said on one response (any may be missing, e.g. on a 429). */
export interface ObservedLimits {
  limitPerSecond?: number | undefined;
  limitPerDay?: number | undefined;
  remainingToday?: number | undefined;
}

/**
 * Calls kept for writes: reads stop when only this share of the day's limit is left, so a run cannot
 * spend the last calls on reads and then fail the write it read for (100 of Etsy's default 5,000).
 */
export const WRITE_RESERVE_FRACTION = 0.02;
/**
 * "Runs low" (docs/PRODUCT.md §5): scheduled work waits while no more than this share is left, so what
 * remains stays for runs the owner starts and for writes (500 of 5,000).
 */
export const SCHEDULED_LOW_FRACTION = 0.1;

/**
 * The rolling 24 h budget (docs/PRODUCT.md §5). Every call is counted *before* it is sent, so concurrent
 * calls and calls whose answer never arrives still count; Etsy's `x-remaining-today` can only make
 * us more careful, never less (we trust Etsy when it says fewer remain than we counted — another
 * app on the same key, or calls made before this data folder existed).
 */
export class DailyBudget {
  private lastPrunedBucket = -1;

  constructor(
    private readonly store: BudgetStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Start of the window: whole minute buckets, counting the partly-expired one (errs on the safe side). */
  private windowStart(now: number): number {
    return bucketStart(now - DAY_MS);
  }

  limitPerSecond(): number {
    return this.store.load().limitPerSecond;
  }

  /** How many of the day's calls only writes may use. */
  writeReserve(): number {
    return Math.floor(this.store.load().limitPerDay * WRITE_RESERVE_FRACTION);
  }

  /**
   * Counts one call at `now`, or throws DAILY_BUDGET_EXHAUSTED (with retryAt) if none is left for it:
   * a read may not use the write reserve, a write (`write: true`) may use every call.
   */
  consume(now: number = this.now(), options: { write?: boolean } = {}): void {
    const { limitPerDay } = this.store.load();
    const since = this.windowStart(now);
    const used = this.store.usedSince(since);
    const usable = options.write === true ? limitPerDay : limitPerDay - this.writeReserve();
    if (used >= usable) throw dailyBudgetExhausted(this.freesAt(now) ?? now + BUCKET_MS);
    this.store.record(now);
    const bucket = bucketStart(now);
    if (bucket !== this.lastPrunedBucket) {
      this.lastPrunedBucket = bucket;
      this.store.prune(since);
    }
  }

  /** Applies Etsy's headers: new limits are saved; a lower remaining count than ours is recorded as used. */
  observe(observed: ObservedLimits, now: number = this.now()): void {
    const current = this.store.load();
    const limitPerSecond = positiveOr(observed.limitPerSecond, current.limitPerSecond);
    const limitPerDay = positiveOr(observed.limitPerDay, current.limitPerDay);
    const remaining = observed.remainingToday;
    const haveAny = observed.limitPerSecond !== undefined || observed.limitPerDay !== undefined || remaining !== undefined;
    if (!haveAny) return;
    if (remaining !== undefined && Number.isFinite(remaining) && remaining >= 0) {
      const ourRemaining = limitPerDay - this.store.usedSince(this.windowStart(now));
      if (remaining < ourRemaining) this.store.record(now, ourRemaining - remaining);
    }
    this.store.saveLimits({
      limitPerSecond,
      limitPerDay,
      remainingToday: remaining ?? current.remainingToday,
      observedAt: now,
    });
  }

  /** Etsy said the day is used up (429 "Exceeded daily rate limit"): count the rest as used. */
  markExhausted(now: number = this.now()): void {
    this.observe({ remainingToday: 0 }, now);
  }

  /**
   * When scheduled work may run again because the day's budget runs low (at most
   * SCHEDULED_LOW_FRACTION of it left): the time the oldest counted calls free up. Null when enough is left.
   */
  scheduledWaitUntil(now: number = this.now()): number | null {
    const { limitPerDay } = this.store.load();
    const remaining = limitPerDay - this.store.usedSince(this.windowStart(now));
    const low = Math.max(this.writeReserve(), Math.floor(limitPerDay * SCHEDULED_LOW_FRACTION));
    if (remaining > low) return null;
    return this.freesAt(now) ?? now + BUCKET_MS;
  }

  /** When the oldest counted bucket leaves the window, or undefined when nothing is counted. */
  freesAt(now: number = this.now()): number | undefined {
    const oldest = this.store.oldestBucketSince(this.windowStart(now));
    return oldest === undefined ? undefined : oldest + DAY_MS + BUCKET_MS;
  }

  snapshot(now: number = this.now()): BudgetSnapshot {
    const { limitPerDay, limitPerSecond } = this.store.load();
    const usedToday = this.store.usedSince(this.windowStart(now));
    return {
      usedToday,
      limitPerDay,
      limitPerSecond,
      remainingToday: Math.max(0, limitPerDay - usedToday),
      resetsAt: this.freesAt(now) ?? null,
    };
  }
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
