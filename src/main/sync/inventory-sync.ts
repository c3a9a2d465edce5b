import { isPlanEmpty, PLAN_ATTENTION_KINDS, type Plan } from '../../shared/plan';
import { BATCH_LIMIT } from '../etsy/client';
import { fetchReceipts, RECEIPTS_FETCHED_AT_KEY } from './receipts';
import { asApplied, CatalogChangedError, executePlan, resolveWriteAttention, type FreshListing } from './execute-plan';
import { toPulledListing } from './from-etsy';
import { planInventorySync } from './plan/plan-inventory';
import { appendPlan, emptyPlan } from './plan/combine-plans';
import { readPlanSource, type PlanSource } from './plan-source';
import { shopChunks, skuGroupsOf, type SyncScope } from './sku-groups';
import { syncProducts } from './product-sync';
import type { AppliedChange, SyncContext, SyncErrorInfo } from './sync-context';
import { recoverPendingWrites } from './write-recovery';
import { overwrittenSales, type WriteIntent } from './write-intent';

/**
 * Inventory sync: settle unknown writes, fetch new receipts, refresh the mirror incrementally, plan the
 * three-way merge, re-read every listing about to be written, re-plan with those fresh values, apply.
 * If a sale slipped in between a read and its write, one more pass runs at once (docs/SYNC.md).
 */
export const MAX_PASSES = 3;
/**
 * Which receipt transactions earlier plans were given, so each sale is explained once: everything up
 * to `ts` (Etsy epoch seconds), except, at `ts` itself, only the listed transactions (a later sale
 * can share the second of the last one seen).
 */
const EXPLAINED_KEY = 'inventory.explainedReceipts';
/**
 * Transactions a targeted run explained, past the boundary above: a targeted run sees only some SKUs,
 * so it cannot move the boundary (other SKUs' sales behind it would never be explained); it lists what
 * it explained instead, and a full run drops the entries its boundary has passed.
 */
const TARGETED_EXPLAINED_KEY = 'inventory.explainedReceiptsTargeted';

interface ReceiptBoundary {
  ts: number;
  ids: number[];
}

function loadBoundary(ctx: SyncContext): ReceiptBoundary {
  const raw = ctx.repos.syncState.getState(EXPLAINED_KEY);
  if (!raw) return { ts: 0, ids: [] };
  const parsed = JSON.parse(raw) as Partial<ReceiptBoundary>;
  return { ts: Number(parsed.ts ?? 0), ids: Array.isArray(parsed.ids) ? parsed.ids.map(Number) : [] };
}

function loadTargetedExplained(ctx: SyncContext): { id: number; ts: number }[] {
  const raw = ctx.repos.syncState.getState(TARGETED_EXPLAINED_KEY);
  return raw ? (JSON.parse(raw) as { id: number; ts: number }[]) : [];
}

function saveTargetedExplained(ctx: SyncContext, entries: readonly { id: number; ts: number }[]): void {
  ctx.repos.syncState.setState(TARGETED_EXPLAINED_KEY, JSON.stringify(entries), ctx.now());
}

function advanceBoundary(boundary: ReceiptBoundary, items: readonly { transactionId: number; createdTs: number }[]): ReceiptBoundary {
  let { ts } = boundary;
  let ids = new Set(boundary.ids);
  for (const item of items) {
    if (item.createdTs > ts) {
      ts = item.createdTs;
      ids = new Set([item.transactionId]);
    } else if (item.createdTs === ts) ids.add(item.transactionId);
  }
  return { ts, ids: [...ids] };
}

export interface InventorySyncResult {
  plans: Plan[];
  changes: AppliedChange[];
  errors: SyncErrorInfo[];
  passes: number;
}

/**
 * A targeted run (docs/SYNC.md "Watching for sales"): only the SKU groups of `skus` are read and
 * planned. `receiptsFresh`: the caller has just fetched the receipts (the sales watcher), so the run
 * does not fetch them again before planning.
 */
export interface InventoryTarget {
  skus: readonly string[];
  receiptsFresh?: boolean;
}

