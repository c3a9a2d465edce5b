CREATE TABLE "art_sync_schema_migrations" (
	"hash" text NOT NULL,
	"created_at" bigint PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "etsy_inventory_sync_log" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"sku" text NOT NULL,
	"variant_id" integer,
	"listing_id" bigint,
	"side" text NOT NULL,
	"field" text NOT NULL,
	"before_value" jsonb,
	"after_value" jsonb,
	"reason" text NOT NULL,
	"explanation" text NOT NULL,
	"receipt_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" integer NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"local_id" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "etsy_products" (
	"listing_id" bigint NOT NULL,
	"product_key" text NOT NULL,
	"sku" text NOT NULL,
	"product_id" integer,
	"variant_id" integer,
	"listing_title" text NOT NULL,
	"listing_state" text NOT NULL,
	"listing_url" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "etsy_products_pk" PRIMARY KEY("listing_id","product_key")
);
--> statement-breakpoint
CREATE TABLE "etsy_sync_config" (
	"shop_id" bigint PRIMARY KEY NOT NULL,
	"shop_name" text NOT NULL,
	"last_product_sync_at" timestamp with time zone,
	"last_inventory_sync_at" timestamp with time zone,
	"product_sync_enabled" boolean NOT NULL,
	"inventory_sync_enabled" boolean NOT NULL,
	"budget_used_today" integer DEFAULT 0 NOT NULL,
	"budget_limit_per_day" integer NOT NULL,
	"budget_limit_per_second" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_variants" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" integer NOT NULL,
	"sku" text NOT NULL,
	"title" text,
	"price_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"stock" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "product_variants_sku_uq" UNIQUE("sku"),
	CONSTRAINT "product_variants_stock_nonneg" CHECK ("product_variants"."stock" >= 0),
	CONSTRAINT "product_variants_price_nonneg" CHECK ("product_variants"."price_amount" >= 0),
	CONSTRAINT "product_variants_currency_len" CHECK (length("product_variants"."currency") = 3)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "etsy_inventory_sync_log" ADD CONSTRAINT "etsy_inventory_sync_log_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etsy_products" ADD CONSTRAINT "etsy_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etsy_products" ADD CONSTRAINT "etsy_products_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "etsy_inventory_sync_log_sku_at_idx" ON "etsy_inventory_sync_log" USING btree ("sku","at");--> statement-breakpoint
CREATE INDEX "etsy_inventory_sync_log_at_idx" ON "etsy_inventory_sync_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "etsy_inventory_sync_log_run_idx" ON "etsy_inventory_sync_log" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "etsy_products_sku_idx" ON "etsy_products" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "etsy_products_variant_idx" ON "etsy_products" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "product_variants_product_idx" ON "product_variants" USING btree ("product_id");