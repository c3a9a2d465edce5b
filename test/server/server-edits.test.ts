import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerEditWatcher } from '../../src/main/schedule/server-edit-watcher';
import type { ListenSession } from '../../src/main/server/edit-listener';
import { catalogStock, etsySellable } from '../sync/world';
import { serverStock, startServerWorld, type ServerWorld } from './server-world';

/**
 * Issue 14 item 4: a stock edit on the server reaches Etsy in a targeted 'server-edit' run. On a real
 * PostgreSQL (.ci/run) the trigger's NOTIFY announces it; PGlite behind the socket serves every
 * connection from one backend and hands a NOTIFY to the connection that sent it, so there the listening
 * connection hears nothing — exactly the "notifications not delivered" case the fallback poll is for.
 */
let sw: ServerWorld | null = null;
afterEach(async () => {
  await sw?.close();
  sw = null;
});

/** Waits for an event (not a speed assertion: the bound only keeps a broken build from hanging). */
const EVENTUALLY = { timeout: 60_000, interval: 50 };

async function syncedWorld(): Promise<ServerWorld> {
  const world = await startServerWorld();
  // Sales watching off: these tests start only the runs they mean to.
  world.world.core.updateSettings({ watchIntervalMinutes: 0 });
  await world.world.core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  return world;
}