export async function syncInventory(
  ctx: SyncContext,
  options: { runId: number; dryRun: boolean; target?: InventoryTarget },
): Promise<InventorySyncResult> {
  const result: InventorySyncResult = { plans: [], changes: [], errors: [], passes: 0 };
  let explained = loadBoundary(ctx);
  const target = options.target;
  // A targeted run settles, checks and plans only its own listings; the others wait for their run.
  let scope: SyncScope | undefined = target ? skuGroupsOf(ctx.repos.groups, target.skus) : undefined;

  if (!options.dryRun) await recoverPendingWrites(ctx, options.runId, scope?.listingIds);
  if (!target?.receiptsFresh) await fetchReceipts(ctx);
  // Writes confirmed just now, or by a run that stopped before counting what they overwrote.
  if (!options.dryRun) countOverwrittenSales(ctx, scope?.listingIds);
  const fresh = new Map<number, FreshListing>();
  if (scope === undefined) {
    ctx.onProgress?.({ phase: 'listings', done: 0, total: null });
    // 'auto': incremental, but a full pull once the last one is a day old, so a shop that runs only the
    // inventory job (product sync off, cron `sync --inventory`) still catches deleted listings and
    // changes the incremental scan missed (docs/PRODUCT.md §4, "a full reconciliation at least daily").
    await syncProducts(
      { client: ctx.client, mirror: ctx.mirror, repos: ctx.repos, now: ctx.now },
      { shopId: ctx.shop.shopId, mode: 'auto', signal: ctx.signal },
    );
    // Sales may not move a listing's `updated` time, so every listing with a sale not yet reflected in a
    // read — stored by this fetch, by an earlier run's post-write fetch, or by a run that failed after
    // fetching — is read before it is planned (the durable set in etsy_reread_listings).
    const toReread = ctx.repos.receipts.listingsToReread();
    await readFresh(ctx, toReread.map((entry) => entry.listingId), fresh);
    if (!options.dryRun) ctx.repos.receipts.markReread(toReread);
  } else {
    // One batch read of every listing of the groups, instead of the scan. What it shows may join more
    // listings to a group (a SKU added on Etsy), so the groups are grown from it and read again.
    const toReread = ctx.repos.receipts.listingsToReread();
    const read = new Set<number>();
    for (let round = 0; round < 3; round += 1) {
      const unread = [...scope.listingIds].filter((id) => !read.has(id));
      if (unread.length === 0) break;
      await readFresh(ctx, unread, fresh);
      for (const id of unread) read.add(id);
      scope = skuGroupsOf(ctx.repos.groups, [...scope.skus]);
    }
    if (!options.dryRun) ctx.repos.receipts.markReread(toReread.filter((entry) => read.has(entry.listingId)));
  }

  for (let pass = 1; pass <= MAX_PASSES; pass += 1) {
    result.passes = pass;
    const passStartedAt = ctx.now();
    // A full run goes through the shop in bounded chunks of whole SKU groups (docs/SYNC.md "A full
    // run, group by group"): never the whole shop in memory at once. A targeted run is one chunk.
    const chunks = scope ? [scope] : shopChunks(ctx.repos.groups, ctx.shop.shopId);
    // What a full pass explains: every receipt not yet given to a plan, as known when it starts.
    const passReceipts = scope === undefined && !options.dryRun ? receiptsToExplain(ctx, explained) : [];
    const outcome = await runChunks(ctx, chunks, fresh, explained, { runId: options.runId, dryRun: options.dryRun, release: scope === undefined });
    result.plans.push(outcome.plan);
    if (options.dryRun) {
      result.changes.push(...outcome.plan.changes.map((change) => asApplied(change, 'planned')));
      return result;
    }
    result.changes.push(...outcome.changes);
    result.errors.push(...outcome.errors);
    // After a stop the chunks left out keep their receipts and attention items for the next run.
    if (scope === undefined && !outcome.stopped) {
      // Each chunk listed the receipts it explained (as a targeted run does); the boundary now passes
      // every receipt known at the start of the pass, and the list keeps only what lies beyond it.
      explained = advanceBoundary(explained, passReceipts);
      ctx.repos.syncState.setState(EXPLAINED_KEY, JSON.stringify(explained), ctx.now());
      const kept = loadTargetedExplained(ctx).filter((entry) => entry.ts >= explained.ts);
      saveTargetedExplained(ctx, kept);
      // Items of the plan's kinds no chunk reported again (about a listing or SKU gone from the shop)
      // are resolved, as one plan of the whole shop would have.
      ctx.repos.attention.replaceAttention(PLAN_ATTENTION_KINDS, [], passStartedAt);
    }
    if (isPlanEmpty(outcome.plan)) break;
    const scopeIds = scope?.listingIds;
    if (ctx.repos.writeIntents.listWrittenWrites().filter((write) => scopeIds === undefined || scopeIds.has(write.listingId)).length === 0) break;
    await fetchReceipts(ctx);
    const lost = countOverwrittenSales(ctx, scope?.listingIds);
    if (lost === 0) break;
    // Re-read before writing again.
    fresh.clear();
  }
  return result;
}

