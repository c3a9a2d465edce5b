/**
 * How often the sales watcher polls Etsy's receipts (docs/SYNC.md "Watching for sales"). Pure: the
 * watcher passes the setting, the day's budget and what the scheduled jobs still need, and gets the
 * next interval back. Watching spends only what is left after the safety-net syncs and the write
 * reserve, so it can never starve them: as the rolling budget drains, the interval grows, and when
 * nothing is left for it, it stops polling until calls free up.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * "About a minute": the recommended default. 70 s rather than 60 s so that a day of polling, the
 * after-sale looks, 50 sales' and 50 edits' targeted runs and the safety-net syncs of a 5,000-listing
 * shop stay within 40 % of a 5,000-call day (docs/PERFORMANCE.md, "Latency day"), while a sale still
 * reaches every side within about 75 s at p95.
 */
export const DEFAULT_WATCH_MS = 70_000;
/** Just after a sale, a second sale of the same print is likeliest: look more often for a while. */
export const AFTER_SALE_WATCH_MS = 30_000;
export const AFTER_SALE_WINDOW_MS = 3 * 60_000;
/** With no budget left for watching: how soon to look at the budget again (no Etsy call). */
export const BUDGET_RECHECK_MS = 5 * 60_000;

export interface WatchIntervalInput {
  /** The `watchIntervalMinutes` setting: 1 = about a minute (adaptive), 5, 15, 60, 0 = off. */
  settingMinutes: number;
  limitPerDay: number;
  /** Calls left in the rolling 24 h window. */
  remainingToday: number;
  /** Calls the enabled scheduled jobs need over the next day (their recent runs × runs per day). */
  scheduledCallsPerDay: number;
  /** Calls kept back for writes and for syncs the owner starts (the "runs low" threshold). */
  reserveCalls: number;
  /** When the watcher last saw a sale, or null. */
  lastSaleAt: number | null;
  now: number;
}

export type WatchIntervalReason = 'off' | 'default' | 'setting' | 'after_sale' | 'budget_slowed' | 'budget_low';

export interface WatchInterval {
  /** Whether to poll at the end of this interval (false: only look at the budget again). */
  poll: boolean;
  /** null when watching is off. */
  intervalMs: number | null;
  reason: WatchIntervalReason;
  /** Receipts calls per day at this interval (0 when not polling). */
  callsPerDay: number;
}

export function chooseWatchInterval(input: WatchIntervalInput): WatchInterval {
  if (input.settingMinutes <= 0) return { poll: false, intervalMs: null, reason: 'off', callsPerDay: 0 };
  const adaptive = input.settingMinutes === 1;
  let intervalMs = adaptive ? DEFAULT_WATCH_MS : input.settingMinutes * 60_000;
  let reason: WatchIntervalReason = adaptive ? 'default' : 'setting';
  // What watching may spend over the next day: what is left once the scheduled jobs and the reserve
  // are provided for. Counting the jobs' needs against today's remainder (whose used calls free up
  // over the day) errs on the careful side.
  const spendable = Math.min(input.remainingToday, input.limitPerDay) - input.reserveCalls - input.scheduledCallsPerDay;
  if (spendable <= 0) return { poll: false, intervalMs: BUDGET_RECHECK_MS, reason: 'budget_low', callsPerDay: 0 };
  // The slowest a sustained poll may go so the day's watching fits in what is spendable.
  const floorMs = Math.ceil(DAY_MS / spendable);
  if (floorMs > intervalMs) {
    intervalMs = floorMs;
    reason = 'budget_slowed';
  } else if (adaptive && recentSale(input)) {
    // A few minutes of faster polling is a short burst, not a day's rate: allowed whenever the budget
    // could sustain the default minute. The owner's explicit 5/15/60 is a choice to spend fewer calls.
    intervalMs = AFTER_SALE_WATCH_MS;
    reason = 'after_sale';
  }
  return { poll: true, intervalMs, reason, callsPerDay: Math.round(DAY_MS / intervalMs) };
}

function recentSale(input: WatchIntervalInput): boolean {
  if (input.lastSaleAt === null) return false;
  const since = input.now - input.lastSaleAt;
  return since >= 0 && since < AFTER_SALE_WINDOW_MS;
}

/**
 * Calls the scheduled jobs need per day: each enabled job's recent average calls per run times its
 * runs per day. A job that has not run yet is estimated from the shop's size (a full listing pull).
 */
export function scheduledCallsPerDay(
  jobs: readonly { enabled: boolean; intervalMs: number; recentCallsPerRun: readonly number[] }[],
  fallbackCallsPerRun: number,
): number {
  let total = 0;
  for (const job of jobs) {
    if (!job.enabled || job.intervalMs <= 0) continue;
    const runs = job.recentCallsPerRun;
    const perRun = runs.length > 0 ? runs.reduce((sum, n) => sum + n, 0) / runs.length : fallbackCallsPerRun;
    total += perRun * (DAY_MS / job.intervalMs);
  }
  return Math.ceil(total);
}
