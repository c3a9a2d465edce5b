import { AppError, isAppError } from '../../shared/errors';
import { PLAN_ATTENTION_KINDS, type Plan, type PlanChange } from '../../shared/plan';
import { currencyDecimals } from '../catalog/money';
import { buildInventoryBody, type ProductOverride } from '../etsy/inventory-body';
import type { ListingInventory } from '../etsy/schemas';
import type { AttentionInput } from '../store/attention-repo';
import type { LinkRow } from '../store/links-repo';
import { toPulledInventory } from './from-etsy';
import { productKeyOf } from '../../shared/product-key';
import type { AppliedChange, SyncContext, SyncErrorInfo } from './sync-context';
import { productIdsByKey, type InventoryIntent, type IntentProduct, type StateIntent } from './write-intent';

/**
 * Applies a plan: first everything local in one transaction (catalog, baselines, write intents,
 * history of catalog changes), then each Etsy write with its intent (docs/SYNC.md). Returns what
 * happened to every change; an Etsy error on one listing never stops the others, but losing the
 * connection or the day's budget stops the run (the intents say what is left).
 */
export interface FreshListing {
  inventory: ListingInventory;
  readAt: number;
}

export interface ExecuteResult {
  changes: AppliedChange[];
  errors: SyncErrorInfo[];
  /** Intents whose outcome is unknown; resolved by re-reading before anything is retried. */
  unknown: number;
  /** A connection, budget or rate error stopped the writes: nothing more is sent to Etsy this run. */
  stopped: boolean;
}

/** A catalog SKU changed between our read and our write: re-read and merge, never overwrite. */
export class CatalogChangedError extends Error {
  constructor(readonly sku: string) {
    super(`SKU ${sku} changed in the catalog during the sync.`);
  }
}

/** Errors after which no further Etsy write is attempted in this run. */
const STOPPING_CODES = new Set(['RECONNECT_ETSY', 'DAILY_BUDGET_EXHAUSTED', 'RATE_LIMITED', 'CANCELLED', 'NETWORK', 'NOT_CONNECTED']);

export function asApplied(change: PlanChange, status: AppliedChange['status']): AppliedChange {
  return {
    sku: change.sku,
    listingId: change.listingId,
    side: change.side,
    field: change.field,
    before: change.before,
    after: change.after,
    reason: change.reason,
    explanation: change.explanation,
    receiptIds: change.receiptIds,
    status,
  };
}

export function historyRows(runId: number, changes: readonly PlanChange[], status: 'applied' | 'failed' | 'unknown', at: number) {
  return changes.map((change) => ({
    runId,
    at,
    sku: change.sku,
    listingId: change.listingId,
    side: change.side,
    field: change.field,
    before: change.before,
    after: change.after,
    reason: change.reason,
    explanation: change.explanation,
    receiptIds: change.receiptIds,
    status,
  }));
}

export interface ExecuteInput {
  runId: number;
  catalogVersions: Map<string, number>;
  fresh: Map<number, FreshListing>;
  /** The links of the listings the plan writes, at least (for what our last write of each created). */
  links: readonly Pick<LinkRow, 'listingId' | 'productKey' | 'writtenProductId' | 'writtenQuantity'>[];
  /** A targeted run's listings and SKUs: attention items outside them are not the plan's to resolve. */
  attentionScope?: { listingIds: readonly number[]; skus: readonly string[] };
}

