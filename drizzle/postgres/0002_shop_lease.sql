CREATE TABLE "etsy_link_baselines" (
	"shop_id" bigint NOT NULL,
	"listing_id" bigint NOT NULL,
	"product_key" text NOT NULL,
	"sku" text NOT NULL,
	"baseline_etsy" integer NOT NULL,
	"baseline_catalog" integer NOT NULL,
	"machine_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "etsy_link_baselines_pk" PRIMARY KEY("shop_id","listing_id","product_key")
);
--> statement-breakpoint
CREATE TABLE "etsy_sync_leases" (
	"shop_id" bigint PRIMARY KEY NOT NULL,
	"holder_machine_id" text,
	"holder_host" text,
	"holder_pid" integer,
	"holder_what" text,
	"since" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"last_machine_id" text,
	"last_host" text,
	"last_started_at" timestamp with time zone,
	"prior_machine_id" text,
	"prior_host" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
