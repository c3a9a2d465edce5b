/**
 * zod schemas for what enters from Etsy: only the fields Art Sync uses, lenient about extra fields
 * (z.object strips unknown keys). Field names stay Etsy's. Lists are checked in two steps: the
 * envelope `{count, results[]}` must be sound (else the call fails), then each item on its own —
 * a malformed item is reported and skipped, never fatal (docs/PRODUCT.md §9).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';

const id = z.number().int().positive();
const epochSeconds = z.number().int().nonnegative();

export const moneySchema = z.object({
  amount: z.number().int(),
  divisor: z.number().int().positive(),
  currency_code: z.string().min(1),
});
export type Money = z.infer<typeof moneySchema>;

export const selfSchema = z.object({ user_id: id, shop_id: id.nullable().optional() });
export type EtsySelf = z.infer<typeof selfSchema>;

export const shopSchema = z.object({
  shop_id: id,
  shop_name: z.string(),
  user_id: id.optional(),
  title: z.string().nullable().optional(),
  currency_code: z.string().optional(),
  url: z.string().optional(),
  is_vacation: z.boolean().optional(),
});
export type EtsyShop = z.infer<typeof shopSchema>;

export const propertyValueSchema = z.object({
  property_id: id,
  property_name: z.string().nullable().optional(),
  scale_id: z.number().int().nullable().optional(),
  scale_name: z.string().nullable().optional(),
  value_ids: z.array(id),
  values: z.array(z.string()),
});
export type PropertyValue = z.infer<typeof propertyValueSchema>;

export const offeringSchema = z.object({
  offering_id: id,
  quantity: z.number().int().nonnegative(),
  is_enabled: z.boolean(),
  is_deleted: z.boolean().optional().default(false),
  price: moneySchema,
  readiness_state_id: id.nullable().optional(),
});
export type InventoryOffering = z.infer<typeof offeringSchema>;

export const productSchema = z.object({
  product_id: id,
  // Etsy sends "" when there is no SKU, and nothing but "" to a non-owner (docs/ETSY_API_NOTES.md §9.9).
  sku: z.string().nullable().optional().transform((v) => v ?? ''),
  is_deleted: z.boolean().optional().default(false),
  offerings: z.array(offeringSchema),
  property_values: z.array(propertyValueSchema).optional().default([]),
});
export type InventoryProduct = z.infer<typeof productSchema>;

const onProperty = z.array(id).nullable().optional().transform((v) => v ?? []);

/** An inventory is all-or-nothing: a PUT replaces it whole, so a half-understood one must not be used. */
export const inventorySchema = z.object({
  products: z.array(productSchema),
  price_on_property: onProperty,
  quantity_on_property: onProperty,
  sku_on_property: onProperty,
  readiness_state_on_property: onProperty,
});
export type ListingInventory = z.infer<typeof inventorySchema>;

export const LISTING_STATES = ['active', 'inactive', 'sold_out', 'draft', 'removed', 'expired'] as const;
export type EtsyListingState = (typeof LISTING_STATES)[number];

export const listingSchema = z.object({
  listing_id: id,
  shop_id: id.optional(),
  user_id: id.optional(),
  title: z.string(),
  // Kept open: Etsy has sent states outside its enum before ("edit", docs/ETSY_API_NOTES.md §7).
  state: z.string().min(1),
  quantity: z.number().int().nonnegative().optional(),
  url: z.string().optional(),
  skus: z.array(z.string()).optional().default([]),
  has_variations: z.boolean().optional(),
  price: moneySchema.optional(),
  created_timestamp: epochSeconds.optional(),
  updated_timestamp: epochSeconds.optional(),
  last_modified_timestamp: epochSeconds.optional(),
  state_timestamp: epochSeconds.nullable().optional(),
  readiness_state_id: id.nullable().optional(),
  inventory: inventorySchema.nullable().optional(),
});
export type EtsyListing = z.infer<typeof listingSchema>;

