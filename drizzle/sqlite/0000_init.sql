CREATE TABLE `api_call_log` (
	`bucket_start` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `attention_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`listing_id` integer DEFAULT 0 NOT NULL,
	`sku` text DEFAULT '' NOT NULL,
	`message` text NOT NULL,
	`action` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attention_items_key_uq` ON `attention_items` (`kind`,`listing_id`,`sku`);--> statement-breakpoint
CREATE INDEX `attention_items_open_idx` ON `attention_items` (`resolved_at`);--> statement-breakpoint
CREATE TABLE `catalog_products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `catalog_variants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`sku` text NOT NULL,
	`title` text,
	`quantity` integer NOT NULL,
	`price_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `catalog_products`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "catalog_variants_quantity_nonneg" CHECK("catalog_variants"."quantity" >= 0),
	CONSTRAINT "catalog_variants_currency_len" CHECK(length("catalog_variants"."currency") = 3)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_variants_sku_unique` ON `catalog_variants` (`sku`);--> statement-breakpoint
CREATE INDEX `catalog_variants_product_idx` ON `catalog_variants` (`product_id`);--> statement-breakpoint
CREATE TABLE `change_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`at` integer NOT NULL,
	`sku` text NOT NULL,
	`listing_id` integer,
	`side` text NOT NULL,
	`field` text NOT NULL,
	`before_value` text,
	`after_value` text,
	`reason` text NOT NULL,
	`explanation` text NOT NULL,
	`receipt_ids` text DEFAULT '[]' NOT NULL,
	`status` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `sync_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `change_history_sku_at_idx` ON `change_history` (`sku`,`at`);--> statement-breakpoint
CREATE INDEX `change_history_at_idx` ON `change_history` (`at`);--> statement-breakpoint
CREATE INDEX `change_history_run_idx` ON `change_history` (`run_id`);--> statement-breakpoint
CREATE TABLE `etsy_connection` (
	`id` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`user_id` integer NOT NULL,
	`shop_id` integer NOT NULL,
	`shop_name` text NOT NULL,
	`shop_currency` text,
	`connected_at` integer NOT NULL,
	`needs_reconnect` integer DEFAULT false NOT NULL,
	`reconnect_reason` text,
	CONSTRAINT "etsy_connection_single_row" CHECK("etsy_connection"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `etsy_listings` (
	`listing_id` integer PRIMARY KEY NOT NULL,
	`shop_id` integer NOT NULL,
	`title` text NOT NULL,
	`state` text NOT NULL,
	`url` text,
	`etsy_created_ts` integer,
	`etsy_updated_ts` integer,
	`etsy_state_ts` integer,
	`price_on_property` text DEFAULT '[]' NOT NULL,
	`quantity_on_property` text DEFAULT '[]' NOT NULL,
	`sku_on_property` text DEFAULT '[]' NOT NULL,
	`readiness_state_on_property` text DEFAULT '[]' NOT NULL,
	`has_inventory` integer DEFAULT false NOT NULL,
	`inventory_fetched_at` integer,
	`last_seen_at` integer NOT NULL,
	`removed_at` integer,
	`deactivated_by_app` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `etsy_listings_shop_idx` ON `etsy_listings` (`shop_id`,`state`);--> statement-breakpoint
CREATE TABLE `etsy_offerings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`etsy_offering_id` integer,
	`quantity` integer NOT NULL,
	`price_amount` integer NOT NULL,
	`price_divisor` integer NOT NULL,
	`currency` text NOT NULL,
	`is_enabled` integer DEFAULT true NOT NULL,
	`readiness_state_id` integer,
	FOREIGN KEY (`product_id`) REFERENCES `etsy_products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `etsy_offerings_product_idx` ON `etsy_offerings` (`product_id`);--> statement-breakpoint
CREATE TABLE `etsy_products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`product_key` text NOT NULL,
	`sku` text DEFAULT '' NOT NULL,
	`property_values` text DEFAULT '[]' NOT NULL,
	`etsy_product_id` integer,
	`is_deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`listing_id`) REFERENCES `etsy_listings`(`listing_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `etsy_products_listing_key_uq` ON `etsy_products` (`listing_id`,`product_key`);--> statement-breakpoint
CREATE INDEX `etsy_products_sku_idx` ON `etsy_products` (`sku`);--> statement-breakpoint
CREATE TABLE `etsy_receipt_items` (
	`transaction_id` integer PRIMARY KEY NOT NULL,
	`receipt_id` integer NOT NULL,
	`listing_id` integer,
	`etsy_product_id` integer,
	`sku` text,
	`quantity` integer NOT NULL,
	`created_ts` integer NOT NULL,
	FOREIGN KEY (`receipt_id`) REFERENCES `etsy_receipts`(`receipt_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `etsy_receipt_items_sku_idx` ON `etsy_receipt_items` (`sku`,`created_ts`);--> statement-breakpoint
CREATE INDEX `etsy_receipt_items_receipt_idx` ON `etsy_receipt_items` (`receipt_id`);--> statement-breakpoint
CREATE TABLE `etsy_receipts` (
	`receipt_id` integer PRIMARY KEY NOT NULL,
	`status` text,
	`created_ts` integer NOT NULL,
	`updated_ts` integer
);
--> statement-breakpoint
CREATE TABLE `pending_writes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`run_id` integer,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `sync_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pending_writes_status_idx` ON `pending_writes` (`status`,`listing_id`);--> statement-breakpoint
CREATE TABLE `rate_limit_state` (
	`id` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`limit_per_second` integer NOT NULL,
	`limit_per_day` integer NOT NULL,
	`remaining_today` integer,
	`observed_at` integer,
	CONSTRAINT "rate_limit_state_single_row" CHECK("rate_limit_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sku_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`product_key` text NOT NULL,
	`variant_id` integer NOT NULL,
	`baseline_etsy` integer,
	`baseline_catalog` integer,
	`baseline_at` integer,
	`written_product_id` integer,
	`written_quantity` integer,
	`written_at` integer,
	FOREIGN KEY (`variant_id`) REFERENCES `catalog_variants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sku_links_listing_key_uq` ON `sku_links` (`listing_id`,`product_key`);--> statement-breakpoint
CREATE INDEX `sku_links_variant_idx` ON `sku_links` (`variant_id`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`trigger` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`calls_used` integer DEFAULT 0 NOT NULL,
	`changes_count` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`summary` text
);
--> statement-breakpoint
CREATE INDEX `sync_runs_kind_started_idx` ON `sync_runs` (`kind`,`started_at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
