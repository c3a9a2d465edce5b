import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HELD_RECHECK_MS,
  Scheduler,
  type JobConfig,
  type JobName,
  type JobOutcome,
  type RunTrigger,
  type SchedulerOptions,
} from '../../src/main/schedule/scheduler';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2026, 10, 28, 9, 0, 0);

interface Call {
  name: JobName;
  trigger: RunTrigger;
  startedAt: number;
}

function harness(overrides: Partial<SchedulerOptions> = {}, runMs = 1_000) {
  const calls: Call[] = [];
  let active = 0;
  let maxActive = 0;
  const config: Record<JobName, JobConfig> = {
    products: { enabled: true, intervalMs: 2 * HOUR },
    inventory: { enabled: true, intervalMs: HOUR },
  };
  const runJob = vi.fn(async (name: JobName, trigger: RunTrigger, signal: AbortSignal): Promise<JobOutcome> => {
    calls.push({ name, trigger, startedAt: Date.now() });
    active += 1;
    maxActive = Math.max(maxActive, active);
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, runMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { ok: !signal.aborted, summary: signal.aborted ? 'cancelled' : 'ok' };
    } finally {
      active -= 1;
    }
  });
  const scheduler = new Scheduler({
    runJob,
    config: () => config,
    random: () => 0.5,
    catchUpJitterMs: 20_000,
    ...overrides,
  });
  return { scheduler, calls, config, runJob, maxActive: () => maxActive };
}

