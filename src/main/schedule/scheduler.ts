import schedule from 'node-schedule';

/**
 * Runs the two background jobs (product sync and inventory sync) on their intervals, one at a time.
 *
 * - Runs never overlap: one run is in flight at most; "sync now" during a run joins it.
 * - Due jobs are run together in one run (products before inventory), so after sleep or a clock jump
 *   there is one catch-up run, not one per missed tick.
 * - Wall-clock jumps are detected with a heartbeat: timers run on a monotonic clock, so a sleeping
 *   laptop or a changed clock would otherwise leave the next run hours late.
 * - Scheduled runs wait while the daily Etsy budget runs low; manual runs are the owner's call.
 * - A job may answer "held" (the shop's first run not previewed yet, the budget low): that is not a
 *   run — its last run stays as it was — and it is tried again after HELD_RECHECK_MS.
 * - Targeted runs (a sale seen by the watcher, a local stock edit: docs/SYNC.md "Watching for sales") go
 *   through the same one-at-a-time slot: requested during a run, they wait for it; requests waiting
 *   together become one run of all their SKUs; an inventory job that starts after they were asked for
 *   covers them. They leave the jobs' schedules alone.
 * - stop() aborts the run in flight and waits for it to end.
 */
export type JobName = 'products' | 'inventory';
export type RunTrigger = 'schedule' | 'manual' | 'catchup';

export const JOB_ORDER: readonly JobName[] = ['products', 'inventory'];

/** 'server-edit': a stock edit made on the server (the server link's product_variants). */
export type TargetedTrigger = 'sale' | 'edit' | 'server-edit';

/** One targeted inventory run: the SKUs asked for since the last one. */
export interface TargetedRun {
  skus: string[];
  /** 'sale' when any request came from a sale (the history shows it as such), else 'edit' when any came from a local edit, else 'server-edit'. */
  trigger: TargetedTrigger;
  /** Every request said its caller had just fetched the receipts (the watcher's poll). */
  receiptsFresh: boolean;
}

export interface JobConfig {
  enabled: boolean;
  intervalMs: number;
}

export interface JobOutcome {
  ok: boolean;
  /** One line for people: "12 changes", "Etsy is unavailable"; for a held job, why it waits. */
  summary: string;
  /** The job did not start (SyncEngine status 'held'): not recorded as a run. */
  held?: boolean;
}

/** How soon a held job is tried again (the shortest interval a job may have). */
export const HELD_RECHECK_MS = 5 * 60_000;

export interface LastRun {
  at: number;
  result: JobOutcome;
}

export interface JobStatus {
  name: JobName;
  enabled: boolean;
  lastRunAt: number | null;
  lastResult: JobOutcome | null;
  nextRunAt: number | null;
  /** Why the job's last turn was held (see JobOutcome.held), until it runs; else null. */
  heldReason: string | null;
}

export interface SchedulerStatus {
  started: boolean;
  paused: boolean;
  running: JobName | null;
  waitingForBudgetUntil: number | null;
  /** The targeted run in flight ('sale' / 'edit' / 'server-edit'), else null. */
  runningTargeted: TargetedTrigger | null;
  /** SKUs waiting for a targeted run. */
  targetedWaiting: number;
  jobs: JobStatus[];
}

export interface SchedulerOptions {
  runJob(name: JobName, trigger: RunTrigger, signal: AbortSignal): Promise<JobOutcome>;
  /** Runs a targeted inventory sync; without it, targeted requests are answered "not available". */
  runTargeted?(run: TargetedRun, signal: AbortSignal): Promise<JobOutcome>;
  config(): Record<JobName, JobConfig>;
  /** Last runs as stored, so a restart continues the schedule instead of starting over. */
  lastRuns?(): Partial<Record<JobName, LastRun>>;
  /** When the daily budget is spent: the time it frees up; otherwise null. */
  budgetWaitUntil?(): number | null;
  onChange?(status: SchedulerStatus): void;
  now?(): number;
  random?(): number;
  /** Upper bound of the random delay before a catch-up run (default 30 s). */
  catchUpJitterMs?: number;
  /** Delay before the very first run of a job that has never run (default 10 s). */
  firstRunDelayMs?: number;
  heartbeatMs?: number;
  /** How far the wall clock may run ahead of the heartbeat before it counts as a jump (default 2 min). */
  clockJumpToleranceMs?: number;
}

