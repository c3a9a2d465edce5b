/**
 * One shop size: the real engine (a Core in the worker) against the simulator at Etsy's conservative
 * limits, phase by phase. Calls are counted by the simulator per operationId; each phase starts from
 * an empty rate window (a 1.1 s pause), so its wall time is comparable to its rate floor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchShop, startEtsySimulator, type EtsySimulator, type OpenApiValidator } from '../sim';
import type { SyncKind } from '../src/main/sync/sync-engine';
import { SYNCED_STATES } from '../src/main/sync/product-sync';
import { naiveCallsFormula } from './naive-sync';
import { CoreWorker } from './worker-client';
import type { MemoryUse, SyncOutcome } from './worker-protocol';

export const QPS = 5;
export const PER_DAY = 5000;

export interface Calls {
  total: number;
  byOperation: Record<string, number>;
  /** 429s the simulator sent (not counted in total, as at Etsy). */
  rateLimited: number;
}

export interface Phase {
  calls: Calls;
  ms: number;
  /** calls / QPS, in ms. */
  rateFloorMs: number;
  errors: string[];
  summary: string;
  memory: MemoryUse;
}

export interface SizeResult {
  listings: number;
  products: number;
  listingsPerState: Record<string, number>;
  /** 1 (getMe) + Σ⌈listings per state / 100⌉. */
  floorCalls: number;
  full: Phase;
  naive: { measured: true; phase: Phase; listings: number } | { measured: false; calls: number };
  /** The first inventory sync previewed (with --preview only). */
  preview?: Phase;
  firstInventory: Phase;
  unchanged: Phase;
  /** Listing states the incremental sync pages + one receipts call. */
  unchangedLimit: number;
  changed: Phase & { etsyChangedListings: number; localEdits: number; mismatches: string[] };
  peakRssBytes: number;
  perDay: { limit: number; raised: boolean; usedBySimulator: number };
}

