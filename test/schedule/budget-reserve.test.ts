import { afterEach, describe, expect, it } from 'vitest';
import { EtsyLimitError } from '../../src/main/etsy/errors';
import { MemoryBudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import { DailyBudget } from '../../src/main/etsy/rate-limit/daily-budget';
import { generateShop } from '../../sim';
import { startWorld, type World } from '../sync/world';

// docs/PRODUCT.md §5: "When the day's budget runs low, scheduled work waits" — and the last calls are
// kept for writes, so reads cannot spend them and leave a planned write to fail.
const T0 = 1_750_000_020_000;

function budgetWith(limitPerDay: number, used: number): DailyBudget {
  const store = new MemoryBudgetStore();
  store.saveLimits({ limitPerSecond: 5, limitPerDay });
  if (used > 0) store.record(T0, used);
  return new DailyBudget(store, () => T0);
}

describe('daily budget: a reserve for writes', () => {
  it('refuses reads once only the reserve is left, while writes may still use it', () => {
    const budget = budgetWith(5000, 0);
    const reserve = budget.writeReserve();
    expect(reserve).toBeGreaterThan(0);
    const nearlySpent = budgetWith(5000, 5000 - reserve);
    let error: unknown;
    try {
      nearlySpent.consume(T0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EtsyLimitError);
    expect((error as EtsyLimitError).code).toBe('DAILY_BUDGET_EXHAUSTED');
    expect(nearlySpent.snapshot(T0).usedToday).toBe(5000 - reserve);
    for (let i = 0; i < reserve; i += 1) nearlySpent.consume(T0, { write: true });
    expect(() => nearlySpent.consume(T0, { write: true })).toThrow(EtsyLimitError);
  });

  it('tells scheduled work to wait when the budget runs low, not only when it is spent', () => {
    expect(budgetWith(5000, 100).scheduledWaitUntil(T0)).toBeNull();
    const low = budgetWith(5000, 4700);
    const until = low.scheduledWaitUntil(T0);
    expect(until).not.toBeNull();
    expect(until!).toBeGreaterThan(T0);
    expect(low.snapshot(T0).remainingToday).toBe(300);
  });
});

describe('scheduled syncs and a low budget', () => {
  let world: World | null = null;
  afterEach(async () => {
    await world?.close();
    world = null;
  });

  it('a scheduled run waits when the day runs low; a run the owner starts still goes', async () => {
    world = await startWorld({ shop: generateShop({ listings: 4, seed: 5, variationRatio: 0, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 0 }) });
    const { sim, core } = world;
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const client = await core.etsyClient();
    // Etsy says 300 of 5,000 are left: low, but far from spent.
    client.budget.observe({ limitPerDay: 5000, remainingToday: 300 });
    sim.resetCounters();
    const held = await core.sync({ kinds: ['products', 'inventory'], trigger: 'schedule' });
    expect(held.runs.map((run) => run.status)).toEqual(['held', 'held']);
    expect(sim.counters.total).toBe(0);
    const manual = await core.sync({ kinds: ['inventory'], trigger: 'manual' });
    expect(manual.runs[0]?.status).toBe('ok');
  });
});
