import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_RUN_CHUNK } from '../../src/main/sync/sku-groups';
import type { SyncReport } from '../../src/main/sync/sync-engine';
import { catalogBySku, catalogProblems, etsyProblems, sharedSkuShop, type Allowance } from './stock-model';
import { startWorld, type World } from './world';

/**
 * The sync engine against the strict simulator, both sides moving: random interleavings of Etsy sales,
 * Etsy edits, local edits, renewals of sold-out listings and syncs (inventory, sometimes products too),
 * on a shop with variation listings and shared SKUs. An independent model says what every SKU must be.
 *
 * The model (buffer 0). Let S_i be the stock after sync i (S_0: the catalog after the first sync, from
 * Etsy). Between syncs i and i+1 the events add deltas per SKU:
 *   local edit  catalog.setStock(sku, v)           Δ = v − (what the catalog held)
 *   Etsy edit   editQuantity(listing, product, q)  Δ = q − (what that product showed); with shared
 *               SKUs this is what makes an edit a delta and not an absolute value
 *   sale        sell(listing, product, n)          Δ = −n
 * and S_{i+1}[sku] = max(0, S_i[sku] + ΣΔ). The floor applies at each sync, not once at the end: that
 * is what the engine can see (a sale below 0 on Etsy is an oversell that already happened; a later
 * local restock starts from 0), so "initial + edits − sales, floored" is this per-sync fold.
 *
 * Concurrent sales: a sync may also see one sale made *during* it (at a random request). Whether that
 * sale is counted by this sync or the next one depends on whether the engine read the listing before
 * or after it, so the model keeps both histories as candidates and the observed state must match one of
 * them exactly: counted now — S_{i+1} = max(0, S_i + ΣΔ − n), Etsy shows the targets; deferred —
 * S_{i+1} = max(0, S_i + ΣΔ), Etsy shows the targets except the sold product at target − n, and −n is
 * carried into the next sync. A sale that a write overwrote must be "counted now" (lost-update check).
 * Such a sale is only made on a product whose product_id our own last write created: for other ids
 * Etsy's whole-second timestamps make the overwrite count conservative by design (SYNC.md, "A sale
 * between the read and the write"), which the model does not try to reproduce.
 *
 * After every sync, for every SKU: catalog = model, and every listing shows the model's target
 * `max(0, min(S − buffer, 999))` on each product unless all its targets are 0, in which case it does not
 * sell (inactive or sold out); a listing with stock is never left inactive (etsyProblems and
 * catalogProblems in stock-model.ts). After the last events a final sync must leave exactly one history,
 * and a sync after it must change nothing. The simulator's contract violations must stay empty.
 *
 * Seeds: each run draws a fresh random seed (printed with the failing path by fast-check, and in the
 * test's title), so new interleavings are tried over time; the regression seeds below are fixed extra
 * runs. Reproduce a failure with FC_SEED=<seed> FC_PATH=<path>. The runs together must have exercised
 * the interesting cases — a sale during a sync, a local edit during a sync, and both histories of a
 * concurrent sale (counted now, deferred) — or the test fails: a generator that stops producing them
 * would otherwise pass without testing them.
 */

/** Seeds that once found a bug (or exercise a rare case), run every time. */
const REGRESSION_SEEDS = [20_260_926];
const RANDOM_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FC_RUNS ?? 35);
/** Random-seed runs are fewer: the regression seed already spends the full budget on known ground. */
const RANDOM_RUNS = Number(process.env.FC_RANDOM_RUNS ?? 12);

/**
 * The first sync from Etsy, worked out by hand from sharedSkuShop() (not by the engine): every listing
 * is active, so each SKU starts at the lowest quantity any of its listings shows (never oversell).
 */
const FIRST_SYNC_FROM_ETSY = new Map<string, number>([
  ['FOX-1', 2], // 2 and 2
  ['HERON-A3', 2], // 2 and 2
  ['HERON-A4', 3], // 3 and 5: the conflict takes the lowest
  ['OTTER-A3-OAK', 2],
  ['OTTER-A3-U', 0],
  ['OTTER-A4-OAK', 1], // 1 and 1
  ['OTTER-A4-U', 4],
]);

/** What the runs exercised, summed over every scenario (asserted at the end). */
const seen = { midSales: 0, midLocalEdits: 0, countedNow: 0, deferred: 0, writes: 0 };
// Printed at the end, so a run shows how much of each case it covered.

type MidEvent = { kind: 'sale' | 'local'; at: number; pick: number; qty: number };

