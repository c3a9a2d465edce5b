/**
 * Deterministic, seeded art-print shops for the simulator: the ~40-listing demo shop (`art-sync demo`)
 * and the 500 / 5,000-listing benchmark shops (`npm run bench`). Same options + seed → same shop.
 */
import type { ListingState, SeedListing, SeedProduct, SeedProperty, ShopSeed, SimShop } from './sim-model';

export interface GenerateShopOptions {
  listings: number;
  seed?: number;
  /** Share of listings with variations (default 0.6). */
  variationRatio?: number;
  /** Share of variation listings that vary on two properties (size × frame) instead of one (default 0.2). */
  twoPropertyRatio?: number;
  /** Share of listings that reuse another listing's SKUs (same print listed twice; default 0.05). */
  sharedSkuRatio?: number;
  /** Listings whose products have no SKU (default 0). */
  noSkuCount?: number;
  /** Listings with every offering at 0, hence state sold_out (default 0). */
  soldOut?: number;
  inactive?: number;
  draft?: number;
  /** Old listings without inventory records (getListingInventory → 404; default 0). */
  withoutInventoryRecord?: number;
  /** Listings that vary on three properties, size × frame × paper (docs/ETSY_API_NOTES.md §9.22; default 0). */
  threeProperty?: number;
  shop?: Partial<SimShop>;
}

/** Custom property slot Etsy uses for seller-defined variations (docs/ETSY_API_NOTES.md §9.8). */
export const SIZE_PROPERTY: SeedProperty = { property_id: 513, property_name: 'Size' };
/** Seller-specific custom property ids are large numbers (docs/ETSY_API_NOTES.md §9.8, #501). */
export const FRAME_PROPERTY: SeedProperty = { property_id: 52_047_899_301, property_name: 'Frame' };
/** A third seller-specific property: listings may carry three since 2026 (docs/ETSY_API_NOTES.md §9.22). */
export const PAPER_PROPERTY: SeedProperty = { property_id: 52_047_899_377, property_name: 'Paper' };

const SUBJECTS = [
  'Blue Heron', 'Kingfisher', 'Otter', 'Red Fox', 'Brown Hare', 'Barn Owl', 'Puffin', 'Wren', 'Badger', 'Curlew',
  'Oystercatcher', 'Robin', 'Red Deer', 'Mackerel', 'Seal', 'Swallow', 'Goldfinch', 'Dragonfly', 'Moth', 'Salmon',
  'Lapwing', 'Hedgehog', 'Grey Wagtail', 'Avocet', 'Bee', 'Peregrine', 'Crab', 'Jay', 'Magpie', 'Starling Murmuration',
];
const KINDS = ['Print', 'Linocut Print', 'Giclée Print', 'Watercolour Print', 'Screen Print'];
const SIZES = ['A5', 'A4', 'A3'];
const SIZE_EXTRA: Record<string, number> = { A5: -500, A4: 0, A3: 1000 };
const FRAMES = ['Unframed', 'Oak frame'];
const FRAME_EXTRA: Record<string, number> = { Unframed: 0, 'Oak frame': 2500 };
const PAPERS = ['Matte', 'Gloss'];