function receiptsToExplain(ctx: SyncContext, explained: ReceiptBoundary): { transactionId: number; createdTs: number }[] {
  const excluded = new Set([...explained.ids, ...loadTargetedExplained(ctx).map((entry) => entry.id)]);
  return ctx.repos.receipts
    .receiptItemsSince(explained.ts)
    .filter((item) => !excluded.has(item.transactionId))
    .map((item) => ({ transactionId: item.transactionId, createdTs: item.createdTs }));
}

interface PassOutcome {
  /** The plan of every chunk of the pass, joined: the pass's plan of its whole scope. */
  plan: Plan;
  changes: AppliedChange[];
  errors: SyncErrorInfo[];
  /** A write error stopped the pass (connection, budget, rate limit): the chunks after it were left. */
  stopped: boolean;
}

/**
 * One pass over `chunks`. Each chunk is planned from the mirror; one that writes no listing without a
 * fresh read is applied at once (most chunks: nothing to write, or only local changes). The others wait,
 * then are read in batches just before they are planned again and written — reading ahead into the next
 * waiting chunks so that each batch read is full (100 listings a call), as one read of all of them would
 * be — and their fresh inventories are dropped once the chunk is written (`release`).
 */
async function runChunks(
  ctx: SyncContext,
  chunks: readonly SyncScope[],
  fresh: Map<number, FreshListing>,
  explained: ReceiptBoundary,
  options: { runId: number; dryRun: boolean; release: boolean },
): Promise<PassOutcome> {
  const outcome: PassOutcome = { plan: emptyPlan(ctx.now()), changes: [], errors: [], stopped: false };
  const waiting: { chunk: SyncScope; unread: number[] }[] = [];
  let done = 0;
  const finish = async (chunk: SyncScope, planned: PlannedChunk): Promise<boolean> => {
    const stopped = await applyChunk(ctx, chunk, planned, fresh, explained, options, outcome);
    done += 1;
    if (options.release) for (const id of chunk.listingIds) fresh.delete(id);
    return stopped;
  };
  for (const chunk of chunks) {
    ctx.onProgress?.({ phase: 'planning', done, total: chunks.length });
    const planned = planChunk(ctx, chunk, explained);
    const unread = unreadTouched(planned.plan, fresh);
    if (unread.length > 0) {
      waiting.push({ chunk, unread });
      continue;
    }
    if (await finish(chunk, planned)) return { ...outcome, stopped: true };
  }
  for (let i = 0; i < waiting.length; i += 1) {
    const toRead = waiting[i]!.unread.filter((id) => !fresh.has(id));
    if (toRead.length > 0) {
      const full = Math.ceil(toRead.length / BATCH_LIMIT) * BATCH_LIMIT;
      for (let j = i + 1; j < waiting.length; j += 1) {
        const more = waiting[j]!.unread.filter((id) => !fresh.has(id) && !toRead.includes(id));
        if (toRead.length + more.length > full) break;
        toRead.push(...more);
      }
      await readFresh(ctx, toRead, fresh);
    }
    ctx.onProgress?.({ phase: 'planning', done, total: chunks.length });
    const planned = await planWithFreshReads(ctx, fresh, explained, waiting[i]!.chunk);
    if (await finish(waiting[i]!.chunk, planned)) return { ...outcome, stopped: true };
  }
  return outcome;
}

type PlannedChunk = { plan: Plan; source: PlanSource };

