/**
 * A loopback HTTP stand-in for Etsy Open API v3, used by tests, `art-sync demo` and `npm run bench`.
 * See docs/ETSY_SIMULATOR.md for what it reproduces (with sources) and what it does not.
 *
 * Pipeline per API request: route → api key → rate limit → hooks/latency/faults → bearer → (strict)
 * request validation → handler → (strict) response validation → response with rate headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenApiValidator, type OpenApiValidator } from './openapi-validator';
import { SimAuth, type AuthStats, type Caller, type SimApp, type TokenSet } from './sim-auth';
import { SimFaults } from './sim-faults';
import { productKey, totalQuantity, type ListingState, type ReceiptStatus, type SimForms, type SeedListing, type ShopSeed, type SimShop } from './sim-model';
import { operationHandler } from './sim-operations';
import { SimRateLimiter, type RateLimits } from './sim-rate-limit';
import { SimStore, type ProductSelector, type SaleResult } from './sim-store';

export interface EtsySimulatorOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  keystring?: string;
  sharedSecret?: string;
  /** Registered callback URLs (exact match). Default: http://localhost:3003/oauth/redirect. */
  redirectUris?: string[];
  acceptAnyLoopbackRedirect?: boolean;
  shop?: ShopSeed;
  rateLimits?: Partial<RateLimits>;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Validate every request and response against the OpenAPI document (default true). */
  strict?: boolean;
  /** Share one compiled validator between simulators (compilation is the expensive part). */
  validator?: OpenApiValidator;
  /** Clock in ms; defaults to Date.now. Timestamps, token expiry and rate windows all use it. */
  now?: () => number;
  latencyMs?: number;
  /** 'real' (default): real Etsy's forms where they differ from the document (docs/ETSY_API_NOTES.md §9.23–25); see SimForms. */
  forms?: SimForms;
}

export interface RequestInfo {
  /** 1-based count of API requests that passed the api-key and rate checks. */
  index: number;
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  rawBody: string;
}

export interface AppliedInfo extends RequestInfo {
  status: number;
  wrote: boolean;
}

export interface Violation {
  kind: 'request' | 'response' | 'unknown-route' | 'unsupported-operation';
  method: string;
  path: string;
  operationId?: string;
  status?: number;
  errors: string[];
}

export interface SimCounters {
  total: number;
  byOperation: Record<string, number>;
  /** Writes actually applied (a reset-after-apply write counts; a rejected or faulted one does not). */
  writes: number;
  rateLimited: number;
}

export interface LoggedRequest {
  index: number;
  operationId: string;
  method: string;
  path: string;
  status: number | 'reset';
}

export interface ProductSnapshot {
  key: string;
  sku: string;
  quantity: number;
  is_enabled: boolean;
  price: number;
  product_id: number;
  offering_id: number;
}

export interface ListingSnapshot {
  listing_id: number;
  title: string;
  state: ListingState;
  quantity: number;
  updated_timestamp: number;
  hasInventoryRecord: boolean;
  products: ProductSnapshot[];
}

const MAX_BODY_BYTES = 1_000_000;
const MAX_LOG = 20_000;
const WRITE_METHODS = new Set(['PUT', 'PATCH', 'POST', 'DELETE']);