export async function executePlan(
  ctx: SyncContext,
  plan: Plan,
  input: ExecuteInput,
): Promise<ExecuteResult> {
  const result: ExecuteResult = { changes: [], errors: [], unknown: 0, stopped: false };
  const intents = commitLocal(ctx, plan, input);
  result.changes.push(...plan.changes.filter((c) => c.side === 'catalog').map((c) => asApplied(c, 'applied')));

  let stopped: AppError | null = null;
  // Listings whose quantity write Etsy confirmed in this run: only those may be re-activated.
  const confirmed = new Set<number>();
  for (const write of plan.listingWrites) {
    const changes = plan.changes.filter((c) => c.side === 'etsy' && c.field !== 'state' && c.listingId === write.listingId);
    const intent = intents.inventory.get(write.listingId);
    if (!intent) continue;
    if (stopped) {
      ctx.repos.writeIntents.setPendingWriteStatus({ id: intent.id, status: 'failed' }, ctx.now());
      result.changes.push(...changes.map((c) => asApplied(c, 'failed')));
      continue;
    }
    const fresh = input.fresh.get(write.listingId);
    try {
      if (!fresh) throw new AppError('INTERNAL', `Listing ${write.listingId} was not read just before writing it.`);
      const body = buildInventoryBody(fresh.inventory, overridesFor(write.products, ctx.shop.currency), {
        knownReadiness: knownReadiness(ctx, write.listingId),
      });
      let etsyMs: number | undefined;
      const response = await ctx.client.updateListingInventory(write.listingId, body, {
        signal: ctx.signal,
        onServerDate: (ms) => (etsyMs = ms),
      });
      confirmInventoryWrite(ctx, {
        runId: input.runId,
        listingId: write.listingId,
        intentId: intent.id,
        intent: intent.body,
        inventory: response,
        ...(etsyMs === undefined ? {} : { etsyMs }),
      });
      confirmed.add(write.listingId);
      result.changes.push(...changes.map((c) => asApplied(c, 'applied')));
    } catch (error) {
      const outcome = recordWriteError(ctx, { runId: input.runId, listingId: write.listingId, intentId: intent.id, changes, error, write: 'inventory' }, result);
      if (outcome) stopped = outcome;
    }
  }

  const writtenListings = new Set(plan.listingWrites.map((write) => write.listingId));
  for (const stateChange of plan.stateChanges) {
    const intent = intents.state.get(stateChange.listingId);
    if (!intent) continue;
    const changes = intent.body.changes;
    if (stopped) {
      ctx.repos.writeIntents.setPendingWriteStatus({ id: intent.id, status: 'failed' }, ctx.now());
      result.changes.push(...changes.map((c) => asApplied(c, 'failed')));
      continue;
    }
    // Going live with the quantities Etsy held before a rejected or unsettled write would sell stock
    // that is not there: re-activate only once the write of the quantities it needs is confirmed.
    if (stateChange.to === 'active' && writtenListings.has(stateChange.listingId) && !confirmed.has(stateChange.listingId)) {
      const now = ctx.now();
      const note = '(not done: its stock update did not go through; tried again on the next sync)';
      ctx.repos.transaction(() => {
        ctx.repos.writeIntents.setPendingWriteStatus({ id: intent.id, status: 'failed' }, now);
        ctx.repos.history.addHistory(historyRows(input.runId, changes.map((c) => ({ ...c, explanation: `${c.explanation} ${note}` })), 'failed', now));
      });
      result.changes.push(...changes.map((c) => asApplied(c, 'failed')));
      continue;
    }
    try {
      await ctx.client.updateListing(ctx.shop.shopId, stateChange.listingId, { state: stateChange.to }, { signal: ctx.signal });
      confirmStateWrite(ctx, { runId: input.runId, listingId: stateChange.listingId, intentId: intent.id, intent: intent.body });
      result.changes.push(...changes.map((c) => asApplied(c, 'applied')));
    } catch (error) {
      const outcome = recordWriteError(
        ctx,
        { runId: input.runId, listingId: stateChange.listingId, intentId: intent.id, changes, error, write: stateChange.to === 'inactive' ? 'deactivate' : 'activate' },
        result,
      );
      if (outcome) stopped = outcome;
    }
  }
  if (stopped && stopped.code === 'CANCELLED') throw stopped;
  result.stopped = stopped !== null;
  return result;
}

