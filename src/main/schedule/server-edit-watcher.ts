import type { PgQueryable } from '../server/connection';
import { readVariantStates, sendProbe, variantFingerprint, type ListenSession, type VariantChange } from '../server/edit-listener';
import { backoffDelay } from '../server/outbox-relay';
import type { JobOutcome } from './scheduler';

/**
 * Carries stock edits made on the server (the Art Management Tool writing product_variants) to Etsy
 * within seconds (issue 14 item 4; docs/DATA_MODEL.md "Server edits"). While the server link is on it
 * holds one LISTEN connection for the trigger migration 0004 installs; each announced change is
 * debounced (DEBOUNCE_MS after the last one, at most MAX_WAIT_MS after the first) and the SKUs go to the
 * scheduler together as one targeted run ('server-edit'), which pulls the server catalog and pushes it.
 *
 * - Art Sync's own writes (its version-checked pushes fire the trigger too) are told apart by what the
 *   catalog cache recorded: a change whose (version, stock) the cache already knows is ours, or already
 *   pulled, and starts nothing. The check runs when the batch is flushed, after the push that wrote it
 *   recorded its version (a push in flight defers the flush).
 * - Notifications may not arrive (LISTEN refused, the connection dropped, a transaction-mode pooler
 *   that accepts LISTEN and never delivers): a poll of one aggregate row (variantFingerprint) reads the
 *   variants only when it moved. It runs every LISTENING_POLL_MS while notifications work, and every
 *   FALLBACK_POLL_MS while not listening, once a test notification sent with each poll (sendProbe) was
 *   not heard within PROBE_WAIT_MS, or once it found an edit no notification announced.
 * - A lost connection is reopened with backoff (exponential, full jitter, capped).
 */
export const DEBOUNCE_MS = 1_000;
export const MAX_WAIT_MS = 5_000;
export const LISTENING_POLL_MS = 60_000;
export const FALLBACK_POLL_MS = 10_000;
/** A test notification not heard within this long means notifications are not delivered. */
export const PROBE_WAIT_MS = 5_000;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;
/** How often to look at the settings again while the link is off. */
const RECHECK_MS = 30_000;
/** A flush waits for the app's own catalog push at most this long (its version is recorded when it ends). */
const BUSY_WAIT_MAX_MS = 60_000;

/** The server stock and version the catalog cache was last based on, per SKU. */
export interface KnownServerState {
  version: number;
  stock: number;
}

export interface ServerEditWatcherDeps {
  /** Whether the server link is on. */
  enabled(): boolean;
  /** Opens the LISTEN connection (throws when it cannot). */
  listen(onChange: (change: VariantChange | null) => void): Promise<ListenSession>;
  /** A connection for the fallback poll; null when the link is off. */
  db(): Promise<PgQueryable | null>;
  known(): ReadonlyMap<string, KnownServerState>;
  /** True while the app is pulling from or pushing to the server catalog. */
  busy(): boolean;
  /** Why a targeted run may not start now (paused, stock sync off…), or null; the scheduled sync covers it then. */
  blockedReason(): string | null;
  requestTargeted(skus: string[]): Promise<JobOutcome>;
  now(): number;
  random?(): number;
  debounceMs?: number;
  maxWaitMs?: number;
  listeningPollMs?: number;
  fallbackPollMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  onChange?(): void;
}

export interface ServerEditStatus {
  /** 'listening': notifications arrive; 'polling': the fallback poll does the watching. */
  state: 'off' | 'listening' | 'polling' | 'stopped';
  lastNoticeAt: number | null;
  lastCheckAt: number | null;
  /** SKUs noticed and waiting for their run. */
  waiting: number;
  lastPushAt: number | null;
  lastPushSkus: string[];
  lastError: string | null;
  /** Changes announced since start, and those that were Art Sync's own writes (or already pulled). */
  notices: number;
  ownWrites: number;
}

export class ServerEditWatcher {
  private started = false;
  private session: ListenSession | null = null;
  private connection: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<string[]> | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private fingerprint: string | null = null;
  /** Announced on this connection: a poll finding a change not among them means notifications are lost. */
  private readonly announced = new Set<string>();
  private notificationsLost = false;
  /** The test notification sent last and not heard yet. */
  private probeToken: string | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private lastProbeAt: number | null = null;
  private readonly pending = new Map<string, VariantChange>();
  private readonly requested = new Set<string>();
  private firstPendingAt: number | null = null;
  private busySince: number | null = null;
  private lastNoticeAt: number | null = null;
  private lastCheckAt: number | null = null;
  private lastPushAt: number | null = null;
  private lastPushSkus: string[] = [];
  /** The listening connection's or the poll's last problem, and the last run's; status shows either. */
  private lastError: string | null = null;
  private runError: string | null = null;
  private notices = 0;
  private ownWrites = 0;

