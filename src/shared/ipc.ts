/**
 * The one IPC contract between the window and the main process (docs/STYLE.md practice 1).
 *
 * Each `domain:verb` channel has a zod schema for its input (main parses every raw message with it;
 * the page's input is never trusted) and a TypeScript output type. The preload exposes exactly
 * `invoke(channel, input)` and `on(event, cb)` typed from this file; main builds its handlers from
 * the same map, so a channel without a handler does not compile.
 *
 * Every answer is a `Result` envelope (src/shared/errors.ts): `{ ok: true, value }` or
 * `{ ok: false, error: { code, message, action? } }` — never a thrown error (Electron keeps only the
 * message of those).
 *
 * Secrets (keystring, shared secret, tokens, server password) only ever travel *in* (etsy:connect,
 * server:setPassword); no output type has a field that could carry one — except that
 * etsy:connectProgress shows Etsy's sign-in address, which carries the keystring as OAuth's public
 * client_id, as any browser's address bar does on that page (docs/SECURITY.md).
 *
 * Pure TypeScript + zod: no Node, Electron or DOM.
 */
import { z } from 'zod';
import type { ErrorInfo, Result } from './errors';
import type { IpcChannelName } from './ipc-channels';
import type { PlanAttention, PlanChange, PlanSummary } from './plan';
import { settingsUpdateSchema, type Settings } from './settings';
import { MAX_QUANTITY } from './quantity';
import type { AppStatus, JobKind } from './status';

// ------------------------------------------------------------------ output types (plain JSON data)

/** The job kinds under the name the IPC contract has always used. */
export type SyncJobName = JobKind;

export type { AppStatus, JobKind, JobStatus, ServerQueueView, SyncProgressView } from './status';

export interface SyncNowResult {
  outcomes: { ok: boolean; summary: string }[];
}

export interface DryRunResult {
  /** Every change the inventory sync would make, with its explanation. */
  changes: PlanChange[];
  attention: PlanAttention[];
  /** null when no inventory plan could be made (see errors). */
  summary: PlanSummary | null;
  errors: { sku?: string; listingId?: number; code: string; message: string }[];
}

export type HistorySide = 'etsy' | 'catalog';
export type HistoryField = 'quantity' | 'price' | 'state';

export interface HistoryItem {
  id: number;
  runId: number;
  at: number;
  sku: string;
  listingId: number | null;
  side: HistorySide;
  field: HistoryField;
  before: number | string | null;
  after: number | string | null;
  reason: string;
  explanation: string;
  receiptIds: number[];
  status: 'applied' | 'failed' | 'unknown';
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Pass as `beforeId` to get the next (older) page; null when this page is the last. */
  nextBeforeId: number | null;
}

export interface RunItem {
  id: number;
  /** 'catalog': stock changed in the catalog by the owner (a sale in person, an undo), not a sync. */
  kind: 'products' | 'inventory' | 'full' | 'catalog';
  trigger: 'manual' | 'schedule' | 'catchup' | 'cli' | 'demo' | 'sale' | 'edit' | 'server-edit';
  dryRun: boolean;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'ok' | 'partial' | 'failed' | 'cancelled';
  callsUsed: number;
  changesCount: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** One line for people: "12 changes", "340 listings read". */
  summary: string | null;
}

