/**
 * The composition root: builds every core service in dependency order and owns start()/stop().
 * Plain Node — the desktop shell (index.ts) and the CLI (cli.ts) both use it; nothing here imports
 * Electron. One instance per data folder; no module-level state. What the front doors may call is
 * CoreApi (core-api.ts).
 */
import path from 'node:path';
import { AppError } from '../shared/errors';
import {
  HISTORY_LIMIT_MAX,
  HISTORY_PAGE_DEFAULT,
  type AttentionItem,
  type CatalogFilter,
  type CatalogItem,
  type CatalogPage,
  type CsvApplyResult,
  type CsvPreview,
  type DryRunResult,
  type HistoryFilter,
  type HistoryPage,
  type PushState,
  type RunItem,
  type SaleResult,
  type ServerPasswordResult,
  type SetStockResult,
  type SyncNowResult,
  type UndoRunResult,
} from '../shared/ipc';
import { intervalMs, settingsUpdateSchema, type Settings } from '../shared/settings';
import { JOB_KINDS, type AppStatus, type JobKind, type ServerQueueView, type WatchView } from '../shared/status';
import { formatCatalogCsv, parseCatalogCsv } from './catalog/csv';
import { buildCsvPreview, previewDifferences, stalePreviewMessage } from './catalog/csv-preview'; // issue 15 item 3
import type { CatalogImportResult, ConnectedShop, ConnectRequest, CoreApi, ServerCheck } from './core-api';
import { catalogPage, recordSale, setLowStockThreshold, undoRun } from './core-stock'; // issue 15
import { clearServerPassword, migrateServerSchema, setServerPassword, testServer, type ServerDeps } from './core-server';
import { attentionItem, catalogItem, csvValues, dryRunResult, historyItem, pushState, runItem } from './core-views';
import { resolveEtsyBaseUrls, type EtsyBaseUrls } from './etsy/base-url';
import type { EtsyClient } from './etsy/client';
import { parseRedirectUri } from './etsy/oauth/redirect-uri';
import { budgetUsage } from './etsy/rate-limit/budget-store';
import { SqliteBudgetStore } from './etsy/rate-limit/sqlite-budget-store';
import { Scheduler, type JobName, type JobOutcome, type RunTrigger, type SchedulerStatus } from './schedule/scheduler';
import { runTargetedSync, WatchServices, type WatchStatus } from './schedule/watch-services';
import { openSecretStore } from './secrets/open-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { EtsyLink } from './etsy-link';
import { ServerLink } from './server/server-link';
import { buildStatus, watchViewOf } from './status';
import { BudgetRepo } from './store/budget-repo';
import { createCatalogRepo, type CatalogRepo } from './store/catalog-repo';
import { ConnectionRepo } from './store/connection-repo';
import { backupDatabase, backupDatabaseTo, backupStatus, dailyBackupIfDue, type BackupStatus } from './store/backups'; // data safety (issue 13)
import { asStorageError } from './store/storage-errors'; // data safety (issue 13)
import { FolderLock, type HeldLease } from './store/folder-lock'; // data safety (issue 13)
import { MirrorRepo } from './store/mirror-repo';
import { openStore, type Store } from './store/open-store';
import type { RunRow } from './store/runs-repo';
import { SettingsRepo } from './store/settings-repo';
import { StockEditsRepo } from './store/stock-edits-repo'; // issue 15
import { CatalogPageRepo } from './store/catalog-page-repo'; // issue 15
import { PushStateRepo } from './store/push-state-repo'; // issue 15 item 1
import { createSyncRepos, type SyncRepos } from './store/sync-repos';
import type { SyncProgress } from './sync/sync-context';
import { SyncEngine, type SyncKind, type SyncReport, type SyncRequest } from './sync/sync-engine';
import { appVersion } from './version';

