/**
 * The tray: a pure `renderTray(status)` that says what the icon, tooltip and menu are (docs/PRODUCT.md §8,
 * docs/STYLE.md practice 10), and a TrayService that applies a render to a real tray idempotently.
 *
 * One icon state at a time, by the priority of statusHeadline (src/shared/status.ts), whose words are
 * also the window header's and `art-sync status`'s. The service receives Electron through hooks
 * (`createTray`, `buildMenu`), like Signal's SystemTrayService takes `createTrayInstance`, so its
 * tests pass a fake tray and nothing here imports Electron at runtime.
 */
import { statusHeadline, type AppStatus, type HeadlineIcon } from '../../shared/status';

export type TrayIconState = HeadlineIcon;
export type TrayActionId = 'sync-now' | 'pause' | 'resume' | 'record-sale' | 'open' | 'quit';

/** Tray actions that open the window on a page (the renderer's page id): a sale is recorded on the Catalog page. */
export const TRAY_ACTION_PAGES: Partial<Record<TrayActionId, string>> = { 'record-sale': 'catalog' };

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

/** What the tray shows; `status` null while the core is starting. The words are statusHeadline's. */
export function renderTray(status: AppStatus | null, options: RenderTrayOptions): TrayRender {
  const headline = statusHeadline(status, options.now, options.formatClock ? { formatClock: options.formatClock } : {});
  const words = headline.text;
  const running = status?.running !== null && status?.running !== undefined;
  const canSync = status !== null && status.connected && status.credentialsAvailable && !running;
  const paused = status?.paused ?? false;
  return {
    icon: headline.icon,
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
      // A sale at a craft fair needs no Etsy connection: it is a catalog change the next sync carries.
      { kind: 'action', id: 'record-sale', label: 'Record a sale…', enabled: status !== null },
      { kind: 'action', id: 'open', label: 'Open Art Sync', enabled: true },
      { kind: 'action', id: 'quit', label: 'Quit Art Sync', enabled: true },
    ],
  };
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