/** mulberry32: tiny, fast, good enough for reproducible fixtures (shops, the bench's day, the kill test). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateShop(options: GenerateShopOptions): ShopSeed {
  const n = options.listings;
  if (!Number.isInteger(n) || n < 1) throw new Error('listings must be a positive integer');
  const rand = seededRandom(options.seed ?? 1);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const variationRatio = options.variationRatio ?? 0.6;
  const twoPropertyRatio = options.twoPropertyRatio ?? 0.2;
  const sharedSkuRatio = options.sharedSkuRatio ?? 0.05;
  const usedTitles = new Map<string, number>();
  const listings: SeedListing[] = [];

  for (let i = 0; i < n; i++) {
    // The first listing is always the demo's "Blue Heron Print" in A4/A3.
    const subject = i === 0 ? 'Blue Heron' : SUBJECTS[int(0, SUBJECTS.length - 1)]!;
    const kind = i === 0 ? 'Print' : KINDS[int(0, KINDS.length - 1)]!;
    const baseTitle = `${subject} ${kind}`;
    const seen = usedTitles.get(baseTitle) ?? 0;
    usedTitles.set(baseTitle, seen + 1);
    const title = seen === 0 ? baseTitle : `${baseTitle} No. ${seen + 1}`;
    const code = `${subject.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase()}-${String(i + 1).padStart(4, '0')}`;
    const price = int(18, 65) * 100;

    if (i > 0 && rand() < sharedSkuRatio) {
      // Same print offered in a second listing: identical variations and SKUs, its own Etsy stock.
      const src = listings[int(0, listings.length - 1)]!;
      listings.push({ ...src, title: `${src.title} – Gift Edition`, products: src.products.map((p) => ({ ...p })) });
      continue;
    }

    const hasVariations = i === 0 || rand() < variationRatio;
    if (!hasVariations) {
      listings.push({ title, price, products: [{ sku: code, quantity: int(1, 12) }] });
      continue;
    }
    const sizes = i === 0 ? ['A4', 'A3'] : SIZES;
    const twoProps = i !== 0 && rand() < twoPropertyRatio;
    const properties = twoProps ? [SIZE_PROPERTY, FRAME_PROPERTY] : [SIZE_PROPERTY];
    const products: SeedProduct[] = [];
    for (const size of sizes) {
      for (const frame of twoProps ? FRAMES : [undefined]) {
        const values = frame ? [size, frame] : [size];
        const extra = SIZE_EXTRA[size]! + (frame ? FRAME_EXTRA[frame]! : 0);
        const sku = `${code}-${size}${frame ? (frame === 'Unframed' ? '-U' : '-OAK') : ''}`;
        products.push({ values, sku, quantity: int(0, 10), price: price + extra });
      }
    }
    if (products.every((p) => p.quantity === 0)) products[0]!.quantity = 3;
    listings.push({ title, price, properties, products });
  }

  // Special cases take distinct listings from the end, so listing 0 (the heron) stays a normal,
  // active, SKU'd listing and no listing is both sold out and a draft.
  let cursor = n - 1;
  const pick = (count: number | undefined, apply: (l: SeedListing) => void): void => {
    for (let k = 0; k < (count ?? 0) && cursor > 0; k++) apply(listings[cursor--]!);
  };
  pick(options.noSkuCount, (l) => (l.products = l.products.map((p) => ({ ...p, sku: '' }))));
  pick(options.soldOut, (l) => (l.products = l.products.map((p) => ({ ...p, quantity: 0 }))));
  pick(options.inactive, (l) => setState(l, 'inactive'));
  pick(options.draft, (l) => setState(l, 'draft'));
  pick(options.withoutInventoryRecord, (l) => (l.hasInventoryRecord = false));
  pick(options.threeProperty, (l) => makeThreeProperty(l, int));
  return { ...(options.shop ? { shop: options.shop } : {}), listings };
}

/** Size × frame × paper, 12 variations, SKUs derived from the listing's first one. */
function makeThreeProperty(l: SeedListing, int: (lo: number, hi: number) => number): void {
  const code = (l.products[0]?.sku || `PRINT-${l.title.length}`).split('-').slice(0, 2).join('-');
  const base = l.price ?? 2500;
  l.properties = [SIZE_PROPERTY, FRAME_PROPERTY, PAPER_PROPERTY];
  l.products = SIZES.flatMap((size) =>
    FRAMES.flatMap((frame) =>
      PAPERS.map((paper) => ({
        values: [size, frame, paper],
        sku: `${code}-${size}-${frame === 'Unframed' ? 'U' : 'OAK'}-${paper[0]}`,
        quantity: int(1, 6),
        price: base + SIZE_EXTRA[size]! + FRAME_EXTRA[frame]!,
      })),
    ),
  );
}

function setState(l: SeedListing, state: ListingState): void {
  l.state = state;
}

/** The sample art shop `art-sync demo` starts with: 40 listings, size variations (one with three properties), 3 without SKU, 1 sold out. */
export function demoShop(): ShopSeed {
  return generateShop({ listings: 40, seed: 20_260_926, variationRatio: 0.5, twoPropertyRatio: 0.15, sharedSkuRatio: 0.08, noSkuCount: 3, soldOut: 1, inactive: 1, draft: 1, threeProperty: 1 });
}

/** Benchmark shop: about three variations per listing, some shared SKUs. */
export function benchShop(listings: number, seed = 5000): ShopSeed {
  return generateShop({ listings, seed, variationRatio: 0.9, twoPropertyRatio: 0, sharedSkuRatio: 0.03, noSkuCount: Math.ceil(listings / 200), soldOut: Math.ceil(listings / 500) });
}
