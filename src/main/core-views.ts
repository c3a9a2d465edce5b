/**
 * Store rows and sync reports → the domain shapes of src/shared, written once for every door. Each
 * is built field by field, never by spreading a row, so nothing the door should not see rides along.
 */
import type { AttentionItem, CatalogItem, CsvValues, DryRunResult, HistoryItem, PushState, RunItem } from '../shared/ipc';
import type { PlanAttention } from '../shared/plan';
import type { AttentionRow } from './store/attention-repo';
import type { CatalogVariant } from './store/catalog-repo';
import type { HistoryRow } from './store/history-repo';
import type { PushFacts } from './store/push-state-repo';
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

/** A catalog variant as the CSV preview compares it (the title as the CSV carries it). */
export function csvValues(variant: CatalogVariant): CsvValues {
  return { title: variant.title, quantity: variant.quantity, price: variant.priceAmount, currency: variant.currency };
}

/** What the edit pusher last did (schedule/edit-pusher.ts EditPushStatus), as the push state needs it. */
export interface PusherView {
  lastPushAt: number | null;
  lastPushSkus: readonly string[];
  lastError: string | null;
}

/**
 * A row's push state (issue 15 item 1) from the store's facts, the edit pusher's last push and why
 * pushing cannot happen now (null when it can). Not on Etsy: null.
 * - A change not carried yet (stock ≠ what the last sync left): the error when an attempt since the
 *   edit failed (an attention item seen after it, or the pusher's own failed run), else "waiting" with
 *   why it cannot be pushed now, else "pushing". An old failure never hides a new edit.
 * - A write planned or sent and not answered yet: "pushing".
 * - The newest write to its listing failed: the error (the next sync writes again).
 * - Otherwise Etsy has it: "on Etsy".
 */
export function pushState(facts: PushFacts, pusher: PusherView, blockedReason: string | null): PushState | null {
  if (!facts.onEtsy) return null;
  const problem = (since: number) => facts.problems.find((p) => p.lastSeenAt >= since);
  const sentence = (p: { message: string; action: string | null }) => (p.action ? `${p.message} ${p.action}` : p.message);
  if (facts.pending) {
    const failed = problem(facts.updatedAt);
    if (failed) return { state: 'error', message: sentence(failed) };
    if (pusher.lastError !== null && pusher.lastPushAt !== null && pusher.lastPushAt >= facts.updatedAt && pusher.lastPushSkus.includes(facts.sku)) {
      return { state: 'error', message: pusher.lastError };
    }
    if (blockedReason !== null) return { state: 'waiting', message: blockedReason };
    return { state: 'pushing', message: null };
  }
  if (facts.inFlight) return { state: 'pushing', message: null };
  if (facts.failedWrite) {
    const failed = problem(0);
    return { state: 'error', message: failed ? sentence(failed) : 'The last stock update did not reach Etsy; the next sync tries again.' };
  }
  return { state: 'on_etsy', message: null };
}
