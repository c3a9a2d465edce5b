import type { AppStatus } from '../../src/shared/status';

export const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

/** A connected, idle, all-synced status; tests override what they are about. */
export function okStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    at: NOW,
    version: '1.2.3',
    connected: true,
    needsReconnect: false,
    shop: { id: 1, name: 'Studio' },
    credentialsAvailable: true,
    secretsInMemory: null,
    paused: false,
    running: null,
    progress: null,
    waitingForBudgetUntil: null,
    jobs: [
      { name: 'products', enabled: true, lastRunAt: NOW - 4 * 60_000, lastResult: 'ok', nextRunAt: NOW + 60 * 60_000 },
      { name: 'inventory', enabled: true, lastRunAt: NOW - 4 * 60_000, lastResult: 'ok', nextRunAt: NOW + 30 * 60_000 },
    ],
    budget: { usedToday: 12, limitPerDay: 5000, limitPerSecond: 5 },
    attention: 0,
    lastError: null,
    lastSyncedAt: NOW - 4 * 60_000,
    serverQueue: { enabled: false, waiting: 0, lastError: null, retryAt: null },
    lowStock: 0,
    ...overrides,
  };
}
