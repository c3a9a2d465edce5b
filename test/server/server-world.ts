import type { Core } from '../../src/main/app';
import { migrateServer } from '../../src/main/server/migrate';
import { generateShop } from '../../sim';
import { startWorld, type World } from '../sync/world';
import { startTestPg, type TestPg } from './pg-harness';

/** The Etsy simulator world with the server link on, against a migrated test Postgres. */
export interface ServerWorld {
  pg: TestPg;
  world: World;
  close(): Promise<void>;
}

export function smallShop() {
  return generateShop({ listings: 5, seed: 11, variationRatio: 0.4, twoPropertyRatio: 0, sharedSkuRatio: 0, noSkuCount: 0 });
}

export async function startServerWorld(pg?: TestPg): Promise<ServerWorld> {
  const db = pg ?? (await startTestPg());
  const client = await db.admin.connect();
  try {
    await migrateServer(client);
  } finally {
    client.release();
  }
  const world = await startWorld({ shop: smallShop(), settings: { serverEnabled: true, serverUrl: db.url, serverTlsMode: 'disable' } });
  if (db.password !== null) await world.secrets.set('server.password', db.password);
  return {
    pg: db,
    world,
    async close() {
      await world.close();
      if (!pg) await db.close();
    },
  };
}

export interface LogRow {
  at: number;
  runId: number;
  sku: string;
  listingId: number | null;
  side: string;
  field: string;
  before: unknown;
  after: unknown;
  reason: string;
  explanation: string;
  receiptIds: unknown;
  status: string;
}

/** The server's change log, oldest first, in the local history's shape. */
export async function serverLog(pg: TestPg): Promise<LogRow[]> {
  const rows = await pg.admin.query<{
    at_ms: string;
    run_id: number;
    sku: string;
    listing_id: string | null;
    side: string;
    field: string;
    before_value: unknown;
    after_value: unknown;
    reason: string;
    explanation: string;
    receipt_ids: unknown;
    status: string;
  }>(
    `SELECT (extract(epoch FROM at) * 1000)::bigint AS at_ms, run_id, sku, listing_id, side, field, before_value, after_value,
       reason, explanation, receipt_ids, status FROM etsy_inventory_sync_log ORDER BY local_id`,
  );
  return rows.rows.map((r) => ({
    at: Number(r.at_ms),
    runId: r.run_id,
    sku: r.sku,
    listingId: r.listing_id === null ? null : Number(r.listing_id),
    side: r.side,
    field: r.field,
    before: r.before_value,
    after: r.after_value,
    reason: r.reason,
    explanation: r.explanation,
    receiptIds: r.receipt_ids,
    status: r.status,
  }));
}

/** The local history, oldest first, in the same shape. */
export function localLog(core: Core): LogRow[] {
  return core.repos.history
    .listHistory({ limit: 1_000_000 })
    .reverse()
    .map((h) => ({
      at: h.at,
      runId: h.runId,
      sku: h.sku,
      listingId: h.listingId,
      side: h.side,
      field: h.field,
      before: h.before,
      after: h.after,
      reason: h.reason,
      explanation: h.explanation,
      receiptIds: h.receiptIds,
      status: h.status,
    }));
}

export async function serverStock(pg: TestPg): Promise<Map<string, number>> {
  const rows = await pg.admin.query<{ sku: string; stock: number }>('SELECT sku, stock FROM product_variants ORDER BY sku');
  return new Map(rows.rows.map((r) => [r.sku, r.stock]));
}
