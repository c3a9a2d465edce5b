import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogRepo, type CatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore, type Store } from '../../src/main/store/open-store';
import { catalogProducts, catalogVariants } from '../../src/main/store/schema';

describe('catalog repo', () => {
  let dir: string;
  let store: Store;
  let repo: CatalogRepo;
  let clock: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-catalog-'));
    store = openStore({ dataDir: dir });
    clock = 1_000;
    repo = createCatalogRepo(store.db, { now: () => clock });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fox = { sku: 'FOX', title: 'Fox print', quantity: 3, priceAmount: 1250, currency: 'USD' };
  const owl = { sku: 'OWL', title: 'Owl print', quantity: 1, priceAmount: 900, currency: 'USD' };

  it('creates a product per new SKU and lists variants by SKU', () => {
    expect(repo.upsertMany([owl, fox])).toEqual({ created: ['OWL', 'FOX'], updated: [], unchanged: [] });
    const list = repo.list();
    expect(list.map((v) => v.sku)).toEqual(['FOX', 'OWL']);
    expect(list[0]).toMatchObject({ ...fox, version: 1, updatedAt: 1_000, variantTitle: null });
    expect(store.db.select().from(catalogProducts).all()).toHaveLength(2);
  });

  it('updates existing SKUs, bumping version only when something changed', () => {
    repo.upsertMany([fox, owl]);
    clock = 2_000;
    const result = repo.upsertMany([{ ...fox, title: 'Fox at dusk', quantity: 5 }, owl]);
    expect(result).toEqual({ created: [], updated: ['FOX'], unchanged: ['OWL'] });
    expect(repo.getBySku('FOX')).toMatchObject({ title: 'Fox at dusk', quantity: 5, version: 2, updatedAt: 2_000 });
    expect(repo.getBySku('OWL')).toMatchObject({ version: 1, updatedAt: 1_000 });
  });

  it('writes all rows or none', () => {
    repo.upsertMany([fox]);
    expect(() => repo.upsertMany([{ ...fox, quantity: 9 }, { ...owl, quantity: -1 }])).toThrow(/whole number/);
    expect(() => repo.upsertMany([owl, owl])).toThrow(/twice/);
    expect(repo.list().map((v) => [v.sku, v.quantity])).toEqual([['FOX', 3]]);
  });

  it('setStockIfVersion writes only over the version that was read', () => {
    repo.upsertMany([fox]);
    const read = repo.getBySku('FOX')!;
    repo.setStock('FOX', 7); // an edit made after the sync read the catalog
    expect(repo.setStockIfVersion('FOX', 2, read.version)).toBe(false);
    expect(repo.getBySku('FOX')?.quantity).toBe(7);
    const again = repo.getBySku('FOX')!;
    expect(repo.setStockIfVersion('FOX', 2, again.version)).toBe(true);
    expect(repo.getBySku('FOX')).toMatchObject({ quantity: 2, version: again.version + 1 });
  });

  it('setStock changes one SKU and refuses bad values and unknown SKUs', () => {
    repo.upsertMany([fox]);
    clock = 5_000;
    expect(repo.setStock('FOX', 0)).toEqual({ sku: 'FOX', before: 3, after: 0, changed: true });
    expect(repo.getBySku('FOX')).toMatchObject({ quantity: 0, version: 2, updatedAt: 5_000 });
    expect(repo.setStock('FOX', 0).changed).toBe(false);
    expect(() => repo.setStock('FOX', -1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => repo.setStock('FOX', 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => repo.setStock('NOPE', 1)).toThrow(expect.objectContaining({ code: 'UNKNOWN_SKU' }));
    expect(repo.getBySku('FOX')?.version).toBe(2);
  });

  it('shows a variant label after the product title and updates only the label', () => {
    repo.upsertMany([fox]);
    store.db.update(catalogVariants).set({ title: 'A4' }).run();
    expect(repo.getBySku('FOX')?.title).toBe('Fox print — A4');
    repo.upsertMany([{ ...fox, title: 'Fox print — A3' }]);
    expect(repo.getBySku('FOX')).toMatchObject({ productTitle: 'Fox print', variantTitle: 'A3' });
  });
});
