import type Database from 'better-sqlite3';
import { AppError, isAppError, toErrorInfo } from '../../shared/errors';
import type { Plan } from '../../shared/plan';
import type { Settings } from '../../shared/settings';
import type { EtsyClient } from '../etsy/client';
import type { CatalogRepo } from '../store/catalog-repo';
import type { MirrorRepo } from '../store/mirror-repo';
import type { SyncRunTrigger } from '../store/schema';
import { openStoreSnapshot } from '../store/store-snapshot';
import type { SyncRepos } from '../store/sync-repos';
import { syncInventory } from './inventory-sync';
import { preferSmallHeap } from './heap-mode';
import { fetchReceipts } from './receipts';
import { syncProducts } from './product-sync';
import type { AppliedChange, SyncErrorInfo, SyncProgress } from './sync-context';

/**
 * Runs syncs and records them: one sync_runs row per run, one history row per item change. A dry run
 * reads Etsy like a real one but works on a private in-memory copy of the store (store-snapshot.ts),
 * so it writes nothing shared (not the mirror, catalog, baselines or runs) and never writes to Etsy,
 * while the calls it sent stay counted in the day's budget (the client counts them in the real store)
 * and nobody else's edits made meanwhile are blocked or undone.
 */
export type SyncKind = 'products' | 'inventory';

export interface SyncRequest {
  kinds: readonly SyncKind[];
  trigger: SyncRunTrigger;
  dryRun?: boolean;
  /** Force a full product pull. */
  full?: boolean;
  /**
   * A targeted inventory run (trigger 'sale' or 'edit'): only these SKUs' groups are read and planned
   * (docs/SYNC.md "Watching for sales"). Never empty: an empty list is refused.
   */
  skus?: readonly string[];
  /** The caller fetched the receipts just now (the sales watcher): a targeted run does not again. */
  receiptsFresh?: boolean;
  /** SKUs whose catalog stock the server link's pull just changed, for the explanations. */
  serverEdited?: readonly string[];
  signal?: AbortSignal;
  onProgress?(progress: SyncProgress & { kind: SyncKind }): void;
}

/** The `art-sync sync --json` shape (docs/PRODUCT.md §7), plus plans and per-kind results. */
export interface SyncReport {
  runId: number | null;
  dryRun: boolean;
  changes: AppliedChange[];
  errors: SyncErrorInfo[];
  plans: Plan[];
  /** 'held': a scheduled run that did not start (first run not previewed yet, or the day's budget low). */
  runs: { kind: SyncKind; runId: number | null; status: 'ok' | 'partial' | 'failed' | 'cancelled' | 'held'; callsUsed: number; summary: string }[];
}

/**
 * The shop whose first inventory run has been previewed (or has run): sync_state value = shop id.
 * Kept in the shared store even by a dry run — the one thing a preview records.
 */
export const FIRST_RUN_PREVIEWED_KEY = 'inventory.firstRunPreviewedShop';
/** Triggers that start a run without the shop owner asking for it. */
const UNATTENDED_TRIGGERS: readonly SyncRunTrigger[] = ['schedule', 'catchup', 'sale', 'edit', 'server-edit'];
export const HELD_FOR_PREVIEW_SUMMARY = 'Waiting for the first sync to be previewed.';

export interface SyncEngineDeps {
  /** The shared connection; a dry run copies it (never holds a transaction on it). */
  sqlite: Database.Database;
  /** better-sqlite3 addon for the running runtime, for the dry run's copy (see store-snapshot.ts). */
  nativeBinding?: string;
  mirror: MirrorRepo;
  repos: SyncRepos;
  catalog: CatalogRepo;
  settings(): Settings;
  /** The connected shop, or a NOT_CONNECTED / RECONNECT_ETSY error. */
  shop(): { shopId: number; currency: string };
  client(): EtsyClient;
  /** Calls sent so far by this process (counted at the fetch), for per-run call counts. */
  callCount(): number;
  now(): number;
}

/** The repositories a run reads and writes: the shared ones, or a dry run's copy. */
type StoreRepos = Pick<SyncEngineDeps, 'mirror' | 'repos' | 'catalog'>;

