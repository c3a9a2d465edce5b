import { afterEach, describe, expect, it } from 'vitest';
import { catalogStock, etsySellable } from '../sync/world';
import { localLog, serverLog, serverStock, startServerWorld, type ServerWorld } from './server-world';

let sw: ServerWorld | null = null;
afterEach(async () => {
  await sw?.close();
  sw = null;
});

describe('server catalog', () => {
  it('A stock edit made on the server during a sync is merged, not overwritten', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const row = etsySellable(sim).find((r) => r.quantity >= 3)!;
    const start = (await serverStock(pg)).get(row.sku)!;
    expect(start).toBe(row.quantity);

    // A sale on Etsy; while the sync runs (after it read the server), someone restocks 10 on the server.
    sim.sell(row.listingId, { sku: row.sku }, 2);
    let edited = false;
    const off = sim.onRequest(async () => {
      if (edited) return;
      edited = true;
      await pg.admin.query('UPDATE product_variants SET stock = stock + 10, version = version + 1 WHERE sku = $1', [row.sku]);
    });
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    off();
    expect(edited).toBe(true);

    // Their +10 and our −2 both count: the server was not overwritten with our value (start − 2).
    expect((await serverStock(pg)).get(row.sku)).toBe(start + 10 - 2);
    expect(catalogStock(core).get(row.sku)).toBe(start + 10 - 2);

    // The next sync treats their edit as a catalog-side edit and shows it on Etsy.
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    const change = report.changes.find((c) => c.sku === row.sku && c.side === 'etsy');
    expect(change).toMatchObject({ after: start + 8, status: 'applied' });
    expect(change?.explanation).toMatch(/^Edited locally \+10: /);
    expect(etsySellable(sim).find((r) => r.sku === row.sku)?.quantity).toBe(start + 8);
    expect((await serverStock(pg)).get(row.sku)).toBe(start + 8);
    expect(await serverLog(pg)).toEqual(localLog(core));
  });

  it('an edit on the server between syncs reaches Etsy, and a server stock write is conditional on the version read', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const row = etsySellable(sim)[0]!;
    await pg.admin.query('UPDATE product_variants SET stock = 7, version = version + 1 WHERE sku = $1', [row.sku]);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(etsySellable(sim).find((r) => r.sku === row.sku)?.quantity).toBe(7);
    expect(catalogStock(core).get(row.sku)).toBe(7);
    const version = await pg.admin.query<{ version: number }>('SELECT version FROM product_variants WHERE sku = $1', [row.sku]);
    const state = core.store.sqlite.prepare('SELECT server_version FROM server_catalog_state WHERE sku = ?').get(row.sku) as { server_version: number };
    expect(state.server_version).toBe(version.rows[0]!.version);
  });
});
