/**
 * The server schema (Postgres, drizzle pg-core): the Art Management Tool's catalog (`products`,
 * `product_variants`) and the three tables Art Sync pushes its Etsy link and history into. Applied only
 * by `art-sync server migrate` (src/main/server/migrate.ts), never automatically. After changing this
 * file run `npm run db:generate:server -- --name <change>`; released migrations must stay additive
 * (test/server/migrations-additive.test.ts). Column comments live in the custom migration
 * drizzle/postgres/0001_comments.sql because drizzle-kit does not emit COMMENT ON.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const productVariants = pgTable(
  'product_variants',
  {
    id: serial('id').primaryKey(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull().unique('product_variants_sku_uq'),
    title: text('title'),
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull(),
    stock: integer('stock').notNull(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('product_variants_stock_nonneg', sql`${t.stock} >= 0`),
    check('product_variants_price_nonneg', sql`${t.priceAmount} >= 0`),
    check('product_variants_currency_len', sql`length(${t.currency}) = 3`),
    index('product_variants_product_idx').on(t.productId),
  ],
);

export const etsySyncConfig = pgTable('etsy_sync_config', {
  shopId: bigint('shop_id', { mode: 'number' }).primaryKey(),
  shopName: text('shop_name').notNull(),
  lastProductSyncAt: tz('last_product_sync_at'),
  lastInventorySyncAt: tz('last_inventory_sync_at'),
  productSyncEnabled: boolean('product_sync_enabled').notNull(),
  inventorySyncEnabled: boolean('inventory_sync_enabled').notNull(),
  budgetUsedToday: integer('budget_used_today').notNull().default(0),
  budgetLimitPerDay: integer('budget_limit_per_day').notNull(),
  budgetLimitPerSecond: integer('budget_limit_per_second').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const etsyProducts = pgTable(
  'etsy_products',
  {
    listingId: bigint('listing_id', { mode: 'number' }).notNull(),
    productKey: text('product_key').notNull(),
    sku: text('sku').notNull(),
    productId: integer('product_id').references(() => products.id, { onDelete: 'set null' }),
    variantId: integer('variant_id').references(() => productVariants.id, { onDelete: 'set null' }),
    listingTitle: text('listing_title').notNull(),
    listingState: text('listing_state').notNull(),
    listingUrl: text('listing_url'),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    deletedAt: tz('deleted_at'),
  },
  (t) => [
    primaryKey({ name: 'etsy_products_pk', columns: [t.listingId, t.productKey] }),
    index('etsy_products_sku_idx').on(t.sku),
    index('etsy_products_variant_idx').on(t.variantId),
  ],
);

export const etsyInventorySyncLog = pgTable(
  'etsy_inventory_sync_log',
  {
    eventId: uuid('event_id').primaryKey(),
    at: tz('at').notNull(),
    sku: text('sku').notNull(),
    variantId: integer('variant_id').references(() => productVariants.id, { onDelete: 'set null' }),
    listingId: bigint('listing_id', { mode: 'number' }),
    side: text('side').notNull(),
    field: text('field').notNull(),
    beforeValue: jsonb('before_value'),
    afterValue: jsonb('after_value'),
    reason: text('reason').notNull(),
    explanation: text('explanation').notNull(),
    receiptIds: jsonb('receipt_ids').notNull().default(sql`'[]'::jsonb`),
    runId: integer('run_id').notNull(),
    status: text('status').notNull(),
    error: text('error'),
    localId: bigint('local_id', { mode: 'number' }).notNull(),
    receivedAt: tz('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('etsy_inventory_sync_log_sku_at_idx').on(t.sku, t.at),
    index('etsy_inventory_sync_log_at_idx').on(t.at),
    index('etsy_inventory_sync_log_run_idx').on(t.runId),
  ],
);

/**
 * Two machines, one shop (issue 13 item 2): at most one machine syncs a shop at a time. A lease row per
 * shop, not a session advisory lock: it needs no connection held open for the whole run (a laptop's
 * Wi-Fi drop or a transaction-mode pooler would silently end a session lock), and it says who holds it.
 * Times are the server's clock (now()), so two machines' clocks never have to agree.
 */
export const etsySyncLeases = pgTable('etsy_sync_leases', {
  shopId: bigint('shop_id', { mode: 'number' }).primaryKey(),
  holderMachineId: text('holder_machine_id'),
  holderHost: text('holder_host'),
  holderPid: integer('holder_pid'),
  holderWhat: text('holder_what'),
  since: tz('since'),
  expiresAt: tz('expires_at'),
  lastMachineId: text('last_machine_id'),
  lastHost: text('last_host'),
  lastStartedAt: tz('last_started_at'),
  priorMachineId: text('prior_machine_id'),
  priorHost: text('prior_host'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/**
 * The three-way merge's per-link baselines as the last machine that synced the shop left them, so a
 * machine taking over merges from them and never counts a sale the other already counted.
 */
export const etsyLinkBaselines = pgTable(
  'etsy_link_baselines',
  {
    shopId: bigint('shop_id', { mode: 'number' }).notNull(),
    listingId: bigint('listing_id', { mode: 'number' }).notNull(),
    productKey: text('product_key').notNull(),
    sku: text('sku').notNull(),
    baselineEtsy: integer('baseline_etsy').notNull(),
    baselineCatalog: integer('baseline_catalog').notNull(),
    machineId: text('machine_id').notNull(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'etsy_link_baselines_pk', columns: [t.shopId, t.listingId, t.productKey] })],
);

/** Which server migrations Art Sync has applied; kept apart from any drizzle table the tool itself uses. */
export const artSyncSchemaMigrations = pgTable('art_sync_schema_migrations', {
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).primaryKey(),
  appliedAt: tz('applied_at').notNull().defaultNow(),
});