/** Phase A: one local transaction. Throws CatalogChangedError (nothing written) if the catalog moved. */
function commitLocal(ctx: SyncContext, plan: Plan, input: ExecuteInput) {
  const now = ctx.now();
  const inventory = new Map<number, { id: number; body: InventoryIntent }>();
  const state = new Map<number, { id: number; body: StateIntent }>();
  const linkByKey = new Map(input.links.map((link) => [`${link.listingId}\u0000${link.productKey}`, link]));
  const writtenListings = new Set(plan.listingWrites.map((write) => write.listingId));

  ctx.repos.transaction(() => {
    const created = new Set(plan.catalogCreates.map((create) => create.sku));
    if (plan.catalogCreates.length > 0) ctx.catalog.upsertMany(plan.catalogCreates);
    for (const change of plan.changes) {
      if (change.side !== 'catalog' || change.field !== 'quantity' || created.has(change.sku)) continue;
      const version = input.catalogVersions.get(change.sku);
      if (version === undefined || typeof change.after !== 'number') throw new CatalogChangedError(change.sku);
      if (!ctx.catalog.setStockIfVersion(change.sku, change.after, version)) throw new CatalogChangedError(change.sku);
    }
    const baselineSkus = [...new Set(plan.baselines.map((baseline) => baseline.sku))];
    const variantIds = new Map(ctx.catalog.listBySkus(baselineSkus).map((variant) => [variant.sku, variant.id]));
    for (const baseline of plan.baselines) {
      const variantId = variantIds.get(baseline.sku);
      if (variantId === undefined) continue;
      ctx.repos.links.setBaselines(
        {
          listingId: baseline.listingId,
          productKey: baseline.productKey,
          variantId,
          // A listing about to be written keeps "what Etsy had" until the write is confirmed, so a
          // failed write leaves nothing counted twice (docs/SYNC.md step 1).
          baselineEtsy: writtenListings.has(baseline.listingId) ? baseline.etsyRead : baseline.baselineEtsy,
          baselineCatalog: baseline.baselineCatalog,
        },
        now,
      );
    }
    for (const write of plan.listingWrites) {
      const fresh = input.fresh.get(write.listingId);
      const ids = fresh ? productIdsByKey(fresh.inventory) : new Map<string, number>();
      const quantities = fresh ? quantitiesByKey(fresh.inventory) : new Map<string, number>();
      const products: IntentProduct[] = write.products.map((product) => {
        const link = linkByKey.get(`${write.listingId}\u0000${product.productKey}`);
        const readProductId = ids.get(product.productKey) ?? null;
        const readSecond = Math.floor((fresh?.readAt ?? now) / 1000);
        return {
          productKey: product.productKey,
          quantity: product.quantity,
          readProductId,
          etsyRead: quantities.get(product.productKey) ?? 0,
          prevWrittenProductId: link?.writtenProductId ?? null,
          prevWrittenQuantity: link?.writtenQuantity ?? null,
          soldFromReadSecondKnown: readProductId === null ? 0 : ctx.repos.receipts.soldOfProductAfter({ etsyProductId: readProductId, afterTs: readSecond - 1 }),
          linked: plan.baselines.some((b) => b.listingId === write.listingId && b.productKey === product.productKey),
        };
      });
      const body: InventoryIntent = {
        kind: 'inventory',
        readAt: fresh?.readAt ?? now,
        products,
        changes: plan.changes.filter((c) => c.side === 'etsy' && c.field !== 'state' && c.listingId === write.listingId),
      };
      inventory.set(write.listingId, { id: ctx.repos.writeIntents.addPendingWrite({ listingId: write.listingId, runId: input.runId, kind: 'inventory', body }, now), body });
    }
    for (const change of plan.stateChanges) {
      const body: StateIntent = {
        kind: 'state',
        from: change.from,
        to: change.to,
        changes: plan.changes.filter((c) => c.side === 'etsy' && c.field === 'state' && c.listingId === change.listingId),
      };
      state.set(change.listingId, { id: ctx.repos.writeIntents.addPendingWrite({ listingId: change.listingId, runId: input.runId, kind: 'state', body }, now), body });
    }
    ctx.repos.history.addHistory(historyRows(input.runId, plan.changes.filter((c) => c.side === 'catalog'), 'applied', now));
    ctx.repos.attention.replaceAttention(
      PLAN_ATTENTION_KINDS,
      plan.attention,
      now,
      input.attentionScope,
    );
  });
  return { inventory, state };
}

