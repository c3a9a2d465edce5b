import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type JobConfig, type JobName, type JobOutcome, type TargetedRun } from '../../src/main/schedule/scheduler';

/** Issue 14: targeted runs share the scheduler's one-at-a-time slot and coalesce while they wait. */
const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2026, 11, 2, 9, 0, 0);

function harness() {
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  const targeted: TargetedRun[] = [];
  const config: Record<JobName, JobConfig> = {
    products: { enabled: true, intervalMs: 2 * HOUR },
    inventory: { enabled: true, intervalMs: HOUR },
  };
  const work = async (label: string, ms: number): Promise<JobOutcome> => {
    log.push(`start ${label}`);
    active += 1;
    maxActive = Math.max(maxActive, active);
    await new Promise((resolve) => setTimeout(resolve, ms));
    active -= 1;
    log.push(`end ${label}`);
    return { ok: true, summary: label };
  };
  const scheduler = new Scheduler({
    runJob: (name) => work(name, 60_000),
    runTargeted: (run) => {
      targeted.push(run);
      return work(`${run.trigger}:${run.skus.join(',')}`, 5_000);
    },
    config: () => config,
    random: () => 0,
    firstRunDelayMs: HOUR / 2,
    lastRuns: () => ({ products: { at: START, result: { ok: true, summary: '' } }, inventory: { at: START - HOUR / 2, result: { ok: true, summary: '' } } }),
  });
  return { scheduler, log, targeted, maxActive: () => maxActive };
}

describe('Scheduler targeted runs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a request at once when idle, and coalesces a burst made during a run into one run', async () => {
    const { scheduler, targeted, maxActive } = harness();
    scheduler.start();
    const first = scheduler.requestTargeted(['FOX'], 'sale', { receiptsFresh: true });
    expect(scheduler.status().runningTargeted).toBe('sale');
    // A burst while it runs: one run of everything after it.
    const burst = [
      scheduler.requestTargeted(['HARE'], 'edit'),
      scheduler.requestTargeted(['OWL-S', 'HARE'], 'edit'),
      scheduler.requestTargeted(['FOX', ''], 'sale', { receiptsFresh: true }),
    ];
    expect(scheduler.status().targetedWaiting).toBe(3);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await first).summary).toBe('sale:FOX');
    await vi.advanceTimersByTimeAsync(5_000);
    const outcomes = await Promise.all(burst);
    expect(targeted).toEqual([
      { skus: ['FOX'], trigger: 'sale', receiptsFresh: true },
      // Mixed: shown as a sale; an edit's request did not fetch receipts, so the run does.
      { skus: ['FOX', 'HARE', 'OWL-S'], trigger: 'sale', receiptsFresh: false },
    ]);
    expect(new Set(outcomes.map((o) => o.summary))).toEqual(new Set(['sale:FOX,HARE,OWL-S']));
    expect(maxActive()).toBe(1);
    await scheduler.stop();
  });

  it('never overlaps a scheduled run: a request made during one waits for it; the job keeps its schedule', async () => {
    const { scheduler, log, maxActive } = harness();
    scheduler.start();
    // Inventory is due in 30 minutes; a request arrives while the (1 minute) run is going.
    await vi.advanceTimersByTimeAsync(HOUR / 2);
    expect(scheduler.status().running).toBe('inventory');
    const request = scheduler.requestTargeted(['HARE'], 'edit');
    await vi.advanceTimersByTimeAsync(2 * MIN);
    await request;
    expect(log).toEqual(['start inventory', 'end inventory', 'start edit:HARE', 'end edit:HARE']);
    expect(maxActive()).toBe(1);
    const inventory = scheduler.status().jobs.find((job) => job.name === 'inventory');
    expect(inventory?.nextRunAt).toBe(START + HOUR / 2 + MIN + HOUR);
    await scheduler.stop();
  });

  it('a request waiting when an inventory job starts is covered by it', async () => {
    const { scheduler, log, targeted } = harness();
    scheduler.start();
    const first = scheduler.requestTargeted(['FOX'], 'sale');
    const waiting = scheduler.requestTargeted(['HARE'], 'edit');
    // "Sync now" after the first targeted run: the waiting request is covered by it.
    const manual = scheduler.syncNow(['inventory']);
    await vi.advanceTimersByTimeAsync(5_000 + 60_000);
    await Promise.all([first, manual]);
    expect((await waiting).summary).toBe('inventory');
    expect(targeted.map((t) => t.skus)).toEqual([['FOX']]);
    expect(log).toEqual(['start sale:FOX', 'end sale:FOX', 'start inventory', 'end inventory']);
    await scheduler.stop();
  });

  it('waits while paused', async () => {
    const { scheduler, targeted } = harness();
    scheduler.start();
    scheduler.setPaused(true);
    const request = scheduler.requestTargeted(['FOX'], 'sale');
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(targeted).toEqual([]);
    scheduler.setPaused(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await request).summary).toBe('sale:FOX');
    await scheduler.stop();
  });
});
