import { isAppError } from '../../shared/errors';
import { intervalMs, type Settings } from '../../shared/settings';
import type { EtsyClient } from '../etsy/client';
import { SCHEDULED_LOW_FRACTION } from '../etsy/rate-limit/daily-budget';
import { CatalogChangeProbe } from '../store/catalog-change-probe';
import type { SyncRepos } from '../store/sync-repos';
import type { ServerLink } from '../server/server-link';
import type { SyncEngine, SyncReport, SyncRequest } from '../sync/sync-engine';
import { EditPusher, type EditPushStatus } from './edit-pusher';
import { SalesWatcher, type SalesWatchStatus, type WatchBudget } from './sales-watcher';
import { ServerEditWatcher, type ServerEditStatus } from './server-edit-watcher';
import type { JobOutcome, Scheduler, TargetedRun } from './scheduler';
import { scheduledCallsPerDay } from './watch-interval';

/**
 * The sales watcher, the edit pusher and the server edit watcher, built and owned together by Core (app.ts: constructed with
 * the core's services, started by start(), stopped by stop() before the scheduler). Both ask the
 * scheduler for targeted runs, so these never overlap a scheduled run, and those runs go through
 * Core.sync → SyncEngine.run like every other (the run lock, the write protocol, history).
 */
export interface WatchServicesDeps {
  /** The database file, for the edit pusher's own read-only connection. */
  storePath: string;
  nativeBinding?: string | undefined;
  engine: SyncEngine;
  scheduler: Scheduler;
  repos: SyncRepos;
  settings(): Settings;
  /** Builds (once) the Etsy client from the stored credentials; throws NOT_CONNECTED without them. */
  etsyClient(): Promise<EtsyClient>;
  now(): number;
  onChange?(status: WatchStatus): void;
  /** The server link: with it on, stock edits on the server are watched too (issue 14 item 4). */
  server?: ServerLink;
  /** Server edit watcher tuning (tests, bench). */
  serverEdits?: { debounceMs?: number; maxWaitMs?: number; listeningPollMs?: number; fallbackPollMs?: number };
}

export interface WatchStatus {
  sales: SalesWatchStatus;
  edits: EditPushStatus;
  /** Null without a server link (the link being off shows as state 'off'). */
  server: ServerEditStatus | null;
}

/** Recent runs averaged for a job's cost per run. */
const RECENT_RUNS = 24;
/** A job that has not run yet (rare: watching waits for the first run) is estimated at this many calls. */
const UNKNOWN_RUN_CALLS = 10;

/** Why the sales watcher, the edit pusher and the server edit watcher wait instead of working. */
export type WatchBlock =
  | { kind: 'stock_sync_off' }
  | { kind: 'not_started' }
  | { kind: 'paused' }
  | { kind: 'preview_pending' }
  | { kind: 'not_connected'; message: string };

export class WatchServices {
  readonly watcher: SalesWatcher;
  /** Built by start() (one-shot CLI commands never open the probe's connection). */
  pusher: EditPusher | null = null;
  /** Built by start() when Core has a server link. */
  serverEdits: ServerEditWatcher | null = null;
  private probe: CatalogChangeProbe | null = null;

  constructor(private readonly deps: WatchServicesDeps) {
    this.watcher = new SalesWatcher({
      settingMinutes: () => deps.settings().watchIntervalMinutes,
      blockedReason: () => this.blockedReason(),
      budget: () => this.budget(),
      poll: async (afterSeq, signal) => {
        await this.ensureClient();
        return deps.engine.pollSales({ afterSeq, signal });
      },
      requestTargeted: (skus) => deps.scheduler.requestTargeted(skus, 'sale', { receiptsFresh: true }),
      now: deps.now,
      onChange: () => deps.onChange?.(this.status()),
    });
  }

  start(): void {
    this.watcher.start();
    // ':memory:' and other unnamed stores (some tests) have no file a second connection could open.
    if (!this.probe && this.deps.storePath !== '' && this.deps.storePath !== ':memory:') {
      this.probe = new CatalogChangeProbe(this.deps.storePath, { nativeBinding: this.deps.nativeBinding });
      this.pusher = new EditPusher({
        probe: this.probe,
        blockedReason: () => this.blockedReason(),
        requestTargeted: (skus) => this.deps.scheduler.requestTargeted(skus, 'edit'),
        now: this.deps.now,
      });
    }
    this.pusher?.start();
    const server = this.deps.server;
    if (server && !this.serverEdits) {
      this.serverEdits = new ServerEditWatcher({
        enabled: () => server.enabled(),
        listen: (onChange) => server.listenForEdits(onChange),
        db: () => server.pool(),
        known: () => server.catalog.knownStates(),
        busy: () => server.catalog.busy(),
        blockedReason: () => this.blockedReason(),
        requestTargeted: (skus) => this.deps.scheduler.requestTargeted(skus, 'server-edit'),
        now: this.deps.now,
        ...this.deps.serverEdits,
      });
    }
    this.serverEdits?.start();
  }

