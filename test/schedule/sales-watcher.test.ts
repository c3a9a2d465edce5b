import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECHECK_MS, SalesWatcher, type SalesPoll, type WatchBudget } from '../../src/main/schedule/sales-watcher';
import { AFTER_SALE_WATCH_MS, DEFAULT_WATCH_MS } from '../../src/main/schedule/watch-interval';

/** Issue 14 item 1: the watcher's turns with fake timers and fake Etsy: when it polls, and what it asks for. */
const START = Date.UTC(2026, 11, 2, 12, 0, 0);
const HEALTHY: WatchBudget = { limitPerDay: 5000, remainingToday: 4500, reserveCalls: 500, scheduledCallsPerDay: 300 };

function harness(options: { budget?: WatchBudget; setting?: number; blocked?: string | null } = {}) {
  let budget = options.budget ?? HEALTHY;
  let setting = options.setting ?? 1;
  const polls: number[] = [];
  const requests: string[][] = [];
  let next: Partial<SalesPoll> | Error = {};
  let seq = 0;
  const watcher = new SalesWatcher({
    settingMinutes: () => setting,
    blockedReason: () => options.blocked ?? null,
    budget: async () => budget,
    poll: async (afterSeq) => {
      polls.push(Date.now());
      const answer = next;
      next = {};
      if (answer instanceof Error) throw answer;
      seq = Math.max(seq, afterSeq) + (answer.skus?.length ? 1 : 0);
      return { skus: [], newSales: 0, maxSeq: seq, callsUsed: 1, ...answer };
    },
    requestTargeted: async (skus) => {
      requests.push(skus);
      return { ok: true, summary: 'ok' };
    },
    now: Date.now,
  });
  return {
    watcher,
    polls,
    requests,
    setNext: (answer: Partial<SalesPoll> | Error) => (next = answer),
    setBudget: (b: WatchBudget) => (budget = b),
    setSetting: (m: number) => (setting = m),
  };
}

describe('SalesWatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls about once a minute, asks for a targeted run of the SKUs sold, then looks faster for a while', async () => {
    const { watcher, polls, requests, setNext } = harness();
    watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(DEFAULT_WATCH_MS);
    expect(polls).toHaveLength(2);
    setNext({ skus: ['FOX'], newSales: 1 });
    await vi.advanceTimersByTimeAsync(DEFAULT_WATCH_MS);
    expect(requests).toEqual([['FOX']]);
    expect(watcher.status()).toMatchObject({ state: 'watching', intervalReason: 'after_sale', intervalMs: AFTER_SALE_WATCH_MS });
    const before = polls.length;
    await vi.advanceTimersByTimeAsync(3 * AFTER_SALE_WATCH_MS);
    expect(polls.length - before).toBe(3);
    expect(watcher.status().callsLast24h).toBe(polls.length);
    await watcher.stop();
  });

  it('with a low budget it polls less often, and with none left it does not poll at all', async () => {
    const { watcher, polls, setBudget } = harness({ budget: { ...HEALTHY, remainingToday: 1000 } });
    watcher.start();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    // 1,000 − 500 − 300 = 200 calls a day to spend: one every 7.2 minutes, not 60 in the hour.
    expect(polls.length).toBeGreaterThanOrEqual(8);
    expect(polls.length).toBeLessThanOrEqual(10);
    expect(watcher.status().intervalReason).toBe('budget_slowed');
    setBudget({ ...HEALTHY, remainingToday: 700 });
    const before = polls.length;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(polls.length).toBe(before);
    expect(watcher.status()).toMatchObject({ state: 'waiting', intervalReason: 'budget_low', callsPerDay: 0 });
    await watcher.stop();
  });

  it('off, or blocked: no poll; turning it on takes effect without a restart', async () => {
    const off = harness({ setting: 0 });
    off.watcher.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(off.polls).toEqual([]);
    expect(off.watcher.status().state).toBe('off');
    off.setSetting(5);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(off.polls).toHaveLength(1);
    await off.watcher.stop();

    const blocked = harness({ blocked: 'Syncing is paused.' });
    blocked.watcher.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(blocked.polls).toEqual([]);
    expect(blocked.watcher.status()).toMatchObject({ state: 'waiting', note: 'Syncing is paused.' });
    await blocked.watcher.stop();
  });

  it('a failed poll is reported and not retried in a tight loop', async () => {
    const { watcher, polls, setNext } = harness();
    setNext(new Error('Etsy is unavailable'));
    watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.status().lastError).toBe('Etsy is unavailable');
    await vi.advanceTimersByTimeAsync(DEFAULT_WATCH_MS - 1);
    expect(polls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(polls).toHaveLength(2);
    expect(watcher.status().lastError).toBeNull();
    await watcher.stop();
  });
});
