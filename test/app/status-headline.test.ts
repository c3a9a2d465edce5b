import { describe, expect, it } from 'vitest';
import { formatStatus, statusJson } from '../../src/main/cli/status';
import { renderTray } from '../../src/main/shell/tray';
import type { AppStatus } from '../../src/shared/status';
import { NOW, okStatus } from '../shell/status-fixture';

/**
 * `art-sync status` prints, as its first line, exactly what the tray shows (tooltip and menu header)
 * for the same status — over every state of the headline — and `--json` carries the same words.
 */
const clock = (ms: number) => `clock(${ms - NOW})`;
const syncing = { running: 'inventory' as const, progress: { kind: 'inventory' as const, phase: 'inventory' as const, done: 12, total: 40 } };

const STATES: [string, AppStatus][] = [
  ['reconnect', okStatus({ needsReconnect: true, connected: false })],
  ['not connected', okStatus({ connected: false, shop: null })],
  ['credentials lost', okStatus({ credentialsAvailable: false })],
  ['last sync failed', okStatus({ lastError: 'Etsy is unavailable.\nTry later.' })],
  ['one attention item', okStatus({ attention: 1 })],
  ['attention items', okStatus({ attention: 3 })],
  ['syncing with a total', okStatus(syncing)],
  ['syncing, total unknown', okStatus({ running: 'products', progress: { kind: 'products', phase: 'listings', done: 3, total: null } })],
  ['syncing, no progress yet', okStatus({ running: 'products' })],
  ['paused', okStatus({ paused: true })],
  ['waiting for the daily limit', okStatus({ waitingForBudgetUntil: NOW + 125 * 60_000 })],
  ['all synced', okStatus()],
  ['synced hours ago', okStatus({ lastSyncedAt: NOW - 3 * 3600_000 })],
  ['never synced', okStatus({ lastSyncedAt: null })],
  ['budget wait already over', okStatus({ waitingForBudgetUntil: NOW - 1 })],
  ['error beats everything', okStatus({ needsReconnect: true, attention: 5, ...syncing, paused: true })],
  ['attention beats syncing and paused', okStatus({ attention: 2, ...syncing, paused: true })],
  ['items low', okStatus({ lowStock: 2 })],
];

describe('art-sync status and the tray say the same thing', () => {
  it.each(STATES)('%s', (_name, status) => {
    const tray = renderTray(status, { now: status.at, formatClock: clock });
    const printed = formatStatus(status, { formatClock: clock });
    expect(printed.split('\n')[0]).toBe(tray.status);
    expect(tray.tooltip).toBe(`Art Sync — ${tray.status}`);
    // JSON uses the local clock; the words match whenever they do not name a time.
    if (status.waitingForBudgetUntil === null || status.paused) expect((statusJson(status) as { headline: string }).headline).toBe(tray.status);
  });

  it('covers every icon state', () => {
    const icons = new Set(STATES.map(([, status]) => renderTray(status, { now: status.at }).icon));
    expect([...icons].sort()).toEqual(['attention', 'error', 'ok', 'paused', 'syncing']);
  });

  it('status --json keeps the PRODUCT.md §7 fields and adds version, headline and lastError', () => {
    const json = statusJson(okStatus({ lastError: 'Etsy is unavailable.' })) as Record<string, unknown>;
    expect(json).toMatchObject({
      version: '1.2.3',
      headline: 'Sync failed: Etsy is unavailable.',
      connected: true,
      shop: { id: 1, name: 'Studio' },
      budget: { usedToday: 12, limitPerDay: 5000, limitPerSecond: 5 },
      attention: 0,
      lastError: 'Etsy is unavailable.',
    });
    expect((json.jobs as object[])[0]).toEqual({ name: 'products', enabled: true, lastRunAt: NOW - 4 * 60_000, lastResult: 'ok', nextRunAt: NOW + 60 * 60_000 });
  });
});
