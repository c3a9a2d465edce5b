/**
 * The composition root: builds every core service in dependency order and owns start()/stop().
 * Plain Node — the desktop shell (index.ts) and the CLI (cli.ts) both use it; nothing here imports
 * Electron. One instance per data folder; no module-level state.
 */
import { AppError } from '../shared/errors';
import type { Settings } from '../shared/settings';
import { intervalMs } from '../shared/settings';
import { resolveEtsyBaseUrls, type EtsyBaseUrls } from './etsy/base-url';
import { createEtsyClient, type EtsyClient } from './etsy/client';
import { connectEtsy, disconnectEtsy, type ConnectEtsyOptions } from './etsy/oauth/connect';
import { TokenManager } from './etsy/oauth/token-manager';
import { tokenUrlFor } from './etsy/oauth/tokens';
import { SqliteBudgetStore } from './etsy/rate-limit/sqlite-budget-store';
import type { FetchLike } from './etsy/transport';
import { ServerLink, type ServerQueueStatus } from './server/server-link';
import { Scheduler, type JobName, type JobOutcome, type RunTrigger, type SchedulerStatus } from './schedule/scheduler';
import { runTargetedSync, WatchServices } from './schedule/watch-services';
import { openSecretStore } from './secrets/open-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { buildStatus, type StatusReport } from './status';
import { BudgetRepo } from './store/budget-repo';
import { createCatalogRepo, type CatalogRepo } from './store/catalog-repo';
import { MirrorRepo } from './store/mirror-repo';
import { openStore, type Store } from './store/open-store';
import { SettingsRepo } from './store/settings-repo';
import { createSyncRepos, type SyncRepos } from './store/sync-repos';
import type { SyncProgress } from './sync/sync-context';
import { SyncEngine, type SyncKind, type SyncReport, type SyncRequest } from './sync/sync-engine';

export interface AppOptions {
  /** Per-user data folder (SQLite database). */
  dataDir: string;
  /** drizzle-kit's SQLite migrations; the bundled desktop app passes <app path>/drizzle/sqlite. */
  migrationsFolder?: string;
  /** better-sqlite3 addon built for Electron's ABI (from ART_SYNC_SQLITE_BINDING, set by `npm start`). */
  nativeBinding?: string;
  env?: Record<string, string | undefined>;
  /** Injected in tests; otherwise the OS keychain, or memory when there is none. */
  secrets?: SecretStore;
  /** Replaces the global fetch for every Etsy call (tests). */
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Server relay tuning (tests). */
  serverRelay?: { baseDelayMs?: number; maxDelayMs?: number; idleMs?: number; batchSize?: number };
}

export interface CoreStatus extends StatusReport {
  /** null when secrets are in the OS keychain; otherwise why they are only in memory. */
  secretsInMemory: string | null;
  /** Whether this process holds the Etsy credentials (false after a restart without a keychain). */
  credentialsAvailable: boolean;
  paused: boolean;
  running: JobName | null;
  /** Live progress of the sync in flight ("Syncing 12 of 40"), null when idle. */
  progress: (SyncProgress & { kind: SyncKind }) | null;
  waitingForBudgetUntil: number | null;
  /** The optional server link: whether it is on and how many changes wait to be pushed. */
  serverQueue: ServerQueueStatus;
}

export type ArtSyncApp = Core;

