/**
 * The local SQLite schema (drizzle). Times are ms epoch integers unless a column says `_ts` (Etsy's
 * epoch seconds). Money is integer minor units plus a currency code. Booleans are 0/1 integers.
 * After changing this file run `npm run db:generate -- --name <what-changed>` and add a test file
 * under test/store/migrations/ for the new migration. See docs/DATA_MODEL.md for why each table exists.
 */
import type { PlanAttentionKind } from '../../shared/plan';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// ---------------------------------------------------------------- catalog

export const catalogProducts = sqliteTable('catalog_products', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const catalogVariants = sqliteTable(
  'catalog_variants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => catalogProducts.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull().unique(),
    /** Variant label ("A4", "Framed"); null for a single-variant product. */
    title: text('title'),
    quantity: integer('quantity').notNull(),
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull(),
    /** Bumped on every change so a sync can tell "changed since I read it". */
    version: integer('version').notNull().default(1),
    /** This variant's own low-stock level (0 = never low); null = the lowStockThreshold setting. */
    lowStockThreshold: integer('low_stock_threshold'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('catalog_variants_quantity_nonneg', sql`${t.quantity} >= 0`),
    check('catalog_variants_currency_len', sql`length(${t.currency}) = 3`),
    index('catalog_variants_product_idx').on(t.productId),
  ],
);

// ---------------------------------------------------------------- Etsy mirror

export const etsyConnection = sqliteTable(
  'etsy_connection',
  {
    id: integer('id').primaryKey().default(1),
    userId: integer('user_id').notNull(),
    shopId: integer('shop_id').notNull(),
    shopName: text('shop_name').notNull(),
    shopCurrency: text('shop_currency'),
    connectedAt: integer('connected_at').notNull(),
    needsReconnect: integer('needs_reconnect', { mode: 'boolean' }).notNull().default(false),
    reconnectReason: text('reconnect_reason'),
  },
  (t) => [check('etsy_connection_single_row', sql`${t.id} = 1`)],
);

export const LISTING_STATES = [
  'active',
  'inactive',
  'sold_out',
  'draft',
  'removed',
  'expired',
  'edit',
] as const;
export type ListingState = (typeof LISTING_STATES)[number];

export const etsyListings = sqliteTable(
  'etsy_listings',
  {
    listingId: integer('listing_id').primaryKey(),
    shopId: integer('shop_id').notNull(),
    title: text('title').notNull(),
    /** Stored as text, not checked: Etsy may add states and the mirror must not reject them. */
    state: text('state').$type<ListingState>().notNull(),
    url: text('url'),
    etsyCreatedTs: integer('etsy_created_ts'),
    etsyUpdatedTs: integer('etsy_updated_ts'),
    etsyStateTs: integer('etsy_state_ts'),
    /** JSON arrays of property ids, kept so a whole-inventory PUT can send them back unchanged. */
    priceOnProperty: text('price_on_property').notNull().default('[]'),
    quantityOnProperty: text('quantity_on_property').notNull().default('[]'),
    skuOnProperty: text('sku_on_property').notNull().default('[]'),
    readinessStateOnProperty: text('readiness_state_on_property').notNull().default('[]'),
    hasInventory: integer('has_inventory', { mode: 'boolean' }).notNull().default(false),
    inventoryFetchedAt: integer('inventory_fetched_at'),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Set when the listing disappears from Etsy; rows are never deleted (history points at them). */
    removedAt: integer('removed_at'),
    /** True only when this app set the listing inactive (zero stock), so it may re-activate it. */
    deactivatedByApp: integer('deactivated_by_app', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('etsy_listings_shop_idx').on(t.shopId, t.state)],
);

export const etsyProducts = sqliteTable(
  'etsy_products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id')
      .notNull()
      .references(() => etsyListings.listingId),
    /** Sorted property_id:value_ids of the variation ("" without variations; see src/shared/product-key.ts). Never Etsy's product_id. */
    productKey: text('product_key').notNull(),
    sku: text('sku').notNull().default(''),
    propertyValues: text('property_values').notNull().default('[]'),
    /** Latest Etsy product_id seen; informational only because it changes on every write. */
    etsyProductId: integer('etsy_product_id'),
    isDeleted: integer('is_deleted', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('etsy_products_listing_key_uq').on(t.listingId, t.productKey),
    index('etsy_products_sku_idx').on(t.sku),
  ],
);

export const etsyOfferings = sqliteTable(
  'etsy_offerings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => etsyProducts.id, { onDelete: 'cascade' }),
    etsyOfferingId: integer('etsy_offering_id'),
    quantity: integer('quantity').notNull(),
    priceAmount: integer('price_amount').notNull(),
    priceDivisor: integer('price_divisor').notNull(),
    currency: text('currency').notNull(),
    isEnabled: integer('is_enabled', { mode: 'boolean' }).notNull().default(true),
    readinessStateId: integer('readiness_state_id'),
  },
  (t) => [index('etsy_offerings_product_idx').on(t.productId)],
);

