import { afterEach, describe, expect, it } from 'vitest';
import { catalogStock, etsySellable } from '../sync/world';
import { serverLog, serverStock, startServerWorld, type ServerWorld } from './server-world';

let sw: ServerWorld | null = null;
afterEach(async () => {
  await sw?.close();
  sw = null;
});

describe('server link and the dry run', () => {
  it('a dry run with the server link on neither pulls from nor pushes to the server', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const [onServer, sold] = etsySellable(sim).filter((row) => row.quantity >= 2);
    expect(onServer && sold).toBeTruthy();

    // An edit on the server (a pull would bring it into the local cache) and a sale on Etsy (the plan
    // lowers the catalog, which a push would carry to the server).
    await pg.admin.query('UPDATE product_variants SET stock = stock + 5, version = version + 1 WHERE sku = $1', [onServer!.sku]);
    sim.sell(sold!.listingId, { sku: sold!.sku }, 1);
    const serverBefore = await serverStock(pg);
    const logBefore = await serverLog(pg);
    const localBefore = catalogStock(core);
    const outboxBefore = core.store.sqlite.prepare('SELECT * FROM server_outbox ORDER BY id').all();
    const stateBefore = core.store.sqlite.prepare('SELECT * FROM server_catalog_state ORDER BY sku').all();

    const report = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli', dryRun: true });
    expect(report.errors).toEqual([]);
    expect(report.changes).toContainEqual(expect.objectContaining({ sku: sold!.sku, side: 'catalog', status: 'planned' }));

    expect(catalogStock(core)).toEqual(localBefore);
    expect(core.store.sqlite.prepare('SELECT * FROM server_catalog_state ORDER BY sku').all()).toEqual(stateBefore);
    expect(core.store.sqlite.prepare('SELECT * FROM server_outbox ORDER BY id').all()).toEqual(outboxBefore);
    expect(await serverStock(pg)).toEqual(serverBefore);
    expect(await serverLog(pg)).toEqual(logBefore);
  });
});
