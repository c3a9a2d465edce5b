-- Custom SQL migration (drizzle-kit generate --custom): drizzle-kit does not emit COMMENT ON, so every
-- table and column of src/main/server/schema.ts is described here. A later schema change adds its
-- comments in its own custom migration. test/server/schema-comments.test.ts checks none is missing.
COMMENT ON TABLE "products" IS 'A work of art as the artist thinks of it; its variants carry SKU, price and stock.';--> statement-breakpoint
COMMENT ON COLUMN "products"."id" IS 'Surrogate key.';--> statement-breakpoint
COMMENT ON COLUMN "products"."title" IS 'The title people see for the work.';--> statement-breakpoint
COMMENT ON COLUMN "products"."created_at" IS 'When the product was created.';--> statement-breakpoint
COMMENT ON COLUMN "products"."updated_at" IS 'When the product row last changed.';--> statement-breakpoint
COMMENT ON TABLE "product_variants" IS 'The unit of stock: one row per SKU (size, framing). Art Sync reads and writes stock here when the server link is on.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."id" IS 'Surrogate key.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."product_id" IS 'The product this variant belongs to.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."sku" IS 'Stock keeping unit, unique; Etsy products link to the variant with the same SKU.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."title" IS 'Variant label ("A4", "Framed"); null for a single-variant product.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."price_amount" IS 'Price in integer minor units of currency (cents for USD), never a float.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."currency" IS 'ISO 4217 currency code of price_amount.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."stock" IS 'Units in stock (never negative).';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."updated_at" IS 'When the variant last changed.';--> statement-breakpoint
COMMENT ON COLUMN "product_variants"."version" IS 'Optimistic concurrency: every change adds 1; Art Sync writes stock only WHERE version = the version it read.';--> statement-breakpoint
COMMENT ON TABLE "etsy_sync_config" IS 'Art Sync''s sync configuration and state per Etsy shop, pushed after each run.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."shop_id" IS 'Etsy shop id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."shop_name" IS 'Etsy shop name.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."last_product_sync_at" IS 'When the last product sync (listing mirror refresh) finished.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."last_inventory_sync_at" IS 'When the last inventory sync (stock merge and push) finished.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."product_sync_enabled" IS 'Whether scheduled product syncs are on.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."inventory_sync_enabled" IS 'Whether scheduled inventory syncs are on.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."budget_used_today" IS 'Etsy API calls used in the last 24 hours when this row was pushed.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."budget_limit_per_day" IS 'Etsy API calls allowed per day (from Etsy''s headers).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."budget_limit_per_second" IS 'Etsy API calls allowed per second (from Etsy''s headers).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_sync_config"."updated_at" IS 'When Art Sync last pushed this row.';--> statement-breakpoint
COMMENT ON TABLE "etsy_products" IS 'Which Etsy listing variation shows which product variant (linked by SKU), with the listing fields people see. Rows are soft-deleted.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."listing_id" IS 'Etsy listing id.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."product_key" IS 'The variation within the listing: sorted property_id:value_ids pairs, empty for a listing without variations. Never Etsy''s product_id, which changes on every write.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."sku" IS 'The SKU the Etsy product carries and links by.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."product_id" IS 'The linked product, when the SKU exists in product_variants.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."variant_id" IS 'The linked variant, when the SKU exists in product_variants.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."listing_title" IS 'The listing title on Etsy.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."listing_state" IS 'The listing state on Etsy (active, inactive, sold_out, draft, expired, removed, ...).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."listing_url" IS 'The listing page on Etsy.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."updated_at" IS 'When Art Sync last pushed this row.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_products"."deleted_at" IS 'Set when the link is gone (SKU removed, variation or listing deleted); null while it exists.';--> statement-breakpoint
COMMENT ON TABLE "etsy_inventory_sync_log" IS 'Every item change Art Sync made or tried (stock, price, listing state), with its explanation; the same rows as the app''s Activity.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."event_id" IS 'Idempotence key: the same change pushed twice (after a crash or a retry) is stored once.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."at" IS 'When the change happened.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."sku" IS 'The SKU that changed.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."variant_id" IS 'The variant with that SKU when the row was pushed, if any.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."listing_id" IS 'The Etsy listing concerned; null for a catalog-side change.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."side" IS 'Which side changed: etsy or catalog.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."field" IS 'What changed: quantity, price or state.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."before_value" IS 'Value before (number for quantities and minor-unit prices, text for states).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."after_value" IS 'Value after, same types as before_value.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."reason" IS 'Reason code: sold_on_etsy, edited_locally, edited_on_etsy, first_sync, buffer, cap_999, combined, ...';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."explanation" IS 'The sentence a shop owner reads ("Sold on Etsy, receipt 123: 5 to 3").';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."receipt_ids" IS 'Etsy receipt ids that explain the change (JSON array).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."run_id" IS 'The Art Sync run (local id) that made the change.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."status" IS 'applied, failed, or unknown (the write''s outcome was not known yet).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."error" IS 'Why a failed change failed, when known.';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."local_id" IS 'The row id in the app''s local history (change_history.id).';--> statement-breakpoint
COMMENT ON COLUMN "etsy_inventory_sync_log"."received_at" IS 'When the server stored the row.';--> statement-breakpoint
COMMENT ON TABLE "art_sync_schema_migrations" IS 'Art Sync server migrations applied here (art-sync server migrate); art-sync server test compares it with the app''s.';--> statement-breakpoint
COMMENT ON COLUMN "art_sync_schema_migrations"."hash" IS 'SHA-256 of the migration file.';--> statement-breakpoint
COMMENT ON COLUMN "art_sync_schema_migrations"."created_at" IS 'The migration''s timestamp from its journal (its identity).';--> statement-breakpoint
COMMENT ON COLUMN "art_sync_schema_migrations"."applied_at" IS 'When it was applied.';