// ---------------------------------------------------------------- links

export const skuLinks = sqliteTable(
  'sku_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id').notNull(),
    productKey: text('product_key').notNull(),
    variantId: integer('variant_id')
      .notNull()
      .references(() => catalogVariants.id, { onDelete: 'cascade' }),
    /** bE: the quantity Etsy had for this product after the last successful sync. */
    baselineEtsy: integer('baseline_etsy'),
    /** bL: the quantity the catalog had after the last successful sync. */
    baselineCatalog: integer('baseline_catalog'),
    baselineAt: integer('baseline_at'),
    /**
     * The product id and quantity our own last write created. Etsy keeps a product id across sales and
     * renews it on every write, so sales Etsy overwrote between our read and our write can be counted
     * (docs/SYNC.md, "A sale between the read and the write").
     */
    writtenProductId: integer('written_product_id'),
    writtenQuantity: integer('written_quantity'),
    writtenAt: integer('written_at'),
  },
  (t) => [
    uniqueIndex('sku_links_listing_key_uq').on(t.listingId, t.productKey),
    index('sku_links_variant_idx').on(t.variantId),
  ],
);

// ---------------------------------------------------------------- runs and history

/** 'catalog': stock edits the owner made in the catalog that history explains (sold in person, an undo). */
export type SyncRunKind = 'products' | 'inventory' | 'full' | 'catalog';
/** 'sale' / 'edit' / 'server-edit': a targeted run of the SKUs a new receipt, a local stock edit or a stock edit on the server touched. */
export type SyncRunTrigger = 'manual' | 'schedule' | 'catchup' | 'cli' | 'demo' | 'sale' | 'edit' | 'server-edit';
/** Triggers of targeted runs: not a run of the scheduled job, whose own schedule they leave alone. */
export const TARGETED_TRIGGERS: readonly SyncRunTrigger[] = ['sale', 'edit', 'server-edit'];
export type SyncRunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'cancelled';

export const syncRuns = sqliteTable(
  'sync_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<SyncRunKind>().notNull(),
    trigger: text('trigger').$type<SyncRunTrigger>().notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    status: text('status').$type<SyncRunStatus>().notNull(),
    callsUsed: integer('calls_used').notNull().default(0),
    changesCount: integer('changes_count').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    summary: text('summary'),
  },
  (t) => [index('sync_runs_kind_started_idx').on(t.kind, t.startedAt)],
);

export type ChangeSide = 'etsy' | 'catalog';
export type ChangeField = 'quantity' | 'price' | 'state';
export type ChangeStatus = 'applied' | 'failed' | 'unknown';

export const changeHistory = sqliteTable(
  'change_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => syncRuns.id),
    at: integer('at').notNull(),
    sku: text('sku').notNull(),
    listingId: integer('listing_id'),
    side: text('side').$type<ChangeSide>().notNull(),
    field: text('field').$type<ChangeField>().notNull(),
    /** Quantities and minor-unit prices are integers; states are text. SQLite keeps either type. */
    beforeValue: text('before_value', { mode: 'json' }).$type<number | string | null>(),
    afterValue: text('after_value', { mode: 'json' }).$type<number | string | null>(),
    reason: text('reason').notNull(),
    explanation: text('explanation').notNull(),
    receiptIds: text('receipt_ids').notNull().default('[]'),
    status: text('status').$type<ChangeStatus>().notNull(),
  },
  (t) => [
    index('change_history_sku_at_idx').on(t.sku, t.at),
    index('change_history_at_idx').on(t.at),
    index('change_history_run_idx').on(t.runId),
  ],
);

// ---------------------------------------------------------------- needs attention

/** What the planner raises (PLAN_ATTENTION_KINDS, src/shared/plan.ts) and what the write path raises. */
export type AttentionKind = PlanAttentionKind | 'write_failed' | 'deactivate_failed' | 'invalid_item';

export const attentionItems = sqliteTable(
  'attention_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<AttentionKind>().notNull(),
    /** 0 = not about a listing. Not NULL, because NULLs never collide in a UNIQUE index. */
    listingId: integer('listing_id').notNull().default(0),
    /** '' = not about a SKU (same reason as listing_id). */
    sku: text('sku').notNull().default(''),
    message: text('message').notNull(),
    action: text('action'),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [
    uniqueIndex('attention_items_key_uq').on(t.kind, t.listingId, t.sku),
    index('attention_items_open_idx').on(t.resolvedAt),
  ],
);

