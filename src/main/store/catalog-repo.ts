/**
 * The local catalog: products and their variants (one per SKU) with stock and price.
 * Every change bumps the variant's `version` and `updated_at`, so a sync that read a variant can
 * tell whether it changed underneath it.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors';
import { isValidQuantity, MAX_QUANTITY_TEXT } from '../../shared/quantity';
import type { StoreDb } from './open-store';
import { catalogProducts, catalogVariants } from './schema';

export interface CatalogVariant {
  id: number;
  productId: number;
  sku: string;
  /** What a person calls it: the product title, plus " — label" when the variant has a label. */
  title: string;
  productTitle: string;
  variantTitle: string | null;
  quantity: number;
  /** Integer minor units (cents for USD, yen for JPY). */
  priceAmount: number;
  currency: string;
  version: number;
  updatedAt: number;
}

export interface CatalogUpsertRow {
  sku: string;
  title: string;
  quantity: number;
  priceAmount: number;
  currency: string;
}

export interface UpsertResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

export interface SetStockResult {
  sku: string;
  before: number;
  after: number;
  changed: boolean;
}

export interface CatalogRepo {
  /** Every variant, ordered by SKU. */
  list(): CatalogVariant[];
  /** The variants of these SKUs (one SKU group's, for a full run planned group by group), by SKU. */
  listBySkus(skus: readonly string[]): CatalogVariant[];
  getBySku(sku: string): CatalogVariant | undefined;
  /** Sets one SKU's stock. UNKNOWN_SKU / INVALID_INPUT on bad input; nothing written then. */
  setStock(sku: string, quantity: number): SetStockResult;
  /**
   * Creates or updates many SKUs in one transaction: all rows or none. A new SKU gets its own product
   * titled with the row's title; an existing SKU gets title, stock, price and currency updated.
   */
  upsertMany(rows: readonly CatalogUpsertRow[]): UpsertResult;
  /**
   * Sets one SKU's stock only if the variant is still at the version the caller read; false when it
   * changed meanwhile (the sync then re-reads and merges instead of overwriting an edit).
   */
  setStockIfVersion(sku: string, quantity: number, expectedVersion: number): boolean;
}

const TITLE_SEPARATOR = ' — ';

function assertRow(row: CatalogUpsertRow): void {
  if (row.sku.trim() === '' || row.sku !== row.sku.trim()) {
    throw new AppError('INVALID_INPUT', `The SKU "${row.sku}" is empty or has spaces around it.`);
  }
  if (row.title.trim() === '') throw new AppError('INVALID_INPUT', `SKU ${row.sku} has no title.`);
  if (!isValidQuantity(row.quantity)) {
    throw new AppError('INVALID_INPUT', `SKU ${row.sku}: stock must be a whole number from 0 to ${MAX_QUANTITY_TEXT}.`);
  }
  if (!Number.isSafeInteger(row.priceAmount) || row.priceAmount < 0) {
    throw new AppError('INVALID_INPUT', `SKU ${row.sku}: the price must be zero or more.`);
  }
  if (!/^[A-Z]{3}$/.test(row.currency)) {
    throw new AppError('INVALID_INPUT', `SKU ${row.sku}: "${row.currency}" is not a currency code like USD.`);
  }
}

const selection = {
  id: catalogVariants.id,
  productId: catalogVariants.productId,
  sku: catalogVariants.sku,
  productTitle: catalogProducts.title,
  variantTitle: catalogVariants.title,
  quantity: catalogVariants.quantity,
  priceAmount: catalogVariants.priceAmount,
  currency: catalogVariants.currency,
  version: catalogVariants.version,
  updatedAt: catalogVariants.updatedAt,
};

type Row = Omit<CatalogVariant, 'title'>;

function withTitle(row: Row): CatalogVariant {
  const title = row.variantTitle === null ? row.productTitle : `${row.productTitle}${TITLE_SEPARATOR}${row.variantTitle}`;
  return { ...row, title };
}

