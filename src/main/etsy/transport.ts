import { AppError } from '../../shared/errors';
import { anySignal, throwIfAborted, type Sleep } from './abort';
import { cleanEtsyText, etsyErrorText, etsyHttpError } from './errors';
import type { DailyBudget } from './rate-limit/daily-budget';
import type { PerSecondLimiter } from './rate-limit/per-second-limiter';
import { decideRetry, isWriteMethod, parseRetryAfterMs, writeOutcomeUnknown, type AttemptOutcome, type RetryPolicy } from './retry';
import type { TokenProvider } from './token-provider';

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface TransportDeps {
  tokens: TokenProvider;
  limiter: PerSecondLimiter;
  budget: DailyBudget;
  fetch: FetchLike;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  policy: RetryPolicy;
  /** Per-attempt timeout; a timed-out write is WRITE_OUTCOME_UNKNOWN. */
  timeoutMs: number;
  /** Client-wide cancellation (app stop); combined with each request's own signal. */
  signal?: AbortSignal | undefined;
  /** Strings that must never appear in an error message (keystring, shared secret). */
  secrets: readonly string[];
}

/**
 * The per-attempt pipeline under openapi-fetch (passed as its `fetch`): every attempt — a 401 and its
 * retry included — carries a fresh bearer token, then waits for its own per-second slot (and any
 * retry-after pause), is counted against the daily budget, and feeds Etsy's rate headers back. Retries happen here because openapi-fetch
 * middleware runs once per call, while limits, budget and tokens apply to every attempt.
 */