/** Applies one chunk's plan (or, in a dry run, only adds it to the pass's plan). True: a write error stopped the run's writes. */
async function applyChunk(
  ctx: SyncContext,
  chunk: SyncScope,
  planned: PlannedChunk,
  fresh: Map<number, FreshListing>,
  explained: ReceiptBoundary,
  options: { runId: number; dryRun: boolean },
  outcome: PassOutcome,
): Promise<boolean> {
  let { plan, source } = planned;
  for (let attempt = 1; ; attempt += 1) {
    if (options.dryRun) {
      appendPlan(outcome.plan, plan);
      return false;
    }
    // The receipts this chunk's plan was given are not given to a plan again (docs/SYNC.md).
    const known = loadTargetedExplained(ctx);
    const ids = new Set(known.map((entry) => entry.id));
    const added = source.input.receipts.filter((item) => !ids.has(item.transactionId)).map((item) => ({ id: item.transactionId, ts: item.createdTs }));
    if (added.length > 0) saveTargetedExplained(ctx, [...known, ...added]);
    const attentionScope = { listingIds: [...chunk.listingIds], skus: [...chunk.skus] };
    resolveWriteAttention(ctx, plan, source.input.listings.map((listing) => listing.listingId));
    if (isPlanEmpty(plan)) {
      ctx.repos.attention.replaceAttention(PLAN_ATTENTION_KINDS, plan.attention, ctx.now(), attentionScope);
      appendPlan(outcome.plan, plan);
      return false;
    }
    ctx.onProgress?.({ phase: 'writing', done: 0, total: plan.listingWrites.length + plan.stateChanges.length });
    let executed;
    try {
      const writtenIds = [...new Set([...plan.listingWrites.map((write) => write.listingId), ...plan.stateChanges.map((change) => change.listingId)])];
      executed = await executePlan(ctx, plan, {
        runId: options.runId,
        catalogVersions: source.catalogVersions,
        fresh,
        links: ctx.repos.links.listLinks({ skus: [], listingIds: writtenIds }),
        attentionScope,
      });
    } catch (error) {
      // The catalog was edited while we planned: plan this chunk again from what it now holds.
      if (error instanceof CatalogChangedError && attempt < MAX_PASSES) {
        ({ plan, source } = await planWithFreshReads(ctx, fresh, explained, chunk));
        continue;
      }
      throw error;
    }
    appendPlan(outcome.plan, plan);
    outcome.changes.push(...executed.changes);
    outcome.errors.push(...executed.errors);
    if (executed.unknown > 0) await recoverPendingWrites(ctx, options.runId, chunk.listingIds);
    return executed.stopped;
  }
}

function unreadTouched(plan: Plan, fresh: ReadonlyMap<number, FreshListing>): number[] {
  const touched = [...plan.listingWrites.map((w) => w.listingId), ...plan.stateChanges.map((s) => s.listingId)];
  return [...new Set(touched)].filter((id) => !fresh.has(id));
}

function planChunk(ctx: SyncContext, scope: SyncScope, explained: ReceiptBoundary): PlannedChunk {
  // Explained by targeted runs (and earlier chunks) past the boundary: never given to a plan twice.
  const targetedExplained = loadTargetedExplained(ctx).map((entry) => entry.id);
  const source = readPlanSource(
    { mirror: ctx.mirror, repos: ctx.repos, catalog: ctx.catalog },
    {
      shopId: ctx.shop.shopId,
      settings: {
        buffer: ctx.settings.buffer,
        pushPrices: ctx.settings.pushPrices,
        firstSyncSource: ctx.settings.firstSyncSource,
        shopCurrency: ctx.shop.currency,
        ...(ctx.serverEdited && ctx.serverEdited.size > 0 ? { serverEditedSkus: ctx.serverEdited } : {}),
      },
      receiptsSinceTs: explained.ts,
      receiptsExcluded: [...explained.ids, ...targetedExplained],
      scope,
      now: ctx.now(),
    },
  );
  return { plan: planInventorySync(source.input), source };
}

