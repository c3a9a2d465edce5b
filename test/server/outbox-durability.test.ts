import { afterEach, describe, expect, it } from 'vitest';
import { catalogStock, etsySellable } from '../sync/world';
import { localLog, serverLog, serverStock, startServerWorld, type ServerWorld } from './server-world';

let sw: ServerWorld | null = null;
afterEach(async () => {
  await sw?.close();
  sw = null;
});

describe('server push while the server is away', () => {
  it('loses nothing while the server is stopped; once back, the outbox drains and the server log equals local history', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const { sim, core } = world;

    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect((await core.status()).serverQueue).toMatchObject({ enabled: true, waiting: 0, lastError: null });
    expect(await serverStock(pg)).toEqual(catalogStock(core));
    expect(await serverLog(pg)).toEqual(localLog(core));

    await pg.proxy.down();
    const [first, second] = etsySellable(sim).filter((row) => row.quantity >= 3);
    sim.sell(first!.listingId, { sku: first!.sku }, 2);
    let report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    core.catalog.setStock(second!.sku, catalogStock(core).get(second!.sku)! + 4);
    sim.sell(second!.listingId, { sku: second!.sku }, 1);
    report = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);

    const away = (await core.status()).serverQueue;
    expect(away.waiting).toBeGreaterThan(0);
    expect(away.lastError).toMatch(/cannot be reached/);
    expect((await serverLog(pg)).length).toBeLessThan(localLog(core).length);

    await pg.proxy.up();
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect((await core.status()).serverQueue).toMatchObject({ waiting: 0, lastError: null });
    expect(await serverLog(pg)).toEqual(localLog(core));
    expect(await serverStock(pg)).toEqual(catalogStock(core));
    expect((await serverStock(pg)).get(first!.sku)).toBe(first!.quantity - 2);

    // Links and the shop's sync config went too.
    const links = await pg.admin.query<{ n: string }>('SELECT count(*) AS n FROM etsy_products WHERE deleted_at IS NULL AND variant_id IS NOT NULL');
    expect(Number(links.rows[0]!.n)).toBe(core.repos.links.listLinks().length);
    const config = await pg.admin.query<{ shop_id: string; last_inventory_sync_at: Date | null }>('SELECT shop_id, last_inventory_sync_at FROM etsy_sync_config');
    expect(config.rows).toHaveLength(1);
    expect(config.rows[0]!.last_inventory_sync_at).not.toBeNull();
  });
});
