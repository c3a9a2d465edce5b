/**
 * One writer per data folder, across processes (docs/PRODUCT.md §10). The window, `art-sync daemon` and a
 * cron `art-sync sync` may all run on one folder; two syncs at once would each count the same Etsy sale,
 * and two token refreshes at once present one rotated refresh token twice, which makes Etsy revoke the
 * whole grant (etsy/open-api#353). So a sync run holds the "sync" lease and a refresh holds the
 * "etsy-token" lease (lease-repo.ts). A second process waits a bounded time, then says in one sentence
 * which process holds the folder.
 *
 * A lease is stale — and taken over — when its holder is on this host and its pid is gone (a crash or
 * kill -9), or when its heartbeat is older than `staleAfterMs` (a holder on another host, or a pid
 * reused after a crash).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { AppError } from '../../shared/errors';
import { LeaseRepo, type LeaseRow } from './lease-repo';
import { asStorageError } from './storage-errors';

export type LeaseName = 'sync' | 'etsy-token';

export interface FolderLockOptions {
  dataDir: string;
  nativeBinding?: string;
  now?: () => number;
  /** Who this process is, in words ("art-sync sync", "the Art Sync app"). Default: from process.argv. */
  processLabel?: string;
  /** A heartbeat older than this marks the holder dead. Default 2 minutes. */
  staleAfterMs?: number;
  /** How often a holder refreshes its heartbeat. Default 10 s. */
  heartbeatMs?: number;
  /** How often a waiter looks again. Default 200 ms. */
  pollMs?: number;
  /** Injected in tests. */
  pid?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
}

export interface LeaseHolder {
  pid: number;
  host: string;
  purpose: string;
  since: number;
}

export interface HeldLease {
  /** False once another process judged this lease stale and took it (a heartbeat was missed). */
  stillHeld(): boolean;
  release(): void;
}

export class FolderLock {
  private readonly options: FolderLockOptions;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly host: string;
  private repo: LeaseRepo | null = null;
  /** In-process queue per lease, so two callers in this process wait for each other, not for the poll. */
  private readonly queues = new Map<LeaseName, Promise<unknown>>();

  constructor(options: FolderLockOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? os.hostname();
  }

  /**
   * Runs `work` while holding `name`, waiting at most `waitMs` for another process to finish first.
   * Throws SYNC_IN_PROGRESS naming the holder when the wait runs out.
   */
  async withLease<T>(name: LeaseName, what: string, options: { waitMs: number; signal?: AbortSignal }, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(async () => {
      const lease = await this.acquire(name, what, options);
      try {
        return await work();
      } finally {
        lease.release();
      }
    });
    this.queues.set(name, mine);
    try {
      return await mine;
    } finally {
      if (this.queues.get(name) === mine) this.queues.delete(name);
    }
  }

  /** Takes `name` (waiting up to `waitMs`); the caller must release() it. */
  async acquire(name: LeaseName, what: string, options: { waitMs: number; signal?: AbortSignal }): Promise<HeldLease> {
    const token = randomUUID();
    const deadline = this.now() + options.waitMs;
    for (;;) {
      if (options.signal?.aborted) throw new AppError('CANCELLED', 'The sync was cancelled.');
      const result = this.take(name, token, what);
      if ('release' in result) return result;
      if (this.now() >= deadline) throw busyError(name, result.holder);
      await sleep(Math.min(this.options.pollMs ?? 200, Math.max(1, deadline - this.now())), options.signal);
    }
  }

  /** Takes `name` now or throws SYNC_IN_PROGRESS naming the holder (for synchronous callers). */
  acquireNow(name: LeaseName, what: string): HeldLease {
    const result = this.take(name, randomUUID(), what);
    if ('release' in result) return result;
    throw busyError(name, result.holder);
  }