type Event =
  | { t: 'sale'; pick: number; qty: number }
  | { t: 'etsyEdit'; pick: number; qty: number }
  | { t: 'localEdit'; pick: number; qty: number }
  | { t: 'renew'; pick: number }
  | { t: 'userDeactivate'; pick: number }
  | { t: 'userActivate'; pick: number }
  | { t: 'sync'; products: boolean; mid: MidEvent | null };

const midEventArb: fc.Arbitrary<MidEvent> = fc.record({
  kind: fc.constantFrom('sale' as const, 'local' as const),
  at: fc.integer({ min: 1, max: 12 }),
  pick: fc.nat(),
  qty: fc.nat(8),
});

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sale' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('etsyEdit' as const), pick: fc.nat(), qty: fc.nat(6) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('localEdit' as const), pick: fc.nat(), qty: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('renew' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('userDeactivate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('userActivate' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('sync' as const), products: fc.boolean(), mid: fc.option(midEventArb, { freq: 2 }) }),
  },
);

interface Candidate {
  expected: Map<string, number>;
  /** Deltas since the last sync, per SKU. */
  pending: Map<string, number>;
  /** A local edit made during the last sync that it did not see: the catalog already holds it. */
  catalogExtra: Map<string, number>;
  /** Deferred concurrent sale: the product Etsy shows below its target after this sync. */
  allowances: Allowance[];
  history: string;
}

function add(map: Map<string, number>, sku: string, delta: number): void {
  map.set(sku, (map.get(sku) ?? 0) + delta);
}

function fold(expected: ReadonlyMap<string, number>, pending: ReadonlyMap<string, number>): Map<string, number> {
  const next = new Map<string, number>();
  for (const [sku, stock] of expected) next.set(sku, Math.max(0, stock + (pending.get(sku) ?? 0)));
  return next;
}

interface MidDone {
  kind: 'sale' | 'local';
  sku: string;
  /** Sale: the product sold; local: unused. */
  listingId: number;
  key: string;
  delta: number;
  text: string;
}

