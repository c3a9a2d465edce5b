/**
 * The one status model: the core builds it (src/main/status.ts), the window receives it over
 * `status:get` / `status:changed`, the tray renders it, and `art-sync status` prints it. The words
 * for it come from one pure function, statusHeadline(), so the tray tooltip, the window header and
 * the command line say the same thing for the same state.
 *
 * Pure TypeScript: no Node, Electron or DOM.
 */
import { oneLine } from './text';

/** The two scheduled jobs (docs/SYNC.md): products refresh the Etsy mirror, inventory merges stock. */
export type JobKind = 'products' | 'inventory';
export const JOB_KINDS: readonly JobKind[] = ['products', 'inventory'];

export interface JobStatus {
  name: JobKind;
  enabled: boolean;
  lastRunAt: number | null;
  lastResult: 'ok' | 'failed' | null;
  /** null when no scheduler runs in this process (a one-shot `art-sync` command) or the job is off. */
  nextRunAt: number | null;
}

export interface SyncProgressView {
  kind: JobKind;
  phase: 'listings' | 'inventory' | 'receipts' | 'planning' | 'writing';
  done: number;
  /** null while the total is not known yet. */
  total: number | null;
}

export interface ServerQueueView {
  /** The owner turned the link on and gave a server address. */
  enabled: boolean;
  /** Changes waiting to be sent to the server. */
  waiting: number;
  /** Why the last send or catalog read failed, as a sentence; null when the last one worked. */
  lastError: string | null;
  /** When the link tries again after a failure (ms epoch); null when it is not waiting to retry. */
  retryAt: number | null;
  /**
   * Which machine is syncing the shop through the server ("studio (pid 4242, inventory sync, since …)"),
   * as this machine last saw it; absent when none is (issue 13 item 2).
   */
  syncingMachine?: string;
  /**
   * How stock edits made on the server are noticed (issue 14 item 4), when the process asked watches
   * them (the app, with the link on; a one-shot `art-sync` command watches nothing and leaves it out):
   * 'listening' — the server announces each edit; 'polling' — its announcements do not arrive (a
   * pooler, a refused LISTEN), so it is checked every few seconds.
   */
  edits?: { state: 'listening' | 'polling'; lastCheckAt: number | null; lastError: string | null };
}

/** Watching for sales (docs/SYNC.md, "Watching for sales"): how fresh the shop's sales are. */
export interface WatchView {
  /** 'watching': polling; 'waiting': on but not polling now (see `note`); 'off': the setting is off. */
  state: 'off' | 'watching' | 'waiting';
  /** Why it waits ("Syncing is paused."), or null. */
  note: string | null;
  /** The current time between two looks at the shop's receipts; null when off. */
  intervalMs: number | null;
  lastCheckAt: number | null;
  nextCheckAt: number | null;
  lastSaleAt: number | null;
  lastError: string | null;
  /** Etsy calls a day the watching spends at the current interval. */
  callsPerDay: number;
  /** false when another process (the app or `art-sync daemon`) watches and this is what it last recorded. */
  here: boolean;
}

/** The database's rolling backups (docs/DATA_SAFETY.md) and the last restore, if any. */
export interface BackupsView {
  count: number;
  totalBytes: number;
  newestAt: number | null;
  /** The last time a backup replaced the database (a damaged one at open, or `art-sync restore`). */
  lastRestore: { at: number; backupTakenAt: number | null; message: string } | null;
}

/** What the Status page, the tray and `art-sync status` show. Times are ms epoch. */
export interface AppStatus {
  /** When the core computed this status (the clock "4 min ago" is measured against). */
  at: number;
  /** Art Sync's version (package.json). */
  version: string;
  connected: boolean;
  /** Etsy revoked the grant: the owner must connect again. */
  needsReconnect: boolean;
  shop: { id: number; name: string } | null;
  /** False when the Etsy credentials are not in this session (e.g. no keychain after a restart). */
  credentialsAvailable: boolean;
  /** null when secrets are in the OS keychain; otherwise a sentence saying why they are only in memory. */
  secretsInMemory: string | null;
  paused: boolean;
  running: JobKind | null;
  progress: SyncProgressView | null;
  /** Scheduled syncs wait until this time because today's Etsy budget is spent. */
  waitingForBudgetUntil: number | null;
  jobs: JobStatus[];
  budget: { usedToday: number; limitPerDay: number; limitPerSecond: number };
  /** Open "needs attention" items. */
  attention: number;
  /** The message of the newest failed run when the latest run of its kind failed, else null. */
  lastError: string | null;
  /** When the last successful (ok or partial) non-dry run of any kind finished. */
  lastSyncedAt: number | null;
  /** The optional server link: whether it is on and how many changes wait to be sent to the server. */
  serverQueue: ServerQueueView;
  /** Watching for sales; null when no process has watched this data folder yet. */
  watch?: WatchView | null;
  /** The database's backups; absent where the core has none to report (tests, fixtures). */
  backups?: BackupsView;
  /** Catalog items in stock at or below their low-stock level (informational: below needs attention). */
  lowStock: number;
}