export class SyncEngine {
  constructor(private readonly deps: SyncEngineDeps) {
    // The engine is what allocates in bulk in this process: keep the heap near what is live.
    preferSmallHeap();
  }

  /**
   * True while the connected shop's first inventory run has not been previewed (nor run by hand):
   * scheduled inventory runs are held until then (docs/PRODUCT.md §3, "the first run's plan is shown as a
   * dry run first"), whichever front door connected. A store that synced before this marker existed
   * counts as previewed.
   */
  firstRunPreviewPending(): boolean {
    const { shopId } = this.deps.shop();
    const marker = this.deps.repos.syncState.getState(FIRST_RUN_PREVIEWED_KEY);
    if (marker !== undefined) return marker !== String(shopId);
    const last = this.deps.repos.runs.lastRun('inventory');
    return !(last && (last.status === 'ok' || last.status === 'partial'));
  }

  /**
   * Why an unattended (scheduled or catch-up) run of `kind` must not start now, or null. Enforced here
   * so every front door gets it; the scheduler's own budget wait (budgetWaitUntil) should use
   * DailyBudget.scheduledWaitUntil too, so it can say until when.
   */
  private heldReason(kind: SyncKind, request: SyncRequest, dryRun: boolean, client: EtsyClient): string | null {
    if (dryRun || !UNATTENDED_TRIGGERS.includes(request.trigger)) return null;
    if (kind === 'inventory' && this.firstRunPreviewPending()) return HELD_FOR_PREVIEW_SUMMARY;
    const until = client.budget.scheduledWaitUntil(this.deps.now());
    if (until !== null) return `Etsy's daily call budget is running low; scheduled syncs wait until ${new Date(until).toISOString()}.`;
    return null;
  }

  private markFirstRunPreviewed(shopId: number): void {
    if (this.deps.repos.syncState.getState(FIRST_RUN_PREVIEWED_KEY) === String(shopId)) return;
    this.deps.repos.syncState.setState(FIRST_RUN_PREVIEWED_KEY, String(shopId), this.deps.now());
  }

  /**
   * The sales watcher's poll (docs/SYNC.md "Watching for sales"): one receipts call (`min_last_modified`)
   * that stores new and changed receipts like a run's fetch does — each sale's listing joins the durable
   * re-read set in the same transaction — and answers which SKUs have a sale (or a cancelled order) not
   * yet synced: those of re-read entries newer than `afterSeq`, whoever stored them (this poll, or a
   * run's post-write fetch). By the sold product id (the mirror's, or the one our write created), else
   * the transaction's SKU; never ''. Not a run: nothing is planned or written to Etsy.
   */
  async pollSales(options: { afterSeq: number; signal?: AbortSignal }): Promise<{ skus: string[]; newSales: number; maxSeq: number; callsUsed: number }> {
    const callsBefore = this.deps.callCount();
    const ctx = {
      client: this.deps.client(),
      mirror: this.deps.mirror,
      repos: this.deps.repos,
      catalog: this.deps.catalog,
      settings: this.deps.settings(),
      shop: this.deps.shop(),
      now: this.deps.now,
      signal: options.signal,
    };
    const fetched = await fetchReceipts(ctx);
    const entries = this.deps.repos.receipts.listingsToReread().filter((entry) => entry.seq > options.afterSeq);
    const listingIds = entries.map((entry) => entry.listingId);
    const skus = new Set([...this.deps.repos.groups.skusOfReceiptListings(listingIds), ...this.deps.repos.groups.skusOfListings(listingIds)]);
    skus.delete('');
    return {
      skus: [...skus].sort(),
      newSales: fetched.added,
      maxSeq: entries.reduce((max, entry) => Math.max(max, entry.seq), options.afterSeq),
      callsUsed: this.deps.callCount() - callsBefore,
    };
  }

