/**
 * Stock the owner changes in the catalog with a reason history keeps: a sale made in person, and the
 * undo of a run. Both are local catalog edits (store/stock-edits-repo.ts): no Etsy call, so they work
 * offline, and the next inventory sync's three-way merge carries them to Etsy (L − bL is the local
 * change), keeping every sale and edit made on either side meanwhile.
 */
import { AppError } from '../shared/errors';
import { CATALOG_PAGE_MAX, type CatalogFilter, type CatalogPage, type SaleResult, type UndoItem, type UndoRunResult } from '../shared/ipc';
import { MAX_QUANTITY, MAX_QUANTITY_TEXT } from '../shared/quantity';
import type { CatalogPageRepo } from './store/catalog-page-repo';
import type { CatalogRepo } from './store/catalog-repo';
import type { StockEditsRepo } from './store/stock-edits-repo';
import type { SyncRepos } from './store/sync-repos';

export interface StockDeps {
  catalog: CatalogRepo;
  catalogPages: CatalogPageRepo;
  repos: SyncRepos;
  stockEdits: StockEditsRepo;
}

export function recordSale(deps: StockDeps, sku: string, quantity = 1): SaleResult {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new AppError('INVALID_INPUT', `A sale is a whole number of items from 1 to ${MAX_QUANTITY_TEXT}.`);
  }
  const sold = (before: number, after: number) => `Sold ${quantity} in person: ${before} → ${after}`;
  const { runId, changes } = deps.stockEdits.apply({
    trigger: 'manual',
    edits: [
      {
        sku,
        reason: 'sold_in_person',
        explanation: sold,
        target: (current) => {
          if (current < quantity) {
            throw new AppError(
              'INVALID_INPUT',
              `Cannot record a sale of ${quantity} of ${sku}: the catalog has ${current} in stock. Nothing was changed.`,
            );
          }
          return current - quantity;
        },
      },
    ],
    summary: () => `Sold ${quantity} of ${sku} in person`,
  });
  const change = changes[0];
  if (runId === null || change === undefined) throw new AppError('INTERNAL', 'The sale was not recorded.');
  return { runId, sku, quantity, before: change.before, after: change.after, explanation: change.explanation };
}

interface RunEffect {
  sku: string;
  runBefore: number;
  runAfter: number;
  /** Σ (before − after) of the run's catalog-side changes: what adding it to today's stock reverts. */
  revert: number;
}

/** What each SKU's undo does, from the run's catalog-side stock changes; refuses runs with none. */
function undoPlan(deps: StockDeps, runId: number): { effects: RunEffect[]; skipped: { sku: string; reason: string }[] } {
  const run = deps.repos.runs.getRun(runId);
  if (!run) throw new AppError('NOT_FOUND', `There is no run ${runId}.`, { action: 'Pick a run id from Activity or "art-sync history"' });
  if (run.dryRun) throw new AppError('INVALID_INPUT', `Run ${runId} was a dry run: it changed nothing, so there is nothing to undo.`);
  if (run.status === 'running') throw new AppError('INVALID_INPUT', `Run ${runId} is still running; undo it once it has finished.`);
  const rows = deps.repos.history.runQuantityChanges(runId);
  const bySku = new Map<string, RunEffect>();
  const skipped = new Map<string, string>();
  for (const row of rows.filter((r) => r.side === 'catalog')) {
    if (row.before === null || row.after === null) {
      // The run created the item: its value before the run is "no item", which an undo cannot restore.
      skipped.set(row.sku, `run ${runId} added it to the catalog; an undo does not remove items`);
      continue;
    }
    const effect = bySku.get(row.sku) ?? { sku: row.sku, runBefore: row.before, runAfter: row.after, revert: 0 };
    effect.runAfter = row.after;
    effect.revert += row.before - row.after;
    bySku.set(row.sku, effect);
  }
  const effects = [...bySku.values()].filter((effect) => effect.revert !== 0 && !skipped.has(effect.sku));
  if (effects.length === 0 && skipped.size === 0) {
    const etsyOnly = rows.some((row) => row.side === 'etsy');
    throw new AppError(
      'INVALID_INPUT',
      etsyOnly
        ? `Run ${runId} changed no stock in the catalog: it only brought Etsy to the catalog's stock, so there is nothing to undo.`
        : `Run ${runId} changed no stock, so there is nothing to undo.`,
      etsyOnly ? { action: 'Change the stock in the catalog instead' } : undefined,
    );
  }
  return { effects, skipped: [...skipped].map(([sku, reason]) => ({ sku, reason })) };
}