export interface AppOptions {
  /** Per-user data folder (SQLite database). */
  dataDir: string;
  /** drizzle-kit's SQLite migrations; the bundled desktop app passes <app path>/drizzle/sqlite. */
  migrationsFolder?: string;
  /** drizzle's Postgres migrations for the server link; the bundled app passes <app path>/drizzle/postgres. */
  serverMigrationsFolder?: string;
  /** better-sqlite3 addon built for Electron's ABI (from ART_SYNC_SQLITE_BINDING, set by `npm start`). */
  nativeBinding?: string;
  env?: Record<string, string | undefined>;
  /** Injected in tests; otherwise the OS keychain, or memory when there is none. */
  secrets?: SecretStore;
  /** Replaces the global fetch for every Etsy call (tests). */
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Art Sync's version for the status (default: package.json's). */
  version?: string;
  /** Server relay tuning (tests). */
  serverRelay?: { baseDelayMs?: number; maxDelayMs?: number; idleMs?: number; batchSize?: number };
  /** Data safety (issue 13): how long a sync waits for another process's sync on this folder. Default 2 min. */
  folderLockWaitMs?: number;
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
    // Data safety (issue 13): one sync and one token refresh at a time per data folder, across processes.
    const folderLock = new FolderLock({ dataDir: options.dataDir, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    const folderLockWaitMs = options.folderLockWaitMs ?? (Number(env.ART_SYNC_LOCK_WAIT_MS) || 120_000);
    return new Core({
      store,
      secrets,
      secretsInMemory,
      urls,
      fetch: options.fetch,
      now: options.now ?? Date.now,
      env,
      version: options.version ?? appVersion(),
      serverMigrationsFolder: options.serverMigrationsFolder,
      serverRelay: options.serverRelay,
      folderLock,
      folderLockWaitMs,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
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
  version: string;
  serverMigrationsFolder: string | undefined;
  serverRelay?: AppOptions['serverRelay'] | undefined;
  folderLock: FolderLock;
  folderLockWaitMs: number;
  /** better-sqlite3 built for Electron: the dry run's private copy of the store opens with it too. */
  nativeBinding?: string;
}

/**
 * The core: the one API of the app (CoreApi, core-api.ts), over the services built here. The window,
 * the tray and the CLI hold a CoreApi; the repositories, scheduler and engine behind it are for this
 * class. Its public fields (`store`, `repos`, `catalog`, `settings`, `scheduler`, …) are the
 * test seam: tests and the bench reach the parts directly through the concrete class; front doors
 * never do (they are typed against CoreApi, which has none of them).
 */
export class Core implements CoreApi {
  readonly store: Store;
  readonly secrets: SecretStore;
  readonly catalog: CatalogRepo;
  readonly mirror: MirrorRepo;
  readonly repos: SyncRepos;
  readonly settings: SettingsRepo;
  readonly connection: ConnectionRepo;
  readonly stockEdits: StockEditsRepo; // issue 15
  readonly catalogPages: CatalogPageRepo; // issue 15
  readonly pushStates: PushStateRepo; // issue 15 item 1
  readonly urls: EtsyBaseUrls;
  readonly scheduler: Scheduler;
  readonly engine: SyncEngine;
  readonly server: ServerLink;
  /** The rolling day's Etsy call budget, shared by the client and the status. */
  private readonly budget: SqliteBudgetStore;
  /** Sales watcher + edit pusher (issue 14); `watch.status()` has what status needs. */
  readonly watch: WatchServices;
  private readonly secretsInMemory: string | null;
  private readonly now: () => number;
  private readonly fetchImpl: typeof globalThis.fetch | undefined;
  private readonly env: Record<string, string | undefined>;
  private readonly version: string;
  private readonly serverMigrationsFolder: string | undefined;
  private readonly lifetime = new AbortController();
  /** The Etsy connection: OAuth, tokens, the client, the shop (etsy-link.ts). */
  private readonly etsy: EtsyLink;
  readonly folderLock: FolderLock;
  private readonly folderLockWaitMs: number;
  private readonly openRegistration: HeldLease;
  private backupInFlight: Promise<unknown> = Promise.resolve();
  private backupsRead: { at: number; status: BackupStatus } | null = null;
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
    this.env = parts.env ?? {};
    this.version = parts.version;
    this.serverMigrationsFolder = parts.serverMigrationsFolder;
    this.folderLock = parts.folderLock;
    this.folderLockWaitMs = parts.folderLockWaitMs;
    // Data safety (issue 13): `art-sync restore` refuses to swap the database while this process uses it.
    this.openRegistration = this.folderLock.registerOpen('using the data folder');
    this.catalog = createCatalogRepo(this.store.db, { now: this.now });
    this.mirror = new MirrorRepo(this.store.sqlite);
    this.repos = createSyncRepos(this.store.sqlite);
    this.settings = new SettingsRepo(this.store.sqlite, this.now);
    this.connection = new ConnectionRepo(this.store.sqlite);
    this.stockEdits = new StockEditsRepo(this.store.sqlite, this.now); // issue 15
    this.catalogPages = new CatalogPageRepo(this.store.sqlite); // issue 15
    this.pushStates = new PushStateRepo(this.store.sqlite); // issue 15 item 1
    this.budget = new SqliteBudgetStore(new BudgetRepo(this.store.sqlite));
    // A run left 'running' belongs to a process that died; its write intents are settled on the next sync.
    this.repos.runs.closeAbandonedRuns(this.now());
    this.server = new ServerLink({
      sqlite: this.store.sqlite,
      secrets: this.secrets,
      settings: () => this.settings.get(),
      env: this.env,
      now: this.now,
      ...(parts.serverRelay ? { relay: parts.serverRelay } : {}),
    });
    this.etsy = new EtsyLink({
      secrets: this.secrets,
      secretsInMemory: this.secretsInMemory,
      urls: this.urls,
      connection: this.connection,
      budget: this.budget,
      folderLock: this.folderLock,
      lifetime: this.lifetime.signal,
      fetch: this.fetchImpl,
      now: this.now,
    });
    this.engine = new SyncEngine({
      sqlite: this.store.sqlite,
      mirror: this.mirror,
      repos: this.repos,
      catalog: this.catalog,
      settings: () => this.settings.get(),
      shop: () => this.etsy.requireShop(),
      client: () => {
        const client = this.etsy.currentClient();
        if (!client) throw new AppError('NOT_CONNECTED', 'Etsy is not connected.', { action: 'Connect Etsy' });
        return client;
      },
      callCount: () => this.etsy.callCount(),
      now: this.now,
      ...(parts.nativeBinding ? { nativeBinding: parts.nativeBinding } : {}),
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
        for (const kind of JOB_KINDS) {
          const run = this.repos.runs.lastRun(kind);
          if (run?.finishedAt) runs[kind] = { at: run.finishedAt, result: { ok: run.status === 'ok' || run.status === 'partial', summary: run.summary ?? run.errorMessage ?? '' } };
        }
        return runs;
      },
      // Scheduled work waits once the day runs low (a reserve is kept for writes), not only when it is spent.
      budgetWaitUntil: () => this.etsy.currentClient()?.budget.scheduledWaitUntil(this.now()) ?? null,
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
      onChange: (status) => this.recordWatch(status),
      server: this.server, // stock edits on the server (issue 14 item 4)
      ...(parts.nativeBinding ? { nativeBinding: parts.nativeBinding } : {}),
    });
  }

  onSchedulerChange(listener: (status: SchedulerStatus) => void): () => void {
    this.schedulerListeners.add(listener);
    return () => this.schedulerListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.dailyBackup(); // data safety (issue 13)
    this.scheduler.start();
    this.watch.start();
    this.server.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.etsy.close();
    await this.cancelConnect();
    await this.watch.stop();
    await this.scheduler.stop();
    this.lifetime.abort();
    await this.server.stop();
    await this.backupInFlight;
    this.store.close();
    this.openRegistration.release();
    this.folderLock.close();
  }

  /** Data safety (issue 13): the daily online backup when the newest is over a day old; never fails a caller. */
  private dailyBackup(): void {
    this.backupInFlight = this.backupInFlight
      .then(() => dailyBackupIfDue(this.store.sqlite, this.store.dataDir, this.now()))
      .then(() => (this.backupsRead = null))
      .catch(() => undefined); // a full disk shows as an old "newest backup" in status
  }

  /**
   * The backups folder, read at most once a minute: status is polled every second while a sync runs,
   * and the folder changes only by a daily backup, `art-sync backup` or a restore.
   */
  private backupsSummary(): BackupStatus {
    const at = this.now();
    if (this.backupsRead === null || at - this.backupsRead.at >= BACKUPS_REREAD_MS) this.backupsRead = { at, status: backupStatus(this.store.dataDir) };
    return this.backupsRead.status;
  }

  // ------------------------------------------------------------------ status

  async status(): Promise<AppStatus> {
    const lastRuns: Partial<Record<JobKind, RunRow>> = {};
    for (const kind of JOB_KINDS) {
      const run = this.repos.runs.lastRun(kind);
      if (run) lastRuns[kind] = run;
    }
    const now = this.now();
    return buildStatus({
      now,
      version: this.version,
      connection: this.connection.get(),
      budget: budgetUsage(this.budget, now),
      attention: this.repos.attention.countAttention(),
      lastRuns,
      scheduler: this.scheduler.status(),
      credentialsAvailable: (await this.secrets.get('etsy.refreshToken')) !== null,
      secretsInMemory: this.secretsInMemory,
      progress: this.progress,
      serverQueue: { ...this.server.status(), ...this.serverEditsView() },
      watch: this.watchView(),
      backups: this.backupsSummary(),
      lowStock: this.catalogPages.countLow(this.settings.get().lowStockThreshold), // issue 15
    });
  }

  // ------------------------------------------------------------------ Etsy connection

  async connect(request: ConnectRequest): Promise<ConnectedShop> {
    // Checked before anything else, so a typo fails at once instead of after the browser round trip.
    const saved = this.settings.get().redirectUri;
    const redirectUri = parseRedirectUri(request.redirectUri ?? saved).uri;
    const shop = await this.etsy.connect({ ...request, redirectUri });
    // It worked, so it is the address registered in the Etsy app: remember it for next time.
    if (request.rememberRedirectUri === true && redirectUri !== saved) this.updateSettings({ redirectUri });
    return shop;
  }

  cancelConnect(): Promise<{ cancelled: boolean }> {
    return this.etsy.cancelConnect();
  }

  disconnect(): Promise<{ wasConnected: boolean }> {
    return this.etsy.disconnect();
  }

  redirectUri(): { uri: string } {
    return { uri: parseRedirectUri(this.settings.get().redirectUri).uri };
  }

  etsyAuthOrigin(): string {
    return new URL(this.urls.authUrl).origin;
  }

  // ------------------------------------------------------------------ syncing

  /**
   * One sync in this process. A dry run plans on a private copy of the store (SyncEngine), so it may
   * run beside a real sync or an edit and never undoes anyone's work.
   */
  async sync(request: SyncRequest): Promise<SyncReport> {
    await this.etsyClient();
    const signal = anySignal(request.signal, this.lifetime.signal);
    // Data safety (issue 13): a real run holds the folder's sync lease; a dry run writes nothing anywhere.
    if (request.dryRun === true) return this.syncHoldingFolder(request, signal);
    const what = `${request.kinds.join(' and ')} sync`;
    try {
      return await this.folderLock.withLease('sync', what, { waitMs: this.folderLockWaitMs, signal }, () => this.syncHoldingFolder(request, signal));
    } catch (error) {
      throw asStorageError(error, this.store.dataDir); // a read-only folder or full disk, in one sentence
    } finally {
      if (!this.stopped) this.dailyBackup();
    }
  }

  private async syncHoldingFolder(request: SyncRequest, signal: AbortSignal): Promise<SyncReport> {
    // Server link: the catalog cache is refreshed from the server before the engine reads it and its
    // changes are pushed after (docs/SYNC.md, "Server catalog"). A dry run reads the cache as it is.
    const server = this.server.enabled() && request.dryRun !== true;
    // Two machines, one shop (issue 13 item 2): the shop's lease on the server, held for the run.
    const shop = server ? await this.server.shops.claim(this.etsy.requireShop().shopId, `${request.kinds.join(' and ')} sync`) : null;
    try {
      const pulled = server && request.kinds.includes('inventory') ? await this.server.beforeInventorySync(signal) : null;
      await shop?.adoptBaselines(); // issue 13 item 2: another machine synced since → merge from its baselines
      return await this.engine.run({
        ...request,
        ...(pulled && pulled.updatedFromServer.length > 0 ? { serverEdited: pulled.updatedFromServer } : {}),
        signal: shop ? anySignal(signal, shop.signal) : signal,
        onProgress: (progress) => {
          this.progress = progress;
          request.onProgress?.(progress);
        },
      });
    } finally {
      this.progress = null;
      await shop?.leaveBaselines(); // issue 13 item 2: this run's baselines on the server, before its catalog changes
      if (server) await this.server.afterSync(signal);
      await shop?.release(); // issue 13 item 2
    }
  }

  async syncNow(kinds: readonly JobKind[] = JOB_KINDS): Promise<SyncNowResult> {
    const outcomes = await this.scheduler.syncNow(JOB_KINDS.filter((kind) => kinds.includes(kind)));
    return { outcomes: outcomes.map((outcome) => ({ ok: outcome.ok, summary: outcome.summary })) };
  }

  async previewSync(options: { full?: boolean } = {}): Promise<DryRunResult> {
    const report = await this.sync({ kinds: JOB_KINDS, trigger: 'manual', dryRun: true, ...(options.full ? { full: true } : {}) });
    return dryRunResult(report);
  }

  setPaused(paused: boolean): { paused: boolean } {
    this.scheduler.setPaused(paused);
    return { paused: this.scheduler.status().paused };
  }

  resumeAfterSleep(): void {
    this.scheduler.resume();
  }

  // ------------------------------------------------------------------ what happened

  history(query: HistoryFilter = {}): HistoryPage {
    const limit = query.limit ?? HISTORY_PAGE_DEFAULT;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > HISTORY_LIMIT_MAX) {
      throw new AppError('INVALID_INPUT', `A history page holds 1 to ${HISTORY_LIMIT_MAX} changes.`);
    }
    // One row more than asked tells whether an older page exists, without counting the table.
    const rows = this.repos.history.listHistory({
      limit: limit + 1,
      ...(query.sku !== undefined ? { sku: query.sku } : {}),
      ...(query.side !== undefined ? { side: query.side } : {}),
      ...(query.field !== undefined ? { field: query.field } : {}),
      ...(query.reason !== undefined ? { reason: query.reason } : {}),
      ...(query.runId !== undefined ? { runId: query.runId } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
      ...(query.beforeId !== undefined ? { beforeId: query.beforeId } : {}),
    });
    const page = rows.slice(0, limit);
    return { items: page.map(historyItem), nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  runs(limit = 50): RunItem[] {
    return this.repos.runs.listRuns(limit).map(runItem);
  }

  lastRun(kind: JobKind): RunItem | null {
    const run = this.repos.runs.lastRun(kind);
    return run ? runItem(run) : null;
  }

  attention(): AttentionItem[] {
    return this.repos.attention.listAttention().map(attentionItem);
  }

  // ------------------------------------------------------------------ catalog

  listCatalog(): CatalogItem[] {
    return this.catalog.list().map(catalogItem);
  }

  setStock(sku: string, quantity: number): SetStockResult {
    const result = this.catalog.setStock(sku, quantity);
    return { sku: result.sku, before: result.before, after: result.after, changed: result.changed };
  }

  catalogPage(query: { query?: string; filter?: CatalogFilter; afterSku?: string; limit?: number } = {}): CatalogPage {
    const page = catalogPage(this, this.settings.get().lowStockThreshold, query);
    // Issue 15 item 1: each row says whether its stock is on Etsy yet.
    const states = new Map(this.catalogPushStates(page.items.map((item) => item.sku)).map((s) => [s.sku, s.push]));
    return { ...page, items: page.items.map((item) => ({ ...item, push: states.get(item.sku) ?? null })) };
  }

  setLowStockThreshold(sku: string, threshold: number | null): { sku: string; lowStockThreshold: number | null } {
    return setLowStockThreshold(this, sku, threshold);
  }

  recordSale(sku: string, quantity = 1): SaleResult {
    return recordSale(this, sku, quantity);
  }

  undoRun(runId: number, options: { dryRun?: boolean } = {}): UndoRunResult {
    return undoRun(this, runId, options);
  }

  importCatalogCsv(text: string): CatalogImportResult {
    const parsed = parseCatalogCsv(text);
    const result = parsed.rows.length === 0 ? { created: [], updated: [], unchanged: [] } : this.catalog.upsertMany(parsed.rows);
    return {
      imported: parsed.rows.length,
      created: result.created.length,
      updated: result.updated.length,
      unchanged: result.unchanged.length,
      rejected: parsed.errors,
    };
  }

  exportCatalogCsv(): { csv: string; rows: number } {
    const variants = this.catalog.list();
    return { csv: formatCatalogCsv(variants), rows: variants.length };
  }

  // ---- CSV in the window and push state per row (issue 15 items 1 and 3)

  previewCatalogCsv(text: string): CsvPreview {
    const parsed = parseCatalogCsv(text);
    const current = new Map(this.catalog.list().map((variant) => [variant.sku, csvValues(variant)]));
    return buildCsvPreview(parsed, (sku) => current.get(sku), this.connection.get()?.shopCurrency ?? null);
  }

  applyCatalogCsv(text: string, shown: CsvPreview): CsvApplyResult {
    // Preview again and write in one immediate transaction: no other connection (another process's
    // `art-sync catalog set-stock`, a sync) can commit between the check and the write.
    const apply = this.store.sqlite.transaction((): CsvApplyResult => {
      const fresh = this.previewCatalogCsv(text);
      if (fresh.token !== shown.token) {
        const changedSkus = previewDifferences(shown, fresh);
        return { applied: false, message: stalePreviewMessage(changedSkus), changedSkus, preview: fresh };
      }
      const rows = parseCatalogCsv(text).rows;
      const result = rows.length === 0 ? { created: [], updated: [], unchanged: [] } : this.catalog.upsertMany(rows);
      return { applied: true, created: result.created, updated: result.updated, unchanged: result.unchanged.length, rejected: fresh.errors.length };
    });
    try {
      return apply.immediate();
    } catch (error) {
      throw asStorageError(error, this.store.dataDir);
    }
  }

  catalogPushStates(skus: readonly string[]): { sku: string; push: PushState | null }[] {
    if (skus.length === 0) return [];
    const pusher = this.watch.status().edits;
    let blocked: string | null | undefined;
    return this.pushStates.facts(skus).map((facts) => {
      // Why pushing cannot happen is only worked out when some SKU is waiting for a push.
      if (facts.pending && blocked === undefined) blocked = this.pushBlockedReason();
      return { sku: facts.sku, push: pushState(facts, pusher, blocked ?? null) };
    });
  }

  /** Why a stock edit cannot be pushed now (the edit pusher's own checks, WatchServices.blocker), in words for a catalog row. */
  private pushBlockedReason(): string | null {
    const notHere = 'Art Sync is not syncing in the background here; the next sync carries it to Etsy.';
    if (this.watch.pusher === null) return notHere;
    const block = this.watch.blocker();
    if (block === null) return null;
    switch (block.kind) {
      case 'stock_sync_off':
        return 'Automatic stock sync is off; the next sync you start carries it to Etsy.';
      case 'not_started':
        return notHere;
      case 'paused':
        return 'Syncing is paused; it goes to Etsy when you resume.';
      case 'preview_pending':
        return 'Waiting for the first sync to be previewed.';
      case 'not_connected':
        return block.message;
    }
  }

  // ------------------------------------------------------------------ settings

  getSettings(): Settings {
    return this.settings.get();
  }

  settingProblems(): string[] {
    return this.settings.problems();
  }

  updateSettings(changes: Partial<Settings>): Settings {
    const parsed = settingsUpdateSchema.safeParse(changes);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue?.path.join('.') || 'setting';
      throw new AppError('INVALID_INPUT', `${key} ${issue?.message ?? 'is not valid'}.`);
    }
    const updated = this.settings.update(parsed.data);
    // The scheduler picks up new intervals at once; the link a new address or TLS mode.
    this.scheduler.reconfigure();
    this.server.reconfigure();
    return updated;
  }

  // ------------------------------------------------------------------ the server link (core-server.ts)

  testServer(): Promise<ServerCheck> {
    return testServer(this.serverDeps());
  }

  migrateServer(): Promise<{ applied: number; total: number }> {
    return migrateServerSchema(this.serverDeps());
  }

  setServerPassword(password: string): Promise<ServerPasswordResult> {
    return setServerPassword(this.serverDeps(), password);
  }

  clearServerPassword(): Promise<{ removed: boolean }> {
    return clearServerPassword(this.serverDeps());
  }

  /**
   * Watching for sales as this process does it, else as the process that watches (the app or
   * `art-sync daemon`) last recorded it, so a one-shot `art-sync status` can say how fresh stock is.
   */
  /** How server edits are noticed, when this process watches them (the link on, the app or the daemon). */
  private serverEditsView(): Pick<ServerQueueView, 'edits'> {
    const edits = this.watch.status().server;
    if (edits === null || (edits.state !== 'listening' && edits.state !== 'polling')) return {};
    return { edits: { state: edits.state, lastCheckAt: edits.lastCheckAt, lastError: edits.lastError } };
  }

  private watchView(): WatchView | null {
    const live = this.watch.status().sales;
    if (live.state !== 'stopped') return watchViewOf(live);
    const stored = this.repos.syncState.getState(WATCH_STATUS_KEY);
    if (stored === undefined) return null;
    try {
      return { ...(JSON.parse(stored) as WatchView), here: false };
    } catch {
      return null;
    }
  }

  /** Records the watcher's state for other processes' status (at most a write a poll). */
  private recordWatch(status: WatchStatus): void {
    if (this.stopped || status.sales.state === 'stopped') return;
    this.repos.syncState.setState(WATCH_STATUS_KEY, JSON.stringify(watchViewOf(status.sales)), this.now());
  }

  restoreNotice(): string | null {
    return this.store.recovered?.message ?? null;
  }

  async backupNow(file?: string): Promise<{ path: string }> {
    try {
      if (file === undefined) return { path: (await backupDatabase(this.store.sqlite, this.store.dataDir, 'manual', this.now())).path };
      const target = path.resolve(file);
      await backupDatabaseTo(this.store.sqlite, target);
      return { path: target };
    } finally {
      this.backupsRead = null;
    }
  }


  private serverDeps(): ServerDeps {
    return { settings: this.settings.get(), secrets: this.secrets, env: this.env, link: this.server, migrationsFolder: this.serverMigrationsFolder };
  }

  // ------------------------------------------------------------------ inside

  /** The Etsy client of this connection (built from the stored credentials once). */
  etsyClient(): Promise<EtsyClient> {
    return this.etsy.etsyClient();
  }

  private async runJob(name: JobName, trigger: RunTrigger, signal: AbortSignal): Promise<JobOutcome> {
    const report = await this.sync({ kinds: [name], trigger: trigger === 'manual' ? 'manual' : trigger, signal });
    const run = report.runs[0];
    // A held run (first run not previewed yet, or the day's budget low) did not start: not a failure.
    if (run?.status === 'held') return { ok: true, held: true, summary: run.summary };
    return { ok: run?.status === 'ok' || run?.status === 'partial', summary: run?.summary ?? '' };
  }
}

const WATCH_STATUS_KEY = 'watch.lastStatus';
const BACKUPS_REREAD_MS = 60_000;

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length === 1 ? present[0]! : AbortSignal.any(present);
}
