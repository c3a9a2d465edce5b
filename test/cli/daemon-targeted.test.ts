import { describe, expect, it } from 'vitest';
import { runWatcher } from '../../src/main/cli/daemon';
import type { Core } from '../../src/main/app';
import type { SchedulerStatus } from '../../src/main/schedule/scheduler';
import type { RunRow } from '../../src/main/store/runs-repo';

/** Issue 14: the daemon prints a line for each targeted run, which leaves the jobs' own status alone. */
function run(id: number, trigger: RunRow['trigger'], status: RunRow['status'], summary: string): RunRow {
  return { id, kind: 'inventory', trigger, dryRun: false, startedAt: id * 1000, finishedAt: status === 'running' ? null : id * 1000 + 500, status, callsUsed: 3, changesCount: 1, errorCode: null, errorMessage: null, summary };
}

describe('daemon run lines', () => {
  it('prints each targeted run once, oldest first, and not those that ended before it started', () => {
    const runs: RunRow[] = [run(1, 'schedule', 'ok', '0 changes')];
    const core = { repos: { runs: { listRuns: () => [...runs].reverse(), lastRun: () => undefined } } } as unknown as Pick<Core, 'repos'>;
    const status: SchedulerStatus = { started: true, paused: false, running: null, waitingForBudgetUntil: null, runningTargeted: null, targetedWaiting: 0, jobs: [] };
    const watch = runWatcher([]);
    expect(watch(status, core)).toEqual([]);
    runs.push(run(2, 'sale', 'ok', '2 changes (SKU FOX).'), run(3, 'edit', 'running', ''));
    const lines = watch(status, core);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ sale sync done — 2 changes \(SKU FOX\) \(run 2\)\.$/);
    runs[2] = run(3, 'edit', 'failed', 'Etsy is unavailable.');
    expect(watch(status, core)).toEqual([expect.stringMatching(/ edit sync failed — Etsy is unavailable \(run 3\)\.$/)]);
    expect(watch(status, core)).toEqual([]);
  });
});
