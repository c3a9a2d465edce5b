CREATE TABLE `etsy_reread_listings` (
	`listing_id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`added_at` integer NOT NULL
);
