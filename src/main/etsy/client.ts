/**
 * The typed Etsy Open API v3 client the sync uses (docs/ETSY_API_NOTES.md §5). Built on openapi-fetch with the types
 * generated from Etsy's own OpenAPI document, so a wrong path, parameter or body shape is a compile
 * error. Every answer is validated with zod where it enters (schemas.ts); limits, budget, tokens
 * and retries live in the transport underneath (transport.ts).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { AppError } from '../../shared/errors';
import { abortableSleep, type Sleep } from './abort';
import { checkEtsyUrl } from './base-url';
import { etsyHttpError } from './errors';
import type { paths } from './generated/etsy-api';
import type { UpdateInventoryBody } from './inventory-body';
import type { BudgetStore } from './rate-limit/budget-store';
import { DailyBudget, type BudgetSnapshot } from './rate-limit/daily-budget';
import { PerSecondLimiter } from './rate-limit/per-second-limiter';
import { DEFAULT_RETRY_POLICY, writeOutcomeUnknown, type RetryPolicy } from './retry';
import {
  inventorySchema,
  listingSchema,
  parseEntity,
  parseList,
  readinessDefinitionSchema,
  receiptSchema,
  selfSchema,
  shopSchema,
  type EtsyListing,
  type EtsyListingState,
  type EtsyReceipt,
  type EtsySelf,
  type EtsyShop,
  type ListingInventory,
  type ParsedList,
  type ReadinessStateDefinition,
  type SkippedItem,
} from './schemas';
import type { TokenProvider } from './token-provider';
import { createEtsyTransport, type FetchLike } from './transport';

export const PAGE_LIMIT = 100;
export const BATCH_LIMIT = 100;
/** Listing pages asked for ahead of the one being applied during a full pull. */
export const PREFETCH_PAGES = 2;

export interface CreateEtsyClientOptions {
  /** Base URL without `/v3/...` (e.g. https://api.etsy.com); vetted by checkEtsyUrl (HTTPS or loopback). */
  apiUrl: string;
  keystring: string;
  sharedSecret: string;
  tokens: TokenProvider;
  /** Where the rolling 24 h budget is kept (SqliteBudgetStore in the app). */
  budget: BudgetStore;
  fetch?: FetchLike;
  /** Cancels everything this client does (app stop). */
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout, default 30 s. */
  timeoutMs?: number;
  /** Called for every malformed list item that is skipped (also returned in `skipped`). */
  onInvalidItem?: (item: SkippedItem) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Called with Etsy's clock (ms, from the response's `Date` header) when the call is answered: times
   * compared with Etsy's timestamps (a write's time against receipts) must be Etsy's, not ours.
   */
  onServerDate?: (etsyMs: number) => void;
}

function reportServerDate(response: Response, options: CallOptions | undefined): void {
  if (!options?.onServerDate) return;
  const value = response.headers.get('date');
  const ms = value === null ? Number.NaN : Date.parse(value);
  if (Number.isFinite(ms)) options.onServerDate(ms);
}

export type ListingSortOn = 'created' | 'price' | 'updated' | 'score';
export type SortOrder = 'asc' | 'desc';

export interface GetListingsByShopParams extends CallOptions {
  shopId: number;
  state: EtsyListingState;
  /** `includes=Inventory` (default true): variations and stock inline. */
  includeInventory?: boolean;
  limit?: number;
  offset?: number;
  sortOn?: ListingSortOn;
  sortOrder?: SortOrder;
}

export interface ListingsPage extends ParsedList<EtsyListing> {
  offset: number;
}

export interface ListingPagesOptions extends CallOptions {
  sortOn?: ListingSortOn;
  sortOrder?: SortOrder;
  includeInventory?: boolean;
  /** Checked after each page is yielded; true stops paging (e.g. incremental scan past the watermark). */
  stopWhen?: (page: ListingsPage) => boolean;
}

export interface BatchInventoryResult {
  /** Listings (with `inventory`) Etsy returned. */
  listings: EtsyListing[];
  /** Ids Etsy answered 404 for on their own (deleted or not this shop's). */
  deadIds: number[];
  /** Ids asked for that came back neither as a listing nor as a 404 (e.g. skipped as malformed). */
  missingIds: number[];
  skipped: SkippedItem[];
}

