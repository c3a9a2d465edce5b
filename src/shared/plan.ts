import { z } from 'zod';

/**
 * The inventory sync plan: what changes where, and why, as plain data. The planner
 * (src/main/sync/plan-inventory.ts) computes it, dry run prints it, the executor applies it, history
 * records its changes, and `art-sync sync --json` / IPC / the window show it. Everything here is
 * JSON-serialisable (no undefined values, no Dates, no Maps). docs/SYNC.md explains the rules.
 */

/** Why a number changed. One code per change; `combined` when several causes met (the sentence lists them). */
export const PLAN_REASONS = [
  'sold_on_etsy',
  'edited_on_etsy',
  'edited_locally',
  'first_sync_from_etsy',
  'first_sync_from_catalog',
  'new_listing_link',
  'buffer',
  'cap_999',
  'deactivated_zero_stock',
  'reactivated_stock_returned',
  'price_sync',
  /** Etsy did not show the catalog's stock although nothing changed since the last sync (e.g. a write failed). */
  'resync',
  'combined',
] as const;
export type PlanReason = (typeof PLAN_REASONS)[number];

export const PLAN_ATTENTION_KINDS = [
  'missing_sku',
  'unmatched_variant',
  'unmatched_etsy',
  'conflict',
  'no_inventory',
  'sold_out_restock',
  'currency_mismatch',
] as const;
export type PlanAttentionKind = (typeof PLAN_ATTENTION_KINDS)[number];

const int = z.number().int();
const nonNegInt = int.min(0);

export const planChangeSchema = z.object({
  sku: z.string(),
  /** null for a catalog-side change. */
  listingId: int.nullable(),
  productKey: z.string().nullable(),
  side: z.enum(['etsy', 'catalog']),
  field: z.enum(['quantity', 'price', 'state']),
  /** Quantity, price in minor units, or listing state; null when the item is created by the plan. */
  before: z.union([int, z.string(), z.null()]),
  after: z.union([int, z.string(), z.null()]),
  reason: z.enum(PLAN_REASONS),
  /** A sentence a shop owner understands, ending in "before → after". */
  explanation: z.string(),
  receiptIds: z.array(int),
});
export type PlanChange = z.infer<typeof planChangeSchema>;

export const planCatalogCreateSchema = z.object({
  sku: z.string().min(1),
  title: z.string(),
  quantity: nonNegInt,
  priceAmount: nonNegInt,
  currency: z.string(),
});
export type PlanCatalogCreate = z.infer<typeof planCatalogCreateSchema>;

export const planListingWriteProductSchema = z.object({
  productKey: z.string(),
  quantity: nonNegInt.max(999),
  /** Price in the shop currency's minor units; absent = keep the product's current price. */
  priceAmount: nonNegInt.optional(),
});
export type PlanListingWriteProduct = z.infer<typeof planListingWriteProductSchema>;

/** The full target quantities of every product of one listing (whole-inventory PUT); never all zero. */
export const planListingWriteSchema = z.object({
  listingId: int,
  products: z.array(planListingWriteProductSchema),
});
export type PlanListingWrite = z.infer<typeof planListingWriteSchema>;

export const planStateChangeSchema = z.object({
  listingId: int,
  from: z.string(),
  to: z.enum(['active', 'inactive']),
  reason: z.enum(['deactivated_zero_stock', 'reactivated_stock_returned']),
  explanation: z.string(),
});
export type PlanStateChange = z.infer<typeof planStateChangeSchema>;

/**
 * Baselines each link holds once the plan is applied. Listed for every link whose baselines change,
 * every new link, and every link of a listing the plan writes (the executor needs `etsyRead` to store
 * `bE = E as read` before the PUT — docs/SYNC.md "Writing to Etsy safely", step 1).
 */
export const planBaselineSchema = z.object({
  listingId: int,
  productKey: z.string(),
  sku: z.string(),
  /** E as read by this plan. */
  etsyRead: nonNegInt,
  /** bE after the plan: the written target, or E when the product is not written. */
  baselineEtsy: nonNegInt,
  /** bL after the plan: the catalog's new stock. */
  baselineCatalog: nonNegInt,
});
export type PlanBaseline = z.infer<typeof planBaselineSchema>;

/** An Etsy product whose SKU matches a catalog variant but has no link row yet; insert it, then store its baselines. */
export const planNewLinkSchema = z.object({
  listingId: int,
  productKey: z.string(),
  sku: z.string().min(1),
});
export type PlanNewLink = z.infer<typeof planNewLinkSchema>;

/** Unique per (kind, listingId, sku), matching the attention_items key. */
export const planAttentionSchema = z.object({
  kind: z.enum(PLAN_ATTENTION_KINDS),
  listingId: int.optional(),
  sku: z.string().optional(),
  message: z.string(),
  action: z.string(),
});
export type PlanAttention = z.infer<typeof planAttentionSchema>;

export const planSummarySchema = z.object({
  /** SKUs whose stock was merged (linked on both sides). */
  skus: nonNegInt,
  changes: nonNegInt,
  catalogChanges: nonNegInt,
  etsyQuantityChanges: nonNegInt,
  priceChanges: nonNegInt,
  listingWrites: nonNegInt,
  stateChanges: nonNegInt,
  catalogCreates: nonNegInt,
  newLinks: nonNegInt,
  attention: nonNegInt,
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const planSchema = z.object({
  computedAt: int,
  changes: z.array(planChangeSchema),
  catalogCreates: z.array(planCatalogCreateSchema),
  listingWrites: z.array(planListingWriteSchema),
  stateChanges: z.array(planStateChangeSchema),
  baselines: z.array(planBaselineSchema),
  newLinks: z.array(planNewLinkSchema),
  attention: z.array(planAttentionSchema),
  summary: planSummarySchema,
});
export type Plan = z.infer<typeof planSchema>;

/** True when applying the plan would change nothing (attention items are a report, not a change). */
export function isPlanEmpty(plan: Plan): boolean {
  return (
    plan.changes.length === 0 &&
    plan.catalogCreates.length === 0 &&
    plan.listingWrites.length === 0 &&
    plan.stateChanges.length === 0 &&
    plan.baselines.length === 0 &&
    plan.newLinks.length === 0
  );
}
