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
  ['watching for sales', okStatus({ watch: { state: 'watching', note: null, intervalMs: 60_000, lastCheckAt: NOW - 20_000, nextCheckAt: NOW + 40_000, lastSaleAt: null, lastError: null, callsPerDay: 1440, here: true } })],
  ['watching, as the daemon recorded it', okStatus({ watch: { state: 'watching', note: null, intervalMs: 20_000, lastCheckAt: NOW - 5 * 60_000, nextCheckAt: null, lastSaleAt: NOW - 6 * 60_000, lastError: null, callsPerDay: 4320, here: false } })],
  ['watching but waiting', okStatus({ watch: { state: 'waiting', note: 'Syncing is paused.', intervalMs: 60_000, lastCheckAt: null, nextCheckAt: null, lastSaleAt: null, lastError: null, callsPerDay: 0, here: true } })],
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

  it('says when sales were last checked, and how often the watch looks (issue 14 item 7)', () => {
    const watching = STATES.find(([name]) => name === 'watching for sales')![1];
    expect(renderTray(watching, { now: watching.at }).status).toBe('Synced 4 min ago · watching for sales, checked just now');
    const printed = formatStatus(watching, { formatClock: clock });
    expect(printed).toMatch(/^Watching for sales every ~60 s \(1440 calls a day\); last checked .+\.$/m);
    const daemon = STATES.find(([name]) => name === 'watching, as the daemon recorded it')![1];
    expect(formatStatus(daemon, { formatClock: clock })).toMatch(/every ~20 s \(4320 calls a day\); last checked .+ \(by the app or "art-sync daemon"\)\.$/m);
    expect(statusJson(watching)).toMatchObject({ watch: { state: 'watching', intervalMs: 60_000, lastCheckAt: NOW - 20_000, callsPerDay: 1440 } });
  });

  it('covers every icon state', () => {
    const icons = new Set(STATES.map(([, status]) => renderTray(status, { now: status.at }).icon));
    expect([...icons].sort()).toEqual(['attention', 'error', 'ok', 'paused', 'syncing']);
  });

  it('status --json keeps the docs/PRODUCT.md §7 fields and adds version, headline and lastError', () => {
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
