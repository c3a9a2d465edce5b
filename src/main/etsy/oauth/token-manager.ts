import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { checkEtsyUrl } from '../base-url';
import type { SecretStore } from '../../secrets/secret-store';
import { refreshTokens, type FetchLike, type StoredAccessToken } from './tokens';

/** What the Etsy client needs from OAuth: a current bearer token, and a way to report a rejected one. */
export interface AccessTokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /** The API answered 401 for this token: never hand it out again. No-op for any other token. */
  invalidate(token: string): void;
}

export interface TokenManagerOptions {
  secrets: SecretStore;
  /** Full token endpoint URL, see tokenUrlFor(apiUrl). */
  tokenUrl: string;
  /**
   * Called once per dead grant (invalid_grant on refresh); the app marks
   * `etsy_connection.needs_reconnect` and shows "Reconnect Etsy".
   */
  onReconnectRequired: (reason: string) => void | Promise<void>;
  /** A token is treated as expired this long before Etsy's expiry. Default 60 s. */
  safetyMarginMs?: number;
  /** Bound on one refresh request. Default 30 s. */
  refreshTimeoutMs?: number;
  /** Cancels an in-flight refresh at shutdown (one caller's signal never does: others share it). */
  signal?: AbortSignal;
  now?: () => number;
  fetch?: FetchLike;
  /**
   * Runs a refresh while holding a lock shared with every other process on this data folder (the app
   * passes FolderLock's "etsy-token" lease). Without it, single flight is per process only.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Hands out access tokens, refreshing through Etsy when the stored one is expired or was rejected.
 *
 * - Single flight: all callers share one in-flight load/refresh, because Etsy rotates refresh tokens
 *   and presenting the old one twice revokes the grant (etsy/open-api#353).
 * - The rotated refresh token is written to the SecretStore before the new access token is stored
 *   or returned, so a crash can at worst lose an access token, never the grant.
 * - invalid_grant → onReconnectRequired + RECONNECT_ETSY; that refresh token is remembered (as a hash)
 *   and later calls fail fast without the network until a new connection stores a different one.
 *
 * - Across processes (the app, the daemon, a cron sync on one data folder) the refresh runs inside
 *   `exclusive`, and the stored tokens are read again once it is held: the process that waited finds
 *   the token the first one stored and uses it instead of presenting the old refresh token again.
 */
export class TokenManager implements AccessTokenProvider {
  readonly #options: TokenManagerOptions;
  #cached: StoredAccessToken | null = null;
  #pending: Promise<string> | null = null;
  #invalidatedHash: string | null = null;
  #deadRefreshHash: string | null = null;

  constructor(options: TokenManagerOptions) {
    // The refresh token and shared secret travel there: HTTPS, or loopback for the simulator.
    checkEtsyUrl(options.tokenUrl, 'Etsy token address');
    this.#options = options;
  }

  getAccessToken(signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const cached = this.#cached;
    if (cached !== null && this.#usable(cached)) return Promise.resolve(cached.token);
    this.#pending ??= this.#obtain().finally(() => {
      this.#pending = null;
    });
    return abortable(this.#pending, signal);
  }

  invalidate(token: string): void {
    const hash = sha256(token);
    if (this.#cached !== null && sha256(this.#cached.token) === hash) this.#cached = null;
    // Also remembered, so the same token is not reloaded from the SecretStore.
    this.#invalidatedHash = hash;
  }

  /** Forgets everything held in memory; call after connectEtsy/disconnectEtsy replaced the secrets. */
  reset(): void {
    this.#cached = null;
    this.#invalidatedHash = null;
    this.#deadRefreshHash = null;
  }

  #usable(token: StoredAccessToken): boolean {
    const now = (this.#options.now ?? Date.now)();
    return token.expiresAt - (this.#options.safetyMarginMs ?? 60_000) > now && sha256(token.token) !== this.#invalidatedHash;
  }

  async #obtain(): Promise<string> {
    // Another process (or a restart) may have stored a fresh token since we last looked.
    const stored = await this.#storedUsable();
    if (stored !== null) return stored;
    const exclusive = this.#options.exclusive;
    if (!exclusive) return this.#refresh();
    return exclusive(async () => {
      // Looked at again under the lock: the process we waited for may have just refreshed.
      return (await this.#storedUsable()) ?? this.#refresh();
    });
  }

  async #storedUsable(): Promise<string | null> {
    const stored = parseStoredAccessToken(await this.#options.secrets.get('etsy.accessToken'));
    if (stored === null || !this.#usable(stored)) return null;
    this.#cached = stored;
    return stored.token;
  }

  async #refresh(): Promise<string> {
    const { secrets } = this.#options;

    const [clientId, sharedSecret, refreshToken] = await Promise.all([
      secrets.get('etsy.keystring'),
      secrets.get('etsy.sharedSecret'),
      secrets.get('etsy.refreshToken'),
    ]);
    if (!clientId || !sharedSecret || !refreshToken) {
      throw new AppError('NOT_CONNECTED', 'Art Sync is not connected to Etsy.', { action: 'Connect Etsy' });
    }
    if (sha256(refreshToken) === this.#deadRefreshHash) throw reconnectError();

    const timeout = AbortSignal.timeout(this.#options.refreshTimeoutMs ?? 30_000);
    const signal = this.#options.signal ? AbortSignal.any([this.#options.signal, timeout]) : timeout;
    let tokens;
    try {
      tokens = await refreshTokens({
        tokenUrl: this.#options.tokenUrl,
        clientId,
        sharedSecret,
        refreshToken,
        signal,
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
        ...(this.#options.now ? { now: this.#options.now } : {}),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'RECONNECT_ETSY') {
        this.#deadRefreshHash = sha256(refreshToken);
        try {
          await this.#options.onReconnectRequired(error.message);
        } catch {
          // Recording the state is best effort; the caller still learns it must reconnect.
        }
        throw reconnectError();
      }
      if (error instanceof AppError && error.code === 'CANCELLED' && timeout.aborted && !this.#options.signal?.aborted) {
        throw new AppError('NETWORK', "Etsy's sign-in service did not answer in time.", { action: 'Try again later' });
      }
      throw error;
    }

    // Order matters: the old refresh token is already dead at Etsy, so the new one is persisted first.
    await secrets.set('etsy.refreshToken', tokens.refreshToken);
    const fresh: StoredAccessToken = { token: tokens.accessToken, expiresAt: tokens.expiresAt };
    await secrets.set('etsy.accessToken', JSON.stringify(fresh));
    this.#cached = fresh;
    return fresh.token;
  }
}

/** Parses the `etsy.accessToken` JSON; anything malformed counts as "no token". */
export function parseStoredAccessToken(raw: string | null): StoredAccessToken | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredAccessToken> | null;
    if (typeof value?.token === 'string' && typeof value.expiresAt === 'number') {
      return { token: value.token, expiresAt: value.expiresAt };
    }
  } catch {
    // fall through
  }
  return null;
}

function reconnectError(): AppError {
  return new AppError('RECONNECT_ETSY', 'Etsy no longer accepts Art Sync\'s sign-in. Connect Etsy again to resume syncing.', {
    action: 'Reconnect Etsy',
  });
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'Talking to Etsy was cancelled.');
}

/** Lets one caller stop waiting without cancelling the shared work the others are waiting on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
