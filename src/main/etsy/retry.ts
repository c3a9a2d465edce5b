import { AppError } from '../../shared/errors';
import { dailyBudgetExhausted, rateLimited } from './errors';

export interface RetryPolicy {
  /** Total tries for one call, the first included. */
  maxAttempts: number;
  /** Backoff cap for retry n (1-based) is min(maxDelayMs, baseDelayMs * 2^(n-1)); the delay is uniform in [0, cap). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `retry-after` longer than this is not slept through: the call fails with RATE_LIMITED + retryAt. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
});

/** "Full jitter" (AWS architecture blog): spreads retries so a crowd of clients doesn't return in lockstep. */
export function backoffDelayMs(retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * cap);
}

/** `retry-after` as ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if absent/garbled. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** GET/HEAD may be repeated freely; anything else changes the shop. */
export function isWriteMethod(method: string): boolean {
  const m = method.toUpperCase();
  return m !== 'GET' && m !== 'HEAD';
}

/** What one attempt came to, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'network'; cause: unknown }
  | { kind: 'timeout' }
  | { kind: 'status'; status: number; retryAfterMs: number | undefined; dailyLimit: boolean; etsyText?: string | undefined };

export type RetryDecision =
  | { kind: 'retry'; delayMs: number; pauseEveryone: boolean }
  | { kind: 'fail'; error: AppError }
  | { kind: 'done' };

export interface DecideInput {
  method: string;
  /** 1-based number of the attempt that just finished. */
  attempt: number;
  outcome: AttemptOutcome;
  policy: RetryPolicy;
  random: () => number;
  now: number;
  what: string;
}

/**
 * The retry rules of docs/PRODUCT.md §5 as a pure function. Writes are never repeated after a network
 * error, timeout or 5xx: Etsy may have applied them, and a repeated stock write could apply a delta
 * twice — the sync engine re-reads first (WRITE_OUTCOME_UNKNOWN). A 429 was not applied, so even a
 * write may be retried after it.
 */
export function decideRetry(input: DecideInput): RetryDecision {
  const { method, attempt, outcome, policy, random, now, what } = input;
  const write = isWriteMethod(method);
  const canRetry = attempt < policy.maxAttempts;

  if (outcome.kind === 'network' || outcome.kind === 'timeout') {
    if (write) return { kind: 'fail', error: writeOutcomeUnknown(what, outcome.kind === 'timeout' ? 'timed out' : 'lost its connection', outcome) };
    if (canRetry) return { kind: 'retry', delayMs: backoffDelayMs(attempt, policy, random), pauseEveryone: false };
    return {
      kind: 'fail',
      error: new AppError(
        'NETWORK',
        outcome.kind === 'timeout'
          ? `Etsy did not answer in time (${what}).`
          : `Art Sync could not reach Etsy (${what}); check the internet connection.`,
        { action: 'Check the internet connection', cause: outcome.kind === 'network' ? outcome.cause : undefined },
      ),
    };
  }

  const { status, retryAfterMs } = outcome;
  if (status === 429) {
    if (outcome.dailyLimit) return { kind: 'fail', error: dailyBudgetExhausted(now + (retryAfterMs ?? 60 * 60 * 1000)) };
    const delayMs = retryAfterMs ?? backoffDelayMs(attempt, policy, random);
    if (!canRetry || delayMs > policy.maxRetryAfterMs) return { kind: 'fail', error: rateLimited(now + delayMs) };
    return { kind: 'retry', delayMs, pauseEveryone: true };
  }
  if (status >= 500) {
    const said = outcome.etsyText === undefined ? '' : ` Etsy said: "${outcome.etsyText}"`;
    if (write) return { kind: 'fail', error: writeOutcomeUnknown(what, `got HTTP ${status}`, undefined, said) };
    if (canRetry) {
      const delayMs = retryAfterMs !== undefined && retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : backoffDelayMs(attempt, policy, random);
      return { kind: 'retry', delayMs, pauseEveryone: false };
    }
    return {
      kind: 'fail',
      error: new AppError('ETSY_UNAVAILABLE', `Etsy is having trouble right now (${what}, HTTP ${status}).${said}`, {
        action: 'Try again later',
      }),
    };
  }
  return { kind: 'done' };
}

export function writeOutcomeUnknown(what: string, how: string, cause?: unknown, said = ''): AppError {
  return new AppError(
    'WRITE_OUTCOME_UNKNOWN',
    `Art Sync sent a change to Etsy (${what}) but the request ${how}, so it is not known whether Etsy applied it; it will re-read Etsy before trying again.${said}`,
    { cause },
  );
}
