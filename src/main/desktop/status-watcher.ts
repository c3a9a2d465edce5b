/**
 * Pushes status to the window and the tray: `status:changed` whenever the status differs from the
 * last one sent, `sync:progress` while a sync runs, and `sync:finished` with the runs that ended.
 *
 * The core has no change events yet, so this polls: often while a sync runs (progress), rarely when
 * idle, and at once when poke() is called (after IPC calls that change something). Polling keeps the
 * core free of listeners and every timer owned here, ended by stop().
 */
import type { AppEvents, AppEventName } from '../../shared/events';
import type { AppStatus, RunItem } from '../../shared/ipc';

export interface StatusWatcherOptions {
  readStatus(): Promise<AppStatus>;
  /** Newest runs first (runs:list). */
  recentRuns(limit: number): RunItem[];
  emit<E extends AppEventName>(event: E, payload: AppEvents[E]): void;
  /** While a sync runs (default 1 s). */
  busyIntervalMs?: number;
  /** When idle: catches scheduled runs starting and "4 min ago" ageing (default 15 s). */
  idleIntervalMs?: number;
  onError?(error: unknown): void;
}

export class StatusWatcher {
  private readonly options: StatusWatcherOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last: AppStatus | null = null;
  private lastKey = '';
  private lastProgressKey = '';
  /** When a status last showed no sync running: runs started after it belong to the next sync:finished. */
  private idleSince = 0;
  private polling: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(options: StatusWatcherOptions) {
    this.options = options;
  }

  get current(): AppStatus | null {
    return this.last;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.poke();
  }

  /** Reads the status now (coalesced with a read in flight). */
  poke(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      try {
        do {
          this.again = false;
          await this.poll();
        } while (this.again);
      } finally {
        this.polling = null;
        this.schedule();
      }
    })();
    return this.polling;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One read and the events it implies. Public for tests (no timers needed). */
  async poll(): Promise<void> {
    let status: AppStatus;
    try {
      status = await this.options.readStatus();
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    const previous = this.last;
    // `at` changes on every read; it is not a change of status.
    const key = JSON.stringify({ ...status, at: 0 });
    this.last = status;
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.options.emit('status:changed', status);
    }
    if (status.progress) {
      const progressKey = JSON.stringify(status.progress);
      if (progressKey !== this.lastProgressKey) {
        this.lastProgressKey = progressKey;
        this.options.emit('sync:progress', status.progress);
      }
    } else {
      this.lastProgressKey = '';
    }
    if (previous && previous.running !== null && status.running === null) {
      const since = this.idleSince;
      const runs = this.options.recentRuns(10).filter((run) => !run.dryRun && run.finishedAt !== null && run.startedAt >= since);
      this.options.emit('sync:finished', { runs });
    }
    if (status.running === null) this.idleSince = status.at;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const busy = this.last?.running !== null && this.last?.running !== undefined;
    const delay = busy ? (this.options.busyIntervalMs ?? 1000) : (this.options.idleIntervalMs ?? 15_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poke();
    }, delay);
    this.timer.unref?.();
  }
}