  /**
   * Registers this process as one using the folder (released at stop, stale when it dies), so that
   * `art-sync restore` can refuse to swap the database under a running app or daemon.
   */
  registerOpen(what: string): HeldLease {
    const token = randomUUID();
    const result = this.take(`open:${token}`, token, what);
    if ('release' in result) return result;
    throw new Error('unreachable: an open registration has a name of its own');
  }

  /** Other live processes registered with registerOpen (not this one). */
  otherOpeners(): LeaseHolder[] {
    return this.openRepo()
      .listByPrefix('open:')
      .filter((row) => !this.isStale(row) && !(row.pid === this.pid && row.host === this.host))
      .map((row) => ({ pid: row.pid, host: row.host, purpose: row.purpose, since: row.since }));
  }

  private take(name: string, token: string, what: string): HeldLease | { holder: LeaseRow } {
    const repo = this.openRepo();
    const at = this.now();
    const candidate: LeaseRow = { name, token, pid: this.pid, host: this.host, purpose: `${this.label()}, ${what}`, since: at, heartbeatAt: at };
    let result;
    try {
      result = repo.tryTake(candidate, (holder) => this.isStale(holder));
    } catch (error) {
      throw asStorageError(error, this.options.dataDir);
    }
    return result.taken ? this.hold(repo, name, token) : { holder: result.holder };
  }

  /** The live holder of `name`, or null when it is free or its holder is gone. For status. */
  holder(name: LeaseName): LeaseHolder | null {
    const row = this.openRepo().current(name);
    if (!row || this.isStale(row)) return null;
    return { pid: row.pid, host: row.host, purpose: row.purpose, since: row.since };
  }

  close(): void {
    this.repo?.close();
    this.repo = null;
  }

  private openRepo(): LeaseRepo {
    if (this.repo) return this.repo;
    try {
      this.repo = LeaseRepo.open(this.options.dataDir, this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {});
    } catch (error) {
      throw asStorageError(error, this.options.dataDir);
    }
    return this.repo;
  }

  private hold(repo: LeaseRepo, name: string, token: string): HeldLease {
    let held = true;
    let released = false;
    const timer = setInterval(() => {
      try {
        held = repo.heartbeat(name, token, this.now());
      } catch {
        // A busy or briefly unwritable lock file: the next beat tries again; staleness needs minutes.
      }
    }, this.options.heartbeatMs ?? 10_000);
    timer.unref();
    return {
      stillHeld: () => held && !released,
      release: () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        try {
          repo.release(name, token);
        } catch {
          // Unreleased, it goes stale when this process exits; nothing else to do here.
        }
      },
    };
  }

  private isStale(holder: LeaseRow): boolean {
    if (this.now() - holder.heartbeatAt > (this.options.staleAfterMs ?? 120_000)) return true;
    return holder.host === this.host && !(this.options.isAlive ?? pidAlive)(holder.pid);
  }

  private label(): string {
    return this.options.processLabel ?? describeThisProcess();
  }
}

/** "the Art Sync app" in Electron, else "art-sync <command>" from argv. */
export function describeThisProcess(argv: readonly string[] = process.argv, versions: NodeJS.ProcessVersions = process.versions): string {
  if ((versions as NodeJS.ProcessVersions & { electron?: string }).electron) return 'the Art Sync app';
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--data-dir') i += 1; // the one global option that takes a value (cli.ts)
    else if (!arg.startsWith('-')) return `art-sync ${arg}`;
  }
  return 'an Art Sync process';
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user — alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busyError(name: LeaseName, holder: LeaseRow): AppError {
  const since = new Date(holder.since).toISOString().replace('T', ' ').slice(0, 19);
  const doing = name === 'sync' ? 'syncing' : 'renewing the Etsy sign-in for';
  return new AppError(
    'SYNC_IN_PROGRESS',
    `Another Art Sync process (pid ${holder.pid} on ${holder.host}, ${holder.purpose}) has been ${doing} this data folder since ${since} UTC; try again when it has finished.`,
    { action: 'Try again later' },
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
