import type { JobOutcome } from './scheduler';
import { chooseWatchInterval, DAY_MS, type WatchIntervalReason } from './watch-interval';

/**
 * Watches the shop for sales while Art Sync runs (docs/SYNC.md "Watching for sales"): polls Etsy's
 * receipts with `min_last_modified` on the interval chooseWatchInterval picks, and asks the scheduler
 * for a targeted run of the SKUs a new or changed receipt touched. Plain Node; one timer, no overlap
 * (a poll waits for the targeted run it asked for before the next one is planned).
 */
export interface SalesPoll {
  skus: string[];
  newSales: number;
  /** The newest re-read entry seen; the next poll asks only about newer ones. */
  maxSeq: number;
  callsUsed: number;
}

export interface WatchBudget {
  limitPerDay: number;
  remainingToday: number;
  /** Calls kept for writes and the owner's own syncs. */
  reserveCalls: number;
  /** What the enabled scheduled jobs need over the next day. */
  scheduledCallsPerDay: number;
}

export interface SalesWatcherDeps {
  /** The watchIntervalMinutes setting, read at every turn (a change applies within RECHECK_MS). */
  settingMinutes(): number;
  /** Why watching cannot happen now (not connected, paused, stock sync off, first run not previewed), or null. */
  blockedReason(): string | null;
  /** The day's budget as it stands (null: Etsy not connected, so nothing to spend). */
  budget(): Promise<WatchBudget | null>;
  poll(afterSeq: number, signal: AbortSignal): Promise<SalesPoll>;
  requestTargeted(skus: string[]): Promise<JobOutcome>;
  now(): number;
  onChange?(status: SalesWatchStatus): void;
}

export interface SalesWatchStatus {
  /** 'waiting': on, but not polling now (see `note`). */
  state: 'off' | 'watching' | 'waiting' | 'stopped';
  note: string | null;
  settingMinutes: number;
  /** The current interval between polls; null when off. */
  intervalMs: number | null;
  intervalReason: WatchIntervalReason | null;
  lastCheckAt: number | null;
  nextCheckAt: number | null;
  lastSaleAt: number | null;
  lastError: string | null;
  /** Receipts calls a day at the current interval. */
  callsPerDay: number;
  /** Calls the watcher's polls spent over the last 24 h (this process). */
  callsLast24h: number;
}

/** The longest the watcher sleeps between looks at its setting and the budget (no Etsy call). */
export const RECHECK_MS = 30_000;

export class SalesWatcher {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private abort = new AbortController();
  private started = false;
  private turn: Promise<void> | null = null;
  private afterSeq = 0;
  private lastCheckAt: number | null = null;
  private lastSaleAt: number | null = null;
  private lastError: string | null = null;
  private nextCheckAt: number | null = null;
  private note: string | null = null;
  private state: SalesWatchStatus['state'] = 'stopped';
  private interval: { ms: number | null; reason: WatchIntervalReason | null; callsPerDay: number } = { ms: null, reason: null, callsPerDay: 0 };
  /** Poll times and calls over the last day, for callsLast24h. */
  private readonly spent: { at: number; calls: number }[] = [];