/**
 * After Etsy answered a write: the new inventory (new ids) is stored and the baselines move to it. The
 * intent becomes 'written', not 'done': the sales this write may have overwritten are counted from the
 * receipts fetched afterwards (inventory-sync.ts), and that must survive a crash in between.
 */
export function confirmInventoryWrite(
  ctx: SyncContext,
  input: {
    runId: number;
    listingId: number;
    intentId: number;
    intent: InventoryIntent;
    inventory: ListingInventory;
    note?: string;
    /** Etsy's clock when the write was known applied (a response's `Date`); our clock if unknown. */
    etsyMs?: number;
  },
): void {
  const { runId, listingId, intentId, intent, inventory, note } = input;
  const now = ctx.now();
  const writtenEtsyTs = Math.floor((input.etsyMs ?? now) / 1000);
  const ids = productIdsByKey(inventory);
  ctx.repos.transaction(() => {
    ctx.mirror.applyInventories([{ listingId, inventory: toPulledInventory(inventory) }], now);
    for (const product of intent.products) {
      ctx.repos.links.setWritten({ listingId, productKey: product.productKey, productId: ids.get(product.productKey) ?? null, quantity: product.quantity }, now);
    }
    ctx.repos.writeIntents.setPendingWriteBody({ id: intentId, body: { ...intent, writtenEtsyTs } }, now);
    ctx.repos.writeIntents.setPendingWriteStatus({ id: intentId, status: 'written' }, now);
    ctx.repos.attention.resolveAttention({ kind: 'write_failed', listingId }, now);
    const changes = note ? intent.changes.map((c) => ({ ...c, explanation: `${c.explanation} ${note}` })) : intent.changes;
    ctx.repos.history.addHistory(historyRows(runId, changes, 'applied', now));
  });
}

export function confirmStateWrite(
  ctx: SyncContext,
  input: { runId: number; listingId: number; intentId: number; intent: StateIntent; note?: string },
): void {
  const { runId, listingId, intentId, intent, note } = input;
  const now = ctx.now();
  ctx.repos.transaction(() => {
    ctx.mirror.setDeactivatedByApp(listingId, intent.to === 'inactive', intent.to);
    ctx.repos.writeIntents.setPendingWriteStatus({ id: intentId, status: 'done' }, now);
    ctx.repos.attention.resolveAttention({ kind: intent.to === 'inactive' ? 'deactivate_failed' : 'write_failed', listingId }, now);
    const changes = note ? intent.changes.map((c) => ({ ...c, explanation: `${c.explanation} ${note}` })) : intent.changes;
    ctx.repos.history.addHistory(historyRows(runId, changes, 'applied', now));
  });
}

function writeFailedAttention(listingId: number, write: 'inventory' | 'deactivate' | 'activate', error: AppError): AttentionInput {
  if (write === 'deactivate') {
    // No zeros are written instead (Etsy rejects an all-zero inventory, docs/ETSY_API_NOTES.md §9.1): the listing keeps
    // the quantities it shows, so the owner must know it can still be bought.
    return {
      kind: 'deactivate_failed',
      listingId,
      message:
        `Listing ${listingId} is out of stock, but Etsy did not let Art Sync deactivate it (${error.message}). ` +
        'It is still active and for sale with the quantities Etsy shows.',
      action: 'Deactivate the listing on Etsy (or add stock); Art Sync tries again on the next sync.',
    };
  }
  return {
    kind: 'write_failed',
    listingId,
    message:
      write === 'activate'
        ? `Etsy did not re-activate listing ${listingId}: ${error.message}`
        : `Etsy did not accept the stock update for listing ${listingId}: ${error.message}`,
    action: 'Open the listing on Etsy and check its variations; Art Sync tries again on the next sync.',
  };
}

