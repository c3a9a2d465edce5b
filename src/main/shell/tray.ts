/**
 * The tray: a pure `renderTray(status)` that says what the icon, tooltip and menu are (PRODUCT.md §8,
 * STYLE.md practice 10), and a TrayService that applies a render to a real tray idempotently.
 *
 * One icon state at a time, by priority: error / reconnect > needs attention > syncing > paused > all
 * synced (the Syncthing Tray / Nextcloud way). The service receives Electron through hooks
 * (`createTray`, `buildMenu`), like Signal's SystemTrayService takes `createTrayInstance`, so its
 * tests pass a fake tray and nothing here imports Electron at runtime.
 */
import type { AppStatus } from '../../shared/ipc';

export type TrayIconState = 'error' | 'attention' | 'syncing' | 'paused' | 'ok';
export type TrayActionId = 'sync-now' | 'pause' | 'resume' | 'open' | 'quit';

export type TrayMenuItem =
  | { kind: 'header'; id: 'header'; label: string; enabled: false }
  | { kind: 'separator'; id: string; label: ''; enabled: false }
  | { kind: 'action'; id: TrayActionId; label: string; enabled: boolean };

export interface TrayRender {
  icon: TrayIconState;
  /** The state in words ("Synced 4 min ago"); also the menu header. */
  status: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface RenderTrayOptions {
  now: number;
  /** Local wall-clock time for "until 14:05"; injectable so tests do not depend on the time zone. */
  formatClock?(ms: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What the tray shows; `status` null while the core is starting. */
export function renderTray(status: AppStatus | null, options: RenderTrayOptions): TrayRender {
  const clock = options.formatClock ?? defaultClock;
  const { icon, words } = stateOf(status, options.now, clock);
  const running = status?.running !== null && status?.running !== undefined;
  const canSync = status !== null && status.connected && status.credentialsAvailable && !running;
  const paused = status?.paused ?? false;
  return {
    icon,
    status: words,
    tooltip: `Art Sync — ${words}`,
    menu: [
      { kind: 'header', id: 'header', label: words, enabled: false },
      { kind: 'separator', id: 'separator-1', label: '', enabled: false },
      { kind: 'action', id: 'sync-now', label: 'Sync now', enabled: canSync },
      paused
        ? { kind: 'action', id: 'resume', label: 'Resume syncing', enabled: status !== null }
        : { kind: 'action', id: 'pause', label: 'Pause syncing', enabled: status !== null },
      { kind: 'separator', id: 'separator-2', label: '', enabled: false },
      { kind: 'action', id: 'open', label: 'Open Art Sync', enabled: true },
      { kind: 'action', id: 'quit', label: 'Quit Art Sync', enabled: true },
    ],
  };
}

function stateOf(status: AppStatus | null, now: number, clock: (ms: number) => string): { icon: TrayIconState; words: string } {
  if (status === null) return { icon: 'syncing', words: 'Starting…' };
  // 1. Errors and reconnects: nothing syncs until the owner acts.
  if (status.needsReconnect) return { icon: 'error', words: 'Etsy needs you to connect again' };
  if (!status.connected) return { icon: 'error', words: 'Not connected to Etsy' };
  if (!status.credentialsAvailable) return { icon: 'error', words: 'Connect Etsy again to keep syncing' };
  if (status.lastError !== null && status.running === null) return { icon: 'error', words: `Sync failed: ${oneLine(status.lastError)}` };
  // 2. Needs attention.
  if (status.attention > 0) {
    return { icon: 'attention', words: status.attention === 1 ? '1 item needs attention' : `${status.attention} items need attention` };
  }
  // 3. Syncing.
  if (status.running !== null) return { icon: 'syncing', words: syncingWords(status) };
  // 4. Paused (by the owner, or by Etsy's daily limit).
  if (status.paused) return { icon: 'paused', words: 'Paused' };
  if (status.waitingForBudgetUntil !== null && status.waitingForBudgetUntil > now) {
    return { icon: 'paused', words: `Waiting for Etsy limit until ${clock(status.waitingForBudgetUntil)}` };
  }
  // 5. All synced.
  return { icon: 'ok', words: status.lastSyncedAt === null ? 'Not synced yet' : `Synced ${ago(now - status.lastSyncedAt)}` };
}

function syncingWords(status: AppStatus): string {
  const progress = status.progress;
  if (progress && progress.total !== null && progress.total > 0) {
    return `Syncing ${Math.min(progress.done, progress.total)} of ${progress.total}`;
  }
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

function defaultClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Menus and tooltips are one line, and some platforms cut them short. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

// ------------------------------------------------------------------ icons

export interface TrayIconTheme {
  platform: string;
  /** The panel / taskbar is dark (Electron: nativeTheme.shouldUseDarkColors). */
  dark: boolean;
}

/**
 * The icon file (under resources/tray/) for a state. macOS gets template images (black + alpha, the
 * menu bar tints them for light/dark); Windows and Linux get coloured icons with a light or dark rim.
 */
export function trayIconFile(state: TrayIconState, theme: TrayIconTheme): string {
  if (theme.platform === 'darwin') return `tray-${state}Template.png`;
  return `tray-${state}-${theme.dark ? 'dark' : 'light'}.png`;
}

// ------------------------------------------------------------------ applying a render

/** The slice of Electron's Tray the service uses. */
export interface TrayLike {
  setImage(iconPath: string): void;
  setToolTip(tooltip: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayServiceOptions {
  createTray(iconPath: string): TrayLike;
  /** Electron: Menu.buildFromTemplate over the items, each action calling onAction(id). */
  buildMenu(items: readonly TrayMenuItem[], onAction: (id: TrayActionId) => void): unknown;
  iconPath(state: TrayIconState): string;
  onAction(id: TrayActionId): void;
  /** Left click (Windows/Linux): open the window. */
  onClick?(): void;
}

export class TrayService {
  private readonly options: TrayServiceOptions;
  private tray: TrayLike | null = null;
  private applied: { icon: string; tooltip: string; menu: string } | null = null;

  constructor(options: TrayServiceOptions) {
    this.options = options;
  }

  /** Applies what changed since the last render; the same render twice touches nothing. */
  update(render: TrayRender): void {
    const icon = this.options.iconPath(render.icon);
    const menuKey = JSON.stringify(render.menu);
    if (!this.tray) {
      this.tray = this.options.createTray(icon);
      const onClick = this.options.onClick;
      if (onClick) this.tray.on('click', () => onClick());
      this.applied = { icon, tooltip: '', menu: '' };
    }
    const tray = this.tray;
    const applied = this.applied ?? { icon: '', tooltip: '', menu: '' };
    if (applied.icon !== icon) tray.setImage(icon);
    if (applied.tooltip !== render.tooltip) tray.setToolTip(render.tooltip);
    if (applied.menu !== menuKey) tray.setContextMenu(this.options.buildMenu(render.menu, (id) => this.options.onAction(id)));
    this.applied = { icon, tooltip: render.tooltip, menu: menuKey };
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
    this.applied = null;
  }
}
