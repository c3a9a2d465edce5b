import { AppError } from '../../../shared/errors';
import { checkEtsyUrl } from '../base-url';
import { ETSY_SECRET_NAMES, type SecretStore } from '../../secrets/secret-store';
import { parseRedirectedUrl } from './callback';
import { DEFAULT_CALLBACK_TIMEOUT_MS, startLoopbackListener, type LoopbackListener } from './loopback';
import { buildAuthorizeUrl, createPkce, createState } from './pkce';
import { DEFAULT_REDIRECT_URI, parseRedirectUri } from './redirect-uri';
import { exchangeCode, tokenUrlFor, type FetchLike, type StoredAccessToken } from './tokens';

export interface ConnectEtsyOptions {
  keystring: string;
  sharedSecret: string;
  /** Must equal the redirect URI registered in the Etsy app. Default http://localhost:3003/oauth/redirect. */
  redirectUri?: string;
  /** Etsy's web origin (ART_SYNC_ETSY_AUTH_URL), e.g. https://www.etsy.com. */
  authUrl: string;
  /** Etsy's API origin (ART_SYNC_ETSY_API_URL), e.g. https://api.etsy.com. */
  apiUrl: string;
  secrets: SecretStore;
  /** Opens the authorize URL in the user's browser (Electron shell.openExternal, `open`, …). */
  openBrowser?: (url: string) => Promise<void>;
  /** Receives the authorize URL before the browser is opened (for `--no-browser`, or to show a copy link). */
  onAuthorizeUrl?: (url: string) => void;
  /**
   * The manual path: resolves with the address the browser was redirected to, pasted by the user.
   * Races the loopback listener, and is the only path when the port is busy. Its signal is aborted
   * as soon as the flow ends another way, so a prompt can be taken down.
   */
  pasteUrl?: (signal: AbortSignal) => Promise<string>;
  /**
   * Told when a pasted address was refused (not an address, another redirect address, another
   * attempt's): the wait goes on and pasteUrl is asked again, so a slip does not end the connect.
   * Without it a refused paste ends the connect with that error. Etsy's own "declined" always ends it.
   */
  onPasteRejected?: (error: AppError) => void;
  /** Told when the loopback port could not be bound and only the paste path is left. */
  onListenerUnavailable?: (error: AppError) => void;
  signal?: AbortSignal;
  /** How long to wait for the user to approve on Etsy. Default 5 minutes. */
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
}

export interface ConnectEtsyResult {
  /** The Etsy user id from the access token prefix; the caller then calls getMe for the shop. */
  userId: string | null;
  /** Access token expiry, ms epoch. */
  expiresAt: number;
}

/**
 * The whole OAuth 2.0 + PKCE connect: authorize URL → one valid callback (loopback or pasted) →
 * token exchange → keystring, shared secret and tokens into the SecretStore. Nothing is stored
 * unless the connection succeeds.
 */
export async function connectEtsy(options: ConnectEtsyOptions): Promise<ConnectEtsyResult> {
  const keystring = options.keystring.trim();
  const sharedSecret = options.sharedSecret.trim();
  if (!keystring || /[\s:]/.test(keystring)) {
    throw new AppError('INVALID_INPUT', 'The Etsy keystring is missing or malformed.', {
      action: 'Copy the keystring from your app on Etsy’s "Your apps" page',
    });
  }
  if (!sharedSecret || /\s/.test(sharedSecret)) {
    throw new AppError('INVALID_INPUT', 'The Etsy shared secret is missing or malformed.', {
      action: 'Copy the shared secret from your app on Etsy’s "Your apps" page',
    });
  }
  // The code, verifier and shared secret travel to these: HTTPS, or loopback for the simulator.
  const authUrl = checkEtsyUrl(options.authUrl, 'Etsy sign-in address');
  const apiUrl = checkEtsyUrl(options.apiUrl, 'Etsy API address');
  const redirectUri = parseRedirectUri(options.redirectUri ?? DEFAULT_REDIRECT_URI).uri;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  options.signal?.throwIfAborted();

  const pkce = createPkce();
  const state = createState();
  const listener = await openListener(options, redirectUri, state, timeoutMs);
  try {
    const authorizeUrl = buildAuthorizeUrl({
      authUrl,
      clientId: keystring,
      redirectUri,
      state,
      codeChallenge: pkce.challenge,
    });
    options.onAuthorizeUrl?.(authorizeUrl);
    if (options.openBrowser) {
      try {
        await options.openBrowser(authorizeUrl);
      } catch {
        if (!options.onAuthorizeUrl) {
          throw new AppError('OAUTH_FAILED', 'Art Sync could not open the browser to connect Etsy.', {
            action: 'Connect with the option that shows the address to open yourself',
          });
        }
      }
    }

    const code = await waitForCode(options, listener, state, redirectUri, timeoutMs);
    const tokens = await exchangeCode({
      tokenUrl: tokenUrlFor(apiUrl),
      clientId: keystring,
      sharedSecret,
      redirectUri,
      code,
      codeVerifier: pkce.verifier,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
    });

    const { secrets } = options;
    await secrets.set('etsy.keystring', keystring);
    await secrets.set('etsy.sharedSecret', sharedSecret);
    // A reconnect replaces a possibly dead grant; the refresh token goes in before the access token.
    await secrets.set('etsy.refreshToken', tokens.refreshToken);
    const access: StoredAccessToken = { token: tokens.accessToken, expiresAt: tokens.expiresAt };
    await secrets.set('etsy.accessToken', JSON.stringify(access));
    return { userId: tokens.userId, expiresAt: tokens.expiresAt };
  } finally {
    await listener?.close();
  }
}

