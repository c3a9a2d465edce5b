/**
 * The optional server link as one object for the composition root: the connection pool (built lazily
 * from settings + keychain, rebuilt when they change), the local outbox and its relay, and the catalog
 * adapter. Core calls beforeInventorySync / afterSync around the engine and start / stop with its own
 * lifetime; with the link off every call is a no-op.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Settings } from '../../shared/settings';
import type { SecretStore } from '../secrets/secret-store';
import { OutboxRepo } from '../store/outbox-repo';
import { ServerCatalogRepo } from '../store/server-catalog-repo';
import { createSyncRepos } from '../store/sync-repos';
import { ServerCatalogSync, type CatalogPullResult, type CatalogPushResult } from './catalog-sync';
import { createServerPool, isConnectionError, pgConfig, resolveServerTarget } from './connection';
import { listenForVariantChanges, type ListenSession, type VariantChange } from './edit-listener';
import { OutboxRelay } from './outbox-relay';
import { ShopSyncGuard } from './shop-sync-guard';

export interface ServerQueueStatus {
  /** Whether the link is on (settings.serverEnabled with a URL). */
  enabled: boolean;
  /** Changes waiting to be pushed (history rows, links, sync config). */
  waiting: number;
  /** Why the last push or catalog read failed, in words; null when the last one worked. */
  lastError: string | null;
  /** When the relay tries again after a failure (ms epoch), null when it is not backing off. */
  retryAt: number | null;
  /** Which machine is syncing the shop through the server, as this machine last saw it; absent when none. */
  syncingMachine?: string;
}

export interface ServerLinkOptions {
  sqlite: Database.Database;
  secrets: SecretStore;
  settings(): Settings;
  env: Record<string, string | undefined>;
  now(): number;
  /** Relay tuning (tests). */
  relay?: { baseDelayMs?: number; maxDelayMs?: number; idleMs?: number; batchSize?: number };
  /** The per-shop lease's lifetime without renewal (tests); default 2 minutes. */
  shopLeaseTtlMs?: number;
}

export class ServerLink {
  readonly outbox: OutboxRepo;
  readonly relay: OutboxRelay;
  readonly catalog: ServerCatalogSync;
  /** One machine syncs a shop at a time (issue 13 item 2). */
  readonly shops: ShopSyncGuard;
  private poolKey: string | null = null;
  private current: pg.Pool | null = null;
  private started = false;
  private catalogError: string | null = null;
  /** The LISTEN connections open now, each with the address and password it was opened with. */
  private readonly listening = new Set<{ key: string; session: ListenSession }>();

  constructor(private readonly options: ServerLinkOptions) {
    this.outbox = new OutboxRepo(options.sqlite, options.now);
    this.catalog = new ServerCatalogSync(new ServerCatalogRepo(options.sqlite, options.now), () => this.pool());
    this.relay = new OutboxRelay({
      outbox: this.outbox,
      pool: () => this.pool(),
      settings: options.settings,
      ...options.relay,
    });
    this.shops = new ShopSyncGuard({
      repos: createSyncRepos(options.sqlite),
      pool: () => this.pool(),
      now: options.now,
      ...(options.shopLeaseTtlMs !== undefined ? { ttlMs: options.shopLeaseTtlMs } : {}),
      // The name other machines see; for two machines whose host names are alike ("MacBook-Pro").
      ...(options.env.ART_SYNC_MACHINE_NAME?.trim() ? { host: options.env.ART_SYNC_MACHINE_NAME.trim() } : {}),
    });
    this.reconfigure();
  }

  enabled(): boolean {
    const settings = this.options.settings();
    return settings.serverEnabled && settings.serverUrl !== '';
  }

  /** Follows the settings: queue changes (with a backfill when newly on) and run the relay, or not. */
  reconfigure(): void {
    if (this.enabled()) {
      this.outbox.enable();
      if (this.started) this.relay.start();
    } else {
      if (this.outbox.isEnabled()) this.outbox.disable();
      void this.relay.stop();
    }
    // A LISTEN connection to an address (or with a password) no longer set must not go on listening.
    void this.closeStaleListeners();
  }

