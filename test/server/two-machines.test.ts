import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type Core } from '../../src/main/app';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { catalogStock, etsySellable, freePort } from '../sync/world';
import { serverStock, startServerWorld, type ServerWorld } from './server-world';

/**
 * Two machines, one shop (issue 13 item 2): two cores — two data folders, two createApp — linked to one
 * Postgres (PGlite here, Debian's PostgreSQL in .ci/run) and one simulated Etsy shop. Machine A is the
 * server world's core (named by its host name), machine B is named "laptop-b".
 */
let sw: ServerWorld | null = null;
let extra: { core: Core; dataDir: string } | null = null;
afterEach(async () => {
  if (extra) {
    await extra.core.stop();
    fs.rmSync(extra.dataDir, { recursive: true, force: true });
  }
  extra = null;
  await sw?.close();
  sw = null;
});

async function machineB(world: ServerWorld): Promise<Core> {
  const { sim, env } = world.world;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-machine-b-'));
  const secrets = new MemorySecretStore();
  const core = await createApp({ dataDir, env: { ...env, ART_SYNC_MACHINE_NAME: 'laptop-b' }, secrets });
  extra = { core, dataDir };
  core.updateSettings({ serverEnabled: true, serverUrl: world.pg.url, serverTlsMode: 'disable' });
  if (world.pg.password !== null) await secrets.set('server.password', world.pg.password);
  await core.connect({
    keystring: sim.keystring,
    sharedSecret: sim.sharedSecret,
    redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect`,
    onAuthorizeUrl: (url) => void fetch(url).catch(() => undefined),
    timeoutMs: 10_000,
  });
  return core;
}

function etsyQuantity(world: ServerWorld, sku: string): number | undefined {
  return etsySellable(world.world.sim).find((r) => r.sku === sku)?.quantity;
}

describe('two machines on one server and one shop', () => {
  it('while machine A syncs the shop, machine B’s sync fails with one sentence naming A and changes nothing', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const a = world.core;
    const b = await machineB(sw);
    await a.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const row = etsySellable(world.sim).find((r) => r.quantity >= 2)!;
    world.sim.sell(row.listingId, { sku: row.sku }, 1);

    // A's next run stops at its first Etsy call, holding the shop's lease.
    let reached!: () => void;
    const atEtsy = new Promise<void>((resolve) => (reached = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let blocked = false;
    const off = world.sim.onRequest(async () => {
      if (blocked) return;
      blocked = true;
      reached();
      await gate;
    });
    const running = a.sync({ kinds: ['inventory'], trigger: 'cli' });
    await atEtsy;

    const etsyBefore = JSON.stringify(world.sim.snapshot());
    const serverBefore = await serverStock(pg);
    const failure = await b.sync({ kinds: ['products', 'inventory'], trigger: 'cli' }).then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('SYNC_IN_PROGRESS');
    expect(failure?.message).toMatch(
      new RegExp(`^Another machine, ${escape(os.hostname())} \\(pid ${process.pid}, inventory sync, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\), is syncing this Etsy shop through the server; this sync did not run, so try again when it has finished\\.$`),
    );
    expect((await b.status()).serverQueue.syncingMachine).toMatch(new RegExp(`^${escape(os.hostname())} \\(pid ${process.pid}, inventory sync, since `));
    expect((await a.status()).serverQueue.syncingMachine).toMatch(/, this machine$/);
    // B changed nothing: no run, no catalog, no links; Etsy and the server as they were.
    expect(b.runs()).toEqual([]);
    expect(b.listCatalog()).toEqual([]);
    expect(b.repos.links.listLinks()).toEqual([]);
    expect(JSON.stringify(world.sim.snapshot())).toBe(etsyBefore);
    expect(await serverStock(pg)).toEqual(serverBefore);

    open();
    off();
    const report = await running;
    expect(report.errors).toEqual([]);
    expect((await serverStock(pg)).get(row.sku)).toBe(row.quantity - 1);
    expect((await a.status()).serverQueue.syncingMachine).toBeUndefined();
    // Once A is done, B may sync.
    const afterA = await b.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(afterA.errors).toEqual([]);
    expect((await serverStock(pg)).get(row.sku)).toBe(row.quantity - 1);
  });

  it('a takeover counts no sale twice: B merges from the baselines A left on the server, and says so', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const a = world.core;
    const b = await machineB(sw);
    await a.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    await b.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const row = etsySellable(world.sim).find((r) => r.quantity >= 4)!;
    const start = row.quantity;
    expect((await serverStock(pg)).get(row.sku)).toBe(start);

    // A counts a sale of 2; B's own baselines still predate it.
    world.sim.sell(row.listingId, { sku: row.sku }, 2);
    const byA = await a.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(byA.changes.filter((c) => c.sku === row.sku && c.side === 'catalog').map((c) => c.after)).toEqual([start - 2]);
    expect((await serverStock(pg)).get(row.sku)).toBe(start - 2);

    // B takes over: the sale A counted is not counted again, anywhere.
    const byB = await b.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(byB.errors).toEqual([]);
    expect(byB.changes.filter((c) => c.sku === row.sku)).toEqual([]);
    expect((await serverStock(pg)).get(row.sku)).toBe(start - 2);
    expect(catalogStock(b).get(row.sku)).toBe(start - 2);
    expect(etsyQuantity(sw, row.sku)).toBe(start - 2);
    expect(b.attention().map((item) => item.message)).toContain(
      `Another machine (${os.hostname()}) synced this shop since this one last did; Art Sync merged from the stock baselines it left on the server, so no sale or edit was counted twice.`,
    );

    // A sale after A's last sync and before B's takeover is counted exactly once (by B), not skipped.
    world.sim.sell(row.listingId, { sku: row.sku }, 1);
    await a.sync({ kinds: ['inventory'], trigger: 'cli' });
    world.sim.sell(row.listingId, { sku: row.sku }, 1);
    const again = await b.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(again.changes.filter((c) => c.sku === row.sku && c.side === 'catalog').map((c) => c.after)).toEqual([start - 4]);
    expect((await serverStock(pg)).get(row.sku)).toBe(start - 4);
    expect(etsyQuantity(sw, row.sku)).toBe(start - 4);

    // A runs again after B: nothing counted twice either way; B's next own run clears its notice.
    expect((await a.sync({ kinds: ['inventory'], trigger: 'cli' })).changes.filter((c) => c.sku === row.sku)).toEqual([]);
    expect(catalogStock(a).get(row.sku)).toBe(start - 4);
    await b.sync({ kinds: ['inventory'], trigger: 'cli' }); // a takeover again (A ran last)
    await b.sync({ kinds: ['inventory'], trigger: 'cli' }); // B ran last: no takeover
    expect(b.attention().filter((item) => item.kind === 'server_takeover')).toEqual([]);
    expect((await serverStock(pg)).get(row.sku)).toBe(start - 4);
  });

  it('a dead holder’s lease blocks until it expires, then is taken over; with the server away B waits', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const a = world.core;
    await a.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const shopId = a.connection.get()!.shopId;
    const row = etsySellable(world.sim).find((r) => r.quantity >= 2)!;

    // A machine died mid-run: its lease is still in force for a while.
    await pg.admin.query(
      `UPDATE etsy_sync_leases SET holder_machine_id = 'gone', holder_host = 'old-laptop', holder_pid = 999, holder_what = 'inventory sync',
         since = now() - interval '10 minutes', expires_at = now() + interval '1 hour', last_machine_id = 'gone', last_host = 'old-laptop'
       WHERE shop_id = $1`,
      [shopId],
    );
    const b = await machineB(sw);
    await expect(b.sync({ kinds: ['inventory'], trigger: 'cli' })).rejects.toThrow(/^Another machine, old-laptop \(pid 999, inventory sync, since .* UTC\), is syncing this Etsy shop/);
    expect(b.runs()).toEqual([]);

    // It stopped renewing: once expired, the shop is taken over.
    await pg.admin.query(`UPDATE etsy_sync_leases SET expires_at = now() - interval '1 second' WHERE shop_id = $1`, [shopId]);
    world.sim.sell(row.listingId, { sku: row.sku }, 1);
    const report = await b.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    expect((await serverStock(pg)).get(row.sku)).toBe(row.quantity - 1);
    expect(etsyQuantity(sw, row.sku)).toBe(row.quantity - 1);
    expect(b.attention().map((item) => item.message).join('\n')).toMatch(/^Another machine \(old-laptop\) synced this shop since/m);
    const lease = await pg.admin.query<{ holder_machine_id: string | null; last_host: string }>(
      'SELECT holder_machine_id, last_host FROM etsy_sync_leases WHERE shop_id = $1',
      [shopId],
    );
    expect(lease.rows).toEqual([{ holder_machine_id: null, last_host: 'laptop-b' }]);

    // B has seen another machine on this shop: with the server away it waits instead of syncing on its cache.
    await pg.proxy.down();
    try {
      const before = JSON.stringify(world.sim.snapshot());
      await expect(b.sync({ kinds: ['inventory'], trigger: 'cli' })).rejects.toThrow(
        'The server cannot be reached, and another machine also syncs this Etsy shop through it; this sync did not run, so no sale is counted twice — it runs again once the server is back.',
      );
      expect(JSON.stringify(world.sim.snapshot())).toBe(before);
    } finally {
      await pg.proxy.up();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
