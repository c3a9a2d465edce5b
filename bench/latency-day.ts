/**
 * The latency day (issue 14 "Measure"): a compressed shop day played against the simulator with a core
 * running its scheduler and watch services (Core.start()) in the worker. Sales (on shared SKUs, on
 * originals of quantity 1, on single listings) and local stock edits happen at set times; for each one
 * the parent polls the simulator's snapshot and the core's catalog until every side shows it. Three
 * schedules are played side by side, same engine and same day, only the settings changed.
 *
 * With the server link on (PGlite in this process, or a fresh database on ART_SYNC_BENCH_PG_URL), the day
 * also has server edits: an UPDATE of product_variants' stock, as the Art Management Tool would make,
 * timed until every Etsy listing of the SKU and the catalog show it. PGlite behind pglite-socket hands a
 * NOTIFY only to the connection that sent it, so with PGlite the listening connection hears nothing and
 * the server edit watcher's fallback poll is what is measured; a real PostgreSQL measures LISTEN/NOTIFY.
 *
 * Time is compressed by a clock factor F (bench/core-worker.ts installClock; the simulator gets the
 * same clock): the core's schedule intervals and the simulator's timestamps run F× faster, while the
 * Etsy calls (limiter, round trip) take real time. So a latency is reported as measured (wall) and at
 * the default interval: idle time × F + time the engine was busy polling or syncing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { benchShop, seededRandom, startEtsySimulator, type EtsySimulator, type OpenApiValidator, type ShopSeed } from '../sim';
import type { Settings } from '../src/shared/settings';
import { migrateServer } from '../src/main/server/migrate';
import { AFTER_SALE_WATCH_MS, AFTER_SALE_WINDOW_MS, DAY_MS, DEFAULT_WATCH_MS } from '../src/main/schedule/watch-interval';
import { PER_DAY, QPS } from './sync-bench';
import { CoreWorker } from './worker-client';
import type { WorkerEvent } from './worker-protocol';

export interface ScheduleSpec {
  key: 'seed' | 'poll10' | 'watch';
  label: string;
  settings: Partial<Settings>;
}

export const SCHEDULES: readonly ScheduleSpec[] = [
  { key: 'seed', label: "seed's schedule: inventory 1 h, no watching", settings: { inventorySyncIntervalMinutes: 60, productSyncIntervalMinutes: 120, watchIntervalMinutes: 0 } },
  { key: 'poll10', label: '10-minute poll: inventory 10 min, no watching', settings: { inventorySyncIntervalMinutes: 10, productSyncIntervalMinutes: 120, watchIntervalMinutes: 0 } },
  { key: 'watch', label: 'watch loop (about a minute) + inventory 1 h', settings: { inventorySyncIntervalMinutes: 60, productSyncIntervalMinutes: 120, watchIntervalMinutes: 1 } },
];

const MIN = 60_000;
/** The played window (virtual): events in [2, 50] min, then until every event is seen or 75 min. */
const EVENTS_FROM = 2 * MIN;
const EVENTS_UNTIL = 50 * MIN;
const HARD_END = 75 * MIN;
/** Wall-clock poll of the sides (simulator snapshot + core catalog). */
const SIDE_POLL_MS = 50;
/** The day the call figures are extrapolated to (the target). */
export const DAY_SALES = 50;
export const DAY_EDITS = 50;
export const DAY_LISTINGS = 5_000;

type EventKind = 'sale_shared' | 'sale_original' | 'sale_single' | 'edit' | 'server_edit';
export const isSale = (kind: string): boolean => kind.startsWith('sale');
interface PlannedEvent {
  kind: EventKind;
  at: number;
  sku: string;
  /** Originals: when a second buyer tries the same SKU on its other listing. */
  secondAt?: number;
}

export interface EventLatency {
  kind: EventKind;
  sku: string;
  /** Until every side showed it (null: not within the window). */
  measuredMs: number | null;
  /** At the default interval: idle time × the clock factor + time the engine was busy. */
  scaledMs: number | null;
}

