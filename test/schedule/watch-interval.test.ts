import { describe, expect, it } from 'vitest';
import {
  AFTER_SALE_WATCH_MS,
  BUDGET_RECHECK_MS,
  chooseWatchInterval,
  DAY_MS,
  DEFAULT_WATCH_MS,
  scheduledCallsPerDay,
  type WatchIntervalInput,
} from '../../src/main/schedule/watch-interval';

const NOW = 1_800_000_000_000;
const base: WatchIntervalInput = {
  settingMinutes: 1,
  limitPerDay: 5000,
  remainingToday: 4000,
  scheduledCallsPerDay: 300,
  reserveCalls: 500,
  lastSaleAt: null,
  now: NOW,
};

describe('chooseWatchInterval', () => {
  it.each([
    ['about a minute, plenty of budget', {}, { poll: true, intervalMs: DEFAULT_WATCH_MS, reason: 'default' }],
    ['a sale two minutes ago: faster', { lastSaleAt: NOW - 2 * 60_000 }, { poll: true, intervalMs: AFTER_SALE_WATCH_MS, reason: 'after_sale' }],
    ['a sale ten minutes ago: back to normal', { lastSaleAt: NOW - 10 * 60_000 }, { poll: true, intervalMs: DEFAULT_WATCH_MS, reason: 'default' }],
    ['15 minutes chosen: no speed-up after a sale', { settingMinutes: 15, lastSaleAt: NOW - 60_000 }, { poll: true, intervalMs: 15 * 60_000, reason: 'setting' }],
    ['off', { settingMinutes: 0 }, { poll: false, intervalMs: null, reason: 'off' }],
    // 1,000 − 500 reserve − 300 scheduled = 200 calls a day for watching: one every 7.2 minutes.
    ['low budget: slower', { remainingToday: 1000 }, { poll: true, intervalMs: Math.ceil(DAY_MS / 200), reason: 'budget_slowed' }],
    ['low budget beats the after-sale speed-up', { remainingToday: 1000, lastSaleAt: NOW - 60_000 }, { poll: true, intervalMs: Math.ceil(DAY_MS / 200), reason: 'budget_slowed' }],
    ['nothing left after the scheduled jobs and the reserve: no polling', { remainingToday: 800 }, { poll: false, intervalMs: BUDGET_RECHECK_MS, reason: 'budget_low' }],
    ['budget used up', { remainingToday: 0 }, { poll: false, intervalMs: BUDGET_RECHECK_MS, reason: 'budget_low' }],
    ['a small key (1,000 a day) cannot afford a poll a minute', { limitPerDay: 1000, remainingToday: 1000, reserveCalls: 100, scheduledCallsPerDay: 100 }, { poll: true, intervalMs: Math.ceil(DAY_MS / 800), reason: 'budget_slowed' }],
  ] as const)('%s', (_name, change, expected) => {
    const result = chooseWatchInterval({ ...base, ...change });
    expect({ poll: result.poll, intervalMs: result.intervalMs, reason: result.reason }).toEqual(expected);
  });

  it('never plans more watch calls a day than the budget leaves after the scheduled jobs and the reserve', () => {
    for (const remainingToday of [0, 100, 799, 801, 900, 1500, 2500, 5000]) {
      for (const lastSaleAt of [null, NOW - 1000]) {
        const result = chooseWatchInterval({ ...base, remainingToday, lastSaleAt });
        const spendable = remainingToday - base.reserveCalls - base.scheduledCallsPerDay;
        if (spendable <= 0) expect(result.poll).toBe(false);
        // The after-sale burst lasts minutes; the sustained rate is what must fit.
        else if (result.reason !== 'after_sale') expect(result.callsPerDay).toBeLessThanOrEqual(spendable);
        else expect(DAY_MS / DEFAULT_WATCH_MS).toBeLessThanOrEqual(spendable);
      }
    }
  });
});

describe('scheduledCallsPerDay', () => {
  it('averages recent runs per enabled job, and estimates a job that never ran', () => {
    const jobs = [
      { enabled: true, intervalMs: 60 * 60_000, recentCallsPerRun: [4, 6] },
      { enabled: true, intervalMs: 120 * 60_000, recentCallsPerRun: [] },
      { enabled: false, intervalMs: 60_000, recentCallsPerRun: [100] },
    ];
    expect(scheduledCallsPerDay(jobs, 10)).toBe(5 * 24 + 10 * 12);
  });
});