async function runScenario(events: readonly Event[]): Promise<void> {
  // Half the scenarios plan full runs in chunks of one listing (SKU groups still whole), so the
  // chunked path meets every interleaving too (docs/SYNC.md "A full run, group by group"). Chosen from
  // the events, not drawn, so the regression seeds replay the scenarios they found.
  const defaultChunk = FULL_RUN_CHUNK.listings;
  if (events.length % 2 === 0) FULL_RUN_CHUNK.listings = 1;
  const world: World = await startWorld({ shop: sharedSkuShop() });
  const { sim, core } = world;
  const log: string[] = [];
  const userInactive = new Set<number>();
  try {
    const first = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(first.errors).toEqual([]);
    // The starting point is pinned independently of the engine (conflict rule included).
    expect(new Map([...catalogBySku(core)].sort())).toEqual(FIRST_SYNC_FROM_ETSY);
    const start = new Map(FIRST_SYNC_FROM_ETSY);
    let candidates: Candidate[] = [{ expected: start, pending: new Map(), catalogExtra: new Map(), allowances: [], history: '' }];
    const problemsOf = (c: Candidate): string[] => [
      ...catalogProblems(core, c.expected, c.catalogExtra),
      ...etsyProblems(sim, c.expected, { allowances: c.allowances, userInactive }),
    ];
    const check = (label: string): void => {
      const problems = candidates.flatMap(problemsOf);
      if (problems.length > 0) throw new Error(`${label}: both sides must equal the model.\n${problems.join('\n')}\nevents:\n${log.join('\n')}`);
    };
    check('after the first sync');

    const doMid = (mid: MidEvent): MidDone | null => {
      if (mid.kind === 'local') {
        const catalog = catalogBySku(core);
        const skus = [...catalog.keys()].sort();
        const sku = skus[mid.pick % skus.length]!;
        core.catalog.setStock(sku, mid.qty);
        return { kind: 'local', sku, listingId: 0, key: '', delta: mid.qty - catalog.get(sku)!, text: `local edit ${sku} ${catalog.get(sku)} → ${mid.qty}` };
      }
      const written = new Set(core.repos.links.listLinks().map((link) => link.writtenProductId));
      const eligible = sim
        .snapshot()
        .filter((listing) => listing.state === 'active')
        .flatMap((listing) => listing.products.filter((p) => p.quantity > 0 && written.has(p.product_id)).map((p) => ({ listing, p })));
      const chosen = eligible[mid.pick % Math.max(1, eligible.length)];
      if (!chosen) return null;
      sim.sell(chosen.listing.listing_id, { key: chosen.p.key }, 1);
      return { kind: 'sale', sku: chosen.p.sku, listingId: chosen.listing.listing_id, key: chosen.p.key, delta: -1, text: `sold 1 ${chosen.p.sku} on ${chosen.listing.listing_id}` };
    };

    const sync = async (event: Extract<Event, { t: 'sync' }>): Promise<SyncReport> => {
      let done: MidDone | null = null;
      let requests = 0;
      const off = sim.onRequest(() => {
        requests += 1;
        if (event.mid !== null && requests === event.mid.at && done === null) done = doMid(event.mid);
      });
      let report: SyncReport;
      try {
        report = await core.sync({ kinds: event.products ? ['products', 'inventory'] : ['inventory'], trigger: 'cli' });
      } finally {
        off();
      }
      const mid = done as MidDone | null;
      log.push(`sync${event.products ? ' +products' : ''}${mid ? ` (${mid.text} at request ${event.mid?.at})` : ''}`);
      const next: Candidate[] = [];
      for (const c of candidates) {
        if (mid === null) {
          next.push({ expected: fold(c.expected, c.pending), pending: new Map(), catalogExtra: new Map(), allowances: [], history: c.history });
          continue;
        }
        const now = new Map(c.pending);
        add(now, mid.sku, mid.delta);
        next.push({ expected: fold(c.expected, now), pending: new Map(), catalogExtra: new Map(), allowances: [], history: `${c.history}N` });
        next.push({
          expected: fold(c.expected, c.pending),
          pending: new Map([[mid.sku, mid.delta]]),
          catalogExtra: mid.kind === 'local' ? new Map([[mid.sku, mid.delta]]) : new Map(),
          allowances: mid.kind === 'sale' ? [{ listingId: mid.listingId, key: mid.key, less: -mid.delta }] : [],
          history: `${c.history}D`,
        });
      }
      const surviving = next.filter((c) => problemsOf(c).length === 0);
      if (surviving.length === 0) {
        const detail = next.map((c) => `candidate ${c.history || '-'}:\n  ${problemsOf(c).join('\n  ')}`);
        throw new Error(`after sync ${log.length}: both sides must equal the model.\n${detail.join('\n')}\nevents:\n${log.join('\n')}`);
      }
      // A deferred allowance holds for this sync only; the next one must count the event.
      candidates = dedupe(surviving);
      seen.writes += report.changes.filter((change) => change.side === 'etsy' && change.status === 'applied').length;
      if (mid !== null) {
        if (mid.kind === 'sale') seen.midSales += 1;
        else seen.midLocalEdits += 1;
        // Which history of the concurrent event the engine's state decided (both may still fit).
        const now = candidates.some((c) => c.history.endsWith('N'));
        const later = candidates.some((c) => c.history.endsWith('D'));
        if (now && !later) seen.countedNow += 1;
        if (later && !now) seen.deferred += 1;
      }
      return report;
    };

    for (const event of events) {
      switch (event.t) {
        case 'sale': {
          const products = sim
            .snapshot()
            .filter((listing) => listing.state === 'active')
            .flatMap((listing) => listing.products.filter((p) => p.quantity > 0).map((p) => ({ listing, p })));
          const chosen = products[event.pick % Math.max(1, products.length)];
          if (!chosen) break;
          const qty = Math.min(event.qty, chosen.p.quantity);
          sim.sell(chosen.listing.listing_id, { key: chosen.p.key }, qty);
          for (const c of candidates) add(c.pending, chosen.p.sku, -qty);
          log.push(`sell ${qty} ${chosen.p.sku} on ${chosen.listing.listing_id}`);
          break;
        }
        case 'etsyEdit': {
          const products = sim.snapshot().flatMap((listing) => listing.products.map((p) => ({ listing, p })));
          const chosen = products[event.pick % products.length]!;
          sim.editQuantity(chosen.listing.listing_id, { key: chosen.p.key }, event.qty);
          for (const c of candidates) add(c.pending, chosen.p.sku, event.qty - chosen.p.quantity);
          log.push(`Etsy edit ${chosen.p.sku} on ${chosen.listing.listing_id} (${chosen.listing.state}): ${chosen.p.quantity} → ${event.qty}`);
          break;
        }
        case 'localEdit': {
          const catalog = catalogBySku(core);
          const skus = [...catalog.keys()].sort();
          const sku = skus[event.pick % skus.length]!;
          core.catalog.setStock(sku, event.qty);
          for (const c of candidates) add(c.pending, sku, event.qty - catalog.get(sku)!);
          log.push(`local edit ${sku}: ${catalog.get(sku)} → ${event.qty}`);
          break;
        }
        case 'renew': {
          // The owner renews a sold-out listing once stock is back on it (the app never does: it costs a fee).
          const soldOut = sim.snapshot().filter((listing) => listing.state === 'sold_out' && listing.quantity > 0);
          const chosen = soldOut[event.pick % Math.max(1, soldOut.length)];
          if (!chosen) break;
          sim.setState(chosen.listing_id, 'active');
          log.push(`renew ${chosen.listing_id}`);
          break;
        }
        case 'userDeactivate': {
          // The owner deactivates a listing on Etsy: the app must never re-activate it.
          const active = sim.snapshot().filter((listing) => listing.state === 'active');
          const chosen = active[event.pick % Math.max(1, active.length)];
          if (!chosen) break;
          sim.setState(chosen.listing_id, 'inactive');
          userInactive.add(chosen.listing_id);
          log.push(`owner deactivates ${chosen.listing_id}`);
          break;
        }
        case 'userActivate': {
          const mine = sim.snapshot().filter((listing) => userInactive.has(listing.listing_id) && listing.quantity > 0);
          const chosen = mine[event.pick % Math.max(1, mine.length)];
          if (!chosen) break;
          sim.setState(chosen.listing_id, 'active');
          userInactive.delete(chosen.listing_id);
          log.push(`owner activates ${chosen.listing_id}`);
          break;
        }
        case 'sync': {
          const report = await sync(event);
          if (report.errors.length > 0) throw new Error(`sync reported errors: ${JSON.stringify(report.errors)}\nevents:\n${log.join('\n')}`);
          break;
        }
      }
    }

    // No more events: one more sync settles everything, exactly one history survives, and a sync after
    // it has nothing left to do.
    const last = await sync({ t: 'sync', products: false, mid: null });
    expect(last.errors).toEqual([]);
    check('after the final sync');
    if (candidates.length !== 1) throw new Error(`the model is still ambiguous after the final sync\nevents:\n${log.join('\n')}`);
    const again = await sync({ t: 'sync', products: false, mid: null });
    expect(again.errors).toEqual([]);
    expect(again.changes).toEqual([]);
    expect(sim.violations).toEqual([]);
    if (process.env.FC_STATS) console.log(`${log.length} events, histories ${candidates.map((c) => c.history).join(',')}\n${log.join('\n')}`);
  } finally {
    FULL_RUN_CHUNK.listings = defaultChunk;
    await world.close();
  }
}