export async function createApp(options: AppOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const urls = resolveEtsyBaseUrls(env);
  const store = openStore({
    dataDir: options.dataDir,
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    let secrets = options.secrets;
    let secretsInMemory: string | null = null;
    if (!secrets) {
      const opened = await openSecretStore({ dataDir: options.dataDir, preferKeychain: env.ART_SYNC_NO_KEYCHAIN !== '1' });
      secrets = opened.store;
      secretsInMemory = opened.memoryReason;
    }
    return new Core({ store, secrets, secretsInMemory, urls, fetch: options.fetch, now: options.now ?? Date.now, env, serverRelay: options.serverRelay });
  } catch (error) {
    store.close();
    throw error;
  }
}

interface CoreParts {
  store: Store;
  secrets: SecretStore;
  secretsInMemory: string | null;
  urls: EtsyBaseUrls;
  fetch: typeof globalThis.fetch | undefined;
  now: () => number;
  env?: Record<string, string | undefined>;
  serverRelay?: AppOptions['serverRelay'];
}

export class Core {
  readonly store: Store;
  readonly secrets: SecretStore;
  readonly catalog: CatalogRepo;
  readonly mirror: MirrorRepo;
  readonly repos: SyncRepos;
  readonly settings: SettingsRepo;
  readonly urls: EtsyBaseUrls;
  readonly scheduler: Scheduler;
  readonly engine: SyncEngine;
  readonly server: ServerLink;
  /** Sales watcher + edit pusher (issue 14); `watch.status()` has what status needs. */
  readonly watch: WatchServices;
  private readonly secretsInMemory: string | null;
  private readonly now: () => number;
  private readonly fetchImpl: typeof globalThis.fetch | undefined;
  private readonly lifetime = new AbortController();
  private readonly tokens: TokenManager;
  private client: EtsyClient | null = null;
  private calls = 0;
  private stopped = false;
  private progress: (SyncProgress & { kind: SyncKind }) | null = null;
  private readonly schedulerListeners = new Set<(status: SchedulerStatus) => void>();

  constructor(parts: CoreParts) {
    this.store = parts.store;
    this.secrets = parts.secrets;
    this.secretsInMemory = parts.secretsInMemory;
    this.urls = parts.urls;
    this.now = parts.now;
    this.fetchImpl = parts.fetch;
    this.catalog = createCatalogRepo(this.store.db, { now: this.now });
    this.mirror = new MirrorRepo(this.store.sqlite);
    this.repos = createSyncRepos(this.store.sqlite);
    this.settings = new SettingsRepo(this.store.sqlite, this.now);
    // A run left 'running' belongs to a process that died; its write intents are settled on the next sync.
    this.repos.runs.closeAbandonedRuns(this.now());
    this.server = new ServerLink({
      sqlite: this.store.sqlite,
      secrets: this.secrets,
      settings: () => this.settings.get(),
      env: parts.env ?? {},
      now: this.now,
      ...(parts.serverRelay ? { relay: parts.serverRelay } : {}),
    });
    this.tokens = new TokenManager({
      secrets: this.secrets,
      tokenUrl: tokenUrlFor(this.urls.apiUrl),
      onReconnectRequired: (reason) => this.markReconnectRequired(reason),
      signal: this.lifetime.signal,
      now: this.now,
      ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}),
    });
    this.engine = new SyncEngine({
      sqlite: this.store.sqlite,
      mirror: this.mirror,
      repos: this.repos,
      catalog: this.catalog,
      settings: () => this.settings.get(),
      shop: () => this.requireShop(),
      client: () => {
        if (!this.client) throw new AppError('NOT_CONNECTED', 'Etsy is not connected.', { action: 'Connect Etsy' });
        return this.client;
      },
      callCount: () => this.calls,
      now: this.now,
    });
    this.scheduler = new Scheduler({
      runJob: (name, trigger, signal) => this.runJob(name, trigger, signal),
      runTargeted: (run, signal) => runTargetedSync((request) => this.sync(request), run, signal),
      config: () => {
        const settings = this.settings.get();
        return {
          products: { enabled: settings.productSyncEnabled, intervalMs: intervalMs(settings.productSyncIntervalMinutes) },
          inventory: { enabled: settings.inventorySyncEnabled, intervalMs: intervalMs(settings.inventorySyncIntervalMinutes) },
        };
      },
      lastRuns: () => {
        const runs: Partial<Record<JobName, { at: number; result: JobOutcome }>> = {};
        for (const kind of ['products', 'inventory'] as const) {
          const run = this.repos.runs.lastRun(kind);
          if (run?.finishedAt) runs[kind] = { at: run.finishedAt, result: { ok: run.status === 'ok' || run.status === 'partial', summary: run.summary ?? run.errorMessage ?? '' } };
        }
        return runs;
      },
      budgetWaitUntil: () => {
        const snapshot = this.client?.budgetSnapshot(this.now());
        return snapshot && snapshot.usedToday >= snapshot.limitPerDay ? snapshot.resetsAt : null;
      },
      onChange: (status) => {
        for (const listener of this.schedulerListeners) listener(status);
      },
      now: this.now,
    });
    this.watch = new WatchServices({
      storePath: this.store.path,
      engine: this.engine,
      scheduler: this.scheduler,
      repos: this.repos,
      settings: () => this.settings.get(),
      etsyClient: () => this.etsyClient(),
      now: this.now,
    });
  }

  /** Observes the scheduler (a run starting or ending, pause, new intervals); returns the unsubscribe. */
  onSchedulerChange(listener: (status: SchedulerStatus) => void): () => void {
    this.schedulerListeners.add(listener);
    return () => this.schedulerListeners.delete(listener);
  }

  /** Starts background work (the scheduler). The CLI's one-shot commands never call this. */
  async start(): Promise<void> {
    this.scheduler.start();
    this.watch.start();
    this.server.start();
  }

  /** Stops in order: scheduler (awaits the sync in flight) → token refresh → server push → database. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.watch.stop();
    await this.scheduler.stop();
    this.lifetime.abort();
    await this.server.stop();
    this.store.close();
  }

  // ------------------------------------------------------------------ Etsy connection

  async connect(options: Omit<ConnectEtsyOptions, 'secrets' | 'authUrl' | 'apiUrl'>): Promise<{ shopId: number; shopName: string }> {
    await connectEtsy({
      ...options,
      secrets: this.secrets,
      authUrl: this.urls.authUrl,
      apiUrl: this.urls.apiUrl,
      ...(this.fetchImpl && !options.fetch ? { fetch: this.fetchImpl } : {}),
    });
    // A previous grant may have been marked dead; the new tokens replace it.
    this.store.sqlite.prepare('UPDATE etsy_connection SET needs_reconnect = 0, reconnect_reason = NULL').run();
    this.tokens.reset();
    this.client = null;
    const client = await this.etsyClient();
    const me = await client.getMe({ signal: options.signal });
    if (!me.shop_id) {
      throw new AppError('NOT_CONNECTED', 'This Etsy account has no shop.', { action: 'Connect the Etsy account that owns your shop' });
    }
    const shop = await client.getShop(me.shop_id, { signal: options.signal });
    this.store.sqlite
      .prepare(
        `INSERT INTO etsy_connection (id, user_id, shop_id, shop_name, shop_currency, connected_at, needs_reconnect)
         VALUES (1, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, shop_id = excluded.shop_id,
           shop_name = excluded.shop_name, shop_currency = excluded.shop_currency,
           connected_at = excluded.connected_at, needs_reconnect = 0, reconnect_reason = NULL`,
      )
      .run(me.user_id, shop.shop_id, shop.shop_name, shop.currency_code ?? null, this.now());
    return { shopId: shop.shop_id, shopName: shop.shop_name };
  }

  /** Forgets the tokens (keychain) and the connection; the mirror, catalog and history stay. */
  async disconnect(): Promise<void> {
    await disconnectEtsy(this.secrets);
    this.tokens.reset();
    this.client = null;
    this.store.sqlite.prepare('DELETE FROM etsy_connection').run();
  }

  // ------------------------------------------------------------------ sync

  async sync(request: SyncRequest): Promise<SyncReport> {
    await this.etsyClient();
    const signal = anySignal(request.signal, this.lifetime.signal);
    // Server link: the catalog cache is refreshed from the server before the engine reads it and its
    // changes are pushed after (docs/SYNC.md, "Server catalog"). A dry run reads the cache as it is.
    const server = this.server.enabled() && request.dryRun !== true;
    if (server && request.kinds.includes('inventory')) await this.server.beforeInventorySync(signal);
    try {
      return await this.engine.run({
        ...request,
        signal,
        onProgress: (progress) => {
          this.progress = progress;
          request.onProgress?.(progress);
        },
      });
    } finally {
      this.progress = null;
      if (server) await this.server.afterSync(signal);
    }
  }

  async status(): Promise<CoreStatus> {
    const scheduler: SchedulerStatus = this.scheduler.status();
    const report = buildStatus(this.store.db, {
      now: this.now(),
      jobs: scheduler.jobs.map((job) => ({
        name: job.name,
        enabled: job.enabled,
        lastRunAt: job.lastRunAt,
        lastResult: job.lastResult ? (job.lastResult.ok ? 'ok' : 'failed') : null,
        nextRunAt: job.nextRunAt,
      })),
    });
    const credentialsAvailable = (await this.secrets.get('etsy.refreshToken')) !== null;
    return {
      ...report,
      secretsInMemory: this.secretsInMemory,
      credentialsAvailable,
      paused: scheduler.paused,
      running: scheduler.running,
      progress: this.progress,
      waitingForBudgetUntil: scheduler.waitingForBudgetUntil,
      serverQueue: this.server.status(),
    };
  }

  /** Validated settings update; the scheduler picks up new intervals at once. */
  updateSettings(changes: Partial<Settings>): Settings {
    const updated = this.settings.update(changes);
    this.scheduler.reconfigure();
    this.server.reconfigure();
    return updated;
  }

  /** Builds the Etsy client from the stored credentials (once per connection). */
  async etsyClient(): Promise<EtsyClient> {
    if (this.client) return this.client;
    const keystring = await this.secrets.get('etsy.keystring');
    const sharedSecret = await this.secrets.get('etsy.sharedSecret');
    if (!keystring || !sharedSecret || !(await this.secrets.get('etsy.refreshToken'))) {
      throw new AppError(
        'NOT_CONNECTED',
        this.secretsInMemory && this.connectionRow()
          ? 'The Etsy credentials are not available in this session because there is no system keychain.'
          : 'Etsy is not connected.',
        { action: 'Connect Etsy' },
      );
    }
    const count: FetchLike = (input, init) => {
      this.calls += 1;
      return (this.fetchImpl ?? ((i, n) => globalThis.fetch(i, n)))(input, init);
    };
    this.client = createEtsyClient({
      apiUrl: this.urls.apiUrl,
      keystring,
      sharedSecret,
      tokens: this.tokens,
      budget: new SqliteBudgetStore(new BudgetRepo(this.store.sqlite)),
      fetch: count,
      signal: this.lifetime.signal,
      now: this.now,
    });
    return this.client;
  }

  private connectionRow(): { shop_id: number; shop_currency: string | null; needs_reconnect: number } | undefined {
    return this.store.sqlite.prepare('SELECT shop_id, shop_currency, needs_reconnect FROM etsy_connection WHERE id = 1').get() as
      | { shop_id: number; shop_currency: string | null; needs_reconnect: number }
      | undefined;
  }

  private requireShop(): { shopId: number; currency: string } {
    const row = this.connectionRow();
    if (!row) throw new AppError('NOT_CONNECTED', 'Etsy is not connected.', { action: 'Connect Etsy' });
    if (row.needs_reconnect) throw new AppError('RECONNECT_ETSY', 'Etsy asked Art Sync to connect again.', { action: 'Reconnect Etsy' });
    return { shopId: row.shop_id, currency: row.shop_currency ?? 'USD' };
  }

  private markReconnectRequired(reason: string): void {
    if (this.stopped) return;
    this.store.sqlite.prepare('UPDATE etsy_connection SET needs_reconnect = 1, reconnect_reason = ?').run(reason);
  }

  private async runJob(name: JobName, trigger: RunTrigger, signal: AbortSignal): Promise<JobOutcome> {
    const report = await this.sync({ kinds: [name], trigger: trigger === 'manual' ? 'manual' : trigger, signal });
    const run = report.runs[0];
    return { ok: run?.status === 'ok' || run?.status === 'partial', summary: run?.summary ?? '' };
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length === 1 ? present[0]! : AbortSignal.any(present);
}