function undone(current: number, revert: number): number {
  return Math.min(MAX_QUANTITY, Math.max(0, current + revert));
}

function undoSentence(runId: number, effect: RunEffect, now: number, after: number): string {
  const floor = now + effect.revert < 0 ? '; not below 0' : '';
  return `Undo of run ${runId}: ${now} → ${after} (run ${runId} changed it ${effect.runBefore} → ${effect.runAfter}; changes since are kept${floor})`;
}

/**
 * Reverts a run's effect on the catalog as local edits: stock = now + (before − after) of the run's
 * catalog-side changes, never below 0. A dry run returns the plan and writes nothing.
 */
export function undoRun(deps: StockDeps, runId: number, options: { dryRun?: boolean } = {}): UndoRunResult {
  const { effects, skipped } = undoPlan(deps, runId);
  const present = effects.filter((effect) => deps.catalog.getBySku(effect.sku) !== undefined);
  for (const effect of effects) if (!present.includes(effect)) skipped.push({ sku: effect.sku, reason: 'it is no longer in the catalog' });
  const item = (effect: RunEffect, now: number): UndoItem => {
    const after = undone(now, effect.revert);
    return { sku: effect.sku, now, after, runBefore: effect.runBefore, runAfter: effect.runAfter, explanation: undoSentence(runId, effect, now, after) };
  };
  if (options.dryRun === true) {
    const items = present.map((effect) => item(effect, deps.catalog.getBySku(effect.sku)!.quantity));
    return { undoneRunId: runId, dryRun: true, runId: null, items, skipped };
  }
  const items: UndoItem[] = [];
  const applied = deps.stockEdits.apply({
    trigger: 'manual',
    edits: present.map((effect) => ({
      sku: effect.sku,
      reason: 'undo_run',
      target: (current) => {
        // Computed inside the transaction from the stock as it is now, so nothing made since is lost.
        items.push(item(effect, current));
        return undone(current, effect.revert);
      },
      explanation: (before, after) => undoSentence(runId, effect, before, after),
    })),
    summary: (changed) => `Undo of run ${runId}: ${changed.length} ${changed.length === 1 ? 'item' : 'items'}`,
  });
  return { undoneRunId: runId, dryRun: false, runId: applied.runId, items, skipped };
}

/** One page of the Catalog page; one row more than asked tells whether another page exists. */
export function catalogPage(
  deps: StockDeps,
  lowStockThreshold: number,
  query: { query?: string; filter?: CatalogFilter; afterSku?: string; limit?: number } = {},
): CatalogPage {
  const limit = query.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > CATALOG_PAGE_MAX) {
    throw new AppError('INVALID_INPUT', `A catalog page holds 1 to ${CATALOG_PAGE_MAX} items.`);
  }
  const rows = deps.catalogPages.page({
    limit: limit + 1,
    lowStockThreshold,
    ...(query.query !== undefined ? { query: query.query } : {}),
    ...(query.filter !== undefined ? { filter: query.filter } : {}),
    ...(query.afterSku !== undefined ? { afterSku: query.afterSku } : {}),
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      sku: row.sku,
      title: row.title,
      quantity: row.quantity,
      price: row.priceAmount,
      currency: row.currency,
      updatedAt: row.updatedAt,
      low: row.low,
      lowStockThreshold: row.lowStockThreshold,
      listings: row.listings,
      lastChange: row.lastChange,
    })),
    nextAfterSku: rows.length > limit ? (page[page.length - 1]?.sku ?? null) : null,
  };
}

/** A variant's own low-stock level (0 = never low) or null for the global setting. */
export function setLowStockThreshold(deps: StockDeps, sku: string, threshold: number | null): { sku: string; lowStockThreshold: number | null } {
  if (threshold !== null && !(Number.isSafeInteger(threshold) && threshold >= 0 && threshold <= MAX_QUANTITY)) {
    throw new AppError('INVALID_INPUT', `A low-stock level is a whole number from 0 to ${MAX_QUANTITY_TEXT} (0 = never low).`);
  }
  if (!deps.catalogPages.setLowStockThreshold(sku, threshold)) throw new AppError('UNKNOWN_SKU', `There is no SKU "${sku}" in the catalog.`);
  return { sku, lowStockThreshold: threshold };
}
