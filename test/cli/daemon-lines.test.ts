import { describe, expect, it } from 'vitest';
import { runWatcher, serverEditsWatcher } from '../../src/main/cli/daemon';
import type { SchedulerStatus } from '../../src/main/schedule/scheduler';
import type { RunItem } from '../../src/shared/ipc';

const idle: SchedulerStatus = { started: true, paused: false, running: null, waitingForBudgetUntil: null, jobs: [], runningTargeted: null, targetedWaiting: 0 };

function run(overrides: Partial<RunItem>): RunItem {
  return {
    id: 7, kind: 'inventory', trigger: 'sale', dryRun: false, startedAt: 1_000, finishedAt: 2_000, status: 'ok',
    callsUsed: 4, changesCount: 2, errorCode: null, errorMessage: null, summary: '2 changes', ...overrides,
  };
}

describe('art-sync daemon: one line per finished run', () => {
  it('prints a targeted run (a sale seen, an edit pushed) once, when it ends', () => {
    let newest: RunItem[] = [];
    const core = { lastRun: () => null, runs: () => newest };
    const watch = runWatcher([]);
    expect(watch({ ...idle, runningTargeted: 'sale' }, core)).toEqual([]);
    newest = [run({})];
    const [line] = watch(idle, core);
    expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}stock sync after a sale done — 2 changes \(run 7\)\.$/);
    // Nothing new: no line again; an edit run ending prints its own.
    expect(watch(idle, core)).toEqual([]);
    expect(watch({ ...idle, runningTargeted: 'edit' }, core)).toEqual([]);
    newest = [run({ id: 8, trigger: 'edit', status: 'partial', summary: '1 changes' })];
    expect(watch(idle, core)[0]).toMatch(/stock sync after an edit done with problems — 1 changes \(run 8\)\.$/);
  });
});

describe('art-sync daemon: how server edits are noticed', () => {
  it('says it once known and again only when it changes', () => {
    const lines = serverEditsWatcher();
    expect(lines(undefined)).toEqual([]);
    expect(lines({ state: 'listening', lastCheckAt: 1, lastError: null })).toEqual(['Server edits: noticed as they are made (the server announces them).']);
    expect(lines({ state: 'listening', lastCheckAt: 2, lastError: null })).toEqual([]);
    expect(lines({ state: 'polling', lastCheckAt: 3, lastError: 'The connection that listens for server edits was lost; reconnecting.' })).toEqual([
      "Server edits: checked every few seconds (the server's announcements do not arrive). The connection that listens for server edits was lost; reconnecting.",
    ]);
    // The link turned off: nothing to say; back on, said again.
    expect(lines(undefined)).toEqual([]);
    expect(lines({ state: 'listening', lastCheckAt: 4, lastError: null })).toHaveLength(1);
  });
});
