/**
 * The IPC handler map: one function per channel of the contract (src/shared/ipc.ts), built over the
 * core. Plain Node — no Electron — so the gate, the fuzz test and the end-to-end test (Chromium with
 * the page's contract bound to a real core) all run it as is. `IpcHandlers` is a mapped type over the
 * channels, so a channel without a handler is a compile error.
 *
 * Handlers receive input already parsed by the channel's schema (ipc-gate.ts) and may throw AppError;
 * the gate turns both results and errors into the envelope. Outputs are built field by field from the
 * core's data, never by spreading core objects, so nothing secret can ride along.
 */
import { AppError } from '../../shared/errors';
import type {
  AppStatus,
  AttentionItem,
  CatalogItem,
  DryRunResult,
  HistoryItem,
  IpcChannel,
  IpcOutput,
  IpcParsedInput,
  JobView,
  RunItem,
  ServerTestResult,
  SyncJobName,
} from '../../shared/ipc';
import { HISTORY_PAGE_DEFAULT } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { Core } from '../app';
import { parseRedirectUri } from '../etsy/oauth/redirect-uri';
import { isTrustedExternalUrl } from './trusted-url';
import type { RunRow } from '../store/runs-repo';

export type IpcHandlers = { [C in IpcChannel]: (input: IpcParsedInput<C>) => Promise<IpcOutput<C>> };

/** The parts of the core the handlers use (a structural slice, so tests can see what is touched). */
export type IpcCore = Pick<
  Core,
  'status' | 'sync' | 'connect' | 'disconnect' | 'updateSettings' | 'settings' | 'repos' | 'scheduler' | 'catalog' | 'secrets' | 'server'
>;

export interface IpcHandlerDeps {
  version: string;
  platform: string;
  /** Opens a URL the handler already checked with isTrustedExternalUrl in the OS browser. */
  openTrustedUrl(url: string): Promise<void>;
  /** Opens Etsy's sign-in page during etsy:connect. The URL carries the keystring: it never goes to the page. */
  openBrowser(url: string): Promise<void>;
  /** Tries the server link; absent while this build has no server link. */
  testServer?(settings: Settings, signal: AbortSignal): Promise<ServerTestResult>;
  /** Told after anything that changes status, so status:changed is pushed at once instead of on the next poll. */
  onChange?(): void;
  /** Told after settings changed (start at login, notifications). */
  onSettingsChanged?(settings: Settings): void;
  now?(): number;
}

/** A handler map plus the work it may own (an OAuth flow waiting for the browser). */
export interface IpcHandlerSet {
  handlers: IpcHandlers;
  /** Cancels a connect in flight and waits for it to end. */
  dispose(): Promise<void>;
}

const JOB_NAMES: readonly SyncJobName[] = ['products', 'inventory'];