/** Candidates with the same expected stock and carried deltas are the same future. */
function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = JSON.stringify([[...c.expected].sort(), [...c.pending].filter(([, d]) => d !== 0).sort(), [...c.catalogExtra].sort(), c.allowances]);
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

const property = fc.asyncProperty(fc.array(eventArb, { minLength: 4, maxLength: 20 }), async (events) => {
  await runScenario(events);
});

describe('two-sided sync against the simulator (property)', () => {
  const seeds: [string, number, number][] = [
    [`random seed ${RANDOM_SEED}`, RANDOM_SEED, process.env.FC_SEED ? RUNS : RANDOM_RUNS],
    ...(process.env.FC_SEED ? [] : REGRESSION_SEEDS.map((seed): [string, number, number] => [`regression seed ${seed}`, seed, RUNS])),
  ];
  it.each(seeds)(
    'after every sync both sides equal the initial stock plus all edits minus all sales, floored at each sync (%s)',
    async (_label, seed, numRuns) => {
      // fast-check's failure message names the seed and the path that reproduce it (FC_SEED, FC_PATH).
      await fc.assert(property, { numRuns, seed, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) });
    },
    240_000,
  );

  it('exercised sales and edits during a sync, and both histories of a concurrent sale', () => {
    // Skipped when a single failure is being replayed (FC_PATH): one path exercises what it exercises.
    if (process.env.FC_PATH) return;
    console.log(`two-sided: ${JSON.stringify(seen)} (random seed ${RANDOM_SEED})`);
    expect(seen.midSales, 'sales during a sync').toBeGreaterThan(0);
    expect(seen.midLocalEdits, 'local edits during a sync').toBeGreaterThan(0);
    expect(seen.countedNow, 'a concurrent event counted by the sync it happened in').toBeGreaterThan(0);
    expect(seen.deferred, 'a concurrent event left to the next sync').toBeGreaterThan(0);
    expect(seen.writes, 'writes to Etsy').toBeGreaterThan(0);
  });
});