describe('server edits', () => {
  it('a stock edit on the server reaches every Etsy listing of the SKU in one targeted server-edit run', { timeout: 120_000 }, async () => {
    sw = await syncedWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    const row = etsySellable(sim)[0]!;
    await core.start();
    const watcher = core.watch.serverEdits!;
    expect(watcher).not.toBeNull();
    await vi.waitFor(() => expect(watcher.status().lastCheckAt).not.toBeNull(), EVENTUALLY);
    // The watcher's test notification is heard on PostgreSQL; on PGlite it is not, and polling takes over.
    await vi.waitFor(() => expect(watcher.status().state).toBe(pg.realServer ? 'listening' : 'polling'), EVENTUALLY);
    // The window's status says how server edits are noticed.
    expect((await core.status()).serverQueue.edits).toMatchObject({ state: pg.realServer ? 'listening' : 'polling' });

    await pg.admin.query('UPDATE product_variants SET stock = 7, version = version + 1 WHERE sku = $1', [row.sku]);
    // Real server: the notification alone starts the run. PGlite: nothing is delivered; the poll finds it.
    // (Polling now rather than at the fallback interval only shortens the test.)
    if (!pg.realServer) await watcher.pollNow();
    await vi.waitFor(() => expect(core.runs(10).find((r) => r.trigger === 'server-edit' && r.finishedAt !== null)).toBeDefined(), EVENTUALLY);

    const runs = core.runs(10).filter((r) => r.trigger === 'server-edit');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'inventory', status: 'ok' });
    for (const listing of etsySellable(sim).filter((r) => r.sku === row.sku)) expect(listing.quantity).toBe(7);
    expect(catalogStock(core).get(row.sku)).toBe(7);
    // Activity says where the change came from: the server, not "edited locally".
    const explained = core.history({ sku: row.sku, side: 'etsy' }).items.map((item) => item.explanation);
    expect(explained[0]).toBe(`Edited on the server ${7 - row.quantity > 0 ? '+' : ''}${7 - row.quantity}: ${row.quantity} → 7`);
    expect(watcher.status()).toMatchObject({ state: pg.realServer ? 'listening' : 'polling', lastPushSkus: [row.sku] });
    // The run changed nothing on the server, so nothing more is found.
    expect(await watcher.pollNow()).toEqual([]);
  });

  it("Art Sync's own stock push to the server fires the trigger but starts no server-edit run", { timeout: 120_000 }, async () => {
    sw = await syncedWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    const row = etsySellable(sim).find((r) => r.quantity >= 2)!;
    await core.start();
    const watcher = core.watch.serverEdits!;
    await vi.waitFor(() => expect(watcher.status().lastCheckAt).not.toBeNull(), EVENTUALLY);

    // A sale on Etsy, synced: the sync pushes the new stock to the server (a version-checked UPDATE).
    sim.sell(row.listingId, { sku: row.sku }, 1);
    await core.scheduler.syncNow(['inventory']);
    expect((await serverStock(pg)).get(row.sku)).toBe(row.quantity - 1);
    if (pg.realServer) await vi.waitFor(() => expect(watcher.status().notices).toBeGreaterThanOrEqual(1), EVENTUALLY);

    expect(await watcher.pollNow()).toEqual([]);
    expect(await watcher.flushNow()).toBeNull();
    if (pg.realServer) expect(watcher.status().ownWrites).toBeGreaterThanOrEqual(1);
    expect(core.runs(10).filter((r) => r.trigger === 'server-edit')).toEqual([]);
    expect(watcher.status()).toMatchObject({ waiting: 0, lastPushAt: null });
  });

  it('with LISTEN unavailable, the poll finds a server edit and a burst becomes one request', { timeout: 120_000 }, async () => {
    sw = await syncedWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    const skus = [...new Set(etsySellable(sim).map((r) => r.sku))].slice(0, 3);
    expect(skus.length).toBeGreaterThanOrEqual(2);
    const requests: string[][] = [];
    const watcher = new ServerEditWatcher({
      enabled: () => core.server.enabled(),
      listen: () => Promise.reject(new Error('LISTEN is not supported by this pooler')),
      db: () => core.server.pool(),
      known: () => core.server.catalog.knownStates(),
      busy: () => core.server.catalog.busy(),
      blockedReason: () => null,
      requestTargeted: async (wanted) => {
        requests.push(wanted);
        return { ok: true, summary: 'ok' };
      },
      now: Date.now,
    });
    watcher.start();
    try {
      await vi.waitFor(() => expect(watcher.status()).toMatchObject({ state: 'polling', lastError: expect.stringMatching(/Cannot listen/) }), EVENTUALLY);
      expect(await watcher.pollNow()).toEqual([]);
      for (const sku of skus) await pg.admin.query('UPDATE product_variants SET stock = stock + 3, version = version + 1 WHERE sku = $1', [sku]);
      expect((await watcher.pollNow()).sort()).toEqual([...skus].sort());
      await watcher.flushNow();
      expect(requests).toEqual([[...skus].sort()]);
    } finally {
      await watcher.stop();
    }
  });

  it('a new server address ends the LISTEN connection to the old one; the watcher listens again on the new', { timeout: 120_000 }, async () => {
    sw = await syncedWorld();
    const { world, pg } = sw;
    const { core } = world;
    const opened: { url: string; session: ListenSession; ended: boolean }[] = [];
    const listen = core.server.listenForEdits.bind(core.server);
    vi.spyOn(core.server, 'listenForEdits').mockImplementation(async (onChange) => {
      const session = await listen(onChange);
      const entry = { url: core.getSettings().serverUrl, session, ended: false };
      void session.ended.then(() => (entry.ended = true));
      opened.push(entry);
      return session;
    });
    await core.start();
    await vi.waitFor(() => expect(opened).toHaveLength(1), EVENTUALLY);

    // The same server under another spelling of its address: a different address for the settings.
    const moved = pg.url.replace(/^postgres:/, 'postgresql:');
    expect(moved).not.toBe(pg.url);
    core.updateSettings({ serverUrl: moved });
    await vi.waitFor(() => expect(opened[0]!.ended).toBe(true), EVENTUALLY);
    await vi.waitFor(() => expect(opened.map((entry) => entry.url)).toEqual([pg.url, moved]), EVENTUALLY);
    expect(opened[1]!.ended).toBe(false);

    // Turning the link off ends it too, and nothing listens until it is back on.
    core.updateSettings({ serverEnabled: false });
    await vi.waitFor(() => expect(opened[1]!.ended).toBe(true), EVENTUALLY);
    expect(opened).toHaveLength(2);
  });
});