  constructor(private readonly deps: SalesWatcherDeps) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    this.arm(0);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.turn?.catch(() => undefined);
    this.state = 'stopped';
    this.nextCheckAt = null;
    this.emit();
  }

  /** One turn now (polls if watching is on and allowed, whatever the interval); for tests and "check now". */
  async checkNow(): Promise<SalesWatchStatus> {
    await this.runTurn(true);
    return this.status();
  }

  status(): SalesWatchStatus {
    const now = this.deps.now();
    while (this.spent.length > 0 && this.spent[0]!.at <= now - DAY_MS) this.spent.shift();
    return {
      state: this.state,
      note: this.note,
      settingMinutes: this.deps.settingMinutes(),
      intervalMs: this.interval.ms,
      intervalReason: this.interval.reason,
      lastCheckAt: this.lastCheckAt,
      nextCheckAt: this.nextCheckAt,
      lastSaleAt: this.lastSaleAt,
      lastError: this.lastError,
      callsPerDay: this.interval.callsPerDay,
      callsLast24h: this.spent.reduce((sum, entry) => sum + entry.calls, 0),
    };
  }

  private arm(ms: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runTurn(false);
    }, ms);
    this.timer.unref?.();
  }

  private async runTurn(force: boolean): Promise<void> {
    if (this.turn) return this.turn;
    this.turn = this.turnOnce(force).finally(() => {
      this.turn = null;
    });
    return this.turn;
  }

  private async turnOnce(force: boolean): Promise<void> {
    let nextMs = RECHECK_MS;
    try {
      nextMs = await this.decideAndPoll(force);
    } finally {
      this.emit();
      if (this.started) this.arm(nextMs);
    }
  }

  /** Returns how long to sleep before the next turn. */
  private async decideAndPoll(force: boolean): Promise<number> {
    const now = this.deps.now();
    const settingMinutes = this.deps.settingMinutes();
    this.nextCheckAt = null;
    if (settingMinutes <= 0) {
      this.state = 'off';
      this.note = null;
      this.interval = { ms: null, reason: 'off', callsPerDay: 0 };
      return RECHECK_MS;
    }
    const blocked = this.deps.blockedReason();
    const budget = blocked === null ? await this.deps.budget().catch(() => null) : null;
    if (blocked !== null || budget === null) {
      this.state = 'waiting';
      this.note = blocked ?? 'Etsy is not connected.';
      return RECHECK_MS;
    }
    const choice = chooseWatchInterval({ settingMinutes, ...budget, lastSaleAt: this.lastSaleAt, now });
    this.interval = { ms: choice.intervalMs, reason: choice.reason, callsPerDay: choice.callsPerDay };
    if (!choice.poll) {
      this.state = 'waiting';
      this.nextCheckAt = now + (choice.intervalMs ?? RECHECK_MS);
      this.note = "Etsy's daily call budget is running low; checking for sales waits so the scheduled syncs and writes keep theirs.";
      return Math.min(RECHECK_MS, choice.intervalMs ?? RECHECK_MS);
    }
    this.state = 'watching';
    this.note = null;
    let intervalMs = choice.intervalMs ?? RECHECK_MS;
    const dueAt = (this.lastCheckAt ?? -Infinity) + intervalMs;
    this.nextCheckAt = Number.isFinite(dueAt) ? dueAt : now;
    if (!force && now < dueAt) return Math.min(RECHECK_MS, dueAt - now);
    try {
      const poll = await this.deps.poll(this.afterSeq, this.abort.signal);
      this.lastCheckAt = this.deps.now();
      this.nextCheckAt = this.lastCheckAt + intervalMs;
      this.lastError = null;
      this.spent.push({ at: this.lastCheckAt, calls: poll.callsUsed });
      this.afterSeq = poll.maxSeq;
      if (poll.newSales > 0) {
        this.lastSaleAt = this.lastCheckAt;
        // A sale: the faster interval starts now, not at the next turn.
        const after = chooseWatchInterval({ settingMinutes, ...budget, lastSaleAt: this.lastSaleAt, now: this.lastCheckAt });
        this.interval = { ms: after.intervalMs, reason: after.reason, callsPerDay: after.callsPerDay };
        if (after.poll && after.intervalMs !== null) {
          intervalMs = after.intervalMs;
          this.nextCheckAt = this.lastCheckAt + intervalMs;
        }
      }
      if (poll.skus.length > 0) {
        this.emit();
        // Stopping does not wait for the run (the scheduler, stopped next, ends it).
        const outcome = await Promise.race([this.deps.requestTargeted(poll.skus), aborted(this.abort.signal)]);
        if (outcome && !outcome.ok && outcome.held !== true) this.lastError = outcome.summary;
      }
    } catch (error) {
      this.lastCheckAt = this.deps.now();
      this.nextCheckAt = this.lastCheckAt + Math.max(intervalMs, RECHECK_MS);
      this.lastError = error instanceof Error ? error.message : 'Checking for sales failed.';
      // After a failure, the next try waits a full interval at least (never a tight retry loop).
      return Math.max(intervalMs, RECHECK_MS);
    }
    return Math.min(RECHECK_MS, intervalMs);
  }

  private emit(): void {
    this.deps.onChange?.(this.status());
  }
}

function aborted(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(null);
    else signal.addEventListener('abort', () => resolve(null), { once: true });
  });
}