export interface SizeOptions {
  listings: number;
  latencyMs: number;
  changes: number;
  naive: boolean;
  /** Before the first inventory sync, preview it (a dry run of the whole shop in the store's copy), as the app asks. */
  preview?: boolean;
  validator: OpenApiValidator;
  log(line: string): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchSize(options: SizeOptions): Promise<SizeResult> {
  const seed = benchShop(options.listings);
  const perState: Record<string, number> = {};
  for (const listing of seed.listings) {
    const state = listing.state ?? 'active';
    perState[state] = (perState[state] ?? 0) + 1;
  }
  // An active seed listing with no stock starts sold out (the simulator does the same).
  const soldOut = seed.listings.filter((l) => (l.state ?? 'active') === 'active' && l.products.every((p) => p.quantity === 0)).length;
  if (soldOut > 0) {
    perState.active = (perState.active ?? 0) - soldOut;
    perState.sold_out = (perState.sold_out ?? 0) + soldOut;
  }
  const floorCalls = 1 + Object.values(perState).reduce((sum, n) => sum + Math.ceil(n / 100), 0);
  // The day's budget only needs raising if this run could pass it (the naive way at large sizes).
  const estimate = 2 + floorCalls + SYNCED_STATES.length + (options.naive ? options.listings + floorCalls : 0) + 3 * 10 + 3 * options.changes;
  const perDay = estimate > PER_DAY * 0.9 ? Math.ceil(estimate * 2) : PER_DAY;

  const sim = await startEtsySimulator({
    shop: seed,
    rateLimits: { perSecond: QPS, perDay },
    latencyMs: options.latencyMs,
    strict: false,
    validator: options.validator,
    acceptAnyLoopbackRedirect: true,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `art-sync-bench-${options.listings}-`));
  const worker = new CoreWorker();
  let usedBySimulator = 0;
  let peakRss = 0;
  const phase = async (label: string, run: () => Promise<{ ms: number; errors: string[]; summary: string; memory: MemoryUse }>): Promise<Phase> => {
    await sleep(1100);
    sim.resetCounters();
    const outcome = await run();
    const calls: Calls = { total: sim.counters.total, byOperation: { ...sim.counters.byOperation }, rateLimited: sim.counters.rateLimited };
    usedBySimulator += calls.total;
    peakRss = Math.max(peakRss, outcome.memory.sampledPeakRssBytes, outcome.memory.processMaxRssBytes);
    const mb = (bytes: number | undefined): string => `${((bytes ?? 0) / 1024 / 1024).toFixed(0)} MB`;
    const memory = `RSS ${mb(Math.max(outcome.memory.sampledPeakRssBytes, outcome.memory.processMaxRssBytes))} (heap used ≤ ${mb(outcome.memory.sampledPeakHeapUsedBytes)}, external ≤ ${mb(outcome.memory.sampledPeakExternalBytes)})`;
    const cpu = outcome.memory.cpuMs === undefined ? '' : ` (CPU ${(outcome.memory.cpuMs / 1000).toFixed(2)} s)`;
    options.log(`  ${options.listings} · ${label}: ${calls.total} calls, ${(outcome.ms / 1000).toFixed(2)} s${cpu}, ${memory}${outcome.errors.length ? `, errors: ${outcome.errors.join('; ')}` : ''}`);
    return { calls, ms: outcome.ms, rateFloorMs: (calls.total / QPS) * 1000, errors: outcome.errors, summary: outcome.summary, memory: outcome.memory };
  };
  const sync = (kinds: SyncKind[], full = false, dryRun = false) => async () => {
    const reply = await worker.call({ op: 'sync', kinds, full, dryRun });
    return { ...reply.result, summary: summarize(reply.result), memory: reply.memory };
  };

  try {
    sim.resetCounters();
    const connected = await worker.call({ op: 'connect', simUrl: sim.url, keystring: sim.keystring, sharedSecret: sim.sharedSecret, dataDir });
    usedBySimulator += sim.counters.total;
    peakRss = Math.max(peakRss, connected.memory.processMaxRssBytes);

    const full = await phase('full sync', sync(['products'], true));

    let naive: SizeResult['naive'] = { measured: false, calls: naiveCallsFormula(perState) };
    if (options.naive) {
      const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-bench-naive-'));
      let listings = 0;
      const measuredPhase = await phase('naive full sync', async () => {
        const reply = await worker.call({ op: 'naive', scratchDir });
        listings = reply.result.listings;
        return { ms: reply.result.ms, errors: [], summary: `${reply.result.listings} listings, ${reply.result.inventories} inventories`, memory: reply.memory };
      });
      fs.rmSync(scratchDir, { recursive: true, force: true });
      naive = { measured: true, phase: measuredPhase, listings };
    }

    const preview = options.preview ? await phase('first inventory sync previewed (dry run)', sync(['inventory'], false, true)) : undefined;
    const firstInventory = await phase('first inventory sync (baselines)', sync(['inventory']));
    const unchanged = await phase('incremental, nothing changed', sync(['inventory']));

    const { etsyChanged, localSkus, expectEtsy } = await makeChanges(sim, worker, options.changes);
    const changedPhase = await phase(`incremental, ${etsyChanged.length} changed on Etsy + ${localSkus.length} local edits`, sync(['inventory']));
    const mismatches = await verify(sim, worker, [...localSkus, ...expectEtsy]);
    const stopped = await worker.stop();
    peakRss = Math.max(peakRss, stopped.memory.processMaxRssBytes);

    return {
      listings: options.listings,
      products: seed.listings.reduce((sum, l) => sum + l.products.length, 0),
      listingsPerState: perState,
      floorCalls,
      full,
      naive,
      ...(preview ? { preview } : {}),
      firstInventory,
      unchanged,
      // One page per state + receipts, and one more page for each state of over 100 listings: the scan
      // stops only after a whole page older than the watermark minus the margin (Etsy's sort_on=updated
      // is not strictly ordered, docs/SYNC.md), and this shop's listings were all written moments ago.
      unchangedLimit: SYNCED_STATES.length + 1 + SYNCED_STATES.filter((state) => (perState[state] ?? 0) > 100).length,
      changed: { ...changedPhase, etsyChangedListings: etsyChanged.length, localEdits: localSkus.length, mismatches },
      peakRssBytes: peakRss,
      perDay: { limit: perDay, raised: perDay !== PER_DAY, usedBySimulator },
    };
  } finally {
    worker.kill();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function summarize(result: SyncOutcome): string {
  return result.runs.map((run) => `${run.kind}: ${run.summary}`).join('; ');
}

/**
 * `count` active listings changed on Etsy (half sold one unit, half edited by the seller) and `count`
 * SKUs of other listings edited locally (+2). SKUs are distinct between the two groups, so each
 * change has one expected outcome to verify.
 */
async function makeChanges(sim: EtsySimulator, worker: CoreWorker, count: number) {
  const listings = sim.snapshot().filter((l) => l.state === 'active' && l.products.every((p) => p.sku !== ''));
  const used = new Set<string>();
  const skuListings = new Map<string, number>();
  for (const l of listings) for (const p of l.products) skuListings.set(p.sku, (skuListings.get(p.sku) ?? 0) + 1);
  const etsyChanged: number[] = [];
  const expectEtsy: string[] = [];
  const localSkus: string[] = [];
  for (const listing of listings) {
    if (listing.products.some((p) => used.has(p.sku))) continue;
    const product = [...listing.products].sort((a, b) => b.quantity - a.quantity)[0]!;
    if (etsyChanged.length < count) {
      if (product.quantity < 2 || (skuListings.get(product.sku) ?? 0) > 1) continue;
      if (etsyChanged.length % 2 === 0) sim.sell(listing.listing_id, { sku: product.sku }, 1);
      else sim.editQuantity(listing.listing_id, { sku: product.sku }, product.quantity + 3);
      etsyChanged.push(listing.listing_id);
      expectEtsy.push(product.sku);
    } else if (localSkus.length < count) {
      localSkus.push(product.sku);
    } else break;
    for (const p of listing.products) used.add(p.sku);
  }
  await worker.call({ op: 'bumpStock', skus: localSkus, delta: 2 });
  return { etsyChanged, localSkus, expectEtsy };
}

/** After the changed sync: for every touched SKU, every active Etsy product shows the catalog's stock. */
async function verify(sim: EtsySimulator, worker: CoreWorker, skus: string[]): Promise<string[]> {
  const { stock } = await worker.call({ op: 'catalog' });
  const wanted = new Set(skus);
  const mismatches: string[] = [];
  for (const listing of sim.snapshot()) {
    if (listing.state !== 'active') continue;
    for (const product of listing.products) {
      if (!wanted.has(product.sku)) continue;
      if (stock[product.sku] !== product.quantity) {
        mismatches.push(`${product.sku}: catalog ${stock[product.sku] ?? 'missing'}, Etsy listing ${listing.listing_id} ${product.quantity}`);
      }
    }
  }
  return mismatches;
}
