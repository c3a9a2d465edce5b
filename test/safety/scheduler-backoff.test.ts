import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type JobConfig, type JobName } from '../../src/main/schedule/scheduler';

/** Issue 13, item 4: a job that keeps failing (full disk, read-only folder) backs off instead of failing every minute. */
const MIN = 60_000;
const START = Date.UTC(2026, 11, 2, 9, 0, 0);

describe('Scheduler backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => vi.useRealTimers());

  it('doubles the wait after each failure in a row, up to an hour, and resets after a success', async () => {
    const starts: number[] = [];
    let failing = true;
    const config: Record<JobName, JobConfig> = {
      products: { enabled: false, intervalMs: 60 * MIN },
      inventory: { enabled: true, intervalMs: MIN },
    };
    const scheduler = new Scheduler({
      runJob: async () => {
        starts.push((Date.now() - START) / MIN);
        return failing ? { ok: false, summary: 'The disk is full.' } : { ok: true, summary: 'ok' };
      },
      config: () => config,
      random: () => 0.5,
      firstRunDelayMs: 0,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(200 * MIN);
    const gaps = starts.slice(1).map((at, i) => Math.round(at - starts[i]!));
    expect(gaps.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    failing = false;
    await vi.advanceTimersByTimeAsync(61 * MIN); // the next try succeeds…
    const afterSuccess = starts.length;
    await vi.advanceTimersByTimeAsync(3 * MIN); // …and the job is back on its one-minute interval
    expect(starts.length - afterSuccess).toBeGreaterThanOrEqual(2);
    await scheduler.stop();
  });
});
