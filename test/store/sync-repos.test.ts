import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore, type Store } from '../../src/main/store/open-store';
import { createSyncRepos, type SyncRepos } from '../../src/main/store/sync-repos';

describe('SyncRepos', () => {
  let dir: string;
  let store: Store;
  let repo: SyncRepos;
  let variantId: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-syncrepo-'));
    store = openStore({ dataDir: dir });
    repo = createSyncRepos(store.sqlite);
    const catalog = createCatalogRepo(store.db);
    catalog.upsertMany([{ sku: 'HERON-A4', title: 'Blue Heron', quantity: 5, priceAmount: 2500, currency: 'USD' }]);
    variantId = catalog.getBySku('HERON-A4')!.id;
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps both baselines per link and what our last write created', () => {
    repo.links.setBaselines({ listingId: 1, productKey: 'HERON-A4', variantId, baselineEtsy: 5, baselineCatalog: 5 }, 1000);
    repo.links.setBaselines({ listingId: 1, productKey: 'HERON-A4', variantId, baselineEtsy: 4, baselineCatalog: 4 }, 2000);
    repo.links.setWritten({ listingId: 1, productKey: 'HERON-A4', productId: 777, quantity: 3 }, 3000);
    repo.links.addToEtsyBaseline({ listingId: 1, productKey: 'HERON-A4', amount: 1 });
    expect(repo.links.listLinks()).toEqual([
      { listingId: 1, productKey: 'HERON-A4', sku: 'HERON-A4', variantId, baselineEtsy: 4, baselineCatalog: 4, writtenProductId: 777, writtenQuantity: 3 },
    ]);
  });

  it('records runs and history, newest first, filtered by SKU and paged by id', () => {
    const runId = repo.runs.startRun({ kind: 'inventory', trigger: 'manual', dryRun: false }, 1000);
    for (let i = 0; i < 5; i += 1) {
      repo.history.addHistory([
        { runId, at: 1000 + i, sku: i % 2 ? 'A' : 'B', listingId: 1, side: 'catalog', field: 'quantity', before: i, after: i + 1, reason: 'edited_on_etsy', explanation: 'x', receiptIds: [i], status: 'applied' },
      ]);
    }
    repo.runs.finishRun(runId, { status: 'ok', callsUsed: 3, changesCount: 5 }, 2000);
    const page = repo.history.listHistory({ limit: 2 });
    expect(page.map((row) => row.at)).toEqual([1004, 1003]);
    const next = repo.history.listHistory({ limit: 10, beforeId: page[1]!.id, sku: 'B' });
    expect(next.map((row) => [row.sku, row.before, row.after, row.receiptIds])).toEqual([
      ['B', 2, 3, [2]],
      ['B', 0, 1, [0]],
    ]);
    expect(repo.runs.lastRun('inventory')).toMatchObject({ id: runId, status: 'ok', callsUsed: 3 });
  });

  it('closes runs a dead process left running', () => {
    const runId = repo.runs.startRun({ kind: 'products', trigger: 'schedule', dryRun: false }, 1000);
    expect(repo.runs.closeAbandonedRuns(5000)).toBe(1);
    expect(repo.runs.lastRun('products')).toMatchObject({ id: runId, status: 'failed', errorCode: 'INTERRUPTED' });
  });

  it('replaces attention items: keeps present ones, adds new, resolves the rest', () => {
    repo.attention.replaceAttention(['missing_sku'], [{ kind: 'missing_sku', listingId: 1, message: 'm1', action: 'Add a SKU' }, { kind: 'missing_sku', listingId: 2, message: 'm2' }], 1000);
    repo.attention.addAttention({ kind: 'write_failed', listingId: 3, sku: 'A', message: 'failed' }, 1000);
    repo.attention.replaceAttention(['missing_sku'], [{ kind: 'missing_sku', listingId: 2, message: 'm2 again' }], 2000);
    const open = repo.attention.listAttention();
    expect(open.map((item) => [item.kind, item.listingId, item.message, item.firstSeenAt])).toEqual([
      ['missing_sku', 2, 'm2 again', 1000],
      ['write_failed', 3, 'failed', 1000],
    ]);
    expect(repo.attention.countAttention()).toBe(2);
  });

  it('keeps write intents until their outcome is known', () => {
    const id = repo.writeIntents.addPendingWrite({ listingId: 9, runId: null, kind: 'inventory', body: { products: [] } }, 1000);
    repo.writeIntents.setPendingWriteStatus({ id, status: 'unknown' }, 1001);
    expect(repo.writeIntents.listUnresolvedWrites()).toMatchObject([{ id, listingId: 9, status: 'unknown' }]);
    repo.writeIntents.setPendingWriteStatus({ id, status: 'done' }, 1002);
    expect(repo.writeIntents.listUnresolvedWrites()).toEqual([]);
  });

  it('stores receipt transactions once and counts sales per Etsy product id', () => {
    const item = { receiptId: 50, receiptStatus: 'paid', receiptCreatedTs: 100, receiptUpdatedTs: 100, transactionId: 1, listingId: 1, etsyProductId: 777, sku: 'HERON-A4', quantity: 2, createdTs: 100 };
    expect(repo.receipts.saveReceiptItems([item, { ...item, transactionId: 2, quantity: 1, createdTs: 200 }], 1000)).toBe(2);
    expect(repo.receipts.saveReceiptItems([item], 1000)).toBe(0);
    expect(repo.receipts.soldOfProduct(777)).toBe(3);
    expect(repo.receipts.receiptItemsSince(150).map((row) => row.transactionId)).toEqual([2]);
  });

  it('keeps watermarks', () => {
    expect(repo.syncState.getState('x')).toBeUndefined();
    repo.syncState.setState('x', '1', 1);
    repo.syncState.setState('x', '2', 2);
    expect(repo.syncState.getState('x')).toBe('2');
  });
});