// ---------------------------------------------------------------- write-ahead intents for Etsy writes

export type PendingWriteKind = 'inventory' | 'state';
/**
 * 'written': applied on Etsy, but the sales that write may have overwritten are not counted yet (that
 * needs the receipts fetched after it); 'done' once they are. Kept in the table so a crash between the
 * two cannot lose a sale.
 */
export type PendingWriteStatus = 'pending' | 'unknown' | 'written' | 'done' | 'failed';

export const pendingWrites = sqliteTable(
  'pending_writes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id').notNull(),
    runId: integer('run_id').references(() => syncRuns.id),
    kind: text('kind').$type<PendingWriteKind>().notNull(),
    body: text('body').notNull(),
    status: text('status').$type<PendingWriteStatus>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('pending_writes_status_idx').on(t.status, t.listingId)],
);

// ---------------------------------------------------------------- receipts (explain "sold on Etsy")

export const etsyReceipts = sqliteTable('etsy_receipts', {
  receiptId: integer('receipt_id').primaryKey(),
  status: text('status'),
  createdTs: integer('created_ts').notNull(),
  updatedTs: integer('updated_ts'),
});

export const etsyReceiptItems = sqliteTable(
  'etsy_receipt_items',
  {
    transactionId: integer('transaction_id').primaryKey(),
    receiptId: integer('receipt_id')
      .notNull()
      .references(() => etsyReceipts.receiptId, { onDelete: 'cascade' }),
    listingId: integer('listing_id'),
    etsyProductId: integer('etsy_product_id'),
    sku: text('sku'),
    quantity: integer('quantity').notNull(),
    createdTs: integer('created_ts').notNull(),
  },
  (t) => [
    index('etsy_receipt_items_sku_idx').on(t.sku, t.createdTs),
    index('etsy_receipt_items_receipt_idx').on(t.receiptId),
  ],
);

/**
 * Listings with a sale (or a cancelled order) not yet reflected in a read of the listing. A sale may not
 * move a listing's `updated` time, so the incremental scan can miss it; every listing here is read
 * through the batch endpoint before it is planned again, and leaves the set only once read. `seq` says
 * which entry a read covered: a sale stored after the read was taken keeps its listing in the set.
 */
export const etsyRereadListings = sqliteTable('etsy_reread_listings', {
  listingId: integer('listing_id').primaryKey(),
  seq: integer('seq').notNull(),
  addedAt: integer('added_at').notNull(),
});

// ---------------------------------------------------------------- settings, watermarks, budget

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  /** JSON; validated by the settings schema in src/shared when read. */
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const rateLimitState = sqliteTable(
  'rate_limit_state',
  {
    id: integer('id').primaryKey().default(1),
    limitPerSecond: integer('limit_per_second').notNull(),
    limitPerDay: integer('limit_per_day').notNull(),
    remainingToday: integer('remaining_today'),
    observedAt: integer('observed_at'),
  },
  (t) => [check('rate_limit_state_single_row', sql`${t.id} = 1`)],
);

/** One row per minute with calls made in it; the sum over the last 24 h is the day's usage. */
export const apiCallLog = sqliteTable('api_call_log', {
  bucketStart: integer('bucket_start').primaryKey(),
  count: integer('count').notNull(),
});

// ---------------------------------------------------------------- server link (optional Postgres)

export type ServerOutboxKind = 'history' | 'mapping' | 'config';

/**
 * Changes to push to the server, written by triggers (drizzle/sqlite/0002_server_outbox_triggers.sql) in
 * the same transaction as the change itself, only while the link is on. `ref` says what changed (a
 * change_history id, "listing_id:product_key", or "shop"); the relay reads the current row when it sends.
 */
export const serverOutbox = sqliteTable(
  'server_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<ServerOutboxKind>().notNull(),
    ref: text('ref').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set once the server committed the batch that carried it; null = still waiting. */
    sentAt: integer('sent_at'),
  },
  (t) => [index('server_outbox_pending_idx').on(t.sentAt, t.id)],
);

/**
 * With the server catalog on, catalog_variants is a cache of the server's product_variants: this is what
 * the server held for each SKU when last read or written (its stock and version). A local quantity that
 * differs from `server_stock` is a change not yet pushed.
 */
export const serverCatalogState = sqliteTable('server_catalog_state', {
  sku: text('sku').primaryKey(),
  serverVersion: integer('server_version').notNull(),
  serverStock: integer('server_stock').notNull(),
  syncedAt: integer('synced_at').notNull(),
});
