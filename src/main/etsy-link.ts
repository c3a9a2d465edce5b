/**
 * The connection to the owner's Etsy shop, as the core holds it: the OAuth connect (one attempt at a
 * time; a second replaces the first), the token manager (refresh single-flight across processes), the
 * one Etsy client per connection, and which shop it is. Plain Node; Core (app.ts) owns one and
 * delegates its Etsy use cases here.
 */
import { AppError } from '../shared/errors';
import type { EtsyBaseUrls } from './etsy/base-url';
import { createEtsyClient, type EtsyClient } from './etsy/client';
import { connectEtsy, disconnectEtsy } from './etsy/oauth/connect';
import { TokenManager } from './etsy/oauth/token-manager';
import { tokenUrlFor } from './etsy/oauth/tokens';
import type { BudgetStore } from './etsy/rate-limit/budget-store';
import type { FetchLike } from './etsy/transport';
import type { ConnectedShop, ConnectRequest } from './core-api';
import type { SecretStore } from './secrets/secret-store';
import type { ConnectionRepo } from './store/connection-repo';
import type { FolderLock } from './store/folder-lock';

export interface EtsyLinkParts {
  secrets: SecretStore;
  /** null when secrets are in the OS keychain; else why they live only in this process's memory. */
  secretsInMemory: string | null;
  urls: EtsyBaseUrls;
  connection: ConnectionRepo;
  budget: BudgetStore;
  folderLock: FolderLock;
  /** The core's lifetime: aborting it ends every wait (token refresh, limiter). */
  lifetime: AbortSignal;
  fetch: typeof globalThis.fetch | undefined;
  now: () => number;
}

export class EtsyLink {
  private readonly tokens: TokenManager;
  private client: EtsyClient | null = null;
  private calls = 0;
  private closed = false;
  private connecting: { controller: AbortController; done: Promise<unknown> } | null = null;

  constructor(private readonly parts: EtsyLinkParts) {
    this.tokens = new TokenManager({
      secrets: parts.secrets,
      tokenUrl: tokenUrlFor(parts.urls.apiUrl),
      onReconnectRequired: (reason) => {
        if (!this.closed) parts.connection.markReconnect(reason);
      },
      signal: parts.lifetime,
      now: parts.now,
      ...(parts.fetch ? { fetch: parts.fetch } : {}),
      // The rotated refresh token is stored before another process may refresh (docs/DATA_SAFETY.md).
      exclusive: (work) => parts.folderLock.withLease('etsy-token', 'renewing the Etsy sign-in', { waitMs: 60_000, signal: parts.lifetime }, work),
    });
  }

  /** Etsy calls this process has sent (counted at the fetch), for per-run call counts. */
  callCount(): number {
    return this.calls;
  }

  /** The client of this connection if one was built, else null (never reads the keychain). */
  currentClient(): EtsyClient | null {
    return this.client;
  }

  /** Builds the Etsy client from the stored credentials (once per connection). */
  async etsyClient(): Promise<EtsyClient> {
    if (this.client) return this.client;
    const { secrets } = this.parts;
    const keystring = await secrets.get('etsy.keystring');
    const sharedSecret = await secrets.get('etsy.sharedSecret');
    if (!keystring || !sharedSecret || !(await secrets.get('etsy.refreshToken'))) {
      throw new AppError(
        'NOT_CONNECTED',
        this.parts.secretsInMemory && this.parts.connection.get()
          ? 'The Etsy credentials are not available in this session because there is no system keychain.'
          : 'Etsy is not connected.',
        { action: 'Connect Etsy' },
      );
    }
    const fetchImpl = this.parts.fetch;
    const count: FetchLike = (input, init) => {
      this.calls += 1;
      return (fetchImpl ?? ((i, n) => globalThis.fetch(i, n)))(input, init);
    };
    this.client = createEtsyClient({
      apiUrl: this.parts.urls.apiUrl,
      keystring,
      sharedSecret,
      tokens: this.tokens,
      budget: this.parts.budget,
      fetch: count,
      signal: this.parts.lifetime,
      now: this.parts.now,
    });
    return this.client;
  }