export function createEtsyTransport(deps: TransportDeps): FetchLike {
  return async function etsyTransport(request: Request): Promise<Response> {
    const signal = anySignal(deps.signal, request.signal);
    const method = request.method.toUpperCase();
    const what = describe(method, request.url);
    // Read the body once: each attempt needs its own Request.
    const body = method === 'GET' || method === 'HEAD' ? undefined : await request.arrayBuffer();
    let attempt = 0;
    let refreshedToken = false;

    for (;;) {
      throwIfAborted(signal);
      // Token first, slot second: a slot taken while a refresh is under way would be spent waiting, and
      // every caller that waited would then go out at once — more calls in one second than the limit
      // (a 429 after each token expiry). The slot is taken right before the request leaves.
      const token = await deps.tokens.getAccessToken(signal);
      await deps.limiter.acquire(signal);
      throwIfAborted(signal);
      // Counted before sending: a call whose answer is lost still cost Etsy's budget.
      deps.budget.consume(deps.now(), { write: isWriteMethod(method) });
      attempt += 1;

      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${token}`);
      const outcome = await sendOnce(deps, new Request(request.url, { method, headers, body, redirect: 'manual' }), signal, what);
      // A write that got its answer is finished, cancelled or not: dropping it would hide an applied change.
      if (!isWriteMethod(method) || outcome.kind !== 'response') throwIfAborted(signal);

      if (outcome.kind === 'response') {
        const { response } = outcome;
        reconcile(deps, response.headers);
        if (response.status === 401) {
          const errorBody = await readJson(response.clone());
          // One fresh token, once: an expired token is routine, a second 401 means the grant is gone.
          if (!refreshedToken && isInvalidToken(errorBody)) {
            refreshedToken = true;
            attempt -= 1;
            await deps.tokens.invalidate(token);
            continue;
          }
          throw etsyHttpError(401, errorBody, what, deps.secrets);
        }
        const retryOutcome = await statusOutcome(response, deps);
        const decision = decideRetry({ method, attempt, outcome: retryOutcome, policy: deps.policy, random: deps.random, now: deps.now(), what });
        if (decision.kind === 'done') return response;
        if (retryOutcome.kind === 'status' && retryOutcome.status === 429 && retryOutcome.dailyLimit) deps.budget.markExhausted(deps.now());
        if (decision.kind === 'fail') throw decision.error;
        await waitBeforeRetry(deps, decision.delayMs, decision.pauseEveryone, signal);
        continue;
      }

      const decision = decideRetry({ method, attempt, outcome: outcome.outcome, policy: deps.policy, random: deps.random, now: deps.now(), what });
      if (decision.kind === 'fail') throw decision.error;
      if (decision.kind === 'retry') await waitBeforeRetry(deps, decision.delayMs, false, signal);
    }
  };
}

type SendResult = { kind: 'response'; response: Response } | { kind: 'failed'; outcome: AttemptOutcome };

async function sendOnce(deps: TransportDeps, request: Request, signal: AbortSignal | undefined, what: string): Promise<SendResult> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), deps.timeoutMs);
  const combined = anySignal(signal, timeout.signal);
  try {
    const response = await deps.fetch(request, { signal: combined });
    // Buffer the (small) body here, under the same timeout and signal: a body lost half-way is a network
    // failure of this attempt, and the caller never reads from a stream that a later abort would break.
    const bytes = await response.arrayBuffer();
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    const buffered = new Response(nullBody ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    return { kind: 'response', response: buffered };
  } catch (cause) {
    if (signal?.aborted === true) {
      // Cancelled mid-flight: a read is simply CANCELLED; a write may already be applied on Etsy's side,
      // and the sync engine must re-read before counting it either way (else a delta is applied twice).
      if (isWriteMethod(request.method)) throw writeOutcomeUnknown(what, 'was cancelled while under way', cause);
      throwIfAborted(signal);
    }
    if (timeout.signal.aborted) return { kind: 'failed', outcome: { kind: 'timeout' } };
    if (cause instanceof AppError) throw cause;
    return { kind: 'failed', outcome: { kind: 'network', cause } };
  } finally {
    clearTimeout(timer);
  }
}

async function waitBeforeRetry(deps: TransportDeps, delayMs: number, pauseEveryone: boolean, signal: AbortSignal | undefined): Promise<void> {
  if (pauseEveryone) {
    // The limiter holds every caller (this one included, at its next acquire) until the pause ends.
    deps.limiter.pauseUntil(deps.now() + delayMs);
    return;
  }
  await deps.sleep(delayMs, signal);
}

async function statusOutcome(response: Response, deps: TransportDeps): Promise<AttemptOutcome> {
  const status = response.status;
  if (status !== 429 && status < 500) return { kind: 'status', status, retryAfterMs: undefined, dailyLimit: false };
  const errorBody = await readJson(response.clone());
  const raw = etsyErrorText(errorBody);
  const etsyText = raw === undefined ? undefined : cleanEtsyText(raw, deps.secrets);
  const remainingToday = intHeader(response.headers, 'x-remaining-today');
  return {
    kind: 'status',
    status,
    retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), deps.now()),
    // "Exceeded daily rate limit" (#620 #611), or a 429 carrying x-remaining-today: 0 (#256).
    dailyLimit: status === 429 && ((raw !== undefined && /daily/i.test(raw)) || remainingToday === 0),
    etsyText,
  };
}

function reconcile(deps: TransportDeps, headers: Headers): void {
  const limitPerSecond = intHeader(headers, 'x-limit-per-second');
  const limitPerDay = intHeader(headers, 'x-limit-per-day');
  const remainingToday = intHeader(headers, 'x-remaining-today');
  const remainingThisSecond = intHeader(headers, 'x-remaining-this-second');
  if (limitPerSecond !== undefined) deps.limiter.resize(limitPerSecond);
  if (remainingThisSecond !== undefined) deps.limiter.observeRemainingThisSecond(remainingThisSecond);
  deps.budget.observe({ limitPerSecond, limitPerDay, remainingToday }, deps.now());
}

function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function isInvalidToken(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return true; // a bare 401: try one fresh token anyway
  const error = (body as Record<string, unknown>)['error'];
  return error === undefined || error === 'invalid_token';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  } catch {
    return undefined;
  }
}

/** "GET /v3/application/shops/{id}/listings" for messages: path only, no query (ids are not secret, but noise). */
function describe(method: string, url: string): string {
  try {
    return `${method} ${new URL(url).pathname}`;
  } catch {
    return method;
  }
}
