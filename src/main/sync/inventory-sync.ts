import { isPlanEmpty, PLAN_ATTENTION_KINDS, type Plan } from '../../shared/plan';
import { fetchReceipts, RECEIPTS_FETCHED_AT_KEY } from './receipts';
import { asApplied, CatalogChangedError, executePlan, resolveWriteAttention, type FreshListing } from './execute-plan';
import { toPulledListing } from './from-etsy';
import { planInventorySync } from './plan/plan-inventory';
import { readPlanSource } from './plan-source';
import { skuGroupsOf, type SyncScope } from './sku-groups';
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
    const { plan, source } = await planWithFreshReads(ctx, fresh, explained, scope);
    result.plans.push(plan);
    if (options.dryRun) {
      result.changes.push(...plan.changes.map((change) => asApplied(change, 'planned')));
      return result;
    }
    if (scope === undefined) {
      explained = advanceBoundary(explained, source.input.receipts);
      ctx.repos.syncState.setState(EXPLAINED_KEY, JSON.stringify(explained), ctx.now());
      const kept = loadTargetedExplained(ctx).filter((entry) => entry.ts >= explained.ts);
      saveTargetedExplained(ctx, kept);
    } else {
      const known = loadTargetedExplained(ctx);
      const ids = new Set(known.map((entry) => entry.id));
      const added = source.input.receipts.filter((item) => !ids.has(item.transactionId)).map((item) => ({ id: item.transactionId, ts: item.createdTs }));
      if (added.length > 0) saveTargetedExplained(ctx, [...known, ...added]);
    }
    const attentionScope = scope ? { listingIds: [...scope.listingIds], skus: [...scope.skus] } : undefined;
    resolveWriteAttention(ctx, plan, source.input.listings.map((listing) => listing.listingId));
    if (isPlanEmpty(plan)) {
      ctx.repos.attention.replaceAttention(
        PLAN_ATTENTION_KINDS,
        plan.attention,
        ctx.now(),
        attentionScope,
      );
      break;
    }
    ctx.onProgress?.({ phase: 'writing', done: 0, total: plan.listingWrites.length + plan.stateChanges.length });
    let executed;
    try {
      executed = await executePlan(ctx, plan, {
        runId: options.runId,
        catalogVersions: source.catalogVersions,
        fresh,
        links: ctx.repos.links.listLinks(),
        ...(attentionScope ? { attentionScope } : {}),
      });
    } catch (error) {
      // The catalog was edited while we planned: plan again from what it now holds.
      if (error instanceof CatalogChangedError && pass < MAX_PASSES) continue;
      throw error;
    }
    result.changes.push(...executed.changes);
    result.errors.push(...executed.errors);
    if (executed.unknown > 0) await recoverPendingWrites(ctx, options.runId, scope?.listingIds);
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

async function planWithFreshReads(ctx: SyncContext, fresh: Map<number, FreshListing>, explained: ReceiptBoundary, scope?: SyncScope) {
  // Explained by targeted runs past the boundary: never given to a plan twice.
  const targetedExplained = loadTargetedExplained(ctx).map((entry) => entry.id);
  for (let attempt = 0; ; attempt += 1) {
    const source = readPlanSource(
      { mirror: ctx.mirror, repos: ctx.repos, catalog: ctx.catalog },
      {
        shopId: ctx.shop.shopId,
        settings: {
          buffer: ctx.settings.buffer,
          pushPrices: ctx.settings.pushPrices,
          firstSyncSource: ctx.settings.firstSyncSource,
          shopCurrency: ctx.shop.currency,
        },
        receiptsSinceTs: explained.ts,
        receiptsExcluded: [...explained.ids, ...targetedExplained],
        ...(scope ? { scope } : {}),
        now: ctx.now(),
      },
    );
    ctx.onProgress?.({ phase: 'planning', done: attempt, total: null });
    const plan = planInventorySync(source.input);
    const touched = [...plan.listingWrites.map((w) => w.listingId), ...plan.stateChanges.map((s) => s.listingId)];
    const missing = [...new Set(touched)].filter((id) => !fresh.has(id));
    // Fresh values can move a shared SKU, pulling more listings in; three rounds settle any real shop.
    if (missing.length === 0 || attempt >= 3) return { plan, source };
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