export interface AttentionItem {
  id: number;
  kind: string;
  listingId: number | null;
  sku: string | null;
  message: string;
  /** What to do about it, e.g. "Add a SKU to this variation on Etsy". */
  action: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface CatalogItem {
  sku: string;
  title: string;
  quantity: number;
  /** Integer minor units (the same field name as `art-sync catalog list --json`). */
  price: number;
  currency: string;
  updatedAt: number;
}

export interface SetStockResult {
  sku: string;
  before: number;
  after: number;
  changed: boolean;
}

/** The Catalog page's filters (store/catalog-page-repo.ts says what each means). */
export const CATALOG_FILTERS = ['low_stock', 'not_on_etsy', 'sold_out'] as const;
export type CatalogFilter = (typeof CATALOG_FILTERS)[number];
export const CATALOG_PAGE_MAX = 500;

/** One row of the Catalog page: the variant, where it is listed on Etsy, and its newest change. */
export interface CatalogRow extends CatalogItem {
  /** At or below the low-stock threshold (and not sold out). */
  low: boolean;
  /** This item's own low-stock level (0 = never low); null = the lowStockThreshold setting. */
  lowStockThreshold: number | null;
  /** Each Etsy listing showing this SKU, with its state; open it at https://www.etsy.com/listing/<id>. */
  listings: { listingId: number; state: string; removed: boolean }[];
  lastChange: { at: number; reason: string; explanation: string } | null;
  /** Set by Core.catalogPage (issue 15 item 1): see PushState; null when the item is not on Etsy. */
  push?: PushState | null;
}

export interface CatalogPage {
  items: CatalogRow[];
  /** Pass as `afterSku` for the next page; null when this page is the last. */
  nextAfterSku: string | null;
}

// ---- Catalog CSV in the window and push state per row (issue 15 items 1 and 3)

/**
 * Where a SKU's stock is on its way to Etsy, from the core's own records: 'pushing' (the catalog
 * differs from what the last sync left and the edit pusher will carry it), 'on_etsy' (Etsy has it),
 * 'waiting' (it cannot be pushed now; `message` says why), 'error' (the last attempt failed; `message`
 * is the error). Items not on Etsy have no push state (null).
 */
export interface PushState {
  state: 'pushing' | 'on_etsy' | 'waiting' | 'error';
  message: string | null;
}

/** One SKU's values as a CSV line gives them (price in minor units, as CatalogItem). */
export interface CsvValues {
  title: string;
  quantity: number;
  price: number;
  currency: string;
}

/** One valid CSV line: a new SKU, or an existing one with what changes (before → after). */
export interface CsvPreviewItem {
  line: number;
  sku: string;
  change: 'new' | 'update';
  before: CsvValues | null;
  after: CsvValues;
}

/**
 * What importing a CSV would do, computed without writing anything. `token` names this exact
 * preview (the file's lines and the catalog values they were compared with): applying checks it, so
 * what is applied is what was shown.
 */
export interface CsvPreview {
  token: string;
  /** New and changed SKUs in file order; unchanged ones are only counted. */
  items: CsvPreviewItem[];
  counts: { new: number; update: number; unchanged: number; errors: number };
  /** Lines refused, each with its line number and reason; applying leaves them out. */
  errors: { line: number; reason: string }[];
  /** What to know before applying that is not an error (e.g. prices in another currency than the shop's). */
  notes: string[];
}

export type CsvImportPick = { cancelled: true } | { cancelled: false; fileName: string; preview: CsvPreview };

export type CsvApplyResult =
  | { applied: true; created: string[]; updated: string[]; unchanged: number; rejected: number }
  /** The catalog changed since the preview: nothing was applied; `preview` is the new one to look at. */
  | { applied: false; message: string; changedSkus: string[]; preview: CsvPreview };

export type CsvExportResult = { saved: false } | { saved: true; fileName: string; rows: number };

export const PUSH_STATE_MAX_SKUS = 500;

/**
 * History reasons for stock the owner changed in the catalog outside a sync (the planner's are
 * PLAN_REASONS): a sale made in person, and the undo of a run.
 */
export const LOCAL_EDIT_REASONS = ['sold_in_person', 'undo_run'] as const;

/** A sale made in person: the catalog went down by `quantity`; the next sync carries it to Etsy. */
export interface SaleResult {
  /** The run that records it in history (kind 'catalog'). */
  runId: number;
  sku: string;
  quantity: number;
  before: number;
  after: number;
  /** "Sold 1 in person: 5 → 4". */
  explanation: string;
}

/** One SKU an undo changes: the stock now, after the undo, and what the undone run did to it. */
export interface UndoItem {
  sku: string;
  now: number;
  after: number;
  runBefore: number;
  runAfter: number;
  /** Why, as a sentence: "Undo of run 12: 3 → 4 (run 12 changed it 5 → 4; changes since are kept)". */
  explanation: string;
}

export interface UndoRunResult {
  undoneRunId: number;
  dryRun: boolean;
  /** The run that recorded the undo; null for a dry run or when nothing had to change. */
  runId: number | null;
  items: UndoItem[];
  /** SKUs of the run left alone, each with why (created by the run, no longer in the catalog). */
  skipped: { sku: string; reason: string }[];
}

export interface ServerTestResult {
  ok: boolean;
  /** A sentence: "Connected to the server." / why not. */
  message: string;
}

/** Where a saved server password is kept: the OS keychain, or this session only (lost on quit). */
export interface ServerPasswordResult {
  stored: 'keychain' | 'memory';
  /** Says where it is kept, e.g. that without a keychain it lasts only for this session. */
  message: string;
}

export interface AppInfo {
  version: string;
  platform: string;
  /** The project's help pages (the repository's docs/ folder); null in a build that knows no repository. */
  docsUrl: string | null;
}

/** While etsy:connect waits for the owner to approve on Etsy. */
export interface ConnectProgress {
  waiting: boolean;
  /**
   * Etsy's sign-in address, to copy when the browser did not open or runs on another device. It
   * carries the keystring as OAuth's public client_id (shown in any browser's address bar on that
   * page), never the shared secret or a token.
   */
  authorizeUrl: string | null;
  /** Why Etsy's answer cannot come back by itself (the redirect port is busy): paste it instead. */
  listenerProblem: string | null;
}

/** A pasted "address Etsy sent you back to": taken (the connect finishes) or refused, with why. */
export interface PasteRedirectResult {
  accepted: boolean;
  message: string | null;
}

// ------------------------------------------------------------------ input schemas

/** Channels without input accept nothing, `undefined` or `{}`. */
const noInput = z.object({}).strict().optional();

const MAX_SKU = 200;
const MAX_SECRET = 512;
/** A redirect address with code and state is a few hundred characters; Etsy's sign-in address under 1 KB. */
const MAX_PASTED_URL = 4096;
const MAX_SERVER_PASSWORD = 1024;
export const HISTORY_PAGE_MAX = 500;
export const HISTORY_PAGE_DEFAULT = 100;
/** The most history rows one core call returns (`art-sync history --limit`); the window pages by HISTORY_PAGE_MAX. */
export const HISTORY_LIMIT_MAX = 10_000;
export const RUNS_PAGE_MAX = 200;
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);