/**
 * A failed write's attention item stays open until the listing is written, or until a plan no longer
 * needs to write it (e.g. the edit was undone): then the problem it reported is gone.
 */
export function resolveWriteAttention(ctx: SyncContext, plan: Plan, listingIds: readonly number[]): void {
  const written = new Set(plan.listingWrites.map((write) => write.listingId));
  const deactivated = new Set(plan.stateChanges.filter((change) => change.to === 'inactive').map((change) => change.listingId));
  const now = ctx.now();
  ctx.repos.transaction(() => {
    for (const listingId of listingIds) {
      if (!written.has(listingId)) ctx.repos.attention.resolveAttention({ kind: 'write_failed', listingId }, now);
      if (!deactivated.has(listingId)) ctx.repos.attention.resolveAttention({ kind: 'deactivate_failed', listingId }, now);
    }
  });
}

/**
 * Records a failed or unknown write. Returns the error when the run must stop writing (connection,
 * budget, cancel), else null. An unknown outcome stays 'unknown' until the listing is re-read.
 */
function recordWriteError(
  ctx: SyncContext,
  input: { runId: number; listingId: number; intentId: number; changes: readonly PlanChange[]; error: unknown; write: 'inventory' | 'deactivate' | 'activate' },
  result: ExecuteResult,
): AppError | null {
  const { runId, listingId, intentId, changes, error } = input;
  const now = ctx.now();
  const appError = isAppError(error) ? error : new AppError('INTERNAL', 'The write to Etsy failed unexpectedly.');
  if (appError.code === 'WRITE_OUTCOME_UNKNOWN') {
    ctx.repos.writeIntents.setPendingWriteStatus({ id: intentId, status: 'unknown' }, now);
    result.unknown += 1;
    result.changes.push(...changes.map((c) => asApplied(c, 'unknown')));
    result.errors.push({ listingId, code: appError.code, message: appError.message });
    return null;
  }
  ctx.repos.transaction(() => {
    ctx.repos.writeIntents.setPendingWriteStatus({ id: intentId, status: 'failed' }, now);
    ctx.repos.history.addHistory(historyRows(runId, changes, 'failed', now));
    if (!STOPPING_CODES.has(appError.code)) ctx.repos.attention.addAttention(writeFailedAttention(listingId, input.write, appError), now);
  });
  result.changes.push(...changes.map((c) => asApplied(c, 'failed')));
  result.errors.push({ listingId, code: appError.code, message: appError.message });
  return STOPPING_CODES.has(appError.code) ? appError : null;
}

/** The processing profile the mirror holds per product key (a fresh batch read carries none, docs/SYNC.md). */
function knownReadiness(ctx: SyncContext, listingId: number): Map<string, number> {
  const known = new Map<string, number>();
  for (const product of ctx.mirror.listListings(ctx.shop.shopId, [listingId])[0]?.products ?? []) {
    if (product.readinessStateId !== null) known.set(product.productKey, product.readinessStateId);
  }
  return known;
}

function overridesFor(products: readonly { productKey: string; quantity: number; priceAmount?: number | undefined }[], currency: string): Record<string, ProductOverride> {
  const divisor = 10 ** currencyDecimals(currency);
  const overrides: Record<string, ProductOverride> = {};
  for (const product of products) {
    overrides[product.productKey] = {
      quantity: product.quantity,
      ...(product.priceAmount === undefined ? {} : { price: { amount: product.priceAmount, divisor, currency_code: currency } }),
    };
  }
  return overrides;
}

function quantitiesByKey(inventory: ListingInventory): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const product of toPulledInventory(inventory).products) {
    if (product.isDeleted) continue;
    quantities.set(productKeyOf(product.propertyValues), product.offerings.find((o) => !o.isDeleted)?.quantity ?? 0);
  }
  return quantities;
}