  async run(request: SyncRequest): Promise<SyncReport> {
    if (request.skus !== undefined && request.skus.filter((sku) => sku !== '').length === 0) {
      throw new AppError('INVALID_INPUT', 'A targeted sync needs at least one SKU.');
    }
    if (request.dryRun !== true) return this.runKinds(request, false, this.deps);
    // See the class comment: the preview plans against its own copy, thrown away afterwards.
    const snapshot = openStoreSnapshot(this.deps.sqlite, { now: this.deps.now, nativeBinding: this.deps.nativeBinding });
    try {
      return await this.runKinds(request, true, { mirror: snapshot.mirror, repos: snapshot.repos, catalog: snapshot.catalog });
    } finally {
      snapshot.close();
    }
  }

  private async runKinds(request: SyncRequest, dryRun: boolean, store: StoreRepos): Promise<SyncReport> {
    const report: SyncReport = { runId: null, dryRun, changes: [], errors: [], plans: [], runs: [] };
    const shop = this.deps.shop();
    const client = this.deps.client();
    for (const kind of request.kinds) {
      const held = this.heldReason(kind, request, dryRun, client);
      if (held !== null) {
        report.runs.push({ kind, runId: null, status: 'held', callsUsed: 0, summary: held });
        continue;
      }
      const started = this.deps.now();
      const callsBefore = this.deps.callCount();
      const runId = store.repos.runs.startRun({ kind, trigger: request.trigger, dryRun }, started);
      const ctx = {
        client,
        mirror: store.mirror,
        repos: store.repos,
        catalog: store.catalog,
        settings: this.deps.settings(),
        shop,
        ...(request.serverEdited ? { serverEdited: new Set(request.serverEdited) } : {}),
        now: this.deps.now,
        signal: request.signal,
        onProgress: request.onProgress ? (progress: SyncProgress) => request.onProgress?.({ ...progress, kind }) : undefined,
      };
      let status: SyncReport['runs'][number]['status'] = 'ok';
      let summary = '';
      let failure: AppError | null = null;
      try {
        if (kind === 'products') {
          const result = await syncProducts(
            { client, mirror: ctx.mirror, repos: ctx.repos, now: ctx.now, onProgress: (p) => ctx.onProgress?.(p) },
            { shopId: shop.shopId, mode: request.full ? 'full' : 'auto', signal: request.signal },
          );
          summary = `${result.listingsSeen} listings read${result.removed ? `, ${result.removed} gone from Etsy` : ''}`;
          if (result.skipped.length > 0) status = 'partial';
        } else {
          const skus = request.skus?.filter((sku) => sku !== '');
          const result = await syncInventory(ctx, {
            runId,
            dryRun,
            ...(skus ? { target: { skus, receiptsFresh: request.receiptsFresh === true } } : {}),
          });
          report.plans.push(...result.plans);
          report.changes.push(...result.changes);
          report.errors.push(...result.errors);
          const applied = result.changes.filter((c) => c.status === 'applied' || c.status === 'planned').length;
          summary = dryRun ? `${applied} changes planned` : `${applied} changes`;
          if (skus) summary += ` (${skus.length === 1 ? `SKU ${skus[0]}` : `${skus.length} SKUs`})`;
          if (result.errors.length > 0) status = 'partial';
        }
      } catch (error) {
        failure = isAppError(error) ? error : new AppError('INTERNAL', 'The sync stopped because of an unexpected problem.', { cause: error });
        status = failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
        summary = failure.message;
        report.errors.push(toErrorInfo(failure));
      }
      const callsUsed = this.deps.callCount() - callsBefore;
      store.repos.runs.finishRun(
        runId,
        {
          status,
          callsUsed,
          changesCount: report.changes.filter((c) => c.status === 'applied').length,
          errorCode: failure?.code ?? null,
          errorMessage: failure?.message ?? null,
          summary,
        },
        this.deps.now(),
      );
      report.runs.push({ kind, runId: dryRun ? null : runId, status, callsUsed, summary });
      // The owner has now seen (or run) this shop's first inventory plan; scheduled runs may follow.
      if (kind === 'inventory' && (status === 'ok' || status === 'partial')) {
        this.markFirstRunPreviewed(shop.shopId);
      }
      if (!dryRun) report.runId = runId;
      if (failure && (failure.code === 'CANCELLED' || failure.code === 'RECONNECT_ETSY' || failure.code === 'NOT_CONNECTED')) break;
    }
    return report;
  }
}
