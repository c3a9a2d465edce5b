import type { ChangedVariant } from '../store/catalog-change-probe';
import type { JobOutcome } from './scheduler';

/**
 * Pushes local stock edits to Etsy a few seconds after they are made (docs/SYNC.md "Watching for
 * sales"), whoever made them: the window, a CSV import, or `art-sync catalog set-stock` in another
 * process. Every PROBE_MS it asks SQLite whether anything was committed (`PRAGMA data_version`, one
 * pragma); when something was, it reads the variants changed since its watermark and keeps those whose
 * stock differs from what the last sync left. Edits are debounced (DEBOUNCE_MS after the last one, at
 * most MAX_WAIT_MS after the first) and pushed together as one targeted run.
 */
export const PROBE_MS = 2_000;
export const DEBOUNCE_MS = 3_000;
export const MAX_WAIT_MS = 15_000;
/**
 * Variants changed this long before the watermark are read again: another process's clock or a
 * transaction committed a moment after its timestamp must not hide an edit. Versions already seen are
 * skipped, so nothing is pushed twice.
 */
const OVERLAP_MS = 60_000;

export interface CatalogProbe {
  dataVersion(): number;
  changedSince(sinceMs: number): ChangedVariant[];
}

export interface EditPusherDeps {
  probe: CatalogProbe;
  /** Why pushing cannot happen now, or null. Edits noticed meanwhile are left to the scheduled sync. */
  blockedReason(): string | null;
  requestTargeted(skus: string[]): Promise<JobOutcome>;
  now(): number;
  probeMs?: number;
  debounceMs?: number;
  maxWaitMs?: number;
}

export interface EditPushStatus {
  /** SKUs noticed and waiting for their push. */
  waiting: number;
  lastPushAt: number | null;
  lastPushSkus: string[];
  lastError: string | null;
}

export class EditPusher {
  private probeTimer: ReturnType<typeof setInterval> | null = null;
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private lastVersion: number | null = null;
  private watermark = 0;
  /** sku → the version and time last seen, within the overlap window. */
  private readonly seen = new Map<string, { version: number; updatedAt: number }>();
  private readonly pending = new Set<string>();
  private firstPendingAt: number | null = null;
  private lastPushAt: number | null = null;
  private lastPushSkus: string[] = [];
  private lastError: string | null = null;
  private started = false;

  constructor(private readonly deps: EditPusherDeps) {}

  /** Starts probing. The first look reads every variant: edits made while Art Sync was closed are pushed too. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.probeTimer = setInterval(() => this.probe(), this.deps.probeMs ?? PROBE_MS);
    this.probeTimer.unref?.();
    this.probe();
  }

  /**
   * Stops probing. A push already handed to the scheduler is not waited for: the scheduler, stopped
   * after this, ends it. Edits not pushed yet are left to the next sync (they still differ from `bL`).
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.probeTimer = null;
    this.debounceTimer = null;
    await Promise.resolve();
  }

  status(): EditPushStatus {
    return { waiting: this.pending.size, lastPushAt: this.lastPushAt, lastPushSkus: this.lastPushSkus, lastError: this.lastError };
  }

  /** One look at the database (what the timer does every PROBE_MS). */
  probe(): void {
    if (!this.started) return;
    let version: number;
    try {
      version = this.deps.probe.dataVersion();
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return;
    }
    if (version === this.lastVersion) return;
    this.lastVersion = version;
    let rows: ChangedVariant[];
    try {
      rows = this.deps.probe.changedSince(Math.max(0, this.watermark - OVERLAP_MS));
    } catch (error) {
      // Busy or locked: look again at the next probe.
      this.lastVersion = null;
      this.lastError = error instanceof Error ? error.message : String(error);
      return;
    }
    for (const row of rows) {
      const before = this.seen.get(row.sku);
      this.watermark = Math.max(this.watermark, row.updatedAt);
      if (before?.version === row.version) continue;
      this.seen.set(row.sku, { version: row.version, updatedAt: row.updatedAt });
      if (row.pending) this.pending.add(row.sku);
    }
    for (const [sku, entry] of this.seen) if (entry.updatedAt < this.watermark - OVERLAP_MS) this.seen.delete(sku);
    if (this.pending.size > 0) this.schedulePush();
  }

  private schedulePush(): void {
    const now = this.deps.now();
    this.firstPendingAt ??= now;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    const maxWait = this.deps.maxWaitMs ?? MAX_WAIT_MS;
    const delay = Math.max(0, Math.min(this.deps.debounceMs ?? DEBOUNCE_MS, this.firstPendingAt + maxWait - now));
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.push();
    }, delay);
    this.debounceTimer.unref?.();
  }

  private push(): void {
    if (!this.started || this.pending.size === 0) return;
    const skus = [...this.pending].sort();
    this.pending.clear();
    this.firstPendingAt = null;
    const blocked = this.deps.blockedReason();
    if (blocked !== null) {
      this.lastError = `Not pushed now (${blocked}); the next scheduled sync pushes it.`;
      return;
    }
    this.lastPushAt = this.deps.now();
    this.lastPushSkus = skus;
    void this.deps
      .requestTargeted(skus)
      .then((outcome) => {
        this.lastError = outcome.ok || outcome.held === true ? null : outcome.summary;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
      });
  }
}
