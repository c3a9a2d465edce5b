import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { oneLine } from '../../../shared/text';
import { parseRedirectUri, sameRedirectTarget } from './redirect-uri';

/** What one request to the redirect path means for the connect flow. */
export type CallbackOutcome =
  | { kind: 'code'; code: string }
  /** Wrong, missing or repeated state: not ours. Rejected, and the flow keeps waiting. */
  | { kind: 'foreign' }
  /** Etsy answered (with our state) but without a code: the flow ends with this error. */
  | { kind: 'failed'; error: AppError };

/**
 * Judges the query of a redirect. `state` is checked before anything else, so a request that did not
 * come from our own authorize URL can neither deliver a code nor end the flow with an error.
 */
export function judgeCallback(params: URLSearchParams, expectedState: string): CallbackOutcome {
  const states = params.getAll('state');
  if (states.length !== 1 || !stateMatches(states[0] ?? '', expectedState)) return { kind: 'foreign' };

  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    const text = oneLine(description && description.length > 0 ? description : error);
    const message =
      error === 'access_denied'
        ? 'The connection was declined on Etsy, so Art Sync is not connected.'
        : `Etsy did not connect Art Sync: ${text}`;
    return { kind: 'failed', error: new AppError('OAUTH_FAILED', message, { action: 'Connect Etsy again' }) };
  }
  const codes = params.getAll('code');
  const code = codes[0];
  if (codes.length !== 1 || code === undefined || code.length === 0) {
    return {
      kind: 'failed',
      error: new AppError('OAUTH_FAILED', 'Etsy came back without an authorization code.', { action: 'Connect Etsy again' }),
    };
  }
  return { kind: 'code', code };
}

/** Constant-time comparison, so the state cannot be guessed byte by byte from response timing. */
export function stateMatches(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && expected.length > 0 && timingSafeEqual(a, b);
}

/**
 * The manual path for when the loopback port is busy or the browser runs elsewhere: the user pastes
 * the address their browser was sent to. It must be the registered redirect URI with our state.
 */
export function parseRedirectedUrl(pasted: string, expectedState: string, redirectUri: string): string {
  const target = parseRedirectUri(redirectUri);
  let url: URL;
  try {
    url = new URL(pasted.trim());
  } catch {
    throw new AppError('INVALID_INPUT', "That is not a web address. Copy the whole address from the browser's address bar.");
  }
  if (!sameRedirectTarget(url, target)) {
    throw new AppError('INVALID_INPUT', `That address does not start with Art Sync's redirect address ${target.uri}.`, {
      action: "Copy the whole address from the browser's address bar after approving on Etsy",
    });
  }
  const outcome = judgeCallback(url.searchParams, expectedState);
  switch (outcome.kind) {
    case 'code':
      return outcome.code;
    case 'failed':
      throw outcome.error;
    case 'foreign':
      throw new AppError('OAUTH_STATE_MISMATCH', 'That address belongs to a different connection attempt.', {
        action: 'Use the address from the browser tab this connection opened, or start connecting again',
      });
  }
}
