/**
 * Two machines, one shop (issue 13 item 2; docs/DATA_SAFETY.md "Two machines on one server"): what a
 * real sync does around the engine when the server link is on.
 *
 * - claim: takes the shop's lease on the server (shop-lease.ts) and keeps renewing it while the run
 *   goes; a machine that cannot get it fails the run with one sentence naming the machine syncing.
 * - adoptBaselines: when another machine took the lease since this one last did, the merge baselines
 *   here are stale — the other machine already counted the Etsy changes since them into the server's
 *   catalog. Each link takes the baselines that machine left on the server instead, so Etsy's change
 *   is counted from where the other machine stopped: nothing counted twice, nothing skipped.
 * - release: leaves this machine's baselines on the server and frees the lease.
 *
 * The machine id is random, made once per data folder and kept in sync_state; the host name is only
 * for people to read.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { AppError } from '../../shared/errors';
import type { SyncRepos } from '../store/sync-repos';
import { isConnectionError } from './connection';
import {
  describeHolder,
  readShopBaselines,
  shopBusyError,
  leaveShopBaselines,
  renewShopLease,
  takeShopLease,
  type LeaseHolder,
  type TakenLease,
} from './shop-lease';

const MACHINE_ID_KEY = 'server.machineId';
/** Set once another machine has been seen syncing this shop: from then on a run needs the lease. */
const OTHER_MACHINE_KEY = 'server.otherMachineSeen';
export const TAKEOVER_ATTENTION_KIND = 'server_takeover';
const DEFAULT_TTL_MS = 120_000;
/** Postgres "undefined_table": a server not yet migrated to the lease tables. */
const UNDEFINED_TABLE = '42P01';

export interface ShopSyncGuardOptions {
  repos: SyncRepos;
  pool(): Promise<pg.Pool | null>;
  now(): number;
  /** How long a lease lasts without renewal (renewed every third of it). Default 2 minutes. */
  ttlMs?: number;
  host?: string;
  pid?: number;
}

export interface ShopClaim {
  /** Aborts when the lease is lost mid-run (not renewed in time, or taken over). */
  readonly signal: AbortSignal;
  /** The host of the machine that synced the shop since this one did; null when it was this one. */
  readonly takeoverFrom: string | null;
  /** On a takeover, merges from the other machine's baselines; returns how many links took them. */
  adoptBaselines(): Promise<number>;
  /**
   * Leaves this run's baselines on the server; called before the run's catalog changes are pushed, so
   * a holder dying in between leaves those changes pending here (pushed, merged, when it comes back)
   * rather than counted again by the machine taking over.
   */
  leaveBaselines(): Promise<void>;
  /** Leaves the baselines again and frees the lease. */
  release(): Promise<void>;
}

export class ShopSyncGuard {
  /** Who is syncing the shop as this machine last saw it (status); null when no one is. */
  private seen: string | null = null;

  constructor(private readonly options: ShopSyncGuardOptions) {}

  machineId(): string {
    const state = this.options.repos.syncState;
    let id = state.getState(MACHINE_ID_KEY);
    if (!id) {
      id = crypto.randomUUID();
      state.setState(MACHINE_ID_KEY, id, this.options.now());
    }
    return id;
  }

  /** "studio (pid 4242, inventory sync, since …)" while a machine is known to be syncing the shop. */
  syncingMachine(): string | null {
    return this.seen;
  }

  async claim(shopId: number, what: string): Promise<ShopClaim | null> {
    const pool = await this.options.pool();
    if (!pool) return null;
    const ttlMs = this.options.ttlMs ?? DEFAULT_TTL_MS;
    const me: LeaseHolder = { machineId: this.machineId(), host: this.options.host ?? os.hostname(), pid: this.options.pid ?? process.pid, what };
    let taken: TakenLease;
    try {
      taken = await takeShopLease(pool, shopId, me, ttlMs);
    } catch (error) {
      if (isConnectionError(error)) return this.unreachable(error);
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return this.notMigrated(error);
      throw error;
    }
    if (!taken.taken) {
      this.otherMachineSeen(taken.heldBy.host);
      this.seen = describeHolder(taken.heldBy);
      throw shopBusyError(taken.heldBy);
    }
    const takeoverFrom = taken.takeoverFrom?.host ?? null;
    if (takeoverFrom !== null) this.otherMachineSeen(takeoverFrom);
    this.seen = `${describeHolder({ host: me.host, pid: me.pid, what, since: new Date(this.options.now()) })}, this machine`;
    return new HeldClaim(this, pool, shopId, me.machineId, ttlMs, takeoverFrom, () => {
      this.seen = null;
    });
  }