  start(): void {
    this.started = true;
    if (this.enabled()) this.relay.start();
  }

  /** Relay first (awaits the batch in flight), then the connections. */
  async stop(): Promise<void> {
    this.started = false;
    await this.relay.stop();
    await this.closePool();
  }

  /**
   * Before an inventory sync: push pending catalog changes and refresh the cache from the server. A
   * server that cannot be reached does not stop the sync: it runs on the cache, whose changes wait.
   */
  async beforeInventorySync(signal?: AbortSignal): Promise<CatalogPullResult | null> {
    if (!this.enabled()) return null;
    try {
      const result = await this.catalog.pullBeforeSync(signal);
      this.catalogError = null;
      return result;
    } catch (error) {
      this.catalogError = describe(error);
      return null;
    }
  }

  /** After a sync: push the catalog changes it made, then let the relay send what it queued. */
  async afterSync(signal?: AbortSignal): Promise<CatalogPushResult | null> {
    if (!this.enabled()) return null;
    let result: CatalogPushResult | null = null;
    try {
      result = await this.catalog.pushAfterSync(signal);
      this.catalogError = null;
    } catch (error) {
      this.catalogError = describe(error);
    }
    if (this.started) this.relay.notify();
    else await this.relay.drain(signal).catch(() => undefined); // one-shot CLI: best effort, rows stay queued
    return result;
  }

  status(): ServerQueueStatus {
    const relay = this.relay.status();
    const status: ServerQueueStatus = {
      enabled: this.enabled(),
      waiting: relay.waiting,
      lastError: relay.lastError ?? this.catalogError,
      retryAt: relay.retryAt,
    };
    const syncing = this.enabled() ? this.shops.syncingMachine() : null;
    return syncing === null ? status : { ...status, syncingMachine: syncing };
  }

  /**
   * Opens the connection that LISTENs for stock edits on the server (issue 14 item 4): its own, not the
   * pool's, built from the same settings and password. Throws when the link is off or it cannot connect.
   */
  async listenForEdits(onChange: (change: VariantChange | null) => void): Promise<ListenSession> {
    if (!this.enabled()) throw new Error('The server link is off.');
    const target = await resolveServerTarget(this.options.settings(), this.options.secrets, this.options.env);
    // Named apart from the pool's connections, so a server admin sees what the one long-lived connection is.
    const session = await listenForVariantChanges({ ...pgConfig(target), application_name: 'art-sync (listening for edits)' }, onChange);
    const entry = { key: JSON.stringify(target), session };
    this.listening.add(entry);
    void session.ended.then(() => this.listening.delete(entry));
    return session;
  }

  /**
   * Ends the LISTEN connections opened for other settings or another password (or all, with the link
   * off); the server edit watcher then reconnects with the current ones. Called when the settings or the
   * password change here, and whenever the pool finds them changed (e.g. by another process).
   */
  private async closeStaleListeners(): Promise<void> {
    if (this.listening.size === 0) return;
    let key: string | null = null;
    if (this.enabled()) {
      try {
        key = JSON.stringify(await resolveServerTarget(this.options.settings(), this.options.secrets, this.options.env));
      } catch {
        key = null; // no usable settings: nothing current to keep
      }
    }
    for (const entry of [...this.listening]) {
      if (entry.key === key) continue;
      this.listening.delete(entry);
      await entry.session.close().catch(() => undefined);
    }
  }

  /** The pool for the current settings and password; null when the link is off. */
  async pool(): Promise<pg.Pool | null> {
    if (!this.enabled()) return null;
    const target = await resolveServerTarget(this.options.settings(), this.options.secrets, this.options.env);
    const key = JSON.stringify(target);
    if (this.current && this.poolKey === key) return this.current;
    await this.closePool();
    await this.closeStaleListeners();
    this.current = createServerPool(target);
    this.poolKey = key;
    return this.current;
  }

  private async closePool(): Promise<void> {
    const pool = this.current;
    this.current = null;
    this.poolKey = null;
    await pool?.end().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (isConnectionError(error)) return 'The server cannot be reached.';
  return error instanceof Error ? error.message : String(error);
}