export interface GetShopReceiptsParams extends CallOptions {
  shopId: number;
  /** Epoch seconds. */
  minLastModified?: number;
  limit?: number;
  offset?: number;
}

export interface ReceiptsPage extends ParsedList<EtsyReceipt> {
  offset: number;
}

export interface ReceiptPagesOptions extends CallOptions {
  minLastModified?: number;
  stopWhen?: (page: ReceiptsPage) => boolean;
}

export interface EtsyClient {
  getMe(options?: CallOptions): Promise<EtsySelf>;
  getShop(shopId: number, options?: CallOptions): Promise<EtsyShop>;
  getListingsByShop(params: GetListingsByShopParams): Promise<ListingsPage>;
  listingsByShopPages(shopId: number, state: EtsyListingState, options?: ListingPagesOptions): AsyncGenerator<ListingsPage>;
  getListingsInventoryByListingIds(listingIds: readonly number[], options?: CallOptions): Promise<BatchInventoryResult>;
  /** null = Etsy has no inventory records for this listing (404/422, docs/ETSY_API_NOTES.md §9.12). */
  getListingInventory(listingId: number, options?: CallOptions & { showDeleted?: boolean }): Promise<ListingInventory | null>;
  /** Replaces the whole inventory; returns the new one (new product/offering ids). */
  updateListingInventory(listingId: number, body: UpdateInventoryBody, options?: CallOptions): Promise<ListingInventory>;
  /** Changes the listing's state only (active/inactive). */
  updateListing(shopId: number, listingId: number, change: { state: 'active' | 'inactive' }, options?: CallOptions): Promise<EtsyListing>;
  getShopReceipts(params: GetShopReceiptsParams): Promise<ReceiptsPage>;
  shopReceiptsPages(shopId: number, options?: ReceiptPagesOptions): AsyncGenerator<ReceiptsPage>;
  /** Every processing profile of the shop (all pages). */
  getShopReadinessStateDefinitions(shopId: number, options?: CallOptions): Promise<ParsedList<ReadinessStateDefinition>>;
  /** Today's budget, for status. */
  budgetSnapshot(now?: number): BudgetSnapshot;
  /** The budget itself (scheduler: `freesAt()` when waiting for the limit). */
  readonly budget: DailyBudget;
}

type ApiResult = { data?: unknown; error?: unknown; response: Response };