export interface ScheduleResult {
  key: ScheduleSpec['key'];
  label: string;
  events: EventLatency[];
  /** Calls in the played window, by kind (writes = updateListingInventory, whatever run made them). */
  /** serverEditReads: the part of targetedReads spent by 'server-edit' runs (the server polls cost no Etsy call). */
  calls: { polls: number; targetedReads: number; serverEditReads: number; writes: number; safetyNet: number; other: number; byOperation: Record<string, number> };
  runs: { targeted: number; serverEdit: number; scheduledInventory: number; scheduledProducts: number; polls: number };
  /** Cost of one incremental run of each job, measured before the day (fallback when none ran in it). */
  jobCosts: { inventory: number; products: number; fullPull: number };
  oversold: number;
  secondBuyers: number;
  virtualMs: number;
  wallMs: number;
  perDay: { polls: number; targetedReads: number; writes: number; safetyNet: number; total: number };
  errors: string[];
}

export interface LatencyDayResult {
  factor: number;
  listings: number;
  latencyMs: number;
  schedules: ScheduleResult[];
  wallMs: number;
  /** Where the server link pointed: PGlite (NOTIFY not delivered, the fallback poll measured) or a real PostgreSQL. */
  server: 'PGlite' | 'PostgreSQL';
}

export interface LatencyDayOptions {
  listings: number;
  latencyMs: number;
  factor: number;
  validator: OpenApiValidator;
  log(line: string): void;
}

/** The shop (benchShop) with four shared SKUs turned into originals: one unit, on two listings. */
function dayShop(listings: number): { shop: ShopSeed; plan: PlannedEvent[] } {
  const shop = benchShop(listings);
  const active = shop.listings.filter((l) => (l.state ?? 'active') === 'active').map((l) => ({ l }));
  const bySku = new Map<string, number[]>();
  active.forEach(({ l }, i) => {
    for (const p of l.products) if (p.sku) bySku.set(p.sku, [...(bySku.get(p.sku) ?? []), i]);
  });
  const shared = [...bySku.entries()].filter(([, ls]) => new Set(ls).size >= 2).map(([sku]) => sku).sort();
  const single = [...bySku.entries()].filter(([, ls]) => ls.length === 1).map(([sku]) => sku).sort();
  const setQty = (sku: string, quantity: number): void => {
    for (const { l } of active) for (const p of l.products) if (p.sku === sku) p.quantity = quantity;
  };
  const random = seededRandom(14); // the same day for every schedule
  const pick = <T>(from: T[]): T => from.splice(Math.floor(random() * from.length), 1)[0]!;
  const at = (): number => EVENTS_FROM + Math.round(random() * (EVENTS_UNTIL - EVENTS_FROM));
  const plan: PlannedEvent[] = [];
  const used = new Set<number>();
  const free = (sku: string): boolean => (bySku.get(sku) ?? []).every((i) => !used.has(i));
  const take = (sku: string): void => (bySku.get(sku) ?? []).forEach((i) => used.add(i));
  const choose = (from: string[], fallback: string[] = from): string => {
    for (;;) {
      if (from.length === 0) from = fallback;
      if (from.length === 0) throw new Error('The shop is too small for the latency day: not enough SKUs.');
      const sku = pick(from);
      if (free(sku)) {
        take(sku);
        return sku;
      }
    }
  };
  for (let i = 0; i < 4; i++) {
    const sku = choose(shared);
    setQty(sku, 1);
    const soldAt = at();
    // The second buyer comes 2–20 minutes later: after the engine could have known of the first sale.
    plan.push({ kind: 'sale_original', at: soldAt, sku, secondAt: soldAt + 2 * MIN + Math.round(random() * 18 * MIN) });
  }
  for (let i = 0; i < 4; i++) {
    const sku = choose(shared);
    setQty(sku, 5);
    plan.push({ kind: 'sale_shared', at: at(), sku });
  }
  const stocked = single.filter((sku) => active[bySku.get(sku)![0]!]!.l.products.some((p) => p.sku === sku && p.quantity >= 2));
  for (let i = 0; i < 4; i++) {
    const sku = choose(stocked);
    plan.push({ kind: 'sale_single', at: at(), sku });
  }
  for (let i = 0; i < 8; i++) plan.push({ kind: 'edit', at: at(), sku: choose(i % 2 === 0 ? shared : stocked, stocked) });
  // Drawn after the rest, so the sales and local edits are the same day as before server edits were played.
  for (let i = 0; i < 8; i++) plan.push({ kind: 'server_edit', at: at(), sku: choose(i % 2 === 0 ? shared : stocked, stocked) });
  return { shop, plan: plan.sort((a, b) => a.at - b.at) };
}

