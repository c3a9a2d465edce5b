/**
 * The status report (PRODUCT.md §7 `status --json`), built from the store. The window's Status page
 * and the tray read the same shape. Later work fills `jobs` (the scheduler passes its view in).
 */
import { gt, isNull, sql } from 'drizzle-orm';
import type { StoreDb } from './store/open-store';
import { apiCallLog, attentionItems, etsyConnection, rateLimitState } from './store/schema';

/** Etsy's documented defaults until response headers say otherwise (PRODUCT.md §5). */
export const DEFAULT_LIMIT_PER_SECOND = 5;
export const DEFAULT_LIMIT_PER_DAY = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface JobStatus {
  name: string;
  enabled: boolean;
  lastRunAt: number | null;
  lastResult: string | null;
  nextRunAt: number | null;
}

export interface StatusReport {
  connected: boolean;
  /** True when Etsy revoked the grant: the user must connect again. */
  needsReconnect: boolean;
  shop: { id: number; name: string } | null;
  jobs: JobStatus[];
  budget: { usedToday: number; limitPerDay: number; limitPerSecond: number };
  /** Open "needs attention" items. */
  attention: number;
}

export interface BuildStatusOptions {
  now?: number;
  /** The scheduler's view of its jobs; empty until a scheduler exists. */
  jobs?: JobStatus[];
}

export function buildStatus(db: StoreDb, options: BuildStatusOptions = {}): StatusReport {
  const now = options.now ?? Date.now();
  const connection = db.select().from(etsyConnection).get();
  const limits = db.select().from(rateLimitState).get();
  // Rolling 24 h: minute buckets that started within the last day.
  const used = db
    .select({ total: sql<number | null>`sum(${apiCallLog.count})` })
    .from(apiCallLog)
    .where(gt(apiCallLog.bucketStart, now - DAY_MS))
    .get();
  const open = db
    .select({ n: sql<number>`count(*)` })
    .from(attentionItems)
    .where(isNull(attentionItems.resolvedAt))
    .get();

  return {
    connected: connection !== undefined && !connection.needsReconnect,
    needsReconnect: connection?.needsReconnect ?? false,
    shop: connection === undefined ? null : { id: connection.shopId, name: connection.shopName },
    jobs: options.jobs ?? [],
    budget: {
      usedToday: used?.total ?? 0,
      limitPerDay: limits?.limitPerDay ?? DEFAULT_LIMIT_PER_DAY,
      limitPerSecond: limits?.limitPerSecond ?? DEFAULT_LIMIT_PER_SECOND,
    },
    attention: open?.n ?? 0,
  };
}