interface PendingTargeted {
  skus: Set<string>;
  sale: boolean;
  edit: boolean;
  receiptsFresh: boolean;
  waiters: ((outcome: JobOutcome) => void)[];
}

interface JobState {
  lastRun: LastRun | null;
  nextRunAt: number | null;
  heldReason: string | null;
  /** Failed runs in a row; the wait after one grows with it (issue 13: a full disk, a read-only folder). */
  failures?: number;
}

/** The longest a failing job waits between tries (unless its own interval is longer). */
const MAX_BACKOFF_MS = 60 * 60 * 1000;

export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly jobs: Record<JobName, JobState> = {
    products: { lastRun: null, nextRunAt: null, heldReason: null },
    inventory: { lastRun: null, nextRunAt: null, heldReason: null },
  };
  private started = false;
  private paused = false;
  private timer: schedule.Job | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastBeat = 0;
  private inFlight: { jobs: JobName[]; targeted: boolean; promise: Promise<unknown> } | null = null;
  private runningJob: JobName | null = null;
  private runningTargeted: TargetedTrigger | null = null;
  private pendingTargeted: PendingTargeted | null = null;
  private manualWaiting = 0;
  private abort = new AbortController();
  private waitingForBudgetUntil: number | null = null;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    const stored = this.options.lastRuns?.() ?? {};
    const now = this.now();
    for (const name of JOB_ORDER) {
      const state = this.jobs[name];
      state.lastRun = stored[name] ?? null;
      state.nextRunAt = state.lastRun
        ? state.lastRun.at + this.intervalOf(name)
        : now + (this.options.firstRunDelayMs ?? 10_000);
    }
    const heartbeatMs = this.options.heartbeatMs ?? 30_000;
    this.lastBeat = now;
    this.heartbeat = setInterval(() => this.onHeartbeat(heartbeatMs), heartbeatMs);
    this.heartbeat.unref?.();
    this.planNext({ catchUp: true });
  }

  /** Called on wake from sleep (and by the heartbeat on a clock jump): one catch-up run if anything is due. */
  resume(): void {
    if (!this.started) return;
    this.planNext({ catchUp: true });
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (paused) this.cancelTimer();
    this.planNext({ catchUp: true });
  }

  /** Applies changed intervals or enabled flags. */
  reconfigure(): void {
    const now = this.now();
    for (const name of JOB_ORDER) {
      const state = this.jobs[name];
      const base = state.lastRun?.at ?? now;
      state.nextRunAt = Math.max(base + this.intervalOf(name), now);
    }
    this.planNext({ catchUp: false });
  }

  /**
   * Runs the given jobs now; if a run of the jobs is already going, joins it instead of starting
   * another. A targeted run in flight is waited for, then the jobs run.
   */
  syncNow(jobs: readonly JobName[] = JOB_ORDER): Promise<JobOutcome[]> {
    const inFlight = this.inFlight;
    if (inFlight && !inFlight.targeted) return inFlight.promise as Promise<JobOutcome[]>;
    if (!inFlight) return this.run([...jobs], 'manual');
    // Waiting targeted requests do not go before the owner's own sync (which covers them anyway).
    this.manualWaiting += 1;
    return (async () => {
      try {
        await inFlight.promise.catch(() => undefined);
      } finally {
        this.manualWaiting -= 1;
      }
      return this.syncNow(jobs);
    })();
  }

  /**
   * Asks for a targeted inventory run of these SKUs (never ''). Runs at once when nothing else does,
   * else after the run in flight, together with every other request made meanwhile. Resolves with the
   * outcome of the run that covered the request.
   */
  requestTargeted(skus: readonly string[], trigger: TargetedTrigger, options: { receiptsFresh?: boolean } = {}): Promise<JobOutcome> {
    const wanted = skus.filter((sku) => sku !== '');
    if (wanted.length === 0) return Promise.resolve({ ok: true, summary: 'Nothing to sync.' });
    if (!this.options.runTargeted) return Promise.resolve({ ok: false, summary: 'Targeted syncs are not available.' });
    if (!this.started) return Promise.resolve({ ok: false, summary: 'Art Sync is stopping.' });
    const pending = (this.pendingTargeted ??= { skus: new Set(), sale: false, edit: false, receiptsFresh: true, waiters: [] });
    for (const sku of wanted) pending.skus.add(sku);
    if (trigger === 'sale') pending.sale = true;
    if (trigger === 'edit') pending.edit = true;
    if (options.receiptsFresh !== true) pending.receiptsFresh = false;
    const promise = new Promise<JobOutcome>((resolve) => pending.waiters.push(resolve));
    this.startTargetedIfIdle();
    this.emit();
    return promise;
  }

  status(): SchedulerStatus {
    const config = this.options.config();
    // Not started (a one-shot CLI command): the last runs are still the stored ones.
    const stored = this.started ? {} : (this.options.lastRuns?.() ?? {});
    return {
      started: this.started,
      paused: this.paused,
      running: this.runningJob,
      waitingForBudgetUntil: this.waitingForBudgetUntil,
      runningTargeted: this.runningTargeted,
      targetedWaiting: this.pendingTargeted?.skus.size ?? 0,
      jobs: JOB_ORDER.map((name) => {
        const state = this.jobs[name];
        const enabled = config[name].enabled;
        const lastRun = state.lastRun ?? stored[name] ?? null;
        return {
          name,
          enabled,
          lastRunAt: lastRun?.at ?? null,
          lastResult: lastRun?.result ?? null,
          nextRunAt: enabled && !this.paused && this.started ? state.nextRunAt : null,
          heldReason: state.heldReason,
        };
      }),
    };
  }

  /** Stops timers, cancels the run in flight and waits for it to end. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.cancelTimer();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.abort.abort();
    const inFlight = this.inFlight;
    if (inFlight) await inFlight.promise.catch(() => undefined);
    const pending = this.pendingTargeted;
    this.pendingTargeted = null;
    for (const resolve of pending?.waiters ?? []) resolve({ ok: false, summary: 'Art Sync stopped before this sync ran.' });
    this.emit();
  }

  /** Starts the waiting targeted run when the slot is free (not while paused: pause stops all syncing). */
  private startTargetedIfIdle(): boolean {
    const pending = this.pendingTargeted;
    if (!pending || !this.started || this.paused || this.inFlight || this.manualWaiting > 0 || !this.options.runTargeted) return false;
    this.pendingTargeted = null;
    this.cancelTimer();
    const signal = this.abort.signal;
    const run: TargetedRun = { skus: [...pending.skus].sort(), trigger: pending.sale ? 'sale' : pending.edit ? 'edit' : 'server-edit', receiptsFresh: pending.receiptsFresh };
    const runTargeted = this.options.runTargeted;
    const promise = (async () => {
      this.runningTargeted = run.trigger;
      this.runningJob = 'inventory';
      this.emit();
      let outcome: JobOutcome;
      try {
        outcome = await runTargeted(run, signal);
      } catch (error) {
        outcome = { ok: false, summary: error instanceof Error ? error.message : 'The sync failed.' };
      } finally {
        this.runningTargeted = null;
        this.runningJob = null;
        this.inFlight = null;
      }
      for (const resolve of pending.waiters) resolve(outcome);
      this.planNext({ catchUp: false });
      return outcome;
    })();
    this.inFlight = { jobs: ['inventory'], targeted: true, promise };
    return true;
  }

  private onHeartbeat(heartbeatMs: number): void {
    const now = this.now();
    const gap = now - this.lastBeat;
    this.lastBeat = now;
    const tolerance = this.options.clockJumpToleranceMs ?? 120_000;
    if (gap > heartbeatMs + tolerance || gap < -tolerance) this.resume();
  }

  private intervalOf(name: JobName): number {
    return this.options.config()[name].intervalMs;
  }

  private dueJobs(now: number): JobName[] {
    const config = this.options.config();
    return JOB_ORDER.filter((name) => {
      const next = this.jobs[name].nextRunAt;
      return config[name].enabled && next !== null && next <= now;
    });
  }

  /**
   * Sets the one timer for the next thing to do. With catchUp, overdue jobs are run after a small
   * random delay (so many machines waking at once do not hit Etsy together).
   */
  private planNext({ catchUp }: { catchUp: boolean }): void {
    this.cancelTimer();
    // Waiting targeted runs go first: they are what someone is waiting for right now.
    if (this.startTargetedIfIdle()) return;
    if (!this.started || this.paused || this.inFlight) {
      this.emit();
      return;
    }
    const now = this.now();
    const config = this.options.config();
    let at: number | null = null;
    const catchingUp = catchUp && this.dueJobs(now).length > 0;
    if (catchingUp) {
      at = now + Math.floor(this.random() * (this.options.catchUpJitterMs ?? 30_000));
    } else {
      for (const name of JOB_ORDER) {
        const next = this.jobs[name].nextRunAt;
        if (config[name].enabled && next !== null) at = at === null ? next : Math.min(at, next);
      }
    }
    if (at !== null) {
      this.arm(at, catchingUp ? 'catchup' : 'schedule');
    }
    this.emit();
  }

  private async onTimer(trigger: RunTrigger): Promise<void> {
    if (!this.started || this.paused || this.inFlight) return;
    const now = this.now();
    const waitUntil = this.options.budgetWaitUntil?.() ?? null;
    if (waitUntil !== null && waitUntil > now) {
      this.waitingForBudgetUntil = waitUntil;
      this.arm(waitUntil, trigger);
      this.emit();
      return;
    }
    this.waitingForBudgetUntil = null;
    const due = this.dueJobs(now);
    if (due.length === 0) {
      this.planNext({ catchUp: false });
      return;
    }
    await this.run(due, trigger).catch(() => undefined);
  }

  private run(jobs: JobName[], trigger: RunTrigger): Promise<JobOutcome[]> {
    this.cancelTimer();
    const signal = this.abort.signal;
    // An inventory run starting now covers every targeted request made before it: it plans every SKU
    // and reads every listing a stored sale left to re-read.
    const covered = jobs.includes('inventory') ? this.pendingTargeted : null;
    if (covered) this.pendingTargeted = null;
    const promise = (async () => {
      const outcomes: JobOutcome[] = [];
      try {
        for (const name of jobs) {
          if (signal.aborted) break;
          this.runningJob = name;
          this.emit();
          let result: JobOutcome;
          try {
            result = await this.options.runJob(name, trigger, signal);
          } catch (error) {
            result = { ok: false, summary: error instanceof Error ? error.message : 'The sync failed.' };
          }
          const at = this.now();
          outcomes.push(result);
          if (result.held === true) {
            this.jobs[name].heldReason = result.summary;
            this.jobs[name].nextRunAt = at + Math.min(HELD_RECHECK_MS, this.intervalOf(name));
            continue;
          }
          this.jobs[name].heldReason = null;
          this.jobs[name].lastRun = { at, result };
          const failures = result.ok ? 0 : (this.jobs[name].failures ?? 0) + 1;
          this.jobs[name].failures = failures;
          // A job that keeps failing waits twice as long each time (up to an hour) instead of failing every interval.
          const interval = this.intervalOf(name);
          this.jobs[name].nextRunAt = at + Math.max(interval, Math.min(interval * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS));
        }
        return outcomes;
      } finally {
        this.runningJob = null;
        this.inFlight = null;
        if (covered) {
          const outcome = outcomes[jobs.indexOf('inventory')] ?? { ok: false, summary: 'The sync stopped before it ran.' };
          for (const resolve of covered.waiters) resolve(outcome);
        }
        this.planNext({ catchUp: false });
      }
    })();
    this.inFlight = { jobs, targeted: false, promise };
    return promise;
  }

  private arm(at: number, trigger: RunTrigger): void {
    this.cancelTimer();
    // node-schedule ignores a date in the past, so a due time is moved to "now" (it fires at once).
    this.timer = schedule.scheduleJob(new Date(Math.max(at, this.now())), () => {
      this.timer = null;
      void this.onTimer(trigger);
    });
  }

  private cancelTimer(): void {
    if (this.timer) this.timer.cancel();
    this.timer = null;
  }

  private emit(): void {
    this.options.onChange?.(this.status());
  }
}