export { settingsUpdateSchema };

export const historyFilterSchema = z
  .object({
    sku: z.string().min(1).max(MAX_SKU).optional(),
    side: z.enum(['etsy', 'catalog']).optional(),
    field: z.enum(['quantity', 'price', 'state']).optional(),
    reason: z.string().min(1).max(64).optional(),
    runId: z.number().int().positive().optional(),
    /** Inclusive lower bound on `at` (ms epoch). */
    since: epochMs.optional(),
    /** Exclusive upper bound on `at` (ms epoch). */
    until: epochMs.optional(),
    /** Keyset paging: only rows with a smaller id (older). */
    beforeId: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).optional(),
  })
  .strict();
export type HistoryFilter = z.input<typeof historyFilterSchema>;

export const ipcInputSchemas = {
  'app:info': noInput,
  /** Opens an allowlisted https page (Etsy, the project docs) in the default browser. */
  'app:openExternal': z.object({ url: z.string().min(1).max(2048) }).strict(),

  'status:get': noInput,

  /** Runs the given jobs now (default both); joins the run in flight instead of starting another. */
  'sync:now': z
    .object({ kinds: z.array(z.enum(['products', 'inventory'])).min(1).max(2).optional() })
    .strict()
    .optional(),
  /** Reads Etsy and plans the inventory sync without writing anything anywhere. */
  'sync:dryRun': z.object({ full: z.boolean().optional() }).strict().optional(),
  'sync:setPaused': z.object({ paused: z.boolean() }).strict(),

  /** Newest first, at most HISTORY_PAGE_MAX rows per call (keyset paging by id). */
  'history:list': historyFilterSchema.optional(),
  'runs:list': z.object({ limit: z.number().int().min(1).max(RUNS_PAGE_MAX).optional() }).strict().optional(),
  /** Reverts a run's stock changes through the merge; `dryRun` only returns the plan. */
  'runs:undo': z.object({ runId: z.number().int().positive(), dryRun: z.boolean().optional() }).strict(),
  'attention:list': noInput,

  'settings:get': noInput,
  /** Only the keys sent change; each is validated with the shared settings schema. */
  'settings:update': settingsUpdateSchema,

  /** Starts OAuth in the browser and resolves when Etsy approved (or failed / was cancelled). */
  'etsy:connect': z
    .object({
      keystring: z.string().min(1).max(MAX_SECRET),
      sharedSecret: z.string().min(1).max(MAX_SECRET),
    })
    .strict(),
  'etsy:cancelConnect': noInput,
  /** What the window shows while etsy:connect waits: the sign-in address to copy, a busy port. */
  'etsy:connectProgress': noInput,
  /** The address the browser was sent back to after approving on Etsy, pasted by the owner. */
  'etsy:pasteRedirect': z.object({ url: z.string().min(1).max(MAX_PASTED_URL) }).strict(),
  'etsy:disconnect': noInput,
  /** The exact redirect URI to register in the Etsy app. */
  'etsy:redirectUri': noInput,

  'catalog:list': noInput,
  'catalog:setStock': z
    .object({ sku: z.string().min(1).max(MAX_SKU), quantity: z.number().int().min(0).max(MAX_QUANTITY) })
    .strict(),
  /** The Catalog page: SKU order, keyset paged, searched by SKU or title, filtered. */
  'catalog:page': z
    .object({
      query: z.string().max(MAX_SKU).optional(),
      filter: z.enum(CATALOG_FILTERS).optional(),
      afterSku: z.string().min(1).max(MAX_SKU).optional(),
      limit: z.number().int().min(1).max(CATALOG_PAGE_MAX).optional(),
    })
    .strict()
    .optional(),
  /** An item's own low-stock level (0 = never low), or null for the global setting. */
  'catalog:setLowStock': z
    .object({ sku: z.string().min(1).max(MAX_SKU), threshold: z.number().int().min(0).max(MAX_QUANTITY).nullable() })
    .strict(),
  /** A sale made in person (default 1 item): lowers the catalog; the next sync carries it to Etsy. */
  'catalog:sell': z
    .object({ sku: z.string().min(1).max(MAX_SKU), quantity: z.number().int().min(1).max(MAX_QUANTITY).optional() })
    .strict(),
  /** Opens the OS file dialog in main, reads the CSV there and returns a preview; the page never sees a path. */
  'catalog:importPreview': noInput,
  /** Applies the preview main holds under this token (the valid lines only); refused as stale if the catalog changed. */
  'catalog:importApply': z.object({ token: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  /** Forgets the preview main holds (Cancel); nothing changes. */
  'catalog:importCancel': noInput,
  /** Opens the OS save dialog in main and writes the catalog there as CSV. */
  'catalog:exportCsv': noInput,
  /** Push state of these SKUs (the Catalog page follows an edit until it is on Etsy). */
  'catalog:pushState': z.object({ skus: z.array(z.string().min(1).max(MAX_SKU)).min(1).max(PUSH_STATE_MAX_SKUS) }).strict(),

  /** Tries the server link with the saved settings. */
  'server:test': noInput,
  /** Saves the server password (in only: no channel ever returns it); the link uses it from its next connection. */
  'server:setPassword': z.object({ password: z.string().min(1).max(MAX_SERVER_PASSWORD) }).strict(),
  /** Forgets the saved server password. */
  'server:clearPassword': noInput,
} satisfies Record<string, z.ZodType>;

export interface IpcOutputs {
  'app:info': AppInfo;
  'app:openExternal': null;
  'status:get': AppStatus;
  'sync:now': SyncNowResult;
  'sync:dryRun': DryRunResult;
  'sync:setPaused': { paused: boolean };
  'history:list': HistoryPage;
  'runs:list': RunItem[];
  'runs:undo': UndoRunResult;
  'attention:list': AttentionItem[];
  'settings:get': Settings;
  'settings:update': Settings;
  'etsy:connect': { shopId: number; shopName: string };
  'etsy:cancelConnect': { cancelled: boolean };
  'etsy:connectProgress': ConnectProgress;
  'etsy:pasteRedirect': PasteRedirectResult;
  'etsy:disconnect': null;
  'etsy:redirectUri': { uri: string };
  'catalog:list': CatalogItem[];
  'catalog:setStock': SetStockResult;
  'catalog:sell': SaleResult;
  'catalog:page': CatalogPage;
  'catalog:setLowStock': { sku: string; lowStockThreshold: number | null };
  'catalog:importPreview': CsvImportPick;
  'catalog:importApply': CsvApplyResult;
  'catalog:importCancel': null;
  'catalog:exportCsv': CsvExportResult;
  'catalog:pushState': { sku: string; push: PushState | null }[];
  'server:test': ServerTestResult;
  'server:setPassword': ServerPasswordResult;
  'server:clearPassword': { removed: boolean };
}

export type IpcChannel = keyof typeof ipcInputSchemas;

export const IPC_CHANNELS = Object.keys(ipcInputSchemas) as IpcChannel[];

/** What the page may pass (before defaults are applied). */
export type IpcInput<C extends IpcChannel> = z.input<(typeof ipcInputSchemas)[C]>;
/** What a handler receives (after parsing). */
export type IpcParsedInput<C extends IpcChannel> = z.output<(typeof ipcInputSchemas)[C]>;
export type IpcOutput<C extends IpcChannel> = IpcOutputs[C];
export type IpcResult<C extends IpcChannel> = Result<IpcOutput<C>>;

/** `invoke('status:get')` needs no input; `invoke('sync:setPaused', { paused: true })` does. */
export type IpcInvokeArgs<C extends IpcChannel> = undefined extends IpcInput<C> ? [input?: IpcInput<C>] : [input: IpcInput<C>];

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ipcInputSchemas, value);
}

export type { ErrorInfo, Result };

// Compile-time check: the schemas, the output types and the plain name list (ipc-channels.ts) name
// the same channels.
type _SameKeys = [
  Exclude<IpcChannel, keyof IpcOutputs>,
  Exclude<keyof IpcOutputs, IpcChannel>,
  Exclude<IpcChannel, IpcChannelName>,
  Exclude<IpcChannelName, IpcChannel>,
] extends [never, never, never, never]
  ? true
  : never;
const _sameKeys: _SameKeys = true;
void _sameKeys;