  /**
   * The server is away. A shop only this machine has ever synced keeps syncing on the catalog cache
   * (docs/SYNC.md, "Server away"); once another machine has been seen on it, the run waits for the
   * server, since that machine may be counting the same sales right now.
   */
  private unreachable(error: unknown): null {
    const other = this.options.repos.syncState.getState(OTHER_MACHINE_KEY);
    if (!other) return null;
    throw new AppError(
      'SERVER_UNREACHABLE',
      'The server cannot be reached, and another machine also syncs this Etsy shop through it; this sync did not run, so no sale is counted twice — it runs again once the server is back.',
      { action: 'Check that the server is running', cause: error },
    );
  }

  /**
   * The server has not been upgraded for the lease yet (`art-sync server migrate` is the owner's step):
   * the same rule as a server away, with the step named.
   */
  private notMigrated(error: unknown): null {
    if (!this.options.repos.syncState.getState(OTHER_MACHINE_KEY)) return null;
    throw new AppError(
      'SERVER_SCHEMA',
      'The server\'s Art Sync tables are older than this version, so it cannot tell whether another machine is syncing this Etsy shop; this sync did not run — run "art-sync server migrate", then sync again.',
      { action: 'Upgrade the server', cause: error },
    );
  }

  private otherMachineSeen(host: string): void {
    this.options.repos.syncState.setState(OTHER_MACHINE_KEY, host.slice(0, 200), this.options.now());
  }

  /** @internal HeldClaim's access to the local store. */
  get repos(): SyncRepos {
    return this.options.repos;
  }

  /** @internal */
  get now(): () => number {
    return this.options.now;
  }
}

class HeldClaim implements ShopClaim {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private renewedAt = Date.now();
  private released = false;
  /** After a takeover, this machine's baselines are stale until adopted: never leave those on the server. */
  private current: boolean;

  constructor(
    private readonly guard: ShopSyncGuard,
    private readonly pool: pg.Pool,
    private readonly shopId: number,
    private readonly machineId: string,
    private readonly ttlMs: number,
    readonly takeoverFrom: string | null,
    private readonly onRelease: () => void,
  ) {
    this.current = takeoverFrom === null;
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async adoptBaselines(): Promise<number> {
    const { repos, now } = this.guard;
    if (this.takeoverFrom === null) {
      repos.attention.resolveAttention({ kind: TAKEOVER_ATTENTION_KIND }, now());
      return 0;
    }
    const baselines = await readShopBaselines(this.pool, this.shopId);
    const byKey = new Map(baselines.map((b) => [`${b.listingId}:${b.productKey}`, b]));
    let adopted = 0;
    repos.transaction(() => {
      for (const link of repos.links.listLinks()) {
        const theirs = byKey.get(`${link.listingId}:${link.productKey}`);
        // A link the other machine never had: nobody counted its changes, so ours still hold.
        if (!theirs || theirs.sku !== link.sku) continue;
        repos.links.setBaselines(
          { listingId: link.listingId, productKey: link.productKey, variantId: link.variantId, baselineEtsy: theirs.baselineEtsy, baselineCatalog: theirs.baselineCatalog },
          now(),
        );
        adopted += 1;
      }
      repos.attention.addAttention(
        {
          kind: TAKEOVER_ATTENTION_KIND,
          message: `Another machine (${this.takeoverFrom}) synced this shop since this one last did; Art Sync merged from the stock baselines it left on the server, so no sale or edit was counted twice.`,
          action: null,
        },
        now(),
      );
    });
    this.current = true;
    return adopted;
  }

  async leaveBaselines(): Promise<void> {
    if (this.released) return;
    await this.leave(false);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    this.onRelease();
    await this.leave(true);
  }

  private async leave(free: boolean): Promise<void> {
    const baselines = !this.current ? [] : this.guard.repos.links
      .listLinks()
      .filter((l) => l.baselineEtsy !== null && l.baselineCatalog !== null)
      .map((l) => ({ listingId: l.listingId, productKey: l.productKey, sku: l.sku, baselineEtsy: l.baselineEtsy!, baselineCatalog: l.baselineCatalog! }));
    try {
      await leaveShopBaselines(this.pool, this.shopId, this.machineId, baselines, free);
    } catch {
      // The server went away at the end: the lease expires by itself, and the next machine merges from
      // the baselines left before (docs/DATA_SAFETY.md, "Limits").
    }
  }

  private async renew(): Promise<void> {
    if (this.released || this.controller.signal.aborted) return;
    try {
      if (await renewShopLease(this.pool, this.shopId, this.machineId, this.ttlMs)) {
        this.renewedAt = Date.now();
        return;
      }
      this.lost('another machine took the shop over after this one stopped renewing its claim');
    } catch (error) {
      if (!isConnectionError(error)) return;
      if (Date.now() - this.renewedAt > this.ttlMs) this.lost('the server could not be reached to renew this machine\'s claim on the shop');
    }
  }

  private lost(why: string): void {
    clearInterval(this.timer);
    this.controller.abort(new AppError('SYNC_IN_PROGRESS', `This sync stopped because ${why}; what it had done is kept, and the next sync carries on.`));
  }
}