/** How stock edits on the server are noticed: the window's Server card and `art-sync daemon`'s log. */
export function serverEditsText(edits: NonNullable<ServerQueueView['edits']>): string {
  const how = edits.state === 'listening' ? 'noticed as they are made (the server announces them)' : 'checked every few seconds (the server\'s announcements do not arrive)';
  return edits.lastError ? `${how}. ${edits.lastError.replace(/\.$/, '')}` : how;
}

// ------------------------------------------------------------------ the headline

export type HeadlineIcon = 'error' | 'attention' | 'syncing' | 'paused' | 'ok';
export type HeadlineTone = 'error' | 'warn' | 'busy' | 'ok';

export interface StatusHeadline {
  /** One line: "Synced 4 min ago", "Syncing 12 of 40", "Reconnect Etsy". */
  text: string;
  /** The tray icon for this state. */
  icon: HeadlineIcon;
  /** The window's colour for it. */
  tone: HeadlineTone;
}

export interface HeadlineOptions {
  /** Local wall-clock time for "until 14:05"; injectable so tests do not depend on the time zone. */
  formatClock?(ms: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The state in words, by priority (docs/PRODUCT.md §8; the Syncthing Tray / Nextcloud way): error or
 * reconnect > needs attention > syncing > paused > waiting for Etsy's daily limit > all synced (with
 * "· 2 items low" when catalog items are low).
 * `status` null means the core is still starting.
 */
export function statusHeadline(status: AppStatus | null, now: number, options: HeadlineOptions = {}): StatusHeadline {
  const clock = options.formatClock ?? localClock;
  if (status === null) return { text: 'Starting…', icon: 'syncing', tone: 'busy' };
  // 1. Errors and reconnects: nothing syncs until the owner acts.
  if (status.needsReconnect) return error('Reconnect Etsy');
  if (!status.connected) return error('Not connected to Etsy');
  if (!status.credentialsAvailable) return error('Connect Etsy again to keep syncing');
  if (status.lastError !== null && status.running === null) return error(`Sync failed: ${oneLine(status.lastError, 80)}`);
  // 2. Needs attention.
  if (status.attention > 0) {
    return { text: status.attention === 1 ? '1 item needs attention' : `${status.attention} items need attention`, icon: 'attention', tone: 'warn' };
  }
  // 3. Syncing.
  if (status.running !== null || status.progress !== null) return { text: progressText(status.progress), icon: 'syncing', tone: 'busy' };
  // 4. Paused (by the owner, or by Etsy's daily limit).
  if (status.paused) return { text: 'Paused', icon: 'paused', tone: 'warn' };
  if (status.waitingForBudgetUntil !== null && status.waitingForBudgetUntil > now) {
    return { text: `Waiting for Etsy limit until ${clock(status.waitingForBudgetUntil)}`, icon: 'paused', tone: 'warn' };
  }
  // 5. All synced; low stock and the sales watch are information added to it ("Synced 4 min ago ·
  // 2 items low · watching for sales, checked 20 s ago"), never a warning state.
  const synced = status.lastSyncedAt === null ? 'Not synced yet' : `Synced ${ago(now - status.lastSyncedAt)}`;
  const low = status.lowStock > 0 ? ` · ${status.lowStock === 1 ? '1 item low' : `${status.lowStock} items low`}` : '';
  const watch = status.watch;
  const watching = watch?.state === 'watching' && watch.lastCheckAt !== null ? ` · watching for sales, checked ${ago(Math.max(0, now - watch.lastCheckAt))}` : '';
  return { text: `${synced}${low}${watching}`, icon: 'ok', tone: 'ok' };
}

function error(text: string): StatusHeadline {
  return { text, icon: 'error', tone: 'error' };
}

/** "Syncing 12 of 40" once the total is known, "Syncing…" before. */
export function progressText(progress: SyncProgressView | null): string {
  if (progress && progress.total !== null && progress.total > 0) return `Syncing ${Math.min(progress.done, progress.total)} of ${progress.total}`;
  return 'Syncing…';
}

export function ago(ms: number): string {
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < 48 * HOUR) {
    const hours = Math.floor(ms / HOUR);
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  return `${Math.floor(ms / (24 * HOUR))} days ago`;
}

function localClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
