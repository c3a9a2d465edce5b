import { describe, expect, it } from 'vitest';
import type { RunItem } from '../../src/shared/ipc';
import { NotificationService, notificationsFor, type NotificationLike } from '../../src/main/shell/notifications';
import { NOW, okStatus } from './status-fixture';

const allOn = { notifySyncErrors: true, notifyAttention: true, notifySyncSummary: true };
const allOff = { notifySyncErrors: false, notifyAttention: false, notifySyncSummary: false };

function run(overrides: Partial<RunItem> = {}): RunItem {
  return {
    id: 1, kind: 'inventory', trigger: 'schedule', dryRun: false, startedAt: NOW - 1000, finishedAt: NOW,
    status: 'ok', callsUsed: 3, changesCount: 0, errorCode: null, errorMessage: null, summary: null,
    ...overrides,
  };
}

describe('notificationsFor', () => {
  it('summarises failed items in one notification', () => {
    const out = notificationsFor({ before: okStatus(), after: okStatus(), finished: { runs: [run({ status: 'partial', changesCount: 5 })], failedItems: 3 }, settings: { ...allOn, notifySyncSummary: false } });
    expect(out).toEqual([{ kind: 'syncErrors', title: 'Some items were not updated', body: '3 items could not be updated. Art Sync will try again.' }]);
  });

  it('says a failed run once, with its message', () => {
    const runs = [run({ id: 1, kind: 'products', status: 'failed', errorMessage: 'Etsy is unavailable.' }), run({ id: 2, status: 'failed', errorMessage: 'x' })];
    const out = notificationsFor({ before: okStatus(), after: okStatus(), finished: { runs, failedItems: 0 }, settings: allOn });
    expect(out).toEqual([{ kind: 'syncErrors', title: 'Sync failed', body: 'Etsy is unavailable.' }]);
  });

  it('tells once when Etsy asks to reconnect', () => {
    const after = okStatus({ needsReconnect: true });
    expect(notificationsFor({ before: okStatus(), after, settings: allOn }).map((n) => n.kind)).toEqual(['syncErrors']);
    expect(notificationsFor({ before: after, after, settings: allOn })).toEqual([]);
  });

  it('tells when more items need attention, not when fewer', () => {
    expect(notificationsFor({ before: okStatus({ attention: 1 }), after: okStatus({ attention: 4 }), settings: allOn })).toEqual([
      { kind: 'attention', title: 'Needs attention', body: '4 items need your attention in Art Sync.' },
    ]);
    expect(notificationsFor({ before: okStatus({ attention: 4 }), after: okStatus({ attention: 1 }), settings: allOn })).toEqual([]);
  });

  it('sums inventory changes of a finished sync', () => {
    const runs = [run({ kind: 'products', changesCount: 0 }), run({ id: 2, changesCount: 12 })];
    expect(notificationsFor({ before: okStatus(), after: okStatus(), finished: { runs, failedItems: 0 }, settings: allOn })).toEqual([
      { kind: 'syncSummary', title: 'Synced with Etsy', body: '12 changes synced.' },
    ]);
  });

  it('tells when more items run low (one notification), not when fewer; its own toggle', () => {
    expect(notificationsFor({ before: okStatus({ lowStock: 1 }), after: okStatus({ lowStock: 3 }), settings: { ...allOn, notifyLowStock: true } })).toEqual([
      { kind: 'lowStock', title: 'Low stock', body: '3 items are low on stock. Open the Catalog to see which.' },
    ]);
    expect(notificationsFor({ before: okStatus({ lowStock: 3 }), after: okStatus({ lowStock: 1 }), settings: { ...allOn, notifyLowStock: true } })).toEqual([]);
    expect(notificationsFor({ before: null, after: okStatus({ lowStock: 3 }), settings: { ...allOn, notifyLowStock: true } })).toEqual([]);
    expect(notificationsFor({ before: okStatus(), after: okStatus({ lowStock: 1 }), settings: { ...allOff, notifyLowStock: false } })).toEqual([]);
  });

  it('tells once that a backup replaced a damaged database, when it is news', () => {
    const restored = { count: 1, totalBytes: 4096, newestAt: NOW - 86_400_000, lastRestore: { at: NOW - 1000, backupTakenAt: NOW - 86_400_000, message: 'The backup from yesterday was restored.' } };
    expect(notificationsFor({ before: null, after: okStatus({ backups: restored }), settings: allOn })).toEqual([
      { kind: 'syncErrors', title: 'Art Sync restored a backup', body: 'The backup from yesterday was restored.' },
    ]);
    // Said once: the next status with the same restore is quiet; an old restore (app closed since) too.
    expect(notificationsFor({ before: okStatus({ backups: restored }), after: okStatus({ backups: restored }), settings: allOn })).toEqual([]);
    const old = { ...restored, lastRestore: { ...restored.lastRestore, at: NOW - 3 * 86_400_000 } };
    expect(notificationsFor({ before: null, after: okStatus({ backups: old }), settings: allOn })).toEqual([]);
  });

  it('respects each per-kind toggle', () => {
    const input = {
      before: okStatus({ attention: 0 }),
      after: okStatus({ attention: 2, needsReconnect: true }),
      finished: { runs: [run({ changesCount: 2 })], failedItems: 1 },
    };
    expect(notificationsFor({ ...input, settings: allOn }).map((n) => n.kind)).toEqual(['syncErrors', 'attention', 'syncSummary']);
    expect(notificationsFor({ ...input, settings: allOff })).toEqual([]);
    expect(notificationsFor({ ...input, settings: { ...allOff, notifyAttention: true } }).map((n) => n.kind)).toEqual(['attention']);
  });
});

describe('NotificationService', () => {
  it('shows each content through the injected Notification and opens the window on click', () => {
    const shown: string[] = [];
    const clicks: string[] = [];
    const made: { click?: () => void }[] = [];
    const service = new NotificationService({
      isSupported: () => true,
      create: (content) => {
        const handle: { click?: () => void } = {};
        made.push(handle);
        const n: NotificationLike = { on: (_e, fn) => (handle.click = fn), show: () => void shown.push(content.body) };
        return n;
      },
      onClick: (kind) => clicks.push(kind),
    });
    service.show([{ kind: 'attention', title: 't', body: 'b' }]);
    made[0]!.click!();
    expect(shown).toEqual(['b']);
    expect(clicks).toEqual(['attention']);
  });

  it('shows nothing where notifications are not supported', () => {
    let created = 0;
    const service = new NotificationService({ isSupported: () => false, create: () => ((created += 1), { on: () => undefined, show: () => undefined }), onClick: () => undefined });
    service.show([{ kind: 'attention', title: 't', body: 'b' }]);
    expect(created).toBe(0);
  });
});
