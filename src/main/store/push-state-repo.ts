/**
 * The facts a row's push state is made from (issue 15 item 1), read for a few SKUs at a time: is the
 * SKU on Etsy; does its stock still differ from what the last sync left (`bL`, the same test the edit
 * pusher's probe makes, store/catalog-change-probe.ts); is a write to one of its listings still in
 * flight (a run moves `bL` before it writes, so the write intents say whether Etsy has it yet); did the
 * newest write to one of its listings fail; and the open attention items about the SKU or its listings
 * (a failed write is raised per listing). Core turns them into words (core-views.ts).
 */
import type Database from 'better-sqlite3';

export interface PushFacts {
  sku: string;
  /** Linked to a live listing, or shown by a live Etsy product while never synced yet. */
  onEtsy: boolean;
  /** The catalog's stock is not on Etsy yet: a push (or the next sync) still has to carry it. */
  pending: boolean;
  /** A write to one of its live listings is planned or sent and not answered yet (or its outcome unknown). */
  inFlight: boolean;
  /** The newest write to one of its live listings failed (the next sync writes again). */
  failedWrite: boolean;
  /** When the variant last changed (an edit, an import, a sync's update). */
  updatedAt: number;
  /** Open attention items about this SKU or one of its listings, newest first. */
  problems: { message: string; action: string | null; lastSeenAt: number }[];
}

const LIVE_LISTING = `l.removed_at IS NULL AND l.state != 'removed'`;
/** The live listings linked to variant `v` (used inside the facts query). */
const LIVE_LINKED = `SELECT k.listing_id FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id WHERE k.variant_id = v.id AND ${LIVE_LISTING}`;

export class PushStateRepo {
  private readonly factsStmt: Database.Statement;
  private readonly problemsStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.factsStmt = sqlite.prepare(`
      SELECT v.sku AS sku, v.updated_at AS updatedAt,
        (EXISTS (SELECT 1 FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id WHERE k.variant_id = v.id AND ${LIVE_LISTING})
         OR EXISTS (SELECT 1 FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
                    WHERE p.sku = v.sku AND p.is_deleted = 0 AND ${LIVE_LISTING})) AS onEtsy,
        (EXISTS (SELECT 1 FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id
                 WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL AND k.baseline_catalog != v.quantity AND ${LIVE_LISTING})
         OR (NOT EXISTS (SELECT 1 FROM sku_links k WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL)
             AND EXISTS (SELECT 1 FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
                         WHERE p.sku = v.sku AND p.is_deleted = 0 AND ${LIVE_LISTING}))) AS pending,
        EXISTS (SELECT 1 FROM pending_writes w WHERE w.status IN ('pending', 'unknown')
                AND w.listing_id IN (${LIVE_LINKED})) AS inFlight,
        EXISTS (SELECT 1 FROM pending_writes w WHERE w.status = 'failed' AND w.listing_id IN (${LIVE_LINKED})
                AND NOT EXISTS (SELECT 1 FROM pending_writes n WHERE n.listing_id = w.listing_id AND n.id > w.id)) AS failedWrite
      FROM catalog_variants v WHERE v.sku IN (SELECT value FROM json_each(?))`);
    this.problemsStmt = sqlite.prepare(`
      SELECT v.sku AS sku, a.message AS message, a.action AS action, a.last_seen_at AS lastSeenAt
      FROM catalog_variants v JOIN attention_items a ON a.resolved_at IS NULL
        AND (a.sku = v.sku OR (a.listing_id != 0 AND a.listing_id IN (SELECT k.listing_id FROM sku_links k WHERE k.variant_id = v.id)))
      WHERE v.sku IN (SELECT value FROM json_each(?))
      ORDER BY a.last_seen_at DESC, a.id DESC`);
  }

  /** Facts for the SKUs that exist in the catalog (unknown SKUs are left out). */
  facts(skus: readonly string[]): PushFacts[] {
    const list = JSON.stringify([...new Set(skus)]);
    const rows = this.factsStmt.all(list) as { sku: string; updatedAt: number; onEtsy: number; pending: number; inFlight: number; failedWrite: number }[];
    const problems = this.problemsStmt.all(list) as { sku: string; message: string; action: string | null; lastSeenAt: number }[];
    return rows.map((row) => ({
      sku: row.sku,
      onEtsy: row.onEtsy === 1,
      pending: row.pending === 1,
      inFlight: row.inFlight === 1,
      failedWrite: row.failedWrite === 1,
      updatedAt: row.updatedAt,
      problems: problems.filter((p) => p.sku === row.sku).map(({ message, action, lastSeenAt }) => ({ message, action, lastSeenAt })),
    }));
  }
}