const pct = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const percentile = pct;

export async function benchLatencyDay(options: LatencyDayOptions): Promise<LatencyDayResult> {
  const started = Date.now();
  // The three schedules play at once (each its own simulator and worker): the wall time is one day's.
  const schedules = await Promise.all(SCHEDULES.map((spec) => playDay(spec, options)));
  return {
    factor: options.factor,
    listings: options.listings,
    latencyMs: options.latencyMs,
    schedules,
    wallMs: Date.now() - started,
    server: process.env.ART_SYNC_BENCH_PG_URL ? 'PostgreSQL' : 'PGlite',
  };
}

interface BenchServer {
  /** For the core's settings: no password in it (a real server for the bench must trust loopback). */
  url: string;
  admin: pg.Pool;
  close(): Promise<void>;
}

/** A migrated server for one schedule: a fresh database on ART_SYNC_BENCH_PG_URL, else PGlite here. */
async function startBenchServer(key: string): Promise<BenchServer> {
  const external = process.env.ART_SYNC_BENCH_PG_URL;
  let server: Omit<BenchServer, 'close'> & { close(): Promise<void> };
  if (external) {
    const name = `art_sync_day_${key}_${crypto.randomBytes(4).toString('hex')}`;
    const root = new pg.Client({ connectionString: external });
    await root.connect();
    await root.query(`CREATE DATABASE ${name}`);
    await root.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    const admin = new pg.Pool({ connectionString: url.toString(), max: 2 });
    admin.on('error', () => undefined);
    url.password = '';
    server = {
      url: url.toString(),
      admin,
      async close() {
        await admin.end().catch(() => undefined);
        const cleanup = new pg.Client({ connectionString: external });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  } else {
    const db = await PGlite.create();
    const socket = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
    await socket.start();
    const port = Number(socket.getServerConn().split(':')[1]);
    const admin = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1 });
    admin.on('error', () => undefined);
    server = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      admin,
      async close() {
        await admin.end().catch(() => undefined);
        await socket.stop();
        await db.close();
      },
    };
  }
  const client = await server.admin.connect();
  try {
    await migrateServer(client);
  } finally {
    client.release();
  }
  return server;
}

