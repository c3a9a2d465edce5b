import { AppError, type ErrorCode } from '../../shared/errors';

/** A limit error that knows when trying again makes sense (ms epoch), for status and the scheduler. */
export class EtsyLimitError extends AppError {
  readonly retryAt: number;

  constructor(code: Extract<ErrorCode, 'RATE_LIMITED' | 'DAILY_BUDGET_EXHAUSTED'>, message: string, retryAt: number) {
    super(code, message, { action: `Wait until ${new Date(retryAt).toISOString()}` });
    this.retryAt = retryAt;
  }
}

export function dailyBudgetExhausted(retryAt: number): EtsyLimitError {
  return new EtsyLimitError(
    'DAILY_BUDGET_EXHAUSTED',
    "Art Sync has used today's Etsy request allowance; it will continue when some of it frees up.",
    retryAt,
  );
}

export function rateLimited(retryAt: number): EtsyLimitError {
  return new EtsyLimitError('RATE_LIMITED', 'Etsy asked Art Sync to slow down; it will try again later.', retryAt);
}

// Tokens look like "<user id>.<opaque>" (docs/ETSY_API_NOTES.md §3); redact anything of that shape defensively.
const TOKEN_SHAPE = /\b\d+\.[\w-]{16,}/g;

/** Trims Etsy's error text for a message: not secret, but never echo anything token-shaped. */
export function cleanEtsyText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_SHAPE, '[redacted]');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

/** Pulls `error` (and `error_description`) out of Etsy's `{error: string}` body, whatever it is. */
export function etsyErrorText(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body;
  if (body !== null && typeof body === 'object') {
    const { error, error_description: description } = body as Record<string, unknown>;
    const parts = [error, description].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length > 0) return parts.join(': ');
  }
  return undefined;
}

/**
 * Maps a non-2xx answer that reached the caller into an AppError. 5xx and 429 are handled by the
 * transport before this; 401 after one fresh token means the connection itself is gone.
 */
export function etsyHttpError(status: number, body: unknown, what: string, secrets: readonly string[] = []): AppError {
  const raw = etsyErrorText(body);
  const text = raw === undefined ? undefined : cleanEtsyText(raw, secrets);
  const said = text === undefined ? '' : ` Etsy said: "${text}"`;
  if (status === 401) {
    return new AppError('RECONNECT_ETSY', `Etsy no longer accepts Art Sync's sign-in (${what}).${said}`, {
      action: 'Reconnect Etsy',
    });
  }
  if (status >= 500) {
    return new AppError('ETSY_UNAVAILABLE', `Etsy is having trouble right now (${what}, HTTP ${status}).${said}`, {
      action: 'Try again later',
    });
  }
  const keyProblem = status === 403 && /api key|shared secret|x-api-key/i.test(raw ?? '');
  return new AppError('ETSY_REJECTED', `Etsy refused ${what} (HTTP ${status}).${said}`, {
    action: keyProblem ? 'Check the Etsy keystring and shared secret' : undefined,
  });
}
