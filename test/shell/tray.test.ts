import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/ipc';
import { renderTray, TRAY_ACTION_PAGES, trayIconFile, type TrayIconState } from '../../src/main/shell/tray';
import { ago } from '../../src/shared/status';
import { NOW, okStatus } from './status-fixture';

const clock = (ms: number) => `clock(${ms - NOW})`;
const render = (status: AppStatus | null) => renderTray(status, { now: NOW, formatClock: clock });

describe('renderTray: one row per state', () => {
  const table: [string, AppStatus | null, TrayIconState, string][] = [
    ['starting', null, 'syncing', 'Starting…'],
    ['reconnect', okStatus({ needsReconnect: true, connected: false }), 'error', 'Reconnect Etsy'],
    ['not connected', okStatus({ connected: false, shop: null }), 'error', 'Not connected to Etsy'],
    ['credentials lost', okStatus({ credentialsAvailable: false }), 'error', 'Connect Etsy again to keep syncing'],
    ['last sync failed', okStatus({ lastError: 'Etsy is unavailable.' }), 'error', 'Sync failed: Etsy is unavailable.'],
    ['one attention item', okStatus({ attention: 1 }), 'attention', '1 item needs attention'],
    ['attention items', okStatus({ attention: 3 }), 'attention', '3 items need attention'],
    [
      'syncing with a total',
      okStatus({ running: 'inventory', progress: { kind: 'inventory', phase: 'inventory', done: 12, total: 40 } }),
      'syncing',
      'Syncing 12 of 40',
    ],
    ['syncing, total unknown', okStatus({ running: 'products', progress: { kind: 'products', phase: 'listings', done: 3, total: null } }), 'syncing', 'Syncing…'],
    ['syncing, no progress yet', okStatus({ running: 'products' }), 'syncing', 'Syncing…'],
    ['paused', okStatus({ paused: true }), 'paused', 'Paused'],
    ['waiting for the daily limit', okStatus({ waitingForBudgetUntil: NOW + 125 * 60_000 }), 'paused', `Waiting for Etsy limit until clock(${125 * 60_000})`],
    ['all synced', okStatus(), 'ok', 'Synced 4 min ago'],
    ['never synced', okStatus({ lastSyncedAt: null }), 'ok', 'Not synced yet'],
    ['budget wait already over', okStatus({ waitingForBudgetUntil: NOW - 1 }), 'ok', 'Synced 4 min ago'],
    // Low stock is information added to the calm state, never above attention, syncing or paused.
    ['two items low', okStatus({ lowStock: 2 }), 'ok', 'Synced 4 min ago · 2 items low'],
    ['one item low, never synced', okStatus({ lowStock: 1, lastSyncedAt: null }), 'ok', 'Not synced yet · 1 item low'],
    ['attention beats low stock', okStatus({ attention: 1, lowStock: 2 }), 'attention', '1 item needs attention'],
    ['paused beats low stock', okStatus({ paused: true, lowStock: 2 }), 'paused', 'Paused'],
  ];

  it.each(table)('%s', (_name, status, icon, words) => {
    const result = render(status);
    expect(result.icon).toBe(icon);
    expect(result.status).toBe(words);
    expect(result.tooltip).toBe(`Art Sync — ${words}`);
    expect(result.menu[0]).toEqual({ kind: 'header', id: 'header', label: words, enabled: false });
  });
});

describe('renderTray: priority error > attention > syncing > paused > ok', () => {
  const syncing = { running: 'inventory' as const, progress: { kind: 'inventory' as const, phase: 'writing' as const, done: 1, total: 2 } };
  it('error beats everything else', () => {
    expect(render(okStatus({ needsReconnect: true, attention: 5, ...syncing, paused: true })).icon).toBe('error');
  });
  it('attention beats syncing and paused', () => {
    expect(render(okStatus({ attention: 2, ...syncing, paused: true })).icon).toBe('attention');
  });
  it('syncing beats paused', () => {
    expect(render(okStatus({ ...syncing, paused: true })).icon).toBe('syncing');
  });
  it('paused beats waiting for the budget and all synced', () => {
    expect(render(okStatus({ paused: true, waitingForBudgetUntil: NOW + 60_000 })).status).toBe('Paused');
  });
  it('a failed run does not hide a sync in progress that may fix it', () => {
    expect(render(okStatus({ lastError: 'x', ...syncing })).icon).toBe('syncing');
  });
});