async function playDay(spec: ScheduleSpec, options: LatencyDayOptions): Promise<ScheduleResult> {
  const F = options.factor;
  const { shop, plan } = dayShop(options.listings);
  const t0 = Date.now();
  const clock = (): number => t0 + (Date.now() - t0) * F;
  // The simulator's rate window runs on the same clock, so it allows F× more per wall second; the
  // core's own limiter still spaces its calls at the real 5 QPS (it drips in wall time).
  const sim = await startEtsySimulator({ shop, rateLimits: { perSecond: QPS, perDay: PER_DAY }, latencyMs: options.latencyMs, strict: false, validator: options.validator, acceptAnyLoopbackRedirect: true, now: clock });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `art-sync-latency-${spec.key}-`));
  const worker = new CoreWorker();
  const server = await startBenchServer(spec.key);
  const errors: string[] = [];
  const log = (line: string): void => options.log(`  ${spec.key} · ${line}`);
  try {
    await worker.call({ op: 'connect', simUrl: sim.url, keystring: sim.keystring, sharedSecret: sim.sharedSecret, dataDir, clock: { t0, factor: F } });
    await worker.call({ op: 'settings', changes: { ...spec.settings, serverEnabled: true, serverUrl: server.url, serverTlsMode: 'disable' } });
    const counted = async (run: () => Promise<unknown>): Promise<number> => {
      const before = sim.counters.total;
      await run();
      return sim.counters.total - before;
    };
    await worker.call({ op: 'sync', kinds: ['products'], full: true });
    await worker.call({ op: 'sync', kinds: ['inventory'] });
    const products = await counted(() => worker.call({ op: 'sync', kinds: ['products'] }));
    const inventory = await counted(() => worker.call({ op: 'sync', kinds: ['inventory'] }));
    const day = await runDay(sim, worker, server, plan, clock, F, log);
    await worker.stop();

    const salesMeasured = plan.filter((e) => isSale(e.kind)).length;
    const editsMeasured = plan.length - salesMeasured;
    const virtualDay = DAY_MS;
    const inventoryRunsPerDay = virtualDay / ((spec.settings.inventorySyncIntervalMinutes ?? 60) * MIN);
    const productRunsPerDay = virtualDay / ((spec.settings.productSyncIntervalMinutes ?? 120) * MIN);
    const perInventoryRun = day.runs.scheduledInventory > 0 ? day.safetyInventory / day.runs.scheduledInventory : inventory;
    const fullPullAt5000 = floorCalls(benchShop(DAY_LISTINGS)) + 2;
    // Polls at "about a minute": one a minute, every 20 s for 5 minutes after each sale (sales apart).
    const pollsPerDay = spec.settings.watchIntervalMinutes === 1
      ? Math.round(DAY_MS / DEFAULT_WATCH_MS + DAY_SALES * (AFTER_SALE_WINDOW_MS / AFTER_SALE_WATCH_MS - AFTER_SALE_WINDOW_MS / DEFAULT_WATCH_MS))
      : 0;
    const events = salesMeasured + editsMeasured;
    const perDay = {
      polls: pollsPerDay,
      targetedReads: Math.round((day.calls.targetedReads / events) * (DAY_SALES + DAY_EDITS)),
      writes: Math.round((day.calls.writes / events) * (DAY_SALES + DAY_EDITS)),
      // The jobs at their intervals (each at its measured cost) and the daily full pull at 5,000 listings.
      safetyNet: Math.round(perInventoryRun * inventoryRunsPerDay + products * productRunsPerDay + fullPullAt5000),
      total: 0,
    };
    perDay.total = perDay.polls + perDay.targetedReads + perDay.writes + perDay.safetyNet;
    return {
      key: spec.key,
      label: spec.label,
      events: day.events,
      calls: day.calls,
      runs: day.runs,
      jobCosts: { inventory, products, fullPull: fullPullAt5000 },
      oversold: day.oversold,
      secondBuyers: day.secondBuyers,
      virtualMs: day.virtualMs,
      wallMs: day.wallMs,
      perDay,
      errors: [...errors, ...day.errors],
    };
  } finally {
    worker.kill();
    await server.close();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Merges overlapping busy intervals (a poll during a run is counted once). */
function union(intervals: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const i of sorted) {
    const tail = out[out.length - 1];
    if (tail && i.start <= tail.end) tail.end = Math.max(tail.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

function floorCalls(shop: ShopSeed): number {
  const perState: Record<string, number> = {};
  for (const l of shop.listings) {
    const state = (l.state ?? 'active') === 'active' && l.products.every((p) => p.quantity === 0) ? 'sold_out' : l.state ?? 'active';
    perState[state] = (perState[state] ?? 0) + 1;
  }
  return 1 + Object.values(perState).reduce((sum, n) => sum + Math.ceil(n / 100), 0);
}

interface Pending {
  event: PlannedEvent;
  at: number;
  expected: number;
  listings: number[];
}

async function runDay(sim: EtsySimulator, worker: CoreWorker, server: BenchServer, plan: PlannedEvent[], clock: () => number, F: number, log: (line: string) => void) {
  const listingsOf = (sku: string): number[] =>
    sim.snapshot().filter((l) => l.state === 'active' && l.products.some((p) => p.sku === sku)).map((l) => l.listing_id).sort((a, b) => a - b);
  // Busy intervals (wall): a poll or a run in progress. Calls are attributed to what was in progress.
  const busy: { start: number; end: number }[] = [];
  const calls = { polls: 0, targetedReads: 0, serverEditReads: 0, writes: 0, safetyNet: 0, other: 0, byOperation: {} as Record<string, number> };
  const runs = { targeted: 0, serverEdit: 0, scheduledInventory: 0, scheduledProducts: 0, polls: 0 };
  let safetyInventory = 0;
  type Cls = 'polls' | 'targetedReads' | 'safetyNet';
  type InFlight = { cls: Cls; inventory: boolean; serverEdit: boolean; start: number };
  // A poll does not take the scheduler's slot, so it can overlap a run: two slots.
  let poll = null as InFlight | null;
  let run = null as InFlight | null;
  let last = { ...sim.counters.byOperation };
  let t0Day = clock();
  const settle = (): void => {
    const now = { ...sim.counters.byOperation };
    for (const [op, count] of Object.entries(now)) {
      const delta = count - (last[op] ?? 0);
      if (delta <= 0) continue;
      calls.byOperation[op] = (calls.byOperation[op] ?? 0) + delta;
      // Receipts calls go to a poll in flight; everything else to the run in flight.
      const owner = op === 'getShopReceipts' && poll ? poll : run;
      if (op === 'updateListingInventory') calls.writes += delta;
      else if (owner) {
        calls[owner.cls] += delta;
        if (owner.serverEdit) calls.serverEditReads += delta;
        if (owner.cls === 'safetyNet' && owner.inventory) safetyInventory += delta;
      } else calls.other += delta;
    }
    last = now;
  };
  worker.onEvent = (event: WorkerEvent) => {
    settle();
    const isPoll = event.trigger === 'poll';
    if (event.phase === 'start') {
      const targeted = event.trigger === 'sale' || event.trigger === 'edit' || event.trigger === 'server-edit';
      const cls: Cls = isPoll ? 'polls' : targeted ? 'targetedReads' : 'safetyNet';
      const flight = { cls, inventory: event.kinds.includes('inventory'), serverEdit: event.trigger === 'server-edit', start: Date.now() };
      if (flight.serverEdit) runs.serverEdit += 1;
      if (isPoll) poll = flight;
      else run = flight;
      if (cls === 'polls') runs.polls += 1;
      else if (cls === 'targetedReads') runs.targeted += 1;
      else if (flight.inventory) runs.scheduledInventory += 1;
      else runs.scheduledProducts += 1;
    } else {
      const flight = isPoll ? poll : run;
      if (!flight) return;
      if (process.env.ART_SYNC_BENCH_TRACE && !isPoll) log(`${((clock() - t0Day) / MIN).toFixed(1)} min ${event.trigger}: ${event.summary ?? ''}`);
      busy.push({ start: flight.start, end: Date.now() });
      if (isPoll) poll = null;
      else run = null;
    }
  };

  await worker.call({ op: 'start' });
  const dayStart = clock();
  t0Day = dayStart;
  const wallStart = Date.now();
  const queue = [...plan];
  const seconds: { listingId: number; at: number; sku: string }[] = [];
  const pending: Pending[] = [];
  const events: EventLatency[] = [];
  const errors: string[] = [];
  let oversold = 0;
  let secondBuyers = 0;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  for (;;) {
    const v = clock() - dayStart;
    while (queue.length > 0 && queue[0]!.at <= v) {
      const event = queue.shift()!;
      const stock = (await worker.call({ op: 'catalog' })).stock[event.sku] ?? 0;
      const listings = listingsOf(event.sku);
      try {
        if (event.kind === 'edit') {
          await worker.call({ op: 'setStock', sku: event.sku, quantity: stock + 3 });
          pending.push({ event, at: Date.now(), expected: stock + 3, listings });
        } else if (event.kind === 'server_edit') {
          // As the Art Management Tool would: its own stock write, bumping the version.
          const update = () =>
            server.admin.query<{ stock: number }>(
              'UPDATE product_variants SET stock = stock + 3, version = version + 1, updated_at = now() WHERE sku = $1 RETURNING stock',
              [event.sku],
            );
          // PGlite's socket serves every connection from one backend, and an extended-protocol message
          // interleaved with another connection's is sometimes refused ("bind message supplies…"): retry.
          const updated = await update().catch(async () => update());
          const after = updated.rows[0]?.stock;
          if (after === undefined) throw new Error('not on the server');
          pending.push({ event, at: Date.now(), expected: after, listings });
        } else {
          sim.sell(listings[0]!, { sku: event.sku }, 1);
          pending.push({ event, at: Date.now(), expected: stock - 1, listings });
          if (event.secondAt !== undefined && listings[1] !== undefined) seconds.push({ listingId: listings[1], at: event.secondAt, sku: event.sku });
        }
      } catch (error) {
        errors.push(`${event.kind} ${event.sku}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    seconds.sort((a, b) => a.at - b.at);
    while (seconds.length > 0 && seconds[0]!.at <= v) {
      const buyer = seconds.shift()!;
      secondBuyers += 1;
      try {
        // Accepted = a unit sold that no longer existed (the original's one unit was sold already).
        sim.sell(buyer.listingId, { sku: buyer.sku }, 1);
        oversold += 1;
      } catch {
        // Etsy refused: the listing showed 0 or was no longer on sale.
      }
    }
    if (pending.length > 0) {
      const snapshot = new Map(sim.snapshot().map((l) => [l.listing_id, l]));
      const { stock } = await worker.call({ op: 'catalog' });
      const seenAt = Date.now();
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        const etsyOk = p.listings.every((id) => {
          const listing = snapshot.get(id);
          if (!listing || listing.state !== 'active') return true;
          const product = listing.products.find((x) => x.sku === p.event.sku);
          return product === undefined || product.quantity === p.expected;
        });
        if (!etsyOk || stock[p.event.sku] !== p.expected) continue;
        pending.splice(i, 1);
        const measured = seenAt - p.at;
        const open = [poll, run].filter((f): f is InFlight => f !== null).map((f) => ({ start: f.start, end: seenAt }));
        const busyMs = union([...busy, ...open]).reduce((sum, b) => sum + Math.max(0, Math.min(b.end, seenAt) - Math.max(b.start, p.at)), 0);
        events.push({ kind: p.event.kind, sku: p.event.sku, measuredMs: measured, scaledMs: (measured - busyMs) * F + busyMs });
      }
    }
    if ((queue.length === 0 && pending.length === 0 && seconds.length === 0) || v >= HARD_END) break;
    await sleep(SIDE_POLL_MS);
  }
  settle();
  if (pending.length > 0) {
    const snapshot = new Map(sim.snapshot().map((l) => [l.listing_id, l]));
    const { stock } = await worker.call({ op: 'catalog' });
    for (const p of pending) {
      events.push({ kind: p.event.kind, sku: p.event.sku, measuredMs: null, scaledMs: null });
      const etsy = p.listings.map((id) => `${id} ${snapshot.get(id)?.state} ${snapshot.get(id)?.products.find((x) => x.sku === p.event.sku)?.quantity}`).join(', ');
      errors.push(`not seen: ${p.event.kind} ${p.event.sku} expected ${p.expected}, catalog ${stock[p.event.sku]}, Etsy ${etsy}`);
    }
  }
  const virtualMs = clock() - dayStart;
  log(`${events.filter((e) => e.measuredMs !== null).length}/${plan.length} events seen everywhere, ${(virtualMs / MIN).toFixed(0)} min played in ${((Date.now() - wallStart) / 1000).toFixed(1)} s`);
  worker.onEvent = null;
  return { events, calls, runs, safetyInventory, oversold, secondBuyers, virtualMs, wallMs: Date.now() - wallStart, errors };
}
