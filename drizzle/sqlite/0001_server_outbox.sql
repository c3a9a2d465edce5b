CREATE TABLE `server_catalog_state` (
	`sku` text PRIMARY KEY NOT NULL,
	`server_version` integer NOT NULL,
	`server_stock` integer NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `server_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `server_outbox_pending_idx` ON `server_outbox` (`sent_at`,`id`);--> statement-breakpoint
-- Hand-added below (drizzle-kit does not generate triggers): every change to what the server mirrors
-- enqueues itself in server_outbox inside the transaction that makes the change, so no code path can
-- change history, links or runs without the push knowing. They fire only while the server link is on
-- (sync_state 'server.outbox' = 'on', set by src/main/server/outbox.ts together with a backfill).
CREATE TRIGGER `server_outbox_history_insert` AFTER INSERT ON `change_history`
WHEN EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('history', CAST(NEW.`id` AS TEXT), CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_link_insert` AFTER INSERT ON `sku_links`
WHEN EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('mapping', NEW.`listing_id` || ':' || NEW.`product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_link_update` AFTER UPDATE OF `variant_id`, `listing_id`, `product_key` ON `sku_links`
WHEN (OLD.`variant_id` IS NOT NEW.`variant_id` OR OLD.`listing_id` IS NOT NEW.`listing_id` OR OLD.`product_key` IS NOT NEW.`product_key`)
  AND EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('mapping', OLD.`listing_id` || ':' || OLD.`product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('mapping', NEW.`listing_id` || ':' || NEW.`product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_link_delete` AFTER DELETE ON `sku_links`
WHEN EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('mapping', OLD.`listing_id` || ':' || OLD.`product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_listing_update` AFTER UPDATE ON `etsy_listings`
WHEN (OLD.`title` IS NOT NEW.`title` OR OLD.`state` IS NOT NEW.`state` OR OLD.`url` IS NOT NEW.`url` OR OLD.`removed_at` IS NOT NEW.`removed_at`)
  AND EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`)
    SELECT 'mapping', `listing_id` || ':' || `product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `sku_links` WHERE `listing_id` = NEW.`listing_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_product_update` AFTER UPDATE ON `etsy_products`
WHEN (OLD.`sku` IS NOT NEW.`sku` OR OLD.`is_deleted` IS NOT NEW.`is_deleted`)
  AND EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`)
    SELECT 'mapping', `listing_id` || ':' || `product_key`, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `sku_links`
    WHERE `listing_id` = NEW.`listing_id` AND `product_key` = NEW.`product_key`;
END;
--> statement-breakpoint
CREATE TRIGGER `server_outbox_run_finished` AFTER UPDATE OF `finished_at` ON `sync_runs`
WHEN NEW.`finished_at` IS NOT NULL AND NEW.`dry_run` = 0
  AND EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'server.outbox' AND `value` = 'on')
BEGIN
  INSERT INTO `server_outbox` (`kind`, `ref`, `created_at`) VALUES ('config', 'shop', CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
