import { describe, expect, it } from 'vitest';
import type { AppEventName } from '../../src/shared/events';
import type { AppStatus, RunItem } from '../../src/shared/ipc';
import { StatusWatcher } from '../../src/main/desktop/status-watcher';
import { NOW, okStatus } from '../shell/status-fixture';

function setup(statuses: AppStatus[], runs: RunItem[] = []) {
  const events: [AppEventName, unknown][] = [];
  let i = 0;
  const watcher = new StatusWatcher({
    readStatus: async () => statuses[Math.min(i++, statuses.length - 1)]!,
    recentRuns: () => runs,
    emit: (event, payload) => void events.push([event, payload]),
  });
  return { watcher, events, names: () => events.map(([name]) => name) };
}

const run = (id: number, startedAt: number, dryRun = false): RunItem => ({
  id, kind: 'inventory', trigger: 'schedule', dryRun, startedAt, finishedAt: startedAt + 10, status: 'ok',
  callsUsed: 1, changesCount: 2, errorCode: null, errorMessage: null, summary: '2 changes',
});

describe('StatusWatcher', () => {
  it('emits status:changed only when something other than the read time changed', async () => {
    const { watcher, names } = setup([okStatus(), okStatus({ at: NOW + 5000 }), okStatus({ attention: 1, at: NOW + 9000 })]);
    await watcher.poll();
    await watcher.poll();
    await watcher.poll();
    expect(names()).toEqual(['status:changed', 'status:changed']);
  });

  it('emits progress while syncing and sync:finished with the runs of that sync', async () => {
    const progress = (done: number) => ({ kind: 'inventory' as const, phase: 'writing' as const, done, total: 4 });
    const { watcher, events } = setup(
      [
        okStatus({ at: NOW }),
        okStatus({ at: NOW + 1000, running: 'inventory', progress: progress(1) }),
        okStatus({ at: NOW + 2000, running: 'inventory', progress: progress(1) }),
        okStatus({ at: NOW + 3000, running: 'inventory', progress: progress(3) }),
        okStatus({ at: NOW + 4000, attention: 2 }),
      ],
      [run(3, NOW + 500), run(2, NOW + 400, true), run(1, NOW - 100_000)],
    );
    for (let k = 0; k < 5; k++) await watcher.poll();
    const progressEvents = events.filter(([name]) => name === 'sync:progress').map(([, payload]) => payload);
    expect(progressEvents).toEqual([progress(1), progress(3)]);
    const finished = events.filter(([name]) => name === 'sync:finished').map(([, payload]) => payload);
    // Only the non-dry run that started after the last idle status.
    expect(finished).toEqual([{ runs: [run(3, NOW + 500)] }]);
  });

  it('a failing read is reported, not thrown, and the next read works', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const events: string[] = [];
    const watcher = new StatusWatcher({
      readStatus: async () => {
        if (fail) throw new Error('database is locked');
        return okStatus();
      },
      recentRuns: () => [],
      emit: (event) => void events.push(event),
      onError: (error) => void errors.push(error),
    });
    await watcher.poll();
    fail = false;
    await watcher.poll();
    expect(errors).toHaveLength(1);
    expect(events).toEqual(['status:changed']);
  });

  it('poke coalesces reads and stop ends the timer', async () => {
    let reads = 0;
    const watcher = new StatusWatcher({ readStatus: async () => (reads++, okStatus()), recentRuns: () => [], emit: () => undefined, idleIntervalMs: 3_600_000 });
    watcher.start();
    await Promise.all([watcher.poke(), watcher.poke(), watcher.poke()]);
    watcher.stop();
    expect(reads).toBeLessThanOrEqual(2);
    expect(watcher.current).toEqual(okStatus());
  });
});