/** Forgets the Etsy connection's secrets (keystring, shared secret, tokens). */
export async function disconnectEtsy(secrets: SecretStore): Promise<void> {
  for (const name of ETSY_SECRET_NAMES) await secrets.delete(name);
}

async function openListener(
  options: ConnectEtsyOptions,
  redirectUri: string,
  state: string,
  timeoutMs: number,
): Promise<LoopbackListener | null> {
  if (parseRedirectUri(redirectUri).protocol !== 'http:') {
    if (options.pasteUrl) return null;
    throw new AppError('INVALID_INPUT', 'Art Sync can only receive Etsy’s answer on an http:// redirect address.', {
      action: 'Use http://localhost:3003/oauth/redirect, or paste the redirected address',
    });
  }
  try {
    return await startLoopbackListener({
      redirectUri,
      expectedState: state,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof AppError && error.code !== 'CANCELLED' && options.pasteUrl) {
      options.onListenerUnavailable?.(error);
      return null;
    }
    throw error;
  }
}

/** The first of: a valid loopback callback, a valid pasted URL, the timeout, the abort. */
async function waitForCode(
  options: ConnectEtsyOptions,
  listener: LoopbackListener | null,
  state: string,
  redirectUri: string,
  timeoutMs: number,
): Promise<string> {
  const waits: Promise<string>[] = [];
  if (listener) waits.push(listener.code);
  const pasteDone = new AbortController();
  if (options.pasteUrl) {
    waits.push(codeFromPastes(options, options.pasteUrl, state, redirectUri, pasteDone.signal));
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // The listener has its own deadline; this one covers the paste-only path.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('OAUTH_TIMEOUT', 'Etsy did not answer in time, so Art Sync stopped waiting.', { action: 'Connect Etsy again' })),
      timeoutMs,
    );
    onAbort = () => reject(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Cancelled while the browser was opening: the event has already fired.
    if (options.signal?.aborted) onAbort();
  });
  try {
    return await Promise.race([...waits, deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    pasteDone.abort();
  }
}

/** A refused paste the owner can correct by pasting again (Etsy's own "declined" is final). */
const RETRYABLE_PASTE = new Set(['INVALID_INPUT', 'OAUTH_STATE_MISMATCH']);

/** The code from the first pasted address that is this attempt's answer from Etsy. */
async function codeFromPastes(
  options: ConnectEtsyOptions,
  pasteUrl: (signal: AbortSignal) => Promise<string>,
  state: string,
  redirectUri: string,
  signal: AbortSignal,
): Promise<string> {
  for (;;) {
    const pasted = await pasteUrl(signal);
    try {
      return parseRedirectedUrl(pasted, state, redirectUri);
    } catch (error) {
      if (!options.onPasteRejected || !(error instanceof AppError) || !RETRYABLE_PASTE.has(error.code)) throw error;
      options.onPasteRejected(error);
    }
  }
}
