import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EtsyLimitError } from '../../src/main/etsy/errors';
import { BUCKET_MS, DAY_MS, MemoryBudgetStore, type BudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import { DailyBudget } from '../../src/main/etsy/rate-limit/daily-budget';
import { SqliteBudgetStore } from '../../src/main/etsy/rate-limit/sqlite-budget-store';
import { BudgetRepo } from '../../src/main/store/budget-repo';
import { applyMigrations, loadMigrations } from '../../src/main/store/migrate';

const T0 = 1_750_000_020_000; // some minute + 20 s

function sqliteStore(): BudgetStore {
  const db = new Database(':memory:');
  applyMigrations(db, loadMigrations());
  return new SqliteBudgetStore(new BudgetRepo(db));
}

describe.each([
  ['memory', () => new MemoryBudgetStore()],
  ['sqlite', sqliteStore],
])('DailyBudget over %s store', (_name, makeStore) => {
  it('assumes 5/s and 5,000/day until told otherwise', () => {
    const budget = new DailyBudget(makeStore());
    expect(budget.snapshot(T0)).toEqual({ usedToday: 0, limitPerDay: 5000, limitPerSecond: 5, remainingToday: 5000, resetsAt: null });
  });

  it('counts calls in a rolling 24 h window and says when the oldest leaves it', () => {
    const store = makeStore();
    store.saveLimits({ limitPerSecond: 5, limitPerDay: 3 });
    const budget = new DailyBudget(store);
    budget.consume(T0);
    budget.consume(T0 + 1000);
    budget.consume(T0 + 2 * 60_000);
    let error: unknown;
    try {
      budget.consume(T0 + 3 * 60_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EtsyLimitError);
    expect((error as EtsyLimitError).code).toBe('DAILY_BUDGET_EXHAUSTED');
    const firstBucket = Math.floor(T0 / BUCKET_MS) * BUCKET_MS;
    expect((error as EtsyLimitError).retryAt).toBe(firstBucket + DAY_MS + BUCKET_MS);
    expect(budget.snapshot(T0 + 3 * 60_000)).toMatchObject({ usedToday: 3, remainingToday: 0, resetsAt: firstBucket + DAY_MS + BUCKET_MS });

    // Just before the oldest minute leaves the window: still full. At retryAt: two calls free.
    expect(() => budget.consume(firstBucket + DAY_MS + BUCKET_MS - 1)).toThrow(EtsyLimitError);
    expect(budget.snapshot(firstBucket + DAY_MS + BUCKET_MS)).toMatchObject({ usedToday: 1, remainingToday: 2 });
    budget.consume(firstBucket + DAY_MS + BUCKET_MS);
  });

  it('trusts x-remaining-today when Etsy counts more than we do, never less', () => {
    const budget = new DailyBudget(makeStore());
    budget.consume(T0);
    budget.observe({ limitPerDay: 1000, limitPerSecond: 10, remainingToday: 900 }, T0);
    expect(budget.snapshot(T0)).toMatchObject({ usedToday: 100, limitPerDay: 1000, limitPerSecond: 10, remainingToday: 900 });
    budget.observe({ remainingToday: 950 }, T0 + 1); // Etsy more generous: we stay careful
    expect(budget.snapshot(T0 + 1).usedToday).toBe(100);
    budget.markExhausted(T0 + 2);
    expect(budget.snapshot(T0 + 2)).toMatchObject({ usedToday: 1000, remainingToday: 0 });
  });

  it('ignores nonsense limits from headers', () => {
    const budget = new DailyBudget(makeStore());
    budget.observe({ limitPerDay: 0, limitPerSecond: -3 }, T0);
    expect(budget.snapshot(T0)).toMatchObject({ limitPerDay: 5000, limitPerSecond: 5 });
  });
});