  /** The connected shop, or why there is none (NOT_CONNECTED / RECONNECT_ETSY). */
  requireShop(): { shopId: number; currency: string } {
    const connection = this.parts.connection.get();
    if (!connection) throw new AppError('NOT_CONNECTED', 'Etsy is not connected.', { action: 'Connect Etsy' });
    if (connection.needsReconnect) throw new AppError('RECONNECT_ETSY', 'Etsy asked Art Sync to connect again.', { action: 'Reconnect Etsy' });
    return { shopId: connection.shopId, currency: connection.shopCurrency ?? 'USD' };
  }

  /** OAuth, then who the shop is. A second attempt replaces the first (its loopback port must be free again first). */
  async connect(request: ConnectRequest & { redirectUri: string }): Promise<ConnectedShop> {
    if (this.connecting) {
      this.connecting.controller.abort(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));
      await this.connecting.done.catch(() => undefined);
    }
    const controller = new AbortController();
    const signals = [request.signal, controller.signal, this.parts.lifetime].filter((s): s is AbortSignal => s !== undefined);
    const done = this.connectOnce(request, AbortSignal.any(signals));
    const mine = { controller, done };
    this.connecting = mine;
    try {
      return await done;
    } finally {
      if (this.connecting === mine) this.connecting = null;
    }
  }

  async cancelConnect(): Promise<{ cancelled: boolean }> {
    const current = this.connecting;
    if (!current) return { cancelled: false };
    current.controller.abort(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));
    await current.done.catch(() => undefined);
    return { cancelled: true };
  }

  /** Forgets the tokens (keychain) and the connection; the mirror, catalog and history stay. */
  async disconnect(): Promise<{ wasConnected: boolean }> {
    const wasConnected = this.parts.connection.get() !== null || (await this.parts.secrets.get('etsy.refreshToken')) !== null;
    await disconnectEtsy(this.parts.secrets);
    this.tokens.reset();
    this.client = null;
    this.parts.connection.delete();
    return { wasConnected };
  }

  /** No more reconnect marks after the core stopped (a refresh failing during shutdown is not news). */
  close(): void {
    this.closed = true;
  }

  private async connectOnce(request: ConnectRequest & { redirectUri: string }, signal: AbortSignal): Promise<ConnectedShop> {
    await connectEtsy({
      keystring: request.keystring,
      sharedSecret: request.sharedSecret,
      redirectUri: request.redirectUri,
      signal,
      ...(request.openBrowser ? { openBrowser: request.openBrowser } : {}),
      ...(request.onAuthorizeUrl ? { onAuthorizeUrl: request.onAuthorizeUrl } : {}),
      ...(request.pasteUrl ? { pasteUrl: request.pasteUrl } : {}),
      ...(request.onPasteRejected ? { onPasteRejected: request.onPasteRejected } : {}),
      ...(request.onListenerUnavailable ? { onListenerUnavailable: request.onListenerUnavailable } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      secrets: this.parts.secrets,
      authUrl: this.parts.urls.authUrl,
      apiUrl: this.parts.urls.apiUrl,
      ...(this.parts.fetch ? { fetch: this.parts.fetch } : {}),
    });
    // A previous grant may have been marked dead; the new tokens replace it.
    this.parts.connection.clearReconnect();
    this.tokens.reset();
    this.client = null;
    const client = await this.etsyClient();
    const me = await client.getMe({ signal });
    if (!me.shop_id) {
      throw new AppError('NOT_CONNECTED', 'This Etsy account has no shop.', { action: 'Connect the Etsy account that owns your shop' });
    }
    const shop = await client.getShop(me.shop_id, { signal });
    this.parts.connection.save({
      userId: me.user_id,
      shopId: shop.shop_id,
      shopName: shop.shop_name,
      shopCurrency: shop.currency_code ?? null,
      connectedAt: this.parts.now(),
    });
    return { shopId: shop.shop_id, shopName: shop.shop_name };
  }
}
