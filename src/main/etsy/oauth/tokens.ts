import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { oneLine } from '../../../shared/text';
import { redact } from '../../secrets/redact';

/** What a successful token response gives us. Never log or print any field but userId/expiresAt. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** ms epoch, from the `expires_in` Etsy actually returned. */
  expiresAt: number;
  /** The numeric Etsy user id that prefixes the access token (`12345678.xyz…`), if present. */
  userId: string | null;
}

/** The JSON kept under `etsy.accessToken`. */
export interface StoredAccessToken {
  token: string;
  expiresAt: number;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

interface TokenRequestBase {
  /** Full token endpoint URL, see tokenUrlFor(). */
  tokenUrl: string;
  /** The keystring (the OAuth client_id is the keystring alone). */
  clientId: string;
  /** Sent in `x-api-key: keystring:secret`, which Etsy requires on every call since 2026-02-09. */
  sharedSecret: string;
  signal?: AbortSignal;
  fetch?: FetchLike;
  now?: () => number;
}

export interface ExchangeCodeInput extends TokenRequestBase {
  redirectUri: string;
  code: string;
  codeVerifier: string;
}

export interface RefreshInput extends TokenRequestBase {
  refreshToken: string;
}

/** `<apiUrl>/v3/public/oauth/token` (docs/ETSY_API_NOTES.md §3). */
export function tokenUrlFor(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/v3/public/oauth/token`;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});

const errorResponseSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** Trades the authorization code from the redirect for the first token pair. */
export async function exchangeCode(input: ExchangeCodeInput): Promise<TokenSet> {
  return requestTokens(
    input,
    {
      grant_type: 'authorization_code',
      client_id: input.clientId,
      redirect_uri: input.redirectUri,
      code: input.code,
      code_verifier: input.codeVerifier,
    },
    [input.code, input.codeVerifier],
    (oauthError, detail) =>
      new AppError(
        'OAUTH_FAILED',
        oauthError === 'invalid_grant'
          ? 'Etsy did not accept the sign-in answer (it may have expired or been used already).'
          : `Etsy did not complete the connection: ${detail}`,
        { action: 'Connect Etsy again' },
      ),
  );
}

/**
 * Uses the refresh token once. Etsy rotates it: the returned refreshToken replaces the old one, which
 * is dead from now on. `invalid_grant` (revoked, expired, reused) → AppError RECONNECT_ETSY.
 */
export async function refreshTokens(input: RefreshInput): Promise<TokenSet> {
  return requestTokens(
    input,
    { grant_type: 'refresh_token', client_id: input.clientId, refresh_token: input.refreshToken },
    [input.refreshToken],
    (oauthError, detail) =>
      oauthError === 'invalid_grant'
        ? new AppError('RECONNECT_ETSY', `Etsy no longer accepts Art Sync's sign-in (${detail}).`, { action: 'Reconnect Etsy' })
        : new AppError('OAUTH_FAILED', `Etsy did not renew Art Sync's sign-in: ${detail}`, { action: 'Reconnect Etsy' }),
  );
}

async function requestTokens(
  input: TokenRequestBase,
  form: Record<string, string>,
  extraSecrets: string[],
  grantError: (oauthError: string, detail: string) => AppError,
): Promise<TokenSet> {
  const doFetch = input.fetch ?? fetch;
  const now = input.now ?? Date.now;
  const secrets = [input.sharedSecret, input.clientId, ...extraSecrets];
  let response: Response;
  try {
    response = await doFetch(input.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-api-key': `${input.clientId}:${input.sharedSecret}`,
      },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (error) {
    if (input.signal?.aborted) throw new AppError('CANCELLED', 'Talking to Etsy was cancelled.');
    // Only the error code (e.g. ECONNREFUSED) is shown; fetch errors can carry the request.
    throw new AppError('NETWORK', `Art Sync could not reach Etsy's sign-in service (${networkCode(error)}).`, {
      action: 'Check the internet connection and try again',
    });
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }

  if (response.ok) {
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError('ETSY_UNAVAILABLE', "Etsy's sign-in service sent an answer Art Sync does not understand.", {
        action: 'Try again later',
      });
    }
    const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = parsed.data;
    return { accessToken, refreshToken, expiresAt: now() + Math.floor(expiresIn * 1000), userId: userIdFromAccessToken(accessToken) };
  }

  const parsedError = errorResponseSchema.safeParse(body);
  const oauthError = parsedError.success ? (parsedError.data.error ?? '') : '';
  const description = parsedError.success ? (parsedError.data.error_description ?? parsedError.data.error ?? '') : '';
  const detail = oneLine(redact(description, secrets)) || `HTTP ${response.status}`;

  if (oauthError === 'invalid_grant' || oauthError === 'invalid_request' || oauthError === 'unsupported_grant_type') {
    throw grantError(oauthError, detail);
  }
  if (response.status === 429) {
    throw new AppError('RATE_LIMITED', "Etsy is limiting Art Sync's requests right now.", { action: 'Try again in a minute' });
  }
  if (response.status >= 500) {
    throw new AppError('ETSY_UNAVAILABLE', `Etsy's sign-in service is not available (HTTP ${response.status}).`, {
      action: 'Try again later',
    });
  }
  if (oauthError === 'invalid_client' || response.status === 401 || response.status === 403) {
    throw new AppError('ETSY_REJECTED', `Etsy rejected the app's keystring or shared secret: ${detail}`, {
      action: 'Check the keystring and shared secret from your Etsy app page',
    });
  }
  throw grantError(oauthError, detail);
}

/** Etsy access tokens are `<numeric user id>.<opaque>`; the prefix is the user id. */
export function userIdFromAccessToken(accessToken: string): string | null {
  const dot = accessToken.indexOf('.');
  const prefix = dot > 0 ? accessToken.slice(0, dot) : '';
  return /^\d+$/.test(prefix) ? prefix : null;
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ?? 'network error';
}
