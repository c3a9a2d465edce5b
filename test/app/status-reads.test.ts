import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/main/status';
import { budgetUsage } from '../../src/main/etsy/rate-limit/budget-store';
import { SqliteBudgetStore } from '../../src/main/etsy/rate-limit/sqlite-budget-store';
import { BudgetRepo } from '../../src/main/store/budget-repo';
import { ConnectionRepo } from '../../src/main/store/connection-repo';
import { openStore, type Store } from '../../src/main/store/open-store';
import { createSyncRepos } from '../../src/main/store/sync-repos';
import { apiCallLog, attentionItems, rateLimitState } from '../../src/main/store/schema';
import type { SchedulerStatus } from '../../src/main/schedule/scheduler';

const idleScheduler: SchedulerStatus = { started: false, paused: false, running: null, waitingForBudgetUntil: null, jobs: [], runningTargeted: null, targetedWaiting: 0 };
const noQueue = { enabled: false, waiting: 0, lastError: null, retryAt: null };

describe('what the status reads from the store', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-status-'));
    store = openStore({ dataDir: dir });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function status(now: number) {
    return buildStatus({
      now,
      version: '1.0.0',
      connection: new ConnectionRepo(store.sqlite).get(),
      budget: budgetUsage(new SqliteBudgetStore(new BudgetRepo(store.sqlite)), now),
      attention: createSyncRepos(store.sqlite).attention.countAttention(),
      lastRuns: {},
      scheduler: idleScheduler,
      credentialsAvailable: false,
      secretsInMemory: null,
      progress: null,
      serverQueue: noQueue,
      lowStock: 0,
    });
  }

  it('reports a fresh store as not connected with default limits', () => {
    expect(status(10)).toMatchObject({
      at: 10,
      version: '1.0.0',
      connected: false,
      needsReconnect: false,
      shop: null,
      jobs: [],
      budget: { usedToday: 0, limitPerDay: 5000, limitPerSecond: 5 },
      attention: 0,
      lastError: null,
      lastSyncedAt: null,
    });
  });

  it('reads the connection, the rolling 24 h budget and open attention items', () => {
    const now = 10 * 24 * 3600 * 1000;
    const connection = new ConnectionRepo(store.sqlite);
    connection.save({ userId: 1, shopId: 77, shopName: 'Ink & Fox', shopCurrency: 'EUR', connectedAt: 0 });
    store.db.insert(rateLimitState).values({ limitPerSecond: 10, limitPerDay: 10000 }).run();
    store.db
      .insert(apiCallLog)
      .values([
        { bucketStart: now - 25 * 3600 * 1000, count: 100 }, // older than a day: not counted
        { bucketStart: now - 3600 * 1000, count: 7 },
        { bucketStart: now - 60 * 1000, count: 5 },
      ])
      .run();
    store.db
      .insert(attentionItems)
      .values([
        { kind: 'missing_sku', listingId: 1, message: 'm', firstSeenAt: 0, lastSeenAt: 0 },
        { kind: 'missing_sku', listingId: 2, message: 'm', firstSeenAt: 0, lastSeenAt: 0, resolvedAt: 5 },
      ])
      .run();
    expect(status(now)).toMatchObject({
      connected: true,
      shop: { id: 77, name: 'Ink & Fox' },
      budget: { usedToday: 12, limitPerDay: 10000, limitPerSecond: 10 },
      attention: 1,
    });
    connection.markReconnect('revoked');
    expect(status(now)).toMatchObject({ connected: false, needsReconnect: true, shop: { id: 77 } });
    expect(connection.get()).toMatchObject({ shopCurrency: 'EUR', needsReconnect: true, reconnectReason: 'revoked' });
    connection.clearReconnect();
    expect(status(now)).toMatchObject({ connected: true, needsReconnect: false });
    connection.delete();
    expect(status(now)).toMatchObject({ connected: false, shop: null });
  });

  it('shows the newest failure of the latest runs as the last error, and the last good run as synced', () => {
    const run = (kind: 'products' | 'inventory', status: 'ok' | 'failed', finishedAt: number) => ({
      id: finishedAt, kind, trigger: 'schedule' as const, dryRun: false, startedAt: finishedAt - 5, finishedAt, status,
      callsUsed: 1, changesCount: 0, errorCode: status === 'failed' ? 'NETWORK' : null,
      errorMessage: status === 'failed' ? 'Etsy could not be reached.' : null, summary: null,
    });
    const built = buildStatus({
      now: 1000, version: '1', connection: null, budget: { usedToday: 0, limitPerDay: 1, limitPerSecond: 1 }, attention: 0,
      lastRuns: { products: run('products', 'ok', 500), inventory: run('inventory', 'failed', 600) },
      scheduler: idleScheduler, credentialsAvailable: true, secretsInMemory: null, progress: null, serverQueue: noQueue, lowStock: 0,
    });
    expect(built).toMatchObject({ lastError: 'Etsy could not be reached.', lastSyncedAt: 500 });
  });
});