describe('renderTray: menu', () => {
  const actions = (status: AppStatus | null) =>
    render(status).menu.filter((item) => item.kind === 'action').map((item) => [item.id, item.label, item.enabled]);

  it('has Sync now, Pause, Open and Quit when all is well', () => {
    expect(actions(okStatus())).toEqual([
      ['sync-now', 'Sync now', true],
      ['pause', 'Pause syncing', true],
      ['record-sale', 'Record a sale…', true],
      ['open', 'Open Art Sync', true],
      ['quit', 'Quit Art Sync', true],
    ]);
  });
  it('offers Resume when paused', () => {
    expect(actions(okStatus({ paused: true }))[1]).toEqual(['resume', 'Resume syncing', true]);
  });
  it('disables Sync now while syncing, when not connected and while starting', () => {
    expect(actions(okStatus({ running: 'products' }))[0]?.[2]).toBe(false);
    expect(actions(okStatus({ connected: false }))[0]?.[2]).toBe(false);
    expect(actions(null)[0]?.[2]).toBe(false);
    expect(actions(null).map(([id]) => id)).toEqual(['sync-now', 'pause', 'record-sale', 'open', 'quit']);
  });
  it('offers "Record a sale…" offline too, opening the Catalog page', () => {
    expect(actions(okStatus({ connected: false })).find(([id]) => id === 'record-sale')).toEqual(['record-sale', 'Record a sale…', true]);
    expect(actions(null).find(([id]) => id === 'record-sale')?.[2]).toBe(false);
    expect(TRAY_ACTION_PAGES['record-sale']).toBe('catalog');
  });
  it('is the same for the same state (idempotent)', () => {
    expect(render(okStatus({ attention: 2 }))).toEqual(render(okStatus({ attention: 2 })));
  });
  it('keeps long error messages to one short line', () => {
    const words = render(okStatus({ lastError: `line one\nline two ${'x'.repeat(200)}` })).status;
    expect(words).not.toContain('\n');
    expect(words.length).toBeLessThanOrEqual('Sync failed: '.length + 80);
  });
});

describe('ago and icon files', () => {
  it.each([
    [0, 'just now'],
    [59_999, 'just now'],
    [60_000, '1 min ago'],
    [59 * 60_000, '59 min ago'],
    [60 * 60_000, '1 hour ago'],
    [5 * 60 * 60_000, '5 hours ago'],
    [3 * 24 * 60 * 60_000, '3 days ago'],
  ])('%i ms → %s', (ms, words) => {
    expect(ago(ms)).toBe(words);
  });

  it('uses template images on macOS and light/dark variants elsewhere, all present on disk', async () => {
    const fs = await import('node:fs');
    expect(trayIconFile('error', { platform: 'darwin', dark: true })).toBe('tray-errorTemplate.png');
    expect(trayIconFile('ok', { platform: 'win32', dark: true })).toBe('tray-ok-dark.png');
    expect(trayIconFile('ok', { platform: 'linux', dark: false })).toBe('tray-ok-light.png');
    for (const state of ['error', 'attention', 'syncing', 'paused', 'ok'] as const) {
      for (const theme of [{ platform: 'darwin', dark: false }, { platform: 'linux', dark: false }, { platform: 'linux', dark: true }]) {
        const file = trayIconFile(state, theme);
        expect(fs.existsSync(`resources/tray/${file}`), file).toBe(true);
        expect(fs.existsSync(`resources/tray/${file.replace('.png', '@2x.png')}`), file).toBe(true);
      }
    }
  });
});