export function createIpcHandlers(core: IpcCore, deps: IpcHandlerDeps): IpcHandlerSet {
  const now = deps.now ?? Date.now;
  let connecting: { controller: AbortController; done: Promise<unknown> } | null = null;
  let dryRunning = false;
  const changed = () => deps.onChange?.();

  const assertNoDryRun = () => {
    if (dryRunning) throw new AppError('SYNC_IN_PROGRESS', 'A preview of the sync is being prepared. Try again in a moment.');
  };

  const handlers: IpcHandlers = {
    'app:info': async () => ({ version: deps.version, platform: deps.platform }),

    'app:openExternal': async ({ url }) => {
      if (!isTrustedExternalUrl(url)) {
        throw new AppError('INVALID_INPUT', 'Art Sync only opens Etsy pages and its own help pages.');
      }
      await deps.openTrustedUrl(url);
      return null;
    },

    'status:get': async () => statusView(core, now()),

    'sync:now': async (input) => {
      assertNoDryRun();
      const kinds = input?.kinds ? JOB_NAMES.filter((name) => input.kinds?.includes(name)) : JOB_NAMES;
      const done = core.scheduler.syncNow(kinds);
      changed();
      const outcomes = await done;
      changed();
      return { outcomes: outcomes.map((outcome) => ({ ok: outcome.ok, summary: outcome.summary })) };
    },

    'sync:dryRun': async (input) => {
      assertNoDryRun();
      const scheduler = core.scheduler.status();
      // A dry run holds one SQLite transaction across its Etsy reads and rolls it back: a real sync
      // writing meanwhile would be rolled back with it. So no run may be in flight or start during it.
      if (scheduler.running !== null) {
        throw new AppError('SYNC_IN_PROGRESS', 'A sync is running. Try the preview again when it has finished.');
      }
      dryRunning = true;
      const wasPaused = scheduler.paused;
      core.scheduler.setPaused(true);
      try {
        const report = await core.sync({
          kinds: ['products', 'inventory'],
          trigger: 'manual',
          dryRun: true,
          ...(input?.full ? { full: true } : {}),
        });
        const plan = report.plans[report.plans.length - 1];
        const result: DryRunResult = {
          changes: plan ? plan.changes : [],
          attention: plan ? plan.attention : [],
          summary: plan ? plan.summary : null,
          errors: report.errors.map((error) => ({
            ...(error.sku !== undefined ? { sku: error.sku } : {}),
            ...(error.listingId !== undefined ? { listingId: error.listingId } : {}),
            code: error.code,
            message: error.message,
          })),
        };
        return result;
      } finally {
        dryRunning = false;
        core.scheduler.setPaused(wasPaused);
        changed();
      }
    },

    'sync:setPaused': async ({ paused }) => {
      core.scheduler.setPaused(paused);
      changed();
      return { paused: core.scheduler.status().paused };
    },

    'history:list': async (input) => {
      const limit = input?.limit ?? HISTORY_PAGE_DEFAULT;
      // One row more than asked tells whether an older page exists, without counting the table.
      const rows = core.repos.history.listHistory({
        limit: limit + 1,
        ...(input?.sku !== undefined ? { sku: input.sku } : {}),
        ...(input?.side !== undefined ? { side: input.side } : {}),
        ...(input?.field !== undefined ? { field: input.field } : {}),
        ...(input?.reason !== undefined ? { reason: input.reason } : {}),
        ...(input?.runId !== undefined ? { runId: input.runId } : {}),
        ...(input?.since !== undefined ? { since: input.since } : {}),
        ...(input?.until !== undefined ? { until: input.until } : {}),
        ...(input?.beforeId !== undefined ? { beforeId: input.beforeId } : {}),
      });
      const page = rows.slice(0, limit);
      const items: HistoryItem[] = page.map((row) => ({
        id: row.id,
        runId: row.runId,
        at: row.at,
        sku: row.sku,
        listingId: row.listingId,
        side: row.side,
        field: row.field,
        before: row.before,
        after: row.after,
        reason: row.reason,
        explanation: row.explanation,
        receiptIds: [...row.receiptIds],
        status: row.status,
      }));
      return { items, nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    'runs:list': async (input) => core.repos.runs.listRuns(input?.limit ?? 50).map(runView),

    'attention:list': async () =>
      core.repos.attention.listAttention().map(
        (row): AttentionItem => ({
          id: row.id,
          kind: row.kind,
          listingId: row.listingId,
          sku: row.sku,
          message: row.message,
          action: row.action,
          firstSeenAt: row.firstSeenAt,
          lastSeenAt: row.lastSeenAt,
        }),
      ),

    'settings:get': async () => core.settings.get(),

    'settings:update': async (changes) => {
      // The listener binds this address: only loopback is acceptable (parseRedirectUri says why not).
      if (changes.redirectUri !== undefined) parseRedirectUri(changes.redirectUri);
      const settings = core.updateSettings(changes);
      deps.onSettingsChanged?.(settings);
      changed();
      return settings;
    },

    'etsy:connect': async ({ keystring, sharedSecret }) => {
      if (connecting) {
        // A second click replaces the first attempt (its loopback port must be free again first).
        connecting.controller.abort();
        await connecting.done.catch(() => undefined);
      }
      const controller = new AbortController();
      const done = core.connect({
        keystring,
        sharedSecret,
        redirectUri: core.settings.get().redirectUri,
        openBrowser: (url) => deps.openBrowser(url),
        signal: controller.signal,
      });
      const mine = { controller, done };
      connecting = mine;
      try {
        const shop = await done;
        return { shopId: shop.shopId, shopName: shop.shopName };
      } finally {
        if (connecting === mine) connecting = null;
        changed();
      }
    },

    'etsy:cancelConnect': async () => {
      const current = connecting;
      if (!current) return { cancelled: false };
      current.controller.abort();
      await current.done.catch(() => undefined);
      return { cancelled: true };
    },

    'etsy:disconnect': async () => {
      await core.disconnect();
      changed();
      return null;
    },

    'etsy:redirectUri': async () => ({ uri: parseRedirectUri(core.settings.get().redirectUri).uri }),

    'catalog:list': async () =>
      core.catalog.list().map(
        (variant): CatalogItem => ({
          sku: variant.sku,
          title: variant.title,
          quantity: variant.quantity,
          priceAmount: variant.priceAmount,
          currency: variant.currency,
          updatedAt: variant.updatedAt,
        }),
      ),

    'catalog:setStock': async ({ sku, quantity }) => {
      const result = core.catalog.setStock(sku, quantity);
      return { sku: result.sku, before: result.before, after: result.after, changed: result.changed };
    },

    'server:test': async () => {
      const settings = core.settings.get();
      if (!settings.serverUrl.trim()) return { ok: false, message: 'Enter the server address first.' };
      if (!deps.testServer) return { ok: false, message: 'This version of Art Sync cannot link to a server yet.' };
      const result = await deps.testServer(settings, AbortSignal.timeout(15_000));
      return { ok: result.ok, message: result.message };
    },

    // The password goes in only: the answer says where it is kept, never what it is.
    'server:setPassword': async ({ password }) => {
      await core.secrets.set('server.password', password);
      // The link reads the password for each new connection; reconfigure lets it pick the change up.
      core.server.reconfigure();
      changed();
      return { stored: core.secrets.kind };
    },

    'server:clearPassword': async () => {
      const removed = await core.secrets.delete('server.password');
      core.server.reconfigure();
      changed();
      return { removed };
    },
  };

  return {
    handlers,
    async dispose() {
      const current = connecting;
      if (!current) return;
      current.controller.abort();
      await current.done.catch(() => undefined);
    },
  };
}

/** The status the window and the tray show, built field by field from the core's report. */
export async function statusView(core: Pick<IpcCore, 'status' | 'repos'>, at: number): Promise<AppStatus> {
  const status = await core.status();
  let lastError: { at: number; message: string } | null = null;
  let lastSyncedAt: number | null = null;
  for (const kind of JOB_NAMES) {
    const run = core.repos.runs.lastRun(kind);
    if (!run || run.finishedAt === null) continue;
    if (run.status === 'failed' && (!lastError || run.finishedAt > lastError.at)) {
      lastError = { at: run.finishedAt, message: run.errorMessage ?? 'The last sync failed.' };
    }
    if ((run.status === 'ok' || run.status === 'partial') && (lastSyncedAt === null || run.finishedAt > lastSyncedAt)) {
      lastSyncedAt = run.finishedAt;
    }
  }
  const jobs: JobView[] = status.jobs
    .filter((job): job is typeof job & { name: SyncJobName } => (JOB_NAMES as readonly string[]).includes(job.name))
    .map((job) => ({
      name: job.name,
      enabled: job.enabled,
      lastRunAt: job.lastRunAt,
      lastResult: job.lastResult === 'ok' || job.lastResult === 'failed' ? job.lastResult : null,
      nextRunAt: job.nextRunAt,
    }));
  return {
    at,
    connected: status.connected,
    needsReconnect: status.needsReconnect,
    shop: status.shop ? { id: status.shop.id, name: status.shop.name } : null,
    credentialsAvailable: status.credentialsAvailable,
    secretsInMemory: status.secretsInMemory,
    paused: status.paused,
    running: status.running,
    progress: status.progress
      ? { kind: status.progress.kind, phase: status.progress.phase, done: status.progress.done, total: status.progress.total }
      : null,
    waitingForBudgetUntil: status.waitingForBudgetUntil,
    jobs,
    budget: { usedToday: status.budget.usedToday, limitPerDay: status.budget.limitPerDay, limitPerSecond: status.budget.limitPerSecond },
    attention: status.attention,
    lastError: lastError?.message ?? null,
    lastSyncedAt,
    serverQueue: {
      enabled: status.serverQueue.enabled,
      waiting: status.serverQueue.waiting,
      lastError: status.serverQueue.lastError,
      retryAt: status.serverQueue.retryAt,
    },
  };
}

export function runView(row: RunRow): RunItem {
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    dryRun: row.dryRun,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    status: row.status,
    callsUsed: row.callsUsed,
    changesCount: row.changesCount,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    summary: readableSummary(row.summary),
  };
}

/** The engine stores the run summary JSON-encoded; people read the sentence. */
function readableSummary(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    const parsed: unknown = JSON.parse(stored);
    return typeof parsed === 'string' ? parsed : stored;
  } catch {
    return stored;
  }
}
