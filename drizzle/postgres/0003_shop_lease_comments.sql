-- Custom SQL migration: the comments for 0002_shop_lease (drizzle-kit does not emit COMMENT ON).
COMMENT ON TABLE "etsy_sync_leases" IS 'One row per Etsy shop: which machine is syncing it now (a lease renewed while the run goes, taken over once expired) and which machine synced it last.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."shop_id" IS 'Etsy shop id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."holder_machine_id" IS 'Art Sync''s random id of the machine (data folder) syncing the shop now; null when no one is.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."holder_host" IS 'Host name of the machine syncing now, for people to read.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."holder_pid" IS 'Process id of the Art Sync process syncing now, on holder_host.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."holder_what" IS 'What the holder is doing ("inventory sync").';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."since" IS 'When the holder took the lease (server clock).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."expires_at" IS 'The holder renews this while it runs; once past, another machine may take the shop over.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."last_machine_id" IS 'The machine that took the lease last (it may have counted sales).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."last_host" IS 'Host name of last_machine_id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."last_started_at" IS 'When last_machine_id took the lease.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."prior_machine_id" IS 'last_machine_id before the current taker: a different machine means a takeover, and the taker merges from etsy_link_baselines.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."prior_host" IS 'Host name of prior_machine_id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_leases"."updated_at" IS 'When the row last changed.';--> statement-breakpoint
COMMENT ON TABLE "etsy_link_baselines" IS 'The stock merge''s baselines per Etsy product, as the last machine to sync the shop left them; a machine taking over merges from these so no sale is counted twice.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."shop_id" IS 'Etsy shop id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."listing_id" IS 'Etsy listing id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."product_key" IS 'Art Sync''s stable key of the Etsy product (variation) within the listing.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."sku" IS 'The SKU linking the Etsy product to product_variants.sku.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."baseline_etsy" IS 'Etsy quantity at the last sync (bE): Etsy''s change since is counted from here.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."baseline_catalog" IS 'Catalog stock at the last sync (bL): the catalog''s change since is explained from here.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."machine_id" IS 'The machine that wrote these baselines.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_link_baselines"."updated_at" IS 'When the machine wrote them.';