export async function startEtsySimulator(options: EtsySimulatorOptions = {}) {
  const now = options.now ?? Date.now;
  const strict = options.strict ?? true;
  const validator = options.validator ?? createOpenApiValidator();
  const app: SimApp = {
    keystring: options.keystring ?? 'simkeystring1234',
    sharedSecret: options.sharedSecret ?? 'simsharedsecret',
    redirectUris: [...(options.redirectUris ?? ['http://localhost:3003/oauth/redirect'])],
  };
  const store = new SimStore(now, options.shop?.shop);
  store.forms = options.forms ?? 'real';
  if (options.shop) store.seed(options.shop);
  const auth = new SimAuth(now, {
    apps: [app],
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 90 * 24 * 3600,
    acceptAnyLoopbackRedirect: options.acceptAnyLoopbackRedirect ?? false,
    ownerUserId: () => store.shop.user_id,
  });
  const limiter = new SimRateLimiter(now, { perSecond: 1000, perDay: 1_000_000, ...options.rateLimits });
  const faults = new SimFaults();
  faults.latencyMs = options.latencyMs ?? 0;
  const counters: SimCounters = { total: 0, byOperation: {}, writes: 0, rateLimited: 0 };
  const violations: Violation[] = [];
  const requestLog: LoggedRequest[] = [];
  const requestHooks = new Set<(info: RequestInfo) => void | Promise<void>>();
  const appliedHooks = new Set<(info: AppliedInfo) => void | Promise<void>>();
  const lateWrites = new Set<Promise<void>>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    // Etsy's clock, as the engine reads it (issue 12 item 12): the simulator's, not the host's.
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), date: new Date(now()).toUTCString(), ...headers });
    res.end(text);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? 'GET';
    const match = validator.matchOperation(method, url.pathname);
    if (!match) {
      violations.push({ kind: 'unknown-route', method, path: url.pathname, errors: ['No operation in the Etsy OpenAPI document matches this method and path'] });
      send(res, 404, { error: `Resource not found: ${method} ${url.pathname}` });
      return;
    }
    const { operationId } = match;
    const info = validator.operation(operationId)!;
    const key = auth.checkApiKey(header(req, 'x-api-key'));
    if (!key.ok) return sendChecked(res, operationId, key.status, key.body);
    const rate = limiter.take(key.app.keystring);
    if (!rate.ok) {
      counters.rateLimited++;
      // No rate headers on a 429 (docs/ETSY_API_NOTES.md §4, [RL-old]).
      return sendChecked(res, operationId, 429, { error: rate.error }, { 'retry-after': String(rate.retryAfter) });
    }
    counters.total++;
    counters.byOperation[operationId] = (counters.byOperation[operationId] ?? 0) + 1;
    const reqInfo: RequestInfo = { index: counters.total, operationId, method, path: url.pathname, pathParams: match.pathParams, query: url.searchParams, rawBody };
    const log: LoggedRequest = { index: reqInfo.index, operationId, method, path: url.pathname, status: 'reset' };
    requestLog.push(log);
    if (requestLog.length > MAX_LOG) requestLog.splice(0, requestLog.length - MAX_LOG);
    for (const hook of requestHooks) await hook(reqInfo);
    const latency = faults.latencyFor(operationId);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const isWrite = WRITE_METHODS.has(method);
    if (faults.take('reset-before', operationId, isWrite)) return destroy(req);
    const failure = faults.take('status', operationId, isWrite);
    if (failure) {
      log.status = failure.status;
      const message = failure.message ?? (failure.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
      return sendChecked(res, operationId, failure.status, { error: message }, rate.headers);
    }

    const handler = operationHandler(operationId);
    if (!handler) {
      violations.push({ kind: 'unsupported-operation', method, path: url.pathname, operationId, errors: [`The simulator does not implement ${operationId}`] });
      log.status = 501;
      return send(res, 501, { error: `The simulator does not implement ${operationId}.` }, rate.headers);
    }
    let caller: Caller | undefined;
    if (info.oauthScopes) {
      const authn = auth.authenticate(header(req, 'authorization'), key.app, info.oauthScopes);
      if (!authn.ok) {
        log.status = authn.status;
        return sendChecked(res, operationId, authn.status, authn.body, rate.headers);
      }
      caller = authn.caller;
    }

    const contentType = header(req, 'content-type');
    let body: unknown = rawBody === '' ? undefined : rawBody;
    if (rawBody !== '' && (contentType ?? '').startsWith('application/json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        violations.push({ kind: 'request', method, path: url.pathname, operationId, errors: ['body is not valid JSON'] });
        log.status = 400;
        return sendChecked(res, operationId, 400, { error: 'The request body is not valid JSON.' }, rate.headers);
      }
    }
    const checked = validator.validateRequest(operationId, { pathParams: match.pathParams, query: url.searchParams, headers: req.headers, body, contentType });
    if (strict && !checked.valid) {
      violations.push({ kind: 'request', method, path: url.pathname, operationId, errors: checked.errors });
      log.status = 400;
      return sendChecked(res, operationId, 400, { error: checked.errors.join('; ') }, rate.headers);
    }

    const late = faults.take('apply-late', operationId, isWrite);
    if (late) {
      // A gateway error now; the write lands later, after a client that re-reads at once has looked.
      log.status = late.status;
      const applied = new Promise<void>((resolve) =>
        setTimeout(() => {
          const result = handler(store, { caller, pathParams: checked.coerced.pathParams, query: checked.coerced.query, body: checked.coerced.body });
          if (result.wrote) counters.writes++;
          resolve();
        }, late.delayMs),
      );
      lateWrites.add(applied);
      void applied.then(() => lateWrites.delete(applied));
      return sendChecked(res, operationId, late.status, { error: late.message ?? 'Gateway Timeout' }, rate.headers);
    }
    const result = handler(store, { caller, pathParams: checked.coerced.pathParams, query: checked.coerced.query, body: checked.coerced.body });
    const wrote = result.wrote === true;
    if (wrote) counters.writes++;
    log.status = result.status;
    for (const hook of appliedHooks) await hook({ ...reqInfo, status: result.status, wrote });
    if (wrote && faults.take('reset-after-apply', operationId, isWrite)) {
      log.status = 'reset';
      return destroy(req);
    }
    return sendChecked(res, operationId, result.status, result.body, rate.headers);
  }

  function sendChecked(res: ServerResponse, operationId: string, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (strict) {
      const v = validator.validateResponse(operationId, status, body);
      const req = res.req;
      if (!v.valid) violations.push({ kind: 'response', method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, operationId, status, errors: v.errors });
    }
    send(res, status, body, headers);
  }

  function destroy(req: IncomingMessage): void {
    const socket = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void };
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }

  function handleOAuth(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): boolean {
    if (url.pathname === '/oauth/connect' && req.method === 'GET') {
      const r = auth.authorize(url.searchParams);
      if (r.status === 302) res.writeHead(302, { location: r.location, 'content-length': '0' }).end();
      else res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(r.text);
      return true;
    }
    if (url.pathname === '/v3/public/oauth/token' && req.method === 'POST') {
      let form: URLSearchParams;
      if ((header(req, 'content-type') ?? '').startsWith('application/json')) {
        try {
          form = new URLSearchParams(Object.entries(JSON.parse(rawBody) as Record<string, string>).map(([k, v]): [string, string] => [k, String(v)]));
        } catch {
          send(res, 400, { error: 'invalid_request', error_description: 'body is not valid JSON' });
          return true;
        }
      } else form = new URLSearchParams(rawBody);
      const r = auth.token(form);
      send(res, r.status, r.body, { 'cache-control': 'no-store' });
      return true;
    }
    return false;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const work = handleOAuth(req, res, url, rawBody)
        ? Promise.resolve()
        : url.pathname.startsWith('/v3/application/')
          ? handleApi(req, res, url, rawBody)
          : Promise.resolve(send(res, 404, { error: 'Not found' }));
      work.catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, { error: `Simulator bug: ${e instanceof Error ? e.message : String(e)}` });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const snapshot = (id: number): ListingSnapshot | undefined => {
    const l = store.listing(id);
    if (!l) return undefined;
    return {
      listing_id: l.listing_id,
      title: l.title,
      state: l.state,
      quantity: totalQuantity(l),
      updated_timestamp: l.updated,
      hasInventoryRecord: l.inventory !== null,
      products: (l.inventory?.products ?? []).map((p) => ({
        key: productKey(p),
        sku: p.sku,
        quantity: p.offerings[0]!.quantity,
        is_enabled: p.offerings[0]!.is_enabled,
        price: p.offerings[0]!.price.amount,
        product_id: p.product_id,
        offering_id: p.offerings[0]!.offering_id,
      })),
    };
  };

  return {
    url,
    port,
    /** Base for API calls: `${apiBaseUrl}/v3/application/...`. */
    apiBaseUrl: url,
    authorizeUrl: `${url}/oauth/connect`,
    tokenUrl: `${url}/v3/public/oauth/token`,
    keystring: app.keystring,
    sharedSecret: app.sharedSecret,
    /** The value a correct client sends as x-api-key. */
    apiKey: `${app.keystring}:${app.sharedSecret}`,
    /** A second Etsy user (not the shop owner), for "SKU only for the owner" tests. */
    otherUserId: 88_000_001,
    get shop(): SimShop {
      return { ...store.shop };
    },
    store,
    counters,
    violations,
    requestLog,
    authStats: auth.stats as Readonly<AuthStats>,

    close: (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),

    /** True between goOffline() and goOnline(). */
    get offline(): boolean {
      return !server.listening;
    },
    /**
     * Etsy unreachable (a craft fair without network): stop listening, so every connection is refused,
     * as when the network is down. The shop stays as it is; `sell` etc. keep working meanwhile.
     */
    goOffline: (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    /** Reachable again on the same port (so the same URL), shop and tokens as they were. */
    goOnline: (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        if (server.listening) return resolve();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      }),

    // ---- shop data ----
    seedShop: (seed: ShopSeed): number[] => store.seed(seed),
    addListing: (seed: SeedListing): number => store.addListing(seed),
    deleteListing: (listingId: number): void => store.deleteListing(listingId),
    sell: (listingId: number, which?: ProductSelector, quantity = 1): SaleResult => store.sell(listingId, which, quantity),
    editQuantity: (listingId: number, which: ProductSelector, quantity: number): void => store.editQuantity(listingId, which, quantity),
    /** Receipts of sales made from now on appear only at `releaseReceipts()` (late receipts). */
    holdReceipts(): void {
      store.holdingReceipts = true;
    },
    releaseReceipts: (): void => store.releaseReceipts(),
    /** false: a sale leaves the listing's `updated_timestamp` as it was. */
    setSalesTouchListing(touch: boolean): void {
      store.salesTouchListing = touch;
    },
    cancelOrder: (receiptId: number, options?: { status?: ReceiptStatus; restock?: boolean }): void => store.cancelOrder(receiptId, options),
    setState: (listingId: number, state: ListingState): void => store.setState(listingId, state),
    setUpdatedOrderDisorder: (places: number): void => store.setUpdatedOrderDisorder(places),
    setReceiptStatus: (receiptId: number, status: ReceiptStatus): void => store.setReceiptStatus(receiptId, status),
    setOfferingReadiness: (listingId: number, which: ProductSelector, value: number | null | 'absent'): void =>
      store.setOfferingReadiness(listingId, which, value),
    getListing: snapshot,
    listingIds: (): number[] => store.allListings().map((l) => l.listing_id),
    snapshot: (): ListingSnapshot[] => store.allListings().map((l) => snapshot(l.listing_id)!),

    // ---- observation & hooks ----
    onRequest(hook: (info: RequestInfo) => void | Promise<void>): () => void {
      requestHooks.add(hook);
      return () => requestHooks.delete(hook);
    },
    onApplied(hook: (info: AppliedInfo) => void | Promise<void>): () => void {
      appliedHooks.add(hook);
      return () => appliedHooks.delete(hook);
    },
    resetCounters(): void {
      counters.total = 0;
      counters.writes = 0;
      counters.rateLimited = 0;
      for (const k of Object.keys(counters.byOperation)) delete counters.byOperation[k];
      requestLog.length = 0;
    },

    // ---- faults & limits ----
    setLatency(ms: number, operationId?: string): void {
      if (operationId) faults.latencyByOperation.set(operationId, ms);
      else faults.latencyMs = ms;
    },
    failNext(count: number, opts: { status?: number; operationId?: string; message?: string } = {}): void {
      faults.add('status', count, opts);
    },
    resetBeforeHandling(count: number, opts: { operationId?: string } = {}): void {
      faults.add('reset-before', count, opts);
    },
    resetAfterApply(count: number, opts: { operationId?: string } = {}): void {
      faults.add('reset-after-apply', count, opts);
    },
    /** The next `count` writes are answered `status` (default 504) and applied `delayMs` later. */
    applyLate(count: number, opts: { status?: number; operationId?: string; delayMs?: number } = {}): void {
      faults.add('apply-late', count, { status: opts.status ?? 504, ...(opts.operationId ? { operationId: opts.operationId } : {}), delayMs: opts.delayMs ?? 3000 });
    },
    /** Resolves once every write answered by 'apply-late' has been applied. */
    lateWritesApplied: async (): Promise<void> => {
      await Promise.all([...lateWrites]);
    },
    clearFaults: (): void => faults.clear(),
    setRateLimits(limits: Partial<RateLimits>): void {
      limiter.limits = { ...limiter.limits, ...limits };
    },
    useDailyQuota: (n: number): void => limiter.useDaily(app.keystring, n),

    // ---- auth ----
    issueTokens(opts: { userId?: number; scopes?: string[] } = {}): TokenSet {
      return auth.issueTokens(opts.userId ?? store.shop.user_id, opts.scopes ?? ['listings_r', 'listings_w', 'shops_r', 'transactions_r'], app.keystring);
    },
    expireAccessTokens: (): void => auth.expireAccessTokens(),
    revokeGrant: (userId?: number): void => auth.revokeGrants(userId),
    setConsent(consent: 'approve' | 'deny'): void {
      auth.consent = consent;
    },
    registerRedirectUri: (uri: string): void => auth.registerRedirectUri(app.keystring, uri),
  };
}

export type EtsySimulator = Awaited<ReturnType<typeof startEtsySimulator>>;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
