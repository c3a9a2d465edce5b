/**
 * Mirror apply vs the floor: MirrorRepo.applyListings over the pages a full sync pulls, against plain
 * prepared-statement INSERTs of the same rows into the same tables (same schema and indexes, one
 * transaction per page). The raw rows are built before the clock starts, so the ratio is everything
 * the mirror does on top of writing rows (upserts, key derivation, JSON, deleted-product marking);
 * the raw time with row building inside the clock is reported too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEtsyClient } from '../src/main/etsy/client';
import { MemoryBudgetStore } from '../src/main/etsy/rate-limit/budget-store';
import { benchShop, startEtsySimulator, type OpenApiValidator } from '../sim';
import { MirrorRepo } from '../src/main/store/mirror-repo';
import { openStore, type Store } from '../src/main/store/open-store';
import { toPulledListing } from '../src/main/sync/from-etsy';
import type { PulledListing } from '../src/shared/mirror-types';
import { productKeyOf } from '../src/shared/product-key';
import { SYNCED_STATES } from '../src/main/sync/product-sync';

export interface MirrorResult {
  listings: number;
  products: number;
  pages: number;
  repetitions: number;
  /** Median ms: applyListings into an empty mirror (a first full sync). */
  applyMs: number;
  /** Median ms: applyListings again over the filled mirror (every later full sync). */
  reapplyMs: number;
  /** Median ms: raw prepared INSERTs of the same rows (built before the clock) into empty tables. */
  rawInsertMs: number;
  /** Median ms: the same, building the rows from the pulled pages inside the clock (same input as applyListings). */
  rawInsertWithRowsMs: number;
  /** The same medians in CPU time. */
  cpu: { applyMs: number; reapplyMs: number; rawInsertMs: number; rawInsertWithRowsMs: number };
}

export async function benchMirror(options: { listings: number; repetitions: number; validator: OpenApiValidator }): Promise<MirrorResult> {
  const pages = await pullPages(options.listings, options.validator);
  const now = Date.now();
  const apply: Timing[] = [];
  const reapply: Timing[] = [];
  const raw: Timing[] = [];
  const rawWithRows: Timing[] = [];
  // Round 0 warms up (JIT, page cache) and is not counted; the variants alternate within each round
  // so background load on the machine falls on both alike.
  for (let rep = 0; rep <= options.repetitions; rep += 1) {
    const counted = rep > 0;
    await withStore(async (store) => {
      const mirror = new MirrorRepo(store.sqlite);
      const first = timed(() => pages.forEach((page) => mirror.applyListings(page, now)));
      const again = timed(() => pages.forEach((page) => mirror.applyListings(page, now + 1)));
      if (counted) {
        apply.push(first);
        reapply.push(again);
      }
    });
    await withStore(async (store) => {
      const rows = pages.map(rawRows);
      const insert = rawInserter(store);
      const ms = timed(() => rows.forEach(insert));
      if (counted) raw.push(ms);
    });
    await withStore(async (store) => {
      const insert = rawInserter(store);
      const ms = timed(() => pages.forEach((page) => insert(rawRows(page))));
      if (counted) rawWithRows.push(ms);
    });
  }
  return {
    listings: pages.reduce((sum, page) => sum + page.length, 0),
    products: pages.reduce((sum, page) => sum + page.reduce((n, l) => n + (l.inventory?.products.length ?? 0), 0), 0),
    pages: pages.length,
    repetitions: options.repetitions,
    applyMs: median(apply.map((t) => t.wallMs)),
    reapplyMs: median(reapply.map((t) => t.wallMs)),
    rawInsertMs: median(raw.map((t) => t.wallMs)),
    rawInsertWithRowsMs: median(rawWithRows.map((t) => t.wallMs)),
    cpu: {
      applyMs: median(apply.map((t) => t.cpuMs)),
      reapplyMs: median(reapply.map((t) => t.cpuMs)),
      rawInsertMs: median(raw.map((t) => t.cpuMs)),
      rawInsertWithRowsMs: median(rawWithRows.map((t) => t.cpuMs)),
    },
  };
}

/** The pages a full sync receives, read with the real client (and its zod checks) from an unthrottled simulator. */
async function pullPages(listings: number, validator: OpenApiValidator): Promise<PulledListing[][]> {
  const sim = await startEtsySimulator({ shop: benchShop(listings), strict: false, validator });
  try {
    const token = sim.issueTokens().access_token;
    const client = createEtsyClient({
      apiUrl: sim.url,
      keystring: sim.keystring,
      sharedSecret: sim.sharedSecret,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
      budget: new MemoryBudgetStore({ limitPerSecond: 1000, limitPerDay: 1_000_000 }),
    });
    const shopId = sim.shop.shop_id;
    const pages: PulledListing[][] = [];
    for (const state of SYNCED_STATES) {
      for await (const page of client.listingsByShopPages(shopId, state, { includeInventory: true })) {
        if (page.results.length > 0) pages.push(page.results.map((listing) => toPulledListing(listing, shopId)));
      }
    }
    return pages;
  } finally {
    await sim.close();
  }
}

interface RawPage {
  listings: unknown[][];
  products: { row: unknown[]; offerings: unknown[][] }[];
}

function rawRows(page: readonly PulledListing[]): RawPage {
  const now = Date.now();
  const out: RawPage = { listings: [], products: [] };
  for (const l of page) {
    const inv = l.inventory;
    out.listings.push([
      l.listingId, l.shopId, l.title, l.state, l.url, l.createdTs, l.updatedTs, l.stateTs,
      JSON.stringify(inv?.priceOnProperty ?? []), JSON.stringify(inv?.quantityOnProperty ?? []),
      JSON.stringify(inv?.skuOnProperty ?? []), JSON.stringify(inv?.readinessStateOnProperty ?? []),
      inv ? 1 : 0, inv ? now : null, now,
    ]);
    for (const p of inv?.products ?? []) {
      out.products.push({
        row: [l.listingId, productKeyOf(p.propertyValues), p.sku.trim(), JSON.stringify(p.propertyValues), p.productId],
        offerings: p.offerings.map((o) => [o.offeringId, o.quantity, o.price.amount, o.price.divisor, o.price.currencyCode, o.isEnabled ? 1 : 0, o.readinessStateId]),
      });
    }
  }
  return out;
}

function rawInserter(store: Store): (page: RawPage) => void {
  const listing = store.sqlite.prepare(
    `INSERT INTO etsy_listings (listing_id, shop_id, title, state, url, etsy_created_ts, etsy_updated_ts, etsy_state_ts,
       price_on_property, quantity_on_property, sku_on_property, readiness_state_on_property, has_inventory,
       inventory_fetched_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const product = store.sqlite.prepare(
    'INSERT INTO etsy_products (listing_id, product_key, sku, property_values, etsy_product_id) VALUES (?, ?, ?, ?, ?)',
  );
  const offering = store.sqlite.prepare(
    `INSERT INTO etsy_offerings (product_id, etsy_offering_id, quantity, price_amount, price_divisor, currency, is_enabled,
       readiness_state_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return store.sqlite.transaction((page: RawPage) => {
    for (const row of page.listings) listing.run(row);
    for (const p of page.products) {
      const id = product.run(p.row).lastInsertRowid;
      for (const o of p.offerings) offering.run(id, ...o);
    }
  });
}

async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-bench-mirror-'));
  const store = openStore({ dataDir: dir });
  try {
    await work(store);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Timing {
  wallMs: number;
  /** CPU time of this process: steadier than wall time when the machine is busy with other work. */
  cpuMs: number;
}

function timed(work: () => void): Timing {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
