import { afterEach, describe, expect, it } from 'vitest';
import { generateShop } from '../../sim';
import { catalogStock, etsySellable, startWorld, type World } from '../sync/world';

/**
 * Issue 15: a sale made in person and the undo of a run are catalog edits with their own history
 * reason; the next sync's three-way merge carries them to Etsy, keeping what sold there meanwhile.
 */
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** Single prints and prints with sizes, every SKU on one listing only. */
function shop() {
  return generateShop({ listings: 6, seed: 11, variationRatio: 0.5, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 0 });
}

async function syncedWorld(): Promise<World> {
  world = await startWorld({ shop: shop() });
  const report = await world.core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  expect(report.errors).toEqual([]);
  return world;
}

function etsyQuantity(w: World, sku: string): number {
  return etsySellable(w.sim).find((row) => row.sku === sku)!.quantity;
}

/** SKUs on an active listing with at least `min` in stock on both sides. */
function stocked(w: World, min: number): { listingId: number; sku: string; quantity: number }[] {
  const stock = catalogStock(w.core);
  return etsySellable(w.sim).filter((row) => row.quantity >= min && stock.get(row.sku) === row.quantity);
}

describe('sold in person', () => {
  it('lowers the catalog with its own reason, calls no Etsy, refuses below zero, and the next sync carries it beside an Etsy sale', async () => {
    const { core, sim } = await syncedWorld();
    const target = stocked(world!, 4)[0]!;
    const calls = sim.counters.total;

    const sale = core.recordSale(target.sku, 2);
    expect(sale).toMatchObject({ sku: target.sku, quantity: 2, before: target.quantity, after: target.quantity - 2 });
    expect(sale.explanation).toBe(`Sold 2 in person: ${target.quantity} → ${target.quantity - 2}`);
    expect(sim.counters.total).toBe(calls); // offline-safe: a catalog change only
    const [row] = core.history({ sku: target.sku, limit: 1 }).items;
    expect(row).toMatchObject({ runId: sale.runId, side: 'catalog', field: 'quantity', reason: 'sold_in_person', before: target.quantity, after: target.quantity - 2 });
    expect(row!.explanation).toBe(sale.explanation);
    expect(core.runs(1)[0]).toMatchObject({ id: sale.runId, kind: 'catalog', status: 'ok', changesCount: 1, summary: `Sold 2 of ${target.sku} in person` });

    const runsBefore = core.runs(200).length;
    expect(() => core.recordSale(target.sku, target.quantity)).toThrow(
      `Cannot record a sale of ${target.quantity} of ${target.sku}: the catalog has ${target.quantity - 2} in stock. Nothing was changed.`,
    );
    expect(() => core.recordSale(target.sku, 0)).toThrow(/from 1 to/);
    expect(() => core.recordSale('NO-SUCH-SKU')).toThrow('There is no SKU "NO-SUCH-SKU" in the catalog.');
    expect(catalogStock(core).get(target.sku)).toBe(target.quantity - 2);
    expect(core.runs(200).length).toBe(runsBefore);

    // Meanwhile one sells on Etsy: the merge keeps both.
    sim.sell(target.listingId, { sku: target.sku }, 1);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    expect(catalogStock(core).get(target.sku)).toBe(target.quantity - 3);
    expect(etsyQuantity(world!, target.sku)).toBe(target.quantity - 3);
    expect(sim.violations).toEqual([]);
  });

  it('is recorded while Etsy is unreachable; once it is back, Etsy and the catalog agree (a sale on Etsy meanwhile kept)', async () => {
    const { core, sim } = await syncedWorld();
    const target = stocked(world!, 4)[0]!;
    sim.resetBeforeHandling(10_000); // every request: connection reset
    const offline = await core.sync({ kinds: ['inventory'], trigger: 'cli' }).catch((error: unknown) => error);
    expect(offline instanceof Error || (offline as { errors: unknown[] }).errors.length > 0).toBe(true);
    const sale = core.recordSale(target.sku, 1);
    expect(sale.after).toBe(target.quantity - 1);
    sim.clearFaults();
    sim.sell(target.listingId, { sku: target.sku }, 2);
    const back = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(back.errors).toEqual([]);
    expect(catalogStock(core).get(target.sku)).toBe(target.quantity - 3);
    expect(etsyQuantity(world!, target.sku)).toBe(target.quantity - 3);
  });
});

