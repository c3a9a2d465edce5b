import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore, type Store } from '../../src/main/store/open-store';
import { ServerCatalogRepo, type ServerVariant } from '../../src/main/store/server-catalog-repo';

const heron = (over: Partial<ServerVariant> = {}): ServerVariant => ({
  sku: 'HERON-A4',
  variantTitle: 'A4',
  productTitle: 'Blue Heron',
  stock: 5,
  priceAmount: 2500,
  currency: 'USD',
  version: 1,
  ...over,
});

describe('ServerCatalogRepo: the local cache of the server catalog', () => {
  let dir: string;
  let store: Store;
  let repo: ServerCatalogRepo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-server-catalog-'));
    store = openStore({ dataDir: dir });
    repo = new ServerCatalogRepo(store.sqlite, () => 1000);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const catalog = () => createCatalogRepo(store.db);

  it('caches new server variants and records the server state they are based on', () => {
    expect(repo.cacheServerRows([heron()])).toEqual(['HERON-A4']);
    expect(catalog().getBySku('HERON-A4')).toMatchObject({ title: 'Blue Heron — A4', quantity: 5, priceAmount: 2500 });
    expect(repo.pendingPushes()).toEqual([]);
    // Unchanged on the server: nothing to report on the next pull.
    expect(repo.cacheServerRows([heron({ version: 1 })])).toEqual([]);
  });

  it('never lets a pull overwrite a local change that is not pushed yet', () => {
    repo.cacheServerRows([heron()]);
    catalog().setStock('HERON-A4', 3);
    expect(repo.pendingPushes()).toMatchObject([{ sku: 'HERON-A4', quantity: 3, serverStock: 5, serverVersion: 1 }]);
    expect(repo.cacheServerRows([heron({ stock: 9, version: 2 })])).toEqual([]);
    expect(catalog().getBySku('HERON-A4')?.quantity).toBe(3);
  });

  it('takes the merged server stock plus any local change made since the push was read', () => {
    repo.cacheServerRows([heron()]);
    catalog().setStock('HERON-A4', 3); // our −2
    const [pending] = repo.pendingPushes();
    catalog().setStock('HERON-A4', 2); // one more sold locally while the push was in flight
    repo.applyServerStock(pending!, pending!.quantity, 13, 3); // server merged: their 15 + our −2
    expect(catalog().getBySku('HERON-A4')?.quantity).toBe(12);
    expect(repo.pendingPushes()).toMatchObject([{ sku: 'HERON-A4', quantity: 12, serverStock: 13, serverVersion: 3 }]);
  });

  it('records a push that landed as it was', () => {
    catalog().upsertMany([{ sku: 'EGRET', title: 'Egret', quantity: 4, priceAmount: 900, currency: 'EUR' }]);
    expect(repo.pendingPushes()).toMatchObject([{ sku: 'EGRET', serverStock: null, serverVersion: null, productTitle: 'Egret', variantTitle: null }]);
    repo.recordServerState('EGRET', 1, 4);
    expect(repo.pendingPushes()).toEqual([]);
  });
});
