import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogChangeProbe } from '../../src/main/store/catalog-change-probe';
import { createCatalogRepo, type CatalogRepo } from '../../src/main/store/catalog-repo';
import { MirrorRepo } from '../../src/main/store/mirror-repo';
import { openStore, type Store } from '../../src/main/store/open-store';
import { createSyncRepos, type SyncRepos } from '../../src/main/store/sync-repos';

/** Issue 14: the store pieces targeted runs and the edit pusher rely on. */
describe('targeted sync store pieces', () => {
  let dir: string;
  let store: Store;
  let repos: SyncRepos;
  let catalog: CatalogRepo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-scope-'));
    store = openStore({ dataDir: dir });
    repos = createSyncRepos(store.sqlite);
    catalog = createCatalogRepo(store.db);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a scoped attention replacement resolves only items about its listings and SKUs', () => {
    const items = [
      { kind: 'conflict', sku: 'FOX', message: 'fox' },
      { kind: 'conflict', sku: 'HARE', message: 'hare' },
      { kind: 'missing_sku', listingId: 1, message: 'listing 1' },
      { kind: 'missing_sku', listingId: 2, message: 'listing 2' },
      { kind: 'unmatched_etsy', listingId: 2, sku: 'OWL', message: 'owl on 2' },
    ];
    repos.attention.replaceAttention(['conflict', 'missing_sku', 'unmatched_etsy'], items, 1000);
    // A targeted run of FOX on listing 1 that found nothing to report.
    repos.attention.replaceAttention(['conflict', 'missing_sku', 'unmatched_etsy'], [], 2000, { listingIds: [1], skus: ['FOX'] });
    expect(repos.attention.listAttention().map((item) => item.message).sort()).toEqual(['hare', 'listing 2', 'owl on 2']);
    // Unscoped (a full run): everything not reported again is resolved, as before.
    repos.attention.replaceAttention(['conflict', 'missing_sku', 'unmatched_etsy'], [], 3000);
    expect(repos.attention.listAttention()).toEqual([]);
  });

  it('the probe sees commits of any other connection, and tells edits from what a sync left', () => {
    catalog.upsertMany([
      { sku: 'FOX', title: 'Fox', quantity: 4, priceAmount: 3000, currency: 'USD' },
      { sku: 'HARE', title: 'Hare', quantity: 3, priceAmount: 2500, currency: 'USD' },
    ]);
    const mirror = new MirrorRepo(store.sqlite);
    mirror.applyListings(
      [1, 2].map((listingId) => ({
        listingId,
        shopId: 7,
        title: `Listing ${listingId}`,
        state: 'active',
        url: null,
        createdTs: 1,
        updatedTs: 1,
        stateTs: 1,
        inventory: {
          priceOnProperty: [],
          quantityOnProperty: [],
          skuOnProperty: [],
          readinessStateOnProperty: [],
          products: [
            {
              productId: 100 + listingId,
              sku: listingId === 1 ? 'FOX' : 'HARE',
              isDeleted: false,
              propertyValues: [],
              offerings: [{ offeringId: 200 + listingId, quantity: 4, price: { amount: 3000, divisor: 100, currencyCode: 'USD' }, isEnabled: true, isDeleted: false, readinessStateId: null }],
            },
          ],
        },
      })),
      1,
    );
    const fox = catalog.getBySku('FOX')!;
    const hare = catalog.getBySku('HARE')!;
    repos.links.setBaselines({ listingId: 1, productKey: '', variantId: fox.id, baselineEtsy: 4, baselineCatalog: 4 }, 1);
    repos.links.setBaselines({ listingId: 2, productKey: '', variantId: hare.id, baselineEtsy: 3, baselineCatalog: 3 }, 1);

    // SKU groups, as targeted runs see them.
    expect(repos.groups.listingsCarrying(['FOX'])).toEqual([1]);
    expect(repos.groups.skusOfListings([1, 2])).toEqual(['FOX', 'HARE']);
    // A sale whose transaction carries no SKU (real receipts often send ""): found by its product id.
    repos.receipts.saveReceiptItems(
      [{ receiptId: 9, receiptStatus: 'paid', receiptCreatedTs: 5, receiptUpdatedTs: 5, transactionId: 90, listingId: 2, etsyProductId: 102, sku: '', quantity: 1, createdTs: 5 }],
      5,
    );
    expect(repos.groups.skusOfReceiptListings([2])).toEqual(['HARE']);
    mirror.markRemoved(2, 6);
    expect(repos.groups.listingsCarrying(['HARE'])).toEqual([]);

    const probe = new CatalogChangeProbe(store.path);
    try {
      const v0 = probe.dataVersion();
      expect(probe.changedSince(0).map((row) => [row.sku, row.pending])).toEqual([
        ['FOX', false],
        ['HARE', false],
      ]);
      catalog.setStock('FOX', 2);
      expect(probe.dataVersion()).not.toBe(v0);
      const v1 = probe.dataVersion();
      expect(probe.dataVersion()).toBe(v1);
      expect(probe.changedSince(0).find((row) => row.sku === 'FOX')?.pending).toBe(true);
      // A sync moves the stock and bL together: nothing to push.
      store.sqlite.transaction(() => {
        catalog.setStock('HARE', 1);
        repos.links.setBaselines({ listingId: 2, productKey: '', variantId: hare.id, baselineEtsy: 1, baselineCatalog: 1 }, 2);
      })();
      expect(probe.changedSince(0).find((row) => row.sku === 'HARE')?.pending).toBe(false);
      // HARE's only listing is gone from Etsy: a stale bL there is nothing to push.
      catalog.setStock('HARE', 9);
      expect(probe.changedSince(0).find((row) => row.sku === 'HARE')?.pending).toBe(false);
    } finally {
      probe.close();
    }
  });
});