describe('undo a run', () => {
  it('reverts a run through the merge: a later Etsy sale is kept, the rest restored; an undo can be undone', async () => {
    const { core, sim } = await syncedWorld();
    const [edited, sold] = stocked(world!, 3);
    expect(edited && sold).toBeTruthy();
    // Run N pulls an edit on Etsy (+3) and a sale on Etsy (−1) into the catalog.
    sim.editQuantity(edited!.listingId, { sku: edited!.sku }, edited!.quantity + 3);
    sim.sell(sold!.listingId, { sku: sold!.sku }, 1);
    const runN = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(runN.errors).toEqual([]);
    const runId = runN.runs[0]!.runId!;
    expect(catalogStock(core).get(edited!.sku)).toBe(edited!.quantity + 3);
    // After it, another sale on Etsy of the edited print.
    sim.sell(edited!.listingId, { sku: edited!.sku }, 1);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(catalogStock(core).get(edited!.sku)).toBe(edited!.quantity + 2);

    const before = JSON.stringify(core.store.sqlite.prepare('SELECT * FROM catalog_variants ORDER BY id').all());
    const plan = core.undoRun(runId, { dryRun: true });
    expect(plan).toMatchObject({ undoneRunId: runId, dryRun: true, runId: null, skipped: [] });
    expect(plan.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sku: edited!.sku, now: edited!.quantity + 2, after: edited!.quantity - 1, runBefore: edited!.quantity, runAfter: edited!.quantity + 3 }),
        expect.objectContaining({ sku: sold!.sku, now: sold!.quantity - 1, after: sold!.quantity }),
      ]),
    );
    expect(plan.items.find((item) => item.sku === edited!.sku)!.explanation).toBe(
      `Undo of run ${runId}: ${edited!.quantity + 2} → ${edited!.quantity - 1} (run ${runId} changed it ${edited!.quantity} → ${edited!.quantity + 3}; changes since are kept)`,
    );
    expect(JSON.stringify(core.store.sqlite.prepare('SELECT * FROM catalog_variants ORDER BY id').all())).toBe(before);

    const undo = core.undoRun(runId);
    expect(undo.runId).not.toBeNull();
    const undoHistory = core.history({ runId: undo.runId!, limit: 10 }).items;
    expect(undoHistory.map((item) => item.reason)).toEqual(['undo_run', 'undo_run']);
    expect(undoHistory.every((item) => item.explanation.startsWith(`Undo of run ${runId}:`))).toBe(true);
    const synced = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(synced.errors).toEqual([]);
    // The sale made after run N stays sold; the rest is as before run N, on both sides.
    expect(catalogStock(core).get(edited!.sku)).toBe(edited!.quantity - 1);
    expect(etsyQuantity(world!, edited!.sku)).toBe(edited!.quantity - 1);
    expect(catalogStock(core).get(sold!.sku)).toBe(sold!.quantity);
    expect(etsyQuantity(world!, sold!.sku)).toBe(sold!.quantity);

    // An undo is a run too: undoing it puts back what it reverted.
    const redo = core.undoRun(undo.runId!);
    expect(redo.items.map((item) => [item.sku, item.after])).toEqual(
      expect.arrayContaining([
        [edited!.sku, edited!.quantity + 2],
        [sold!.sku, sold!.quantity - 1],
      ]),
    );
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(etsyQuantity(world!, edited!.sku)).toBe(edited!.quantity + 2);
    expect(etsyQuantity(world!, sold!.sku)).toBe(sold!.quantity - 1);
    expect(sim.violations).toEqual([]);
  });

  it('never goes below zero', async () => {
    const { core } = await syncedWorld();
    const target = stocked(world!, 3)[0]!;
    const restock = core.stockEdits.apply({
      trigger: 'manual',
      edits: [{ sku: target.sku, reason: 'edited_locally', target: (q) => q + 5, explanation: (b, a) => `${b} → ${a}` }],
      summary: () => 'restock',
    });
    core.setStock(target.sku, 2);
    const plan = core.undoRun(restock.runId!, { dryRun: true });
    expect(plan.items[0]).toMatchObject({ sku: target.sku, now: 2, after: 0 });
    expect(plan.items[0]!.explanation).toMatch(/; not below 0\)$/);
  });

  it('refuses an unknown run, a dry run and a run that changed no stock, with sentences', async () => {
    const { core } = await syncedWorld();
    expect(() => core.undoRun(424_242)).toThrow('There is no run 424242.');
    const dry = core.repos.runs.startRun({ kind: 'inventory', trigger: 'cli', dryRun: true }, Date.now());
    core.repos.runs.finishRun(dry, { status: 'ok', callsUsed: 1, changesCount: 0 }, Date.now());
    expect(() => core.undoRun(dry)).toThrow(`Run ${dry} was a dry run: it changed nothing, so there is nothing to undo.`);
    const quiet = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const quietId = quiet.runs[0]!.runId!;
    expect(() => core.undoRun(quietId)).toThrow(`Run ${quietId} changed no stock, so there is nothing to undo.`);
    // A run that only pushed a catalog edit to Etsy changed no catalog stock.
    const target = stocked(world!, 1)[0]!;
    core.setStock(target.sku, target.quantity + 1);
    const push = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(() => core.undoRun(push.runs[0]!.runId!)).toThrow(/changed no stock in the catalog: it only brought Etsy to the catalog's stock/);
  });
});