describe('Scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each job on its interval and never overlaps runs', async () => {
    // Each run takes 70 minutes: longer than the inventory interval, so ticks come due mid-run.
    const h = harness({ firstRunDelayMs: 10_000 }, 70 * MIN);
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    await h.scheduler.stop();
    expect(h.maxActive()).toBe(1);
    expect(h.calls.length).toBeGreaterThan(3);
    expect(h.calls[0]).toMatchObject({ name: 'products', trigger: 'schedule' });
    for (let i = 1; i < h.calls.length; i += 1) {
      const gap = h.calls[i]!.startedAt - h.calls[i - 1]!.startedAt;
      expect(gap).toBeGreaterThanOrEqual(70 * MIN);
    }
  });

  it('runs products every 2 h and inventory every hour when runs are short', async () => {
    const h = harness({ lastRuns: () => ({ products: { at: START, result: { ok: true, summary: '' } }, inventory: { at: START, result: { ok: true, summary: '' } } }) });
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(4 * HOUR + 5 * MIN);
    await h.scheduler.stop();
    const count = (name: JobName) => h.calls.filter((c) => c.name === name).length;
    expect(count('inventory')).toBe(4);
    expect(count('products')).toBe(2);
    expect(h.calls.every((c) => c.trigger === 'schedule')).toBe(true);
  });

  it('"sync now" during a run joins it instead of starting another', async () => {
    const h = harness({}, 5 * MIN);
    h.scheduler.start();
    const first = h.scheduler.syncNow();
    await vi.advanceTimersByTimeAsync(MIN);
    const second = h.scheduler.syncNow(['inventory']);
    expect(second).toBe(first);
    await vi.advanceTimersByTimeAsync(20 * MIN);
    const outcomes = await second;
    expect(outcomes).toHaveLength(2);
    const manual = h.calls.filter((c) => c.trigger === 'manual');
    expect(manual.map((c) => c.name)).toEqual(['products', 'inventory']);
    await h.scheduler.stop();
  });

  it('makes one catch-up run after an 8 h clock jump, not one per missed tick', async () => {
    const done = { ok: true, summary: '' };
    const h = harness({ lastRuns: () => ({ products: { at: START, result: done }, inventory: { at: START, result: done } }), heartbeatMs: 30_000 });
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(h.calls).toHaveLength(0);
    // The machine sleeps: the wall clock jumps 8 h while no timer ran.
    vi.setSystemTime(Date.now() + 8 * HOUR);
    await vi.advanceTimersByTimeAsync(30_000 + 20_000);
    expect(h.calls.map((c) => [c.name, c.trigger])).toEqual([
      ['products', 'catchup'],
      ['inventory', 'catchup'],
    ]);
    // Afterwards the ordinary schedule continues from the catch-up.
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(h.calls).toHaveLength(2);
    await h.scheduler.stop();
  });

  it('resume() after sleep makes one catch-up run when something is due', async () => {
    const done = { ok: true, summary: '' };
    const h = harness({ lastRuns: () => ({ products: { at: START, result: done }, inventory: { at: START, result: done } }), heartbeatMs: 10 * HOUR });
    h.scheduler.start();
    vi.setSystemTime(START + 3 * HOUR);
    h.scheduler.resume();
    h.scheduler.resume();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.calls.map((c) => c.trigger)).toEqual(['catchup', 'catchup']);
    await h.scheduler.stop();
  });

  it('pauses scheduled runs and catches up once on resume', async () => {
    const h = harness({ firstRunDelayMs: 0 });
    h.scheduler.start();
    h.scheduler.setPaused(true);
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(h.calls).toHaveLength(0);
    expect(h.scheduler.status().paused).toBe(true);
    expect(h.scheduler.status().jobs.every((j) => j.nextRunAt === null)).toBe(true);
    h.scheduler.setPaused(false);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.calls).toHaveLength(2);
    await h.scheduler.stop();
  });

  it('skips disabled jobs', async () => {
    const h = harness({ firstRunDelayMs: 0 });
    h.config.products.enabled = false;
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(h.calls.length).toBeGreaterThan(0);
    expect(h.calls.every((c) => c.name === 'inventory')).toBe(true);
    expect(h.scheduler.status().jobs.find((j) => j.name === 'products')?.nextRunAt).toBeNull();
    await h.scheduler.stop();
  });

  it('waits for the daily budget before a scheduled run and says until when', async () => {
    let waitUntil: number | null = START + 2 * HOUR;
    const h = harness({ firstRunDelayMs: 0, budgetWaitUntil: () => waitUntil });
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.calls).toHaveLength(0);
    expect(h.scheduler.status().waitingForBudgetUntil).toBe(START + 2 * HOUR);
    waitUntil = null;
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(h.calls.length).toBeGreaterThan(0);
    expect(h.scheduler.status().waitingForBudgetUntil).toBeNull();
    await h.scheduler.stop();
  });

  it('stop() cancels the run in flight and waits for it to end', async () => {
    const h = harness({ firstRunDelayMs: 0 }, 10 * HOUR);
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.scheduler.status().running).toBe('products');
    await h.scheduler.stop();
    expect(h.scheduler.status().running).toBeNull();
    expect(h.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(h.calls).toHaveLength(1);
  });

  it('records a thrown job error as a failed outcome and keeps scheduling', async () => {
    const h = harness({ firstRunDelayMs: 0 });
    h.runJob.mockImplementationOnce(async () => {
      throw new Error('Etsy is unavailable');
    });
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    const products = h.scheduler.status().jobs.find((j) => j.name === 'products');
    expect(products?.lastResult).toEqual({ ok: false, summary: 'Etsy is unavailable' });
    expect(products?.nextRunAt).toBe((products?.lastRunAt ?? 0) + 2 * HOUR);
    await h.scheduler.stop();
  });

  it('a held job (first run not previewed, budget low) is not recorded as a run and is tried again soon', async () => {
    const h = harness({ firstRunDelayMs: 0 });
    const held = { ok: true, held: true, summary: 'Waiting for the first sync to be previewed.' };
    let holds = 2;
    h.runJob.mockImplementation(async (name) => {
      if (name !== 'inventory' || holds === 0) return { ok: true, summary: 'ok' };
      holds -= 1;
      return held;
    });
    h.scheduler.start();
    await vi.advanceTimersByTimeAsync(MIN);
    const inventory = () => h.scheduler.status().jobs.find((j) => j.name === 'inventory')!;
    expect(inventory()).toMatchObject({ lastRunAt: null, lastResult: null, heldReason: held.summary });
    // Tried again after HELD_RECHECK_MS, not a whole interval later.
    expect(inventory().nextRunAt).toBeLessThanOrEqual(Date.now() + HELD_RECHECK_MS);
    await vi.advanceTimersByTimeAsync(HELD_RECHECK_MS + MIN);
    await vi.advanceTimersByTimeAsync(HELD_RECHECK_MS + MIN);
    expect(inventory().lastRunAt).not.toBeNull();
    expect(inventory().heldReason).toBeNull();
    await h.scheduler.stop();
  });
});

describe('Scheduler status before start', () => {
  it('reports the stored last runs even when the scheduler is not running (one-shot CLI)', () => {
    const done = { ok: true, summary: '40 listings read' };
    const scheduler = new Scheduler({
      runJob: async () => done,
      config: () => ({ products: { enabled: true, intervalMs: 1 }, inventory: { enabled: false, intervalMs: 1 } }),
      lastRuns: () => ({ products: { at: 1234, result: done } }),
    });
    const jobs = scheduler.status().jobs;
    expect(jobs.find((j) => j.name === 'products')).toMatchObject({ lastRunAt: 1234, lastResult: done, nextRunAt: null });
    expect(jobs.find((j) => j.name === 'inventory')).toMatchObject({ lastRunAt: null, enabled: false });
  });

});

