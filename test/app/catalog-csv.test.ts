import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportCsvOf } from './catalog-csv-fixtures';
import { catalogStock, etsySellable, startWorld, type World } from '../sync/world';

/**
 * Issue 15 items 1 and 3 in the core: a CSV preview writes nothing and names every change and refused
 * line; apply applies exactly what was previewed (the valid lines), or nothing when the catalog changed
 * in between; and each SKU's push state follows its stock from the edit to Etsy.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function shop() {
  return {
    listings: [
      { title: 'Fox Print', products: [{ sku: 'FOX', quantity: 4 }] },
      { title: 'Hare Linocut', products: [{ sku: 'HARE', quantity: 3 }] },
      { title: 'Owl Etching', products: [{ sku: 'OWL', quantity: 2 }] },
    ],
  };
}

async function syncedWorld(): Promise<World> {
  world = await startWorld({ shop: shop() });
  const report = await world.core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  expect(report.errors).toEqual([]);
  return world;
}

describe('CSV preview and apply', () => {
  it('previews without writing, then applies the valid lines only and leaves the bad line and everything else untouched', async () => {
    const { core } = await syncedWorld();
    const before = core.listCatalog();
    const hare = before.find((item) => item.sku === 'HARE')!;
    const text = exportCsvOf(core, { FOX: { quantity: 9 } }) + 'HARE,Hare Linocut,-3,1.00,USD\nNEW-1,New print,2,15.00,USD\n';

    const preview = core.previewCatalogCsv(text);
    expect(core.listCatalog()).toEqual(before); // a preview writes nothing
    expect(preview.items.map((item) => [item.line, item.sku, item.change, item.before?.quantity ?? null, item.after.quantity])).toEqual([
      [2, 'FOX', 'update', 4, 9],
      [6, 'NEW-1', 'new', null, 2],
    ]);
    // HARE appears twice: the export's line 3 (unchanged) and the bad line 5, which is refused by number.
    expect(preview.errors).toEqual([{ line: 5, reason: 'quantity "-3" is not a whole number of 0 or more' }]);
    expect(preview.counts).toEqual({ new: 1, update: 1, unchanged: 2, errors: 1 });
    // The simulated shop sells in GBP: the USD price of the new line is named before applying.
    expect(preview.notes).toEqual([
      '1 line is priced in USD, but your Etsy shop uses GBP: Art Sync does not send that price to Etsy (the stock is synced as usual).',
    ]);

    const applied = core.applyCatalogCsv(text, preview);
    expect(applied).toEqual({ applied: true, created: ['NEW-1'], updated: ['FOX'], unchanged: 2, rejected: 1 });
    const stock = catalogStock(core);
    expect([stock.get('FOX'), stock.get('HARE'), stock.get('OWL'), stock.get('NEW-1')]).toEqual([9, 3, 2, 2]);
    expect(core.listCatalog().find((item) => item.sku === 'HARE')).toEqual(hare);
    expect(core.listCatalog().find((item) => item.sku === 'NEW-1')).toMatchObject({ title: 'New print', price: 1500, currency: 'USD' });
  });

  it('refuses to apply a preview the catalog no longer matches, names the SKUs, and applies the new preview', async () => {
    const { core } = await syncedWorld();
    const text = exportCsvOf(core, { FOX: { quantity: 9 }, OWL: { quantity: 7 } });
    const shown = core.previewCatalogCsv(text);
    // A sale in person between the preview and Apply.
    core.recordSale('FOX', 1);

    const stale = core.applyCatalogCsv(text, shown);
    expect(stale).toMatchObject({ applied: false, changedSkus: ['FOX'] });
    if (stale.applied) throw new Error('unreachable');
    expect(stale.message).toBe('The catalog changed since the preview (FOX): nothing was imported. Check the new preview and apply again.');
    expect(stale.preview.items.find((item) => item.sku === 'FOX')?.before?.quantity).toBe(3);
    expect([catalogStock(core).get('FOX'), catalogStock(core).get('OWL')]).toEqual([3, 2]); // nothing applied

    expect(core.applyCatalogCsv(text, stale.preview)).toMatchObject({ applied: true, updated: ['FOX', 'OWL'] });
    expect([catalogStock(core).get('FOX'), catalogStock(core).get('OWL')]).toEqual([9, 7]);
  });

  it('refuses a file that is not a catalog CSV whole, and the export reads back with no change', async () => {
    const { core } = await syncedWorld();
    expect(() => core.previewCatalogCsv('name,stock\nFOX,1\n')).toThrow('The first line must be exactly "sku,title,quantity,price,currency"; nothing was imported.');
    const exported = core.exportCatalogCsv().csv;
    expect(core.previewCatalogCsv(exported)).toMatchObject({ items: [], errors: [], counts: { new: 0, update: 0, unchanged: 3, errors: 0 } });
  });
});

describe('push state per SKU', () => {
  it('is null off Etsy, "on Etsy" when Etsy has the stock, and "waiting" with the reason when nothing pushes here', async () => {
    const { core } = await syncedWorld();
    core.importCatalogCsv('sku,title,quantity,price,currency\nLOCAL,Only here,1,1.00,USD\n');
    expect(core.catalogPushStates(['FOX', 'LOCAL', 'NOPE'])).toEqual([
      { sku: 'FOX', push: { state: 'on_etsy', message: null } },
      { sku: 'LOCAL', push: null },
    ]);
    core.setStock('FOX', 8);
    expect(core.catalogPushStates(['FOX'])[0]!.push).toEqual({
      state: 'waiting',
      message: 'Art Sync is not syncing in the background here; the next sync carries it to Etsy.',
    });
    // The Catalog page's rows carry the same state.
    expect(core.catalogPage({ query: 'FOX' }).items[0]!.push).toEqual(core.catalogPushStates(['FOX'])[0]!.push);
    expect(core.catalogPage({ query: 'LOCAL' }).items[0]!.push).toBeNull();
  });

  it('follows an edit: pushing → on Etsy through the edit pusher; a refused write shows its error until the next edit', async () => {
    const { core, sim } = await syncedWorld();
    core.scheduler.start();
    core.watch.start();

    core.setStock('HARE', 6);
    expect(core.catalogPushStates(['HARE'])[0]!.push).toEqual({ state: 'pushing', message: null });
    await vi.waitFor(() => expect(core.catalogPushStates(['HARE'])[0]!.push).toEqual({ state: 'on_etsy', message: null }), { timeout: 30_000, interval: 100 });
    expect(etsySellable(sim).find((row) => row.sku === 'HARE')?.quantity).toBe(6);

    core.setPaused(true);
    core.setStock('OWL', 5);
    expect(core.catalogPushStates(['OWL'])[0]!.push).toEqual({ state: 'waiting', message: 'Syncing is paused; it goes to Etsy when you resume.' });
    core.setPaused(false);

    // Etsy refuses the write: the row says so (the attention item raised for its listing).
    sim.failNext(1, { status: 400, operationId: 'updateListingInventory' });
    const report = await core.sync({ kinds: ['inventory'], trigger: 'edit', skus: ['OWL'] });
    expect(report.errors.length).toBeGreaterThan(0);
    const failed = core.catalogPushStates(['OWL'])[0]!.push;
    expect(failed?.state).toBe('error');
    expect(failed?.message).toContain('Etsy did not accept the stock update');
    // A new edit is a new attempt: pushing again (and then on Etsy).
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond than the failure
    core.setStock('OWL', 4);
    expect(core.catalogPushStates(['OWL'])[0]!.push).toEqual({ state: 'pushing', message: null });
    await vi.waitFor(() => expect(core.catalogPushStates(['OWL'])[0]!.push?.state).toBe('on_etsy'), { timeout: 30_000, interval: 100 });
    expect(sim.violations).toEqual([]);
  }, 60_000);
});
