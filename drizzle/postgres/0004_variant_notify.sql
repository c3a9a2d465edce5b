-- Custom SQL migration (issue 14 item 4): a stock change in product_variants is announced on the channel
-- art_sync_variant_changed so a running Art Sync pushes it to Etsy within seconds. Only stock (and new
-- variants) are announced: stock is what the targeted sync carries to Etsy; titles and prices follow the
-- product sync. NOTIFY is delivered at commit, once per distinct payload per transaction, and a payload
-- must stay under 8000 bytes: a SKU longer than 1000 bytes is left out (the listener then polls instead).
CREATE OR REPLACE FUNCTION "art_sync_notify_variant_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('art_sync_variant_changed', json_build_object(
    'id', NEW."id",
    'sku', CASE WHEN octet_length(NEW."sku") <= 1000 THEN NEW."sku" END,
    'version', NEW."version",
    'stock', NEW."stock")::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "art_sync_variant_stock_changed" AFTER UPDATE OF "stock" ON "product_variants"
  FOR EACH ROW WHEN (OLD."stock" IS DISTINCT FROM NEW."stock") EXECUTE FUNCTION "art_sync_notify_variant_changed"();--> statement-breakpoint
CREATE TRIGGER "art_sync_variant_inserted" AFTER INSERT ON "product_variants"
  FOR EACH ROW EXECUTE FUNCTION "art_sync_notify_variant_changed"();--> statement-breakpoint
COMMENT ON FUNCTION "art_sync_notify_variant_changed"() IS 'Art Sync: announces a product_variants stock change on the channel art_sync_variant_changed (payload JSON: id, sku, version, stock) so Art Sync pushes it to Etsy within seconds.';--> statement-breakpoint
COMMENT ON TRIGGER "art_sync_variant_stock_changed" ON "product_variants" IS 'Art Sync: NOTIFY art_sync_variant_changed when a variant''s stock changes.';--> statement-breakpoint
COMMENT ON TRIGGER "art_sync_variant_inserted" ON "product_variants" IS 'Art Sync: NOTIFY art_sync_variant_changed when a variant is added.';