export function createCatalogRepo(db: StoreDb, options: { now?: () => number } = {}): CatalogRepo {
  const now = options.now ?? Date.now;

  const query = (tx: Pick<StoreDb, 'select'>) =>
    tx.select(selection).from(catalogVariants).innerJoin(catalogProducts, eq(catalogProducts.id, catalogVariants.productId));

  const getBySku = (tx: Pick<StoreDb, 'select'>, sku: string): CatalogVariant | undefined => {
    const row = query(tx).where(eq(catalogVariants.sku, sku)).get();
    return row === undefined ? undefined : withTitle(row);
  };

  // upsertMany's statements, prepared once: a first sync creates thousands of variants, and a statement
  // prepared per row holds native memory until the garbage collector happens to free it.
  let prepared: ReturnType<typeof prepareUpsert> | null = null;
  const prepareUpsert = () => ({
    bySku: query(db).where(eq(catalogVariants.sku, sql.placeholder('sku'))).prepare(),
    insertProduct: db
      .insert(catalogProducts)
      .values({ title: sql.placeholder('title'), createdAt: sql.placeholder('at'), updatedAt: sql.placeholder('at') })
      .returning({ id: catalogProducts.id })
      .prepare(),
    insertVariant: db
      .insert(catalogVariants)
      .values({
        productId: sql.placeholder('productId'),
        sku: sql.placeholder('sku'),
        title: null,
        quantity: sql.placeholder('quantity'),
        priceAmount: sql.placeholder('priceAmount'),
        currency: sql.placeholder('currency'),
        createdAt: sql.placeholder('at'),
        updatedAt: sql.placeholder('at'),
      })
      .prepare(),
  });

  return {
    list: () => query(db).orderBy(asc(catalogVariants.sku)).all().map(withTitle),

    listBySkus: (skus) =>
      skus.length === 0
        ? []
        : query(db)
            .where(sql`${catalogVariants.sku} IN (SELECT value FROM json_each(${JSON.stringify(skus)}))`)
            .orderBy(asc(catalogVariants.sku))
            .all()
            .map(withTitle),

    getBySku: (sku) => getBySku(db, sku),

    setStock: (sku, quantity) => {
      if (!isValidQuantity(quantity)) {
        throw new AppError('INVALID_INPUT', `Stock must be a whole number from 0 to ${MAX_QUANTITY_TEXT}.`);
      }
      return db.transaction((tx) => {
        const current = getBySku(tx, sku);
        if (current === undefined) {
          throw new AppError('UNKNOWN_SKU', `There is no SKU "${sku}" in the catalog.`);
        }
        if (current.quantity === quantity) return { sku, before: quantity, after: quantity, changed: false };
        tx.update(catalogVariants)
          .set({ quantity, version: sql`${catalogVariants.version} + 1`, updatedAt: now() })
          .where(eq(catalogVariants.id, current.id))
          .run();
        return { sku, before: current.quantity, after: quantity, changed: true };
      });
    },

    setStockIfVersion: (sku, quantity, expectedVersion) => {
      if (!isValidQuantity(quantity)) {
        throw new AppError('INVALID_INPUT', `Stock must be a whole number from 0 to ${MAX_QUANTITY_TEXT}.`);
      }
      const result = db
        .update(catalogVariants)
        .set({ quantity, version: sql`${catalogVariants.version} + 1`, updatedAt: now() })
        .where(and(eq(catalogVariants.sku, sku), eq(catalogVariants.version, expectedVersion)))
        .run();
      return result.changes === 1;
    },

    upsertMany: (rows) => {
      rows.forEach(assertRow);
      const seen = new Set<string>();
      for (const row of rows) {
        if (seen.has(row.sku)) throw new AppError('INVALID_INPUT', `SKU ${row.sku} appears twice.`);
        seen.add(row.sku);
      }
      const result: UpsertResult = { created: [], updated: [], unchanged: [] };
      prepared ??= prepareUpsert();
      const statements = prepared;
      db.transaction((tx) => {
        const at = now();
        for (const row of rows) {
          const found = statements.bySku.get({ sku: row.sku });
          const current = found === undefined ? undefined : withTitle(found);
          if (current === undefined) {
            const product = statements.insertProduct.get({ title: row.title, at });
            if (product === undefined) throw new AppError('DATABASE_ERROR', `SKU ${row.sku}: the catalog product was not created.`);
            statements.insertVariant.run({
              productId: product.id,
              sku: row.sku,
              quantity: row.quantity,
              priceAmount: row.priceAmount,
              currency: row.currency,
              at,
            });
            result.created.push(row.sku);
            continue;
          }
          const titleChanged = row.title !== current.title;
          const variantChanged =
            row.quantity !== current.quantity ||
            row.priceAmount !== current.priceAmount ||
            row.currency !== current.currency;
          if (!titleChanged && !variantChanged) {
            result.unchanged.push(row.sku);
            continue;
          }
          let variantTitle = current.variantTitle;
          if (titleChanged) {
            const prefix = `${current.productTitle}${TITLE_SEPARATOR}`;
            if (current.variantTitle !== null && row.title.startsWith(prefix)) {
              // "Product — new label": only the label changed; siblings keep their product title.
              variantTitle = row.title.slice(prefix.length);
            } else {
              variantTitle = null;
              tx.update(catalogProducts)
                .set({ title: row.title, updatedAt: at })
                .where(eq(catalogProducts.id, current.productId))
                .run();
            }
          }
          tx.update(catalogVariants)
            .set({
              title: variantTitle,
              quantity: row.quantity,
              priceAmount: row.priceAmount,
              currency: row.currency,
              version: sql`${catalogVariants.version} + 1`,
              updatedAt: at,
            })
            .where(eq(catalogVariants.id, current.id))
            .run();
          result.updated.push(row.sku);
        }
      });
      return result;
    },
  };
}