  constructor(private readonly deps: ServerEditWatcherDeps) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connection = this.connectionLoop();
    // The first poll sees edits made while Art Sync was closed.
    this.armPoll(0);
  }

  /** Closes the connection and the timers. A run already handed to the scheduler is ended by its stop(). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const timer of [this.pollTimer, this.flushTimer, this.probeTimer]) if (timer) clearTimeout(timer);
    this.pollTimer = null;
    this.flushTimer = null;
    this.probeTimer = null;
    this.wakeSleep?.();
    await this.session?.close();
    await this.connection;
    await this.polling?.catch(() => undefined);
    this.connection = null;
    this.emit();
  }

  status(): ServerEditStatus {
    return {
      state: !this.started ? 'stopped' : !this.deps.enabled() ? 'off' : this.session && !this.notificationsLost ? 'listening' : 'polling',
      lastNoticeAt: this.lastNoticeAt,
      lastCheckAt: this.lastCheckAt,
      waiting: this.pending.size,
      lastPushAt: this.lastPushAt,
      lastPushSkus: this.lastPushSkus,
      lastError: this.runError ?? this.lastError,
      notices: this.notices,
      ownWrites: this.ownWrites,
    };
  }

  /** One poll now (what the timer does); resolves to the SKUs it found changed by someone else. */
  pollNow(): Promise<string[]> {
    if (this.polling) return this.polling;
    this.polling = this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Sends what is waiting now instead of after the debounce; resolves with the run's outcome (null: nothing sent). */
  flushNow(): Promise<JobOutcome | null> {
    return this.flush(true);
  }

  private async connectionLoop(): Promise<void> {
    let attempt = 0;
    while (this.started) {
      if (!this.deps.enabled()) {
        await this.sleep(RECHECK_MS);
        continue;
      }
      try {
        const session = await this.deps.listen((change) => this.onNotice(change));
        if (!this.started) {
          await session.close();
          return;
        }
        this.session = session;
        this.announced.clear();
        this.notificationsLost = false;
        this.probeToken = null;
        this.lastProbeAt = null;
        this.lastError = null;
        attempt = 0;
        this.emit();
        // What changed while no connection listened.
        this.armPoll(0);
        await session.ended;
        await session.close(); // frees the socket of a connection that failed
        this.session = null;
        if (!this.started) return;
        this.lastError = 'The connection that listens for server edits was lost; reconnecting.';
      } catch (error) {
        this.lastError = `Cannot listen for server edits (${error instanceof Error ? error.message : String(error)}); checking every ${Math.round(this.fallbackMs() / 1000)} s instead.`;
      }
      this.emit();
      this.armPoll(0);
      const base = this.deps.reconnectBaseMs ?? RECONNECT_BASE_MS;
      await this.sleep(base + backoffDelay(attempt, base, this.deps.reconnectMaxMs ?? RECONNECT_MAX_MS, this.deps.random ?? Math.random));
      attempt += 1;
    }
  }

  private onNotice(change: VariantChange | null): void {
    if (!this.started) return;
    if (change?.probe !== undefined) {
      // Ours: notifications reach us. Another machine's probe on the same channel says nothing about ours.
      if (change.probe === this.probeToken) {
        this.probeToken = null;
        this.notificationsLost = false;
      }
      return;
    }
    this.notices += 1;
    this.lastNoticeAt = this.deps.now();
    if (change?.sku == null) {
      // A payload without its SKU (too long to send) or one we cannot read: find it by polling.
      this.fingerprint = null;
      this.armPoll(0);
      return;
    }
    this.announced.add(change.sku);
    this.pending.set(change.sku, change);
    this.scheduleFlush();
  }

  private armPoll(ms: number): void {
    if (!this.started) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.pollNow()
        .catch(() => undefined)
        .finally(() => this.armPoll(this.session && !this.notificationsLost ? (this.deps.listeningPollMs ?? LISTENING_POLL_MS) : this.fallbackMs()));
    }, ms);
    this.pollTimer.unref?.();
  }

  private fallbackMs(): number {
    return this.deps.fallbackPollMs ?? FALLBACK_POLL_MS;
  }

  private async poll(): Promise<string[]> {
    let db: PgQueryable | null;
    try {
      db = await this.deps.db();
      if (!db) {
        // The link was turned off: stop listening (the connection loop waits for it to come back on).
        await this.session?.close();
        return [];
      }
      if (this.session) await this.probe(db);
      const fingerprint = await variantFingerprint(db);
      this.lastCheckAt = this.deps.now();
      if (this.lastError?.startsWith('Checking the server') === true) this.lastError = null;
      if (fingerprint === this.fingerprint) return [];
      const rows = await readVariantStates(db);
      this.fingerprint = fingerprint;
      const known = this.deps.known();
      // Never pulled: the first scheduled sync reads the whole server catalog; nothing to target yet.
      if (known.size === 0) return [];
      const found: string[] = [];
      for (const row of rows) {
        if (isKnown(known, row) || this.requested.has(row.sku)) continue;
        if (this.session && !this.announced.has(row.sku)) this.notificationsLost = true;
        this.pending.set(row.sku, { id: null, ...row });
        found.push(row.sku);
      }
      if (found.length > 0) this.scheduleFlush();
      return found;
    } catch (error) {
      this.lastCheckAt = this.deps.now();
      this.lastError = `Checking the server for edits failed (${error instanceof Error ? error.message : String(error)}).`;
      return [];
    } finally {
      this.emit();
    }
  }

  /**
   * Sends a test notification (at most once a LISTENING_POLL_MS, also while polling fast, to notice
   * when notifications work again); not heard within PROBE_WAIT_MS, the poll takes over at the fallback
   * interval.
   */
  private async probe(db: PgQueryable): Promise<void> {
    if (this.probeToken !== null) return; // the last one is still awaited
    const now = this.deps.now();
    if (this.lastProbeAt !== null && now - this.lastProbeAt < (this.deps.listeningPollMs ?? LISTENING_POLL_MS)) return;
    this.lastProbeAt = now;
    const token = Math.random().toString(36).slice(2);
    this.probeToken = token;
    try {
      await sendProbe(db, token);
    } catch {
      // Not allowed here (a hot standby): no way to know, so poll as if notifications were lost.
      this.probeToken = null;
      this.notificationsLost = true;
      return;
    }
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (this.probeToken !== token) return;
      this.probeToken = null;
      if (!this.session || this.notificationsLost) return;
      this.notificationsLost = true;
      this.armPoll(this.fallbackMs());
      this.emit();
    }, PROBE_WAIT_MS);
    this.probeTimer.unref?.();
  }

  private scheduleFlush(): void {
    const now = this.deps.now();
    this.firstPendingAt ??= now;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const delay = Math.max(0, Math.min(this.deps.debounceMs ?? DEBOUNCE_MS, this.firstPendingAt + (this.deps.maxWaitMs ?? MAX_WAIT_MS) - now));
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush(false);
    }, delay);
    this.flushTimer.unref?.();
  }

  private async flush(force: boolean): Promise<JobOutcome | null> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.started || this.pending.size === 0) return null;
    const now = this.deps.now();
    if (!force && this.deps.busy()) {
      // Our own push may be what fired the trigger; its version is recorded when it ends.
      this.busySince ??= now;
      if (now - this.busySince < BUSY_WAIT_MAX_MS) {
        this.flushTimer = setTimeout(() => void this.flush(false), this.deps.debounceMs ?? DEBOUNCE_MS);
        this.flushTimer.unref?.();
        return null;
      }
    }
    this.busySince = null;
    const known = this.deps.known();
    const skus: string[] = [];
    for (const [sku, change] of this.pending) {
      if (isKnown(known, change)) this.ownWrites += 1;
      else skus.push(sku);
    }
    this.pending.clear();
    this.firstPendingAt = null;
    if (skus.length === 0) {
      this.emit();
      return null;
    }
    const blocked = this.deps.blockedReason();
    if (blocked !== null) {
      this.runError = `Server edit not pushed now (${blocked}); the next scheduled sync pushes it.`;
      this.emit();
      return null;
    }
    skus.sort();
    this.lastPushAt = now;
    this.lastPushSkus = skus;
    for (const sku of skus) this.requested.add(sku);
    this.emit();
    try {
      const outcome = await this.deps.requestTargeted(skus);
      this.runError = outcome.ok || outcome.held === true ? null : outcome.summary;
      return outcome;
    } catch (error) {
      this.runError = error instanceof Error ? error.message : String(error);
      return { ok: false, summary: this.runError };
    } finally {
      for (const sku of skus) this.requested.delete(sku);
      this.emit();
    }
  }

  /** Sleeps, or until stop(). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wakeSleep = done;
    });
  }

  private emit(): void {
    this.deps.onChange?.();
  }
}

/** Whether the cache already holds this server state (Art Sync wrote it, or pulled it since). */
export function isKnown(known: ReadonlyMap<string, KnownServerState>, change: { sku: string | null; version: number | null; stock: number | null }): boolean {
  const state = change.sku === null ? undefined : known.get(change.sku);
  if (!state) return false;
  if (change.version === null) return change.stock === state.stock;
  // A tool that changes stock without bumping version still counts as an edit (same version, other stock).
  return state.version > change.version || (state.version === change.version && state.stock === change.stock);
}
