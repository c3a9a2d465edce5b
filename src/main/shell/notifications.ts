/**
 * Notifications that summarise instead of flood (docs/PRODUCT.md §8): at most one per kind per event
 * ("3 items could not be updated", not three notifications), each kind switched off in Settings.
 * `notificationsFor` is pure; NotificationService shows them through an injected Electron Notification.
 */
import type { AppStatus, RunItem } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';

export type NotificationKind = 'syncErrors' | 'attention' | 'syncSummary' | 'lowStock';

export interface NotificationContent {
  kind: NotificationKind;
  title: string;
  body: string;
}

export interface NotificationInput {
  before: AppStatus | null;
  after: AppStatus;
  /** Runs that just ended (sync:finished), with how many item changes failed in them. */
  finished?: { runs: readonly RunItem[]; failedItems: number };
  settings: Pick<Settings, 'notifySyncErrors' | 'notifyAttention' | 'notifySyncSummary'> & Partial<Pick<Settings, 'notifyLowStock'>>;
}

/** A restore older than this (the app was closed since) is shown on the Status page, not notified. */
const RESTORE_NEWS_MS = 10 * 60_000;

export function notificationsFor(input: NotificationInput): NotificationContent[] {
  const { before, after, finished, settings } = input;
  const out: NotificationContent[] = [];

  if (settings.notifySyncErrors) {
    const failedRuns = finished?.runs.filter((run) => run.status === 'failed') ?? [];
    if (after.needsReconnect && !before?.needsReconnect) {
      out.push({ kind: 'syncErrors', title: 'Art Sync stopped syncing', body: 'Etsy asked Art Sync to connect again. Open Art Sync and reconnect Etsy.' });
    } else if (failedRuns.length > 0) {
      const message = failedRuns[0]?.errorMessage ?? 'The sync did not finish.';
      out.push({ kind: 'syncErrors', title: 'Sync failed', body: message });
    } else if (finished && finished.failedItems > 0) {
      const n = finished.failedItems;
      out.push({ kind: 'syncErrors', title: 'Some items were not updated', body: `${n} ${n === 1 ? 'item' : 'items'} could not be updated. Art Sync will try again.` });
    }
  }

  // A damaged database was replaced by a backup (docs/DATA_SAFETY.md): said once, when it is new.
  const restore = after.backups?.lastRestore;
  if (restore && restore.at !== before?.backups?.lastRestore?.at && after.at - restore.at < RESTORE_NEWS_MS) {
    out.push({ kind: 'syncErrors', title: 'Art Sync restored a backup', body: restore.message });
  }

  if (settings.notifyAttention && before !== null && after.attention > before.attention) {
    const n = after.attention;
    out.push({ kind: 'attention', title: 'Needs attention', body: `${n} ${n === 1 ? 'item needs' : 'items need'} your attention in Art Sync.` });
  }

  // More items low than before: one went below its level (a sale, a sync). One notification, not one per item.
  if (settings.notifyLowStock !== false && before !== null && after.lowStock > before.lowStock) {
    const n = after.lowStock;
    out.push({ kind: 'lowStock', title: 'Low stock', body: `${n} ${n === 1 ? 'item is' : 'items are'} low on stock. Open the Catalog to see which.` });
  }

  if (settings.notifySyncSummary && finished) {
    const ok = finished.runs.filter((run) => run.status === 'ok' || run.status === 'partial');
    const changes = ok.reduce((sum, run) => sum + (run.kind === 'inventory' ? run.changesCount : 0), 0);
    if (ok.length > 0 && changes > 0) {
      out.push({ kind: 'syncSummary', title: 'Synced with Etsy', body: `${changes} ${changes === 1 ? 'change' : 'changes'} synced.` });
    }
  }
  return out;
}

/** The slice of Electron's Notification the service uses. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface NotificationServiceOptions {
  isSupported(): boolean;
  create(content: { title: string; body: string }): NotificationLike;
  /** Clicking a notification opens the window. */
  onClick(kind: NotificationKind): void;
}

export class NotificationService {
  // Keeps shown notifications referenced: Electron drops click handlers of garbage-collected ones.
  private readonly shown = new Set<NotificationLike>();

  constructor(private readonly options: NotificationServiceOptions) {}

  show(contents: readonly NotificationContent[]): void {
    if (contents.length === 0 || !this.options.isSupported()) return;
    for (const content of contents) {
      const notification = this.options.create({ title: content.title, body: content.body });
      notification.on('click', () => {
        this.shown.delete(notification);
        this.options.onClick(content.kind);
      });
      this.shown.add(notification);
      if (this.shown.size > 20) this.shown.delete(this.shown.values().next().value as NotificationLike);
      notification.show();
    }
  }
}