async function planWithFreshReads(ctx: SyncContext, fresh: Map<number, FreshListing>, explained: ReceiptBoundary, scope: SyncScope): Promise<PlannedChunk> {
  for (let attempt = 0; ; attempt += 1) {
    const planned = planChunk(ctx, scope, explained);
    const missing = unreadTouched(planned.plan, fresh);
    // Fresh values can move a shared SKU, pulling more listings in; three rounds settle any real shop.
    if (missing.length === 0 || attempt >= 3) return planned;
    await readFresh(ctx, missing, fresh);
  }
}

/** Reads listings through the batch endpoint just before writing, and stores what was read. */
async function readFresh(ctx: SyncContext, listingIds: readonly number[], fresh: Map<number, FreshListing>): Promise<void> {
  if (listingIds.length === 0) return;
  let etsyMs: number | undefined;
  const read = await ctx.client.getListingsInventoryByListingIds(listingIds, { signal: ctx.signal, onServerDate: (ms) => (etsyMs ??= ms) });
  const now = ctx.now();
  ctx.mirror.applyListings(read.listings.map((listing) => toPulledListing(listing, ctx.shop.shopId)), now);
  // readAt is compared with receipt times, which are Etsy's: take Etsy's clock when it said it.
  const readAt = etsyMs ?? now;
  for (const listing of read.listings) {
    if (listing.inventory) fresh.set(listing.listing_id, { inventory: listing.inventory, readAt });
  }
  for (const id of read.deadIds) ctx.mirror.markRemoved(id, now);
}

/**
 * For every write applied on Etsy but not yet checked ('written'), with the receipts fetched after it:
 * raises the Etsy baseline by any sale the write overwrote and marks the write done, in one transaction,
 * so each overwritten sale is counted exactly once even if the process dies before or after.
 */
function countOverwrittenSales(ctx: SyncContext, onlyListings?: ReadonlySet<number>): number {
  let lost = 0;
  const now = ctx.now();
  const latestReceiptTs = ctx.repos.receipts.latestReceiptCreatedTs();
  const fetchedAtTs = Number(ctx.repos.syncState.getState(RECEIPTS_FETCHED_AT_KEY) ?? 0);
  ctx.repos.transaction(() => {
    for (const write of ctx.repos.writeIntents.listWrittenWrites()) {
      if (onlyListings !== undefined && !onlyListings.has(write.listingId)) continue;
      const intent = JSON.parse(write.body) as WriteIntent;
      if (intent.kind !== 'inventory') {
        ctx.repos.writeIntents.setPendingWriteStatus({ id: write.id, status: 'done' }, now);
        continue;
      }
      // Totals are recomputed from every receipt stored; only what was not counted before is added.
      const counted = { ...intent.counted };
      for (const product of intent.products) {
        if (!product.linked) continue;
        const overwritten = overwrittenSales(product, ctx.repos.receipts, intent.readAt);
        const added = overwritten - (counted[product.productKey] ?? 0);
        if (added <= 0) continue;
        ctx.repos.links.addToEtsyBaseline({ listingId: write.listingId, productKey: product.productKey, amount: added });
        counted[product.productKey] = overwritten;
        lost += added;
      }
      if (receiptsReadBeyond(intent.writtenEtsyTs, latestReceiptTs, fetchedAtTs)) {
        ctx.repos.writeIntents.setPendingWriteStatus({ id: write.id, status: 'done' }, now);
      } else if (JSON.stringify(counted) !== JSON.stringify(intent.counted ?? {})) {
        ctx.repos.writeIntents.setPendingWriteBody({ id: write.id, body: { ...intent, counted } }, now);
      }
    }
  });
  return lost;
}

/**
 * A sale's receipt can appear minutes after the sale (issue 12 item 12), so a write is checked until a
 * receipt created after it (Etsy's clock) has been read — receipts appear in order, so older ones are in
 * by then — or, in a quiet shop, until receipts were read a day after it. Intents written before Etsy's
 * time was recorded are settled at once, as they were.
 */
const LATE_RECEIPTS_MAX_S = 24 * 60 * 60;

function receiptsReadBeyond(writtenEtsyTs: number | undefined, latestReceiptTs: number, fetchedAtTs: number): boolean {
  if (writtenEtsyTs === undefined) return true;
  return latestReceiptTs > writtenEtsyTs || fetchedAtTs >= writtenEtsyTs + LATE_RECEIPTS_MAX_S;
}