export function createEtsyClient(options: CreateEtsyClientOptions): EtsyClient {
  const apiUrl = checkEtsyUrl(options.apiUrl, 'Etsy API address');
  if (options.keystring.trim() === '' || options.sharedSecret.trim() === '') {
    throw new AppError('NOT_CONNECTED', 'The Etsy keystring and shared secret are both needed.', { action: 'Connect Etsy' });
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const budget = new DailyBudget(options.budget, now);
  const limiter = new PerSecondLimiter({ limitPerSecond: budget.limitPerSecond(), sleep, now });
  const secrets = [options.keystring, options.sharedSecret];
  const transport = createEtsyTransport({
    tokens: options.tokens,
    limiter,
    budget,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep,
    random: options.random ?? Math.random,
    now,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    signal: options.signal,
    secrets,
  });

  const api = createClient<paths>({
    baseUrl: apiUrl,
    fetch: transport,
    // Etsy's documented form for id lists is comma-separated (`listing_ids=1,2,3`).
    querySerializer: { array: { style: 'form', explode: false } },
  });
  // The 2026 key format (docs/ETSY_API_NOTES.md §2): keystring and shared secret, colon-joined.
  const apiKey: Middleware = {
    onRequest({ request }) {
      request.headers.set('x-api-key', `${options.keystring}:${options.sharedSecret}`);
      request.headers.set('accept', 'application/json');
      return request;
    },
  };
  api.use(apiKey);

  const onInvalid = options.onInvalidItem;

  function fail(result: ApiResult, what: string): never {
    throw etsyHttpError(result.response.status, result.error, what, secrets);
  }

  async function getListingsByShop(params: GetListingsByShopParams): Promise<ListingsPage> {
    const shopId = checkId(params.shopId, 'shop id');
    const limit = checkLimit(params.limit ?? PAGE_LIMIT);
    const offset = checkOffset(params.offset ?? 0);
    const what = `listings of shop ${shopId} (${params.state})`;
    const result = await guard(what, false, api.GET('/v3/application/shops/{shop_id}/listings', {
      params: {
        path: { shop_id: shopId },
        query: {
          state: params.state,
          limit,
          offset,
          ...(params.includeInventory === false ? {} : { includes: ['Inventory'] }),
          ...(params.sortOn === undefined ? {} : { sort_on: params.sortOn }),
          ...(params.sortOrder === undefined ? {} : { sort_order: params.sortOrder }),
        },
      },
      signal: params.signal,
    }));
    if (!result.response.ok) fail(result, what);
    return { ...parseList(listingSchema, result.data, what, 'listingId', onInvalid), offset };
  }

  async function getShopReceipts(params: GetShopReceiptsParams): Promise<ReceiptsPage> {
    const shopId = checkId(params.shopId, 'shop id');
    const limit = checkLimit(params.limit ?? PAGE_LIMIT);
    const offset = checkOffset(params.offset ?? 0);
    const what = `receipts of shop ${shopId}`;
    const result = await guard(what, false, api.GET('/v3/application/shops/{shop_id}/receipts', {
      params: {
        path: { shop_id: shopId },
        query: {
          limit,
          offset,
          ...(params.minLastModified === undefined ? {} : { min_last_modified: checkEpochSeconds(params.minLastModified) }),
        },
      },
      signal: params.signal,
    }));
    if (!result.response.ok) fail(result, what);
    reportServerDate(result.response, params);
    return { ...parseList(receiptSchema, result.data, what, 'receiptId', onInvalid), offset };
  }

  /** One batch call; on 404 (all-or-nothing, docs/ETSY_API_NOTES.md §9.10) halve the batch until the dead ids are alone. */
  async function inventoryBatch(ids: number[], signal: AbortSignal | undefined, out: BatchInventoryResult, options?: CallOptions): Promise<void> {
    const what = `inventory of ${ids.length} listing(s)`;
    const result = await guard(what, false, api.GET('/v3/application/listings/batch/inventory', {
      params: { query: { listing_ids: ids } },
      signal,
    }));
    if (result.response.status === 404) {
      if (ids.length === 1) {
        out.deadIds.push(ids[0] as number);
        return;
      }
      const half = Math.ceil(ids.length / 2);
      await inventoryBatch(ids.slice(0, half), signal, out, options);
      await inventoryBatch(ids.slice(half), signal, out, options);
      return;
    }
    if (!result.response.ok) fail(result, what);
    reportServerDate(result.response, options);
    const parsed = parseList(listingSchema, result.data, what, 'listingId', onInvalid);
    out.listings.push(...parsed.results);
    out.skipped.push(...parsed.skipped);
  }

  async function getReadinessPage(shopId: number, offset: number, signal: AbortSignal | undefined): Promise<ParsedList<ReadinessStateDefinition>> {
    const what = `processing profiles of shop ${shopId}`;
    const result = await guard(what, false, api.GET('/v3/application/shops/{shop_id}/readiness-state-definitions', {
      params: { path: { shop_id: shopId }, query: { limit: PAGE_LIMIT, offset } },
      signal,
    }));
    if (!result.response.ok) fail(result, what);
    return parseList(readinessDefinitionSchema, result.data, what, 'readinessStateId', onInvalid);
  }

  return {
    budget,

    budgetSnapshot(at?: number): BudgetSnapshot {
      return budget.snapshot(at ?? now());
    },

    async getMe(callOptions?: CallOptions): Promise<EtsySelf> {
      const result = await guard('who is connected', false, api.GET('/v3/application/users/me', { signal: callOptions?.signal }));
      if (!result.response.ok) fail(result, 'who is connected');
      return parseEntity(selfSchema, result.data, 'who is connected');
    },

    async getShop(shopId: number, callOptions?: CallOptions): Promise<EtsyShop> {
      const id = checkId(shopId, 'shop id');
      const what = `shop ${id}`;
      const result = await guard(what, false, api.GET('/v3/application/shops/{shop_id}', {
        params: { path: { shop_id: id } },
        signal: callOptions?.signal,
      }));
      if (!result.response.ok) fail(result, what);
      return parseEntity(shopSchema, result.data, what);
    },

    getListingsByShop,

    async *listingsByShopPages(shopId, state, pageOptions = {}) {
      const fetchPage = (offset: number): Promise<ListingsPage> =>
        getListingsByShop({
          shopId,
          state,
          offset,
          limit: PAGE_LIMIT,
          includeInventory: pageOptions.includeInventory,
          sortOn: pageOptions.sortOn,
          sortOrder: pageOptions.sortOrder,
          signal: pageOptions.signal,
        });
      // Without a stop condition every page up to `count` is wanted, so up to PREFETCH_PAGES more are
      // asked for while the caller applies the current one: the limiter still spaces the calls, and the
      // round trips overlap the caller's work instead of adding to it. With a stop condition (the
      // incremental scan) pages are asked for one at a time, so a stop never costs an extra call.
      const depth = pageOptions.stopWhen ? 0 : PREFETCH_PAGES;
      const pending: Promise<ListingsPage>[] = [fetchPage(0)];
      let nextOffset = PAGE_LIMIT;
      try {
        for (;;) {
          const page: ListingsPage = await (pending.shift() as Promise<ListingsPage>);
          // `count` is the total (docs/ETSY_API_NOTES.md §5); an empty page also ends it, should count be stale.
          const empty = page.results.length + page.skipped.length === 0;
          while (!empty && pending.length < depth && nextOffset < page.count) {
            pending.push(fetchPage(nextOffset));
            nextOffset += PAGE_LIMIT;
          }
          yield page;
          if (pageOptions.stopWhen?.(page) === true || empty) return;
          if (pending.length === 0) {
            if (nextOffset >= page.count) return;
            pending.push(fetchPage(nextOffset));
            nextOffset += PAGE_LIMIT;
          }
        }
      } finally {
        // The caller stopped early or failed: prefetched pages nobody awaits must not become
        // unhandled rejections.
        for (const promise of pending) promise.catch(() => undefined);
      }
    },

    async getListingsInventoryByListingIds(listingIds, callOptions?: CallOptions): Promise<BatchInventoryResult> {
      const ids = [...new Set(listingIds.map((id) => checkId(id, 'listing id')))];
      const out: BatchInventoryResult = { listings: [], deadIds: [], missingIds: [], skipped: [] };
      for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
        await inventoryBatch(ids.slice(i, i + BATCH_LIMIT), callOptions?.signal, out, callOptions);
      }
      const returned = new Set(out.listings.map((l) => l.listing_id));
      const dead = new Set(out.deadIds);
      out.missingIds = ids.filter((id) => !returned.has(id) && !dead.has(id));
      return out;
    },

    async getListingInventory(listingId, callOptions = {}): Promise<ListingInventory | null> {
      const id = checkId(listingId, 'listing id');
      const what = `inventory of listing ${id}`;
      const result = await guard(what, false, api.GET('/v3/application/listings/{listing_id}/inventory', {
        params: {
          path: { listing_id: id },
          query: callOptions.showDeleted === true ? { show_deleted: true } : {},
        },
        signal: callOptions.signal,
      }));
      // "Listings you did not edit using the Etsy.com inventory tools have no inventory records" (docs/ETSY_API_NOTES.md §9.12).
      if (result.response.status === 404 || result.response.status === 422) return null;
      if (!result.response.ok) fail(result, what);
      return parseEntity(inventorySchema, result.data, what);
    },

    async updateListingInventory(listingId, body, callOptions?: CallOptions): Promise<ListingInventory> {
      const id = checkId(listingId, 'listing id');
      const what = `stock update of listing ${id}`;
      // Etsy caps a body at two variation properties unless told the app handles three (docs/ETSY_API_NOTES.md §5, §9.22).
      const properties = Math.max(0, ...body.products.map((product) => product.property_values?.length ?? 0));
      const result = await guard(what, true, api.PUT('/v3/application/listings/{listing_id}/inventory', {
        params: { path: { listing_id: id }, ...(properties > 2 ? { query: { max_variations_supported: '3' as const } } : {}) },
        body,
        signal: callOptions?.signal,
      }));
      if (!result.response.ok) fail(result, what);
      reportServerDate(result.response, callOptions);
      return parseWriteAnswer(() => parseEntity(inventorySchema, result.data, what), what);
    },

    async updateListing(shopId, listingId, change, callOptions?: CallOptions): Promise<EtsyListing> {
      const shop = checkId(shopId, 'shop id');
      const id = checkId(listingId, 'listing id');
      if (change.state !== 'active' && change.state !== 'inactive') {
        throw new AppError('INVALID_INPUT', `A listing can only be set active or inactive, not "${String(change.state)}".`);
      }
      const what = `state change of listing ${id}`;
      const result = await guard(what, true, api.PATCH('/v3/application/shops/{shop_id}/listings/{listing_id}', {
        params: { path: { shop_id: shop, listing_id: id } },
        // State only: updateListing has no quantity/price fields (docs/ETSY_API_NOTES.md §6), and we never touch others.
        body: { state: change.state },
        bodySerializer: () => new URLSearchParams({ state: change.state }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: callOptions?.signal,
      }));
      if (!result.response.ok) fail(result, what);
      return parseWriteAnswer(() => parseEntity(listingSchema, result.data, what), what);
    },

    getShopReceipts,

    async *shopReceiptsPages(shopId, pageOptions = {}) {
      let offset = 0;
      for (;;) {
        const page = await getShopReceipts({
          shopId,
          offset,
          limit: PAGE_LIMIT,
          minLastModified: pageOptions.minLastModified,
          signal: pageOptions.signal,
          ...(pageOptions.onServerDate ? { onServerDate: pageOptions.onServerDate } : {}),
        });
        yield page;
        if (pageOptions.stopWhen?.(page) === true) return;
        offset += PAGE_LIMIT;
        if (page.results.length + page.skipped.length === 0 || offset >= page.count) return;
      }
    },

    async getShopReadinessStateDefinitions(shopId, callOptions?: CallOptions) {
      const id = checkId(shopId, 'shop id');
      const all: ParsedList<ReadinessStateDefinition> = { count: 0, results: [], skipped: [] };
      for (let offset = 0; ; offset += PAGE_LIMIT) {
        const page = await getReadinessPage(id, offset, callOptions?.signal);
        all.count = page.count;
        all.results.push(...page.results);
        all.skipped.push(...page.skipped);
        if (page.results.length + page.skipped.length === 0 || offset + PAGE_LIMIT >= page.count) return all;
      }
    },
  };
}

/** Anything but an AppError escaping openapi-fetch (e.g. a 2xx whose JSON is broken) becomes one. */
async function guard<T>(what: string, write: boolean, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    if (write) throw writeOutcomeUnknown(what, 'got an answer that could not be read', cause);
    throw new AppError('ETSY_REJECTED', `Etsy sent an answer Art Sync cannot read (${what}).`, { cause });
  }
}

/** Etsy applied the write (2xx) but its answer is unreadable: the caller must re-read before anything else. */
function parseWriteAnswer<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (cause) {
    throw new AppError(
      'WRITE_OUTCOME_UNKNOWN',
      `Etsy accepted the ${what} but its answer could not be read; Art Sync will re-read the listing.`,
      { cause },
    );
  }
}

function checkId(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new AppError('INVALID_INPUT', `"${String(value)}" is not a valid Etsy ${what}.`);
  return value;
}

function checkLimit(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > PAGE_LIMIT) throw new AppError('INVALID_INPUT', `Page size must be 1 to ${PAGE_LIMIT}.`);
  return value;
}

function checkOffset(value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new AppError('INVALID_INPUT', 'Page offset must be a whole number from 0.');
  return value;
}

function checkEpochSeconds(value: number): number {
  // Etsy's minimum for these filters is 946684800 (2000-01-01); ms by mistake would be far in the future.
  if (!Number.isInteger(value) || value < 946_684_800 || value > 10_000_000_000) {
    throw new AppError('INVALID_INPUT', `"${value}" is not a time in epoch seconds.`);
  }
  return value;
}
