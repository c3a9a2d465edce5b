import { afterEach, describe, expect, it } from 'vitest';
import type { ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 14 items 2 and 5: a targeted run (trigger 'sale' / 'edit') reads and plans only the SKU groups
 * of the SKUs it was given — every listing carrying them, and the SKUs those listings carry — and
 * leaves every other SKU's catalog value, baselines, attention items and receipts alone.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const SIZE = { property_id: 100, property_name: 'Size' };

function shop(): ShopSeed {
  return {
    listings: [
      { title: 'Fox Print', products: [{ sku: 'FOX', quantity: 4 }] },
      { title: 'Fox Print (framed)', products: [{ sku: 'FOX', quantity: 4 }] },
      { title: 'Hare Linocut', products: [{ sku: 'HARE', quantity: 3 }] },
      {
        title: 'Owl Print',
        properties: [SIZE],
        products: [
          { values: ['Small'], sku: 'OWL-S', quantity: 2 },
          { values: ['Medium'], sku: 'OWL-M', quantity: 5 },
        ],
      },
      { title: 'Owl Print, medium only', products: [{ sku: 'OWL-M', quantity: 5 }] },
    ],
  };
}

describe('targeted inventory runs', () => {
  it('a sale of a shared SKU reaches the other listing and the catalog; nothing else is read or planned', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    const [fox, foxFramed, hare] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(catalogStock(core).get('FOX')).toBe(4);

    // Outside the target: a local edit of HARE and an Etsy edit of OWL-S wait for their own run.
    core.catalog.setStock('HARE', 7);
    sim.editQuantity(sim.listingIds()[3]!, 'OWL-S', 1);
    const sale = sim.sell(fox!, undefined, 1);
    const operations: string[] = [];
    const off = sim.onRequest((info) => void operations.push(info.operationId));
    const report = await core.sync({ kinds: ['inventory'], trigger: 'sale', skus: ['FOX'] });
    off();
    expect(report.runs[0]?.status).toBe('ok');
    // One plan, of the FOX listings only.
    const planned = new Set(report.plans.flatMap((plan) => [...plan.changes.map((c) => c.sku), ...plan.baselines.map((b) => b.sku)]));
    expect([...planned]).toEqual(['FOX']);
    expect(report.plans.flatMap((plan) => plan.listingWrites.map((w) => w.listingId))).toEqual([foxFramed]);
    // No listing scan: one receipts call, one batch read of the FOX listings, one PUT, one receipts check.
    expect(operations).toEqual(['getShopReceipts', 'getListingsInventoryByListingIds', 'updateListingInventory', 'getShopReceipts']);

    expect(catalogStock(core).get('FOX')).toBe(3);
    expect(sim.getListing(foxFramed!)?.products[0]?.quantity).toBe(3);
    // The catalog change says which receipt it was.
    const catalogChange = report.changes.find((c) => c.side === 'catalog' && c.sku === 'FOX');
    expect(catalogChange?.receiptIds).toEqual([sale.receipt_id]);
    // HARE and OWL were not touched: Etsy still shows the old HARE, the catalog keeps the edit.
    expect(sim.getListing(hare!)?.products[0]?.quantity).toBe(3);
    expect(catalogStock(core).get('HARE')).toBe(7);
    expect(catalogStock(core).get('OWL-S')).toBe(2);

    // The history shows the targeted run as such; the job's last run is still the full one.
    const runs = core.repos.runs.listRuns(5);
    expect(runs[0]).toMatchObject({ kind: 'inventory', trigger: 'sale', status: 'ok' });
    expect(core.repos.runs.lastRun('inventory')?.trigger).toBe('cli');
    expect(core.repos.runs.lastRun('inventory', { includeTargeted: true })?.trigger).toBe('sale');

    // The next full run does the rest, and does not explain the FOX sale a second time: a new sale's
    // change names only its own receipt.
    const second = sim.sell(fox!, undefined, 1);
    const full = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const foxCatalog = full.changes.filter((c) => c.sku === 'FOX' && c.side === 'catalog');
    expect(foxCatalog.map((c) => [c.before, c.after, c.receiptIds])).toEqual([[3, 2, [second.receipt_id]]]);
    expect(foxCatalog[0]?.reason).toBe('sold_on_etsy');
    expect(sim.getListing(hare!)?.products[0]?.quantity).toBe(7);
    expect(catalogStock(core).get('OWL-S')).toBe(1);
    expect(sim.violations).toEqual([]);
  });

  it('a SKU on a listing with other SKUs brings in their whole group', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    const [, , , owl, owlMedium] = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('OWL-S', 6);
    core.catalog.setStock('OWL-M', 8);
    core.catalog.setStock('FOX', 9);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'edit', skus: ['OWL-S'] });
    const written = report.plans.flatMap((plan) => plan.listingWrites.map((w) => w.listingId)).sort((a, b) => a - b);
    expect(written).toEqual([owl, owlMedium].sort((a, b) => a! - b!));
    expect(sim.getListing(owlMedium!)?.products[0]?.quantity).toBe(8);
    expect(sim.getListing(owl!)?.products.map((p) => p.quantity)).toEqual([6, 8]);
    expect(sim.getListing(sim.listingIds()[0]!)?.products[0]?.quantity).toBe(4);
    expect(sim.violations).toEqual([]);
  });

  it('is refused without a SKU, and waits like a scheduled run until the first run was previewed', async () => {
    world = await startWorld({ shop: shop() });
    const { core } = world;
    await expect(core.sync({ kinds: ['inventory'], trigger: 'edit', skus: [''] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const held = await core.sync({ kinds: ['inventory'], trigger: 'sale', skus: ['FOX'] });
    expect(held.runs[0]?.status).toBe('held');
  });
});
