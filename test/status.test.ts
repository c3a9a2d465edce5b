import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStatus } from '../src/main/status';
import { openStore, type Store } from '../src/main/store/open-store';
import { apiCallLog, attentionItems, etsyConnection, rateLimitState } from '../src/main/store/schema';

describe('buildStatus', () => {
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

  it('reports a fresh store as not connected with default limits', () => {
    expect(buildStatus(store.db, { now: 10 })).toEqual({
      connected: false,
      needsReconnect: false,
      shop: null,
      jobs: [],
      budget: { usedToday: 0, limitPerDay: 5000, limitPerSecond: 5 },
      attention: 0,
    });
  });

  it('reads the connection, the rolling 24 h budget and open attention items', () => {
    const now = 10 * 24 * 3600 * 1000;
    store.db.insert(etsyConnection).values({ userId: 1, shopId: 77, shopName: 'Ink & Fox', connectedAt: 0 }).run();
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
    expect(buildStatus(store.db, { now })).toMatchObject({
      connected: true,
      shop: { id: 77, name: 'Ink & Fox' },
      budget: { usedToday: 12, limitPerDay: 10000, limitPerSecond: 10 },
      attention: 1,
    });
  });
});
