/**
 * Store rows and sync reports → the domain shapes of src/shared, written once for every door. Each
 * is built field by field, never by spreading a row, so nothing the door should not see rides along.
 */
import type { AttentionItem, CatalogItem, DryRunResult, HistoryItem, RunItem } from '../shared/ipc';
import type { PlanAttention } from '../shared/plan';
import type { AttentionRow } from './store/attention-repo';
import type { CatalogVariant } from './store/catalog-repo';
import type { HistoryRow } from './store/history-repo';
import type { RunRow } from './store/runs-repo';
import type { SyncReport } from './sync/sync-engine';

export function historyItem(row: HistoryRow): HistoryItem {
  return {
    id: row.id,
    runId: row.runId,
    at: row.at,
    sku: row.sku,
    listingId: row.listingId,
    side: row.side,
    field: row.field,
    before: row.before,
    after: row.after,
    reason: row.reason,
    explanation: row.explanation,
    receiptIds: [...row.receiptIds],
    status: row.status,
  };
}

export function runItem(row: RunRow): RunItem {
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    dryRun: row.dryRun,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    status: row.status,
    callsUsed: row.callsUsed,
    changesCount: row.changesCount,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    summary: row.summary,
  };
}

export function attentionItem(row: AttentionRow): AttentionItem {
  return {
    id: row.id,
    kind: row.kind,
    listingId: row.listingId,
    sku: row.sku,
    message: row.message,
    action: row.action,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
  };
}

export function catalogItem(variant: CatalogVariant): CatalogItem {
  return {
    sku: variant.sku,
    title: variant.title,
    quantity: variant.quantity,
    price: variant.priceAmount,
    currency: variant.currency,
    updatedAt: variant.updatedAt,
  };
}

/** The errors of a sync, without anything but what a person (or script) needs. */
export function syncErrors(report: SyncReport): DryRunResult['errors'] {
  return report.errors.map((error) => ({
    ...(error.sku !== undefined ? { sku: error.sku } : {}),
    ...(error.listingId !== undefined ? { listingId: error.listingId } : {}),
    code: error.code,
    message: error.message,
  }));
}

/** Each inventory plan lists every open item; the last plan of a report is the current picture. */
export function attentionOfLastPlan(report: SyncReport): PlanAttention[] {
  return report.plans.at(-1)?.attention ?? [];
}

export function dryRunResult(report: SyncReport): DryRunResult {
  const plan = report.plans.at(-1);
  return {
    changes: plan ? plan.changes : [],
    attention: attentionOfLastPlan(report),
    summary: plan ? plan.summary : null,
    errors: syncErrors(report),
  };
}
