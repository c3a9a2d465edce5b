/**
 * The core's API: one method per use case, the only thing the front doors (the window's IPC
 * handlers, the tray, `art-sync` commands) call. Methods return typed domain results (the shapes in
 * src/shared) and throw AppError; each door only parses its input and formats the answer. The
 * repositories, the scheduler and the engine stay behind it (app.ts).
 */
import type { AppError } from '../shared/errors';
import type {
  AttentionItem,
  CatalogFilter,
  CatalogItem,
  CatalogPage,
  CsvApplyResult,
  CsvPreview,
  DryRunResult,
  HistoryFilter,
  HistoryPage,
  PushState,
  RunItem,
  SaleResult,
  ServerPasswordResult,
  SetStockResult,
  SyncNowResult,
  UndoRunResult,
} from '../shared/ipc';
import type { Settings } from '../shared/settings';
import type { AppStatus, JobKind } from '../shared/status';
import type { CsvRowError } from './catalog/csv';
import type { SchedulerStatus } from './schedule/scheduler';
import type { SyncReport, SyncRequest } from './sync/sync-engine';

export interface ConnectRequest {
  keystring: string;
  sharedSecret: string;
  /** Default: the redirectUri setting. */
  redirectUri?: string;
  /** Once the connect worked, store `redirectUri` as the setting (it is the one registered on Etsy). */
  rememberRedirectUri?: boolean;
  /** How long to wait for the owner to approve on Etsy (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Opens Etsy's sign-in page (the address carries the keystring as its public client_id). */
  openBrowser?(url: string): Promise<void>;
  /** Receives the sign-in address first (for `--no-browser`). */
  onAuthorizeUrl?(url: string): void;
  /** The manual path: the address the browser was sent back to, pasted by the owner. */
  pasteUrl?(signal: AbortSignal): Promise<string>;
  /** A pasted address was refused but the connect keeps waiting (another paste may follow). */
  onPasteRejected?(error: AppError): void;
  onListenerUnavailable?(error: AppError): void;
}

export interface ConnectedShop {
  shopId: number;
  shopName: string;
}

export interface CatalogImportResult {
  /** Rows read without a problem. */
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused, each with its line and reason; nothing of them was stored. */
  rejected: CsvRowError[];
}

/** `server test`: either the details of a good server, or the one thing wrong as a sentence. */
export type ServerCheck =
  | { ok: true; message: string; host: string; database: string; user: string; serverVersion: string; migrations: number }
  | { ok: false; message: string; error: AppError };

export interface CoreApi {
  /** Starts background work (the scheduler, the server link); one-shot commands never call it. */
  start(): Promise<void>;
  /** Stops in order: scheduler (awaits the sync in flight) → token refresh → server push → database. */
  stop(): Promise<void>;
  /** Observes the scheduler (a run starting or ending, pause, new intervals); returns the unsubscribe. */
  onSchedulerChange(listener: (status: SchedulerStatus) => void): () => void;

  status(): Promise<AppStatus>;

  // Etsy connection
  /** OAuth in the browser; a connect still in flight is cancelled first (a second click replaces it). */
  connect(request: ConnectRequest): Promise<ConnectedShop>;
  cancelConnect(): Promise<{ cancelled: boolean }>;
  /** Forgets the keys, tokens and connection; the catalog, mirror and history stay. */
  disconnect(): Promise<{ wasConnected: boolean }>;
  /** The exact redirect URI to register in the Etsy app. */
  redirectUri(): { uri: string };
  /** The origin of Etsy's sign-in page: the only page a connect may open in the browser. */
  etsyAuthOrigin(): string;

  // Syncing
  /** One sync in this process (the CLI): products first, then inventory; a dry run writes nothing. */
  sync(request: SyncRequest): Promise<SyncReport>;
  /** The scheduled jobs, now (the window, the tray): joins the run in flight instead of starting another. */
  syncNow(kinds?: readonly JobKind[]): Promise<SyncNowResult>;
  /** What the inventory sync would change and why, writing nothing. Refused while a sync runs. */
  previewSync(options?: { full?: boolean }): Promise<DryRunResult>;
  setPaused(paused: boolean): { paused: boolean };
  /** After sleep: scheduled runs that were due run now. */
  resumeAfterSleep(): void;

  // What happened
  /** Newest first, keyset paged by id. */
  history(query?: HistoryFilter): HistoryPage;
  runs(limit?: number): RunItem[];
  /** The last finished (non-dry) run of a kind. */
  lastRun(kind: JobKind): RunItem | null;
  attention(): AttentionItem[];

  // Catalog
  listCatalog(): CatalogItem[];
  /** The window's Catalog page: a page of variants in SKU order after `afterSku` (keyset), searched and filtered. */
  catalogPage(query?: { query?: string; filter?: CatalogFilter; afterSku?: string; limit?: number }): CatalogPage;
  setStock(sku: string, quantity: number): SetStockResult;
  /** An item's own low-stock level (0 = never low), or null to follow the lowStockThreshold setting. */
  setLowStockThreshold(sku: string, threshold: number | null): { sku: string; lowStockThreshold: number | null };
  /** A sale made in person: lowers the catalog (history: "sold in person"); refused below 0; no Etsy call. */
  recordSale(sku: string, quantity?: number): SaleResult;
  /**
   * Reverts a run's catalog stock changes as local edits (stock = now + before − after, never below 0),
   * so sales and edits made since are kept; the next sync's merge carries it to Etsy. A dry run only plans.
   */
  undoRun(runId: number, options?: { dryRun?: boolean }): UndoRunResult;
  /** Adds or updates SKUs from CSV text (sku,title,quantity,price,currency); bad rows are refused. */
  importCatalogCsv(text: string): CatalogImportResult;
  /** The catalog as CSV that importCatalogCsv reads back unchanged. */
  exportCatalogCsv(): { csv: string; rows: number };
  /**
   * What importing this CSV text would change (per SKU before → after, new SKUs, refused lines with
   * their line numbers), writing nothing. Throws INVALID_INPUT only for a file that is not this format.
   */
  previewCatalogCsv(text: string): CsvPreview;
  /**
   * Applies the valid lines of `text` exactly as `shown` previewed them (one transaction). When the
   * catalog changed since — the preview's token differs — nothing is applied and the answer carries
   * the new preview and the SKUs that differ. Changed stock reaches Etsy through the edit pusher.
   */
  applyCatalogCsv(text: string, shown: CsvPreview): CsvApplyResult;
  /** Push state per SKU (null: not on Etsy); unknown SKUs are left out. */
  catalogPushStates(skus: readonly string[]): { sku: string; push: PushState | null }[];

  // Settings
  getSettings(): Settings;
  /** Stored values that could not be read (the default is used instead), as sentences. */
  settingProblems(): string[];
  /** Validated with the shared schema; nothing is stored if any value is refused. */
  updateSettings(changes: Partial<Settings>): Settings;

  // The optional server link
  testServer(): Promise<ServerCheck>;
  migrateServer(): Promise<{ applied: number; total: number }>;
  setServerPassword(password: string): Promise<ServerPasswordResult>;
  clearServerPassword(): Promise<{ removed: boolean }>;

  // Data safety (docs/DATA_SAFETY.md)
  /** Copies the database now (online backup): into the backups folder, or to `file`. Returns where. */
  backupNow(file?: string): Promise<{ path: string }>;
  /** When this open found the database damaged and restored a backup: the sentence that says so. */
  restoreNotice(): string | null;
}
