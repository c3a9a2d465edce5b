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
  /** Open attention items about this SKU, or a refused write to one of its listings, newest first. */
  problems: { message: string; action: string | null; lastSeenAt: number }[];
}

const LIVE_LISTING = `l.removed_at IS NULL AND l.state != 'removed'`;
const JSON_LIST = '(SELECT value FROM json_each(?))';
/**
 * Listing-wide attention that is about this SKU's stock: a write Etsy refused. Other listing items
 * (a variation without a SKU beside it) say nothing about whether this SKU's stock got there.
 */
const LISTING_WRITE_KINDS = `('write_failed', 'deactivate_failed')`;
/** Every status a write intent can have: listed so the newer-write test can use the (status, listing_id) index. */
const WRITE_STATUSES = `('pending', 'unknown', 'written', 'done', 'failed')`;

/**
 * A few small indexed queries rather than one with correlated subqueries: a page of 100 rows must stay
 * a few milliseconds with 20,000 variants, 100,000 write intents and thousands of open attention items.
 */
export class PushStateRepo {
  private readonly variantsStmt: Database.Statement;
  private readonly linksStmt: Database.Statement;
  private readonly inFlightStmt: Database.Statement;
  private readonly failedStmt: Database.Statement;
  private readonly problemsStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.variantsStmt = sqlite.prepare(`
      SELECT v.id AS id, v.sku AS sku, v.updated_at AS updatedAt,
        EXISTS (SELECT 1 FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
                WHERE p.sku = v.sku AND p.is_deleted = 0 AND ${LIVE_LISTING}) AS shownOnEtsy,
        EXISTS (SELECT 1 FROM sku_links k WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL) AS synced,
        EXISTS (SELECT 1 FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id
                WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL AND k.baseline_catalog != v.quantity AND ${LIVE_LISTING}) AS differs
      FROM catalog_variants v WHERE v.sku IN ${JSON_LIST}`);
    this.linksStmt = sqlite.prepare(`
      SELECT DISTINCT k.variant_id AS variantId, k.listing_id AS listingId
      FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id
      WHERE k.variant_id IN ${JSON_LIST} AND ${LIVE_LISTING}`);
    this.inFlightStmt = sqlite.prepare(`
      SELECT DISTINCT listing_id AS listingId FROM pending_writes
      WHERE status IN ('pending', 'unknown') AND listing_id IN ${JSON_LIST}`);
    this.failedStmt = sqlite.prepare(`
      SELECT DISTINCT w.listing_id AS listingId FROM pending_writes w
      WHERE w.status = 'failed' AND w.listing_id IN ${JSON_LIST}
        AND NOT EXISTS (SELECT 1 FROM pending_writes n WHERE n.status IN ${WRITE_STATUSES} AND n.listing_id = w.listing_id AND n.id > w.id)`);
    this.problemsStmt = sqlite.prepare(`
      SELECT sku, listing_id AS listingId, message, action, last_seen_at AS lastSeenAt FROM attention_items
      WHERE resolved_at IS NULL AND (sku IN ${JSON_LIST} OR (listing_id IN ${JSON_LIST} AND kind IN ${LISTING_WRITE_KINDS}))
      ORDER BY last_seen_at DESC, id DESC`);
  }

  /** Facts for the SKUs that exist in the catalog (unknown SKUs are left out). */
  facts(skus: readonly string[]): PushFacts[] {
    const variants = this.variantsStmt.all(JSON.stringify([...new Set(skus)])) as {
      id: number;
      sku: string;
      updatedAt: number;
      shownOnEtsy: number;
      synced: number;
      differs: number;
    }[];
    if (variants.length === 0) return [];
    const links = this.linksStmt.all(JSON.stringify(variants.map((v) => v.id))) as { variantId: number; listingId: number }[];
    const listingIds = JSON.stringify([...new Set(links.map((link) => link.listingId))]);
    const inFlight = new Set((this.inFlightStmt.all(listingIds) as { listingId: number }[]).map((row) => row.listingId));
    const failed = new Set((this.failedStmt.all(listingIds) as { listingId: number }[]).map((row) => row.listingId));
    const problems = this.problemsStmt.all(JSON.stringify(variants.map((v) => v.sku)), listingIds) as {
      sku: string;
      listingId: number;
      message: string;
      action: string | null;
      lastSeenAt: number;
    }[];
    return variants.map((v) => {
      const listings = new Set(links.filter((link) => link.variantId === v.id).map((link) => link.listingId));
      return {
        sku: v.sku,
        onEtsy: listings.size > 0 || v.shownOnEtsy === 1,
        // Not carried yet: differs from bL on a live link, or never synced while a live listing shows it.
        pending: v.differs === 1 || (v.synced === 0 && v.shownOnEtsy === 1),
        inFlight: [...listings].some((id) => inFlight.has(id)),
        failedWrite: [...listings].some((id) => failed.has(id)),
        updatedAt: v.updatedAt,
        problems: problems
          .filter((p) => p.sku === v.sku || (p.listingId !== 0 && listings.has(p.listingId)))
          .map(({ message, action, lastSeenAt }) => ({ message, action, lastSeenAt })),
      };
    });
  }
}