  /** Stops both (awaiting a poll in flight); the scheduler, stopped after, ends their runs. */
  async stop(): Promise<void> {
    await this.watcher.stop();
    await this.pusher?.stop();
    await this.serverEdits?.stop();
    this.serverEdits = null;
    this.probe?.close();
    this.probe = null;
    this.pusher = null;
  }

  /** What status and the tray need (issue 14 item 7): last check, interval, calls a day. */
  status(): WatchStatus {
    return {
      sales: this.watcher.status(),
      edits: this.pusher?.status() ?? { waiting: 0, lastPushAt: null, lastPushSkus: [], lastError: null },
      server: this.serverEdits?.status() ?? null,
    };
  }

  /** Core keeps one client per connection (a reconnect builds a new one), so it is asked each time. */
  private ensureClient(): Promise<EtsyClient> {
    return this.deps.etsyClient();
  }

  /**
   * Why neither a poll nor a push may happen now; null when they may. Core words the same reasons for
   * a catalog row's push state (Core.pushBlockedReason).
   */
  blocker(): WatchBlock | null {
    if (!this.deps.settings().inventorySyncEnabled) return { kind: 'stock_sync_off' };
    const scheduler = this.deps.scheduler.status();
    if (!scheduler.started) return { kind: 'not_started' };
    if (scheduler.paused) return { kind: 'paused' };
    try {
      // The first run's plan is shown first (PRODUCT.md §3): targeted runs wait for it like scheduled ones.
      if (this.deps.engine.firstRunPreviewPending()) return { kind: 'preview_pending' };
    } catch (error) {
      return { kind: 'not_connected', message: isAppError(error) ? error.message : 'Etsy is not connected.' };
    }
    return null;
  }

  /** The watchers' own words for the blocker ("Syncing is paused."). */
  private blockedReason(): string | null {
    const block = this.blocker();
    if (block === null) return null;
    switch (block.kind) {
      case 'stock_sync_off':
        return 'Automatic stock sync is off.';
      case 'not_started':
        return 'Art Sync is not running its syncs.';
      case 'paused':
        return 'Syncing is paused.';
      case 'preview_pending':
        return 'Waiting for the first sync to be previewed.';
      case 'not_connected':
        return block.message;
    }
  }

  private async budget(): Promise<WatchBudget | null> {
    let client: EtsyClient;
    try {
      client = await this.ensureClient();
    } catch {
      return null;
    }
    const snapshot = client.budgetSnapshot(this.deps.now());
    const settings = this.deps.settings();
    return {
      limitPerDay: snapshot.limitPerDay,
      remainingToday: snapshot.remainingToday,
      reserveCalls: Math.max(client.budget.writeReserve(), Math.floor(snapshot.limitPerDay * SCHEDULED_LOW_FRACTION)),
      scheduledCallsPerDay: scheduledCallsPerDay(
        [
          { enabled: settings.productSyncEnabled, intervalMs: intervalMs(settings.productSyncIntervalMinutes), recentCallsPerRun: this.deps.repos.runs.recentCallsPerRun('products', RECENT_RUNS) },
          { enabled: settings.inventorySyncEnabled, intervalMs: intervalMs(settings.inventorySyncIntervalMinutes), recentCallsPerRun: this.deps.repos.runs.recentCallsPerRun('inventory', RECENT_RUNS) },
        ],
        UNKNOWN_RUN_CALLS,
      ),
    };
  }
}

/** The scheduler's runTargeted for Core: one targeted inventory run through Core.sync. */
export async function runTargetedSync(sync: (request: SyncRequest) => Promise<SyncReport>, run: TargetedRun, signal: AbortSignal): Promise<JobOutcome> {
  const report = await sync({ kinds: ['inventory'], trigger: run.trigger, skus: run.skus, receiptsFresh: run.receiptsFresh, signal });
  const result = report.runs[0];
  return {
    ok: result?.status === 'ok' || result?.status === 'partial',
    summary: result?.summary ?? '',
    ...(result?.status === 'held' ? { held: true } : {}),
  };
}
