/**
 * Builds the one status (src/shared/status.ts) from what the core knows: the connection row, the
 * last runs, the budget and attention counts (all read through store repositories), the scheduler
 * and the sync in flight. Pure: no SQL and no I/O here, so every state is easy to build in a test.
 */
import { JOB_KINDS, type AppStatus, type JobKind, type JobStatus, type ServerQueueView, type SyncProgressView, type WatchView, type BackupsView } from '../shared/status';
import type { SalesWatchStatus } from './schedule/sales-watcher';
import type { JobStatus as SchedulerJob, SchedulerStatus } from './schedule/scheduler';
import type { EtsyConnection } from './store/connection-repo';
import type { RunRow } from './store/runs-repo';

export interface StatusParts {
  now: number;
  version: string;
  connection: EtsyConnection | null;
  budget: { usedToday: number; limitPerDay: number; limitPerSecond: number };
  attention: number;
  /** The last finished non-dry run of each job kind. */
  lastRuns: Partial<Record<JobKind, RunRow>>;
  scheduler: SchedulerStatus;
  credentialsAvailable: boolean;
  secretsInMemory: string | null;
  progress: SyncProgressView | null;
  serverQueue: ServerQueueView;
  /** Watching for sales, from this process or as another process last recorded it; null when never. */
  watch?: WatchView | null;
  backups?: BackupsView;
  /** Catalog items at or below their low-stock level (issue 15). */
  lowStock: number;
}

/**
 * A job's last run: the stored run, which every process reads the same (the window's scheduler
 * notes its own clock a moment after the run row is closed). The scheduler's memory wins only for a
 * later failure that left no run row (e.g. Etsy not connected when the job started).
 */
function lastRunOf(job: SchedulerJob, stored: RunRow | undefined): Pick<JobStatus, 'lastRunAt' | 'lastResult'> {
  const remembered = job.lastResult ? { lastRunAt: job.lastRunAt, lastResult: job.lastResult.ok ? ('ok' as const) : ('failed' as const) } : null;
  if (!stored || stored.finishedAt === null) return remembered ?? { lastRunAt: job.lastRunAt, lastResult: null };
  const fromStore = { lastRunAt: stored.finishedAt, lastResult: stored.status === 'ok' || stored.status === 'partial' ? ('ok' as const) : ('failed' as const) };
  const laterFailure = remembered?.lastResult === 'failed' && fromStore.lastResult === 'ok' && (remembered.lastRunAt ?? 0) > fromStore.lastRunAt;
  return laterFailure && remembered ? remembered : fromStore;
}

export function buildStatus(parts: StatusParts): AppStatus {
  let lastError: { at: number; message: string } | null = null;
  let lastSyncedAt: number | null = null;
  for (const kind of JOB_KINDS) {
    const run = parts.lastRuns[kind];
    if (!run || run.finishedAt === null) continue;
    // Only the latest run of a kind counts: a failure followed by a good run is over.
    if (run.status === 'failed' && (!lastError || run.finishedAt > lastError.at)) {
      lastError = { at: run.finishedAt, message: run.errorMessage ?? 'The last sync failed.' };
    }
    if ((run.status === 'ok' || run.status === 'partial') && (lastSyncedAt === null || run.finishedAt > lastSyncedAt)) {
      lastSyncedAt = run.finishedAt;
    }
  }
  const jobs: JobStatus[] = parts.scheduler.jobs.map((job) => ({
    name: job.name,
    enabled: job.enabled,
    ...lastRunOf(job, parts.lastRuns[job.name]),
    nextRunAt: job.nextRunAt,
  }));
  const connection = parts.connection;
  const progress = parts.progress;
  const queue = parts.serverQueue;
  // Built field by field, never by spreading core objects, so nothing else (a secret) can ride along.
  return {
    at: parts.now,
    version: parts.version,
    connected: connection !== null && !connection.needsReconnect,
    needsReconnect: connection?.needsReconnect ?? false,
    shop: connection === null ? null : { id: connection.shopId, name: connection.shopName },
    credentialsAvailable: parts.credentialsAvailable,
    secretsInMemory: parts.secretsInMemory,
    paused: parts.scheduler.paused,
    running: parts.scheduler.running,
    progress: progress ? { kind: progress.kind, phase: progress.phase, done: progress.done, total: progress.total } : null,
    waitingForBudgetUntil: parts.scheduler.waitingForBudgetUntil,
    jobs,
    budget: { usedToday: parts.budget.usedToday, limitPerDay: parts.budget.limitPerDay, limitPerSecond: parts.budget.limitPerSecond },
    attention: parts.attention,
    lastError: lastError?.message ?? null,
    lastSyncedAt,
    serverQueue: {
      enabled: queue.enabled,
      waiting: queue.waiting,
      lastError: queue.lastError,
      retryAt: queue.retryAt,
      // Issue 13 item 2: which machine is syncing the shop through the server, when one is.
      ...(queue.syncingMachine ? { syncingMachine: queue.syncingMachine } : {}),
      ...(queue.edits ? { edits: { state: queue.edits.state, lastCheckAt: queue.edits.lastCheckAt, lastError: queue.edits.lastError } } : {}),
    },
    watch: parts.watch
      ? {
          state: parts.watch.state,
          note: parts.watch.note,
          intervalMs: parts.watch.intervalMs,
          lastCheckAt: parts.watch.lastCheckAt,
          nextCheckAt: parts.watch.nextCheckAt,
          lastSaleAt: parts.watch.lastSaleAt,
          lastError: parts.watch.lastError,
          callsPerDay: parts.watch.callsPerDay,
          here: parts.watch.here,
        }
      : null,
    lowStock: parts.lowStock,
    ...(parts.backups
      ? {
          backups: {
            count: parts.backups.count,
            totalBytes: parts.backups.totalBytes,
            newestAt: parts.backups.newestAt,
            lastRestore: parts.backups.lastRestore
              ? { at: parts.backups.lastRestore.at, backupTakenAt: parts.backups.lastRestore.backupTakenAt, message: parts.backups.lastRestore.message }
              : null,
          },
        }
      : {}),
  };
}

/** The sales watcher's state as the status shows it (this process's own watcher). */
export function watchViewOf(sales: SalesWatchStatus): WatchView {
  return {
    state: sales.state === 'stopped' ? 'waiting' : sales.state,
    note: sales.note,
    intervalMs: sales.intervalMs,
    lastCheckAt: sales.lastCheckAt,
    nextCheckAt: sales.nextCheckAt,
    lastSaleAt: sales.lastSaleAt,
    lastError: sales.lastError,
    callsPerDay: sales.callsPerDay,
    here: true,
  };
}