export const transactionSchema = z.object({
  transaction_id: id,
  receipt_id: id.optional(),
  listing_id: id.nullable().optional(),
  product_id: id.nullable().optional(),
  // Real receipts often carry "" (docs/ETSY_API_NOTES.md §9.25): that is "no SKU", never a SKU to group sales under.
  sku: z
    .string()
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v)),
  quantity: z.number().int().nonnegative(),
  price: moneySchema.optional(),
  created_timestamp: epochSeconds.optional(),
  variations: z
    .array(
      z.object({
        property_id: z.number().int().optional(),
        value_id: z.number().int().nullable().optional(),
        formatted_name: z.string().optional(),
        formatted_value: z.string().optional(),
      }),
    )
    .optional()
    .default([]),
});
export type ReceiptTransaction = z.infer<typeof transactionSchema>;

/** A receipt with one unreadable transaction is skipped whole: a partial one would miscount a sale. */
export const receiptSchema = z.object({
  receipt_id: id,
  // The document's enum is lowercase, real bodies capitalise ("Paid", "Fully Refunded", docs/ETSY_API_NOTES.md §9.23):
  // one canonical lowercase form here, so no caller can compare statuses case-sensitively by mistake.
  status: z.string().transform((v) => v.trim().toLowerCase()),
  is_paid: z.boolean().optional(),
  created_timestamp: epochSeconds,
  updated_timestamp: epochSeconds.optional(),
  transactions: z.array(transactionSchema).optional().default([]),
});
export type EtsyReceipt = z.infer<typeof receiptSchema>;

export const readinessDefinitionSchema = z.object({
  readiness_state_id: id,
  shop_id: id.optional(),
  readiness_state: z.string(),
  min_processing_days: z.number().int().nonnegative().optional(),
  max_processing_days: z.number().int().nonnegative().optional(),
  processing_days_display_label: z.string().optional(),
});
export type ReadinessStateDefinition = z.infer<typeof readinessDefinitionSchema>;

export const listEnvelopeSchema = z.object({
  count: z.number().int().nonnegative(),
  results: z.array(z.unknown()),
});

/** One item Etsy sent that Art Sync could not use. */
export interface SkippedItem {
  listingId?: number;
  receiptId?: number;
  readinessStateId?: number;
  reason: string;
}

export interface ParsedList<T> {
  count: number;
  results: T[];
  skipped: SkippedItem[];
}

/** Short, readable zod issue summary ("inventory.products.0.offerings.1.quantity: Too small..."). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(item)'}: ${issue.message}`)
    .join('; ');
}

/** Validates a single object answer; a malformed one is an error (there is nothing else to use). */
export function parseEntity<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('ETSY_REJECTED', `Etsy sent an answer Art Sync cannot read (${what}): ${describeIssues(parsed.error)}.`);
  }
  return parsed.data;
}

type IdKey = 'listingId' | 'receiptId' | 'readinessStateId';
const ETSY_ID_FIELD: Record<IdKey, string> = {
  listingId: 'listing_id',
  receiptId: 'receipt_id',
  readinessStateId: 'readiness_state_id',
};

/** Validates `{count, results}` then each item; bad items go to `skipped` (and `onInvalid`). */
export function parseList<S extends z.ZodType>(
  schema: S,
  body: unknown,
  what: string,
  idKey: IdKey,
  onInvalid?: (item: SkippedItem) => void,
): ParsedList<z.infer<S>> {
  const envelope = parseEntity(listEnvelopeSchema, body, what);
  const results: z.infer<S>[] = [];
  const skipped: SkippedItem[] = [];
  envelope.results.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      results.push(parsed.data);
      return;
    }
    const rawId = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[ETSY_ID_FIELD[idKey]] : undefined;
    const item: SkippedItem = { reason: `Item ${index} of ${what} is malformed: ${describeIssues(parsed.error)}` };
    if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) item[idKey] = rawId;
    skipped.push(item);
    onInvalid?.(item);
  });
  return { count: envelope.count, results, skipped };
}
