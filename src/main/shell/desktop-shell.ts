/**
 * Puts the Electron pieces around a started core: IPC (gate + handlers), the status watcher feeding
 * the window, the tray and notifications, the window (hidden on close, the tray keeps running),
 * sleep/wake and the login item. stop() takes them down in reverse; the core is stopped by index.ts.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from 'electron';
import type { BrowserWindow } from 'electron';
import type { AppEventName, AppEvents } from '../../shared/events';
import type { AppStatus } from '../../shared/status';
import type { CoreApi } from '../core-api';
import { createIpcGate } from '../desktop/ipc-gate';
import { createIpcHandlers } from '../desktop/ipc-handlers';
import { StatusWatcher } from '../desktop/status-watcher';
import { createFileDialogs } from './dialogs';
import { createBroadcaster, registerIpc } from './ipc';
import { applyLoginItem } from './login-item';
import { NotificationService, notificationsFor } from './notifications';
import { watchPower } from './power';
import { renderTray, TRAY_ACTION_PAGES, trayIconFile, TrayService, type TrayActionId } from './tray';
import { DOCS_URL, isTrustedExternalUrl, openInBrowser } from '../desktop/trusted-url';
import { createAppWindow, hardenSession, loadAppPage } from './windows';

export interface DesktopShellOptions {
  core: CoreApi;
  version: string;
  /** Start with the tray only (launched at login). */
  hidden: boolean;
  /** Vite dev server during development; unset in a packaged app. */
  devServerUrl?: string;
}

export interface DesktopShell {
  /** Shows the window (created if needed), on `page` when given (a renderer page id such as "catalog"). */
  showWindow(page?: string): void;
  /** Called by index.ts when the app is really quitting, so closing the window no longer hides it. */
  markQuitting(): void;
  stop(): Promise<void>;
}

export function startDesktopShell(options: DesktopShellOptions): DesktopShell {
  const { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, Notification, powerMonitor, session, shell, Tray } = electron;
  const { core } = options;
  const appPath = app.getAppPath();
  const pageFile = path.join(appPath, 'dist/renderer/index.html');
  const pageFileUrl = pathToFileURL(pageFile).href;
  let window: BrowserWindow | null = null;
  let quitting = false;

  hardenSession(session.defaultSession);

  const authOrigin = core.etsyAuthOrigin();
  const { handlers, dispose } = createIpcHandlers(core, {
    version: options.version,
    platform: process.platform,
    docsUrl: DOCS_URL,
    openTrustedUrl: (url) => openInBrowser(shell, url, (candidate) => isTrustedExternalUrl(candidate, DOCS_URL)),
    // Only Etsy's own sign-in page (or the simulator's, when configured) is opened for OAuth.
    openBrowser: (url) => openInBrowser(shell, url, (candidate) => new URL(candidate).origin === authOrigin),
    onChange: () => void watcher.poke(),
    onSettingsChanged: (settings) => applyLoginItem(app, process.platform, settings.startAtLogin),
    // Catalog CSV (issue 15 item 3): dialogs modal to the app's window; main reads and writes the file.
    files: createFileDialogs({ dialog, parentWindow: () => (window && !window.isDestroyed() ? window : null) }),
  });
  const gate = createIpcGate({
    handlers,
    pageFileUrl,
    ...(options.devServerUrl ? { devServerOrigin: options.devServerUrl } : {}),
    onUnexpectedError: (channel, error) => console.error(`IPC ${channel} failed:`, error instanceof Error ? error.message : 'unknown error'),
  });
  const unregisterIpc = registerIpc(ipcMain, gate);
  const broadcast = createBroadcaster(
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    (url) => gate.isTrustedSender(url),
  );

  const tray = new TrayService({
    createTray: (icon) => new Tray(icon),
    buildMenu: (items, onAction) =>
      Menu.buildFromTemplate(
        items.map((item) =>
          item.kind === 'separator'
            ? { type: 'separator' as const }
            : item.kind === 'header'
              ? { label: item.label, enabled: false }
              : { label: item.label, enabled: item.enabled, click: () => onAction(item.id) },
        ),
      ),
    iconPath: (state) =>
      path.join(appPath, 'resources/tray', trayIconFile(state, { platform: process.platform, dark: nativeTheme.shouldUseDarkColors })),
    onAction: (id) => onTrayAction(id),
    onClick: () => showWindow(),
  });
  const notifications = new NotificationService({
    isSupported: () => Notification.isSupported(),
    create: (content) => new Notification(content),
    onClick: (kind) => showWindow(kind === 'lowStock' ? 'catalog' : undefined),
  });

  let lastStatus: AppStatus | null = null;
  const renderNow = () => tray.update(renderTray(lastStatus, { now: Date.now() }));

  const emit = <E extends AppEventName>(event: E, payload: AppEvents[E]) => {
    broadcast(event, payload);
    if (event === 'status:changed') {
      const before = lastStatus;
      lastStatus = payload as AppStatus;
      renderNow();
      notifications.show(notificationsFor({ before, after: lastStatus, settings: core.getSettings() }));
    } else if (event === 'sync:progress') {
      renderNow();
    } else if (event === 'sync:finished' && lastStatus) {
      const { runs } = payload as AppEvents['sync:finished'];
      const failedItems = runs.reduce(
        (sum, run) => sum + core.history({ runId: run.id, limit: 5000 }).items.filter((item) => item.status === 'failed').length,
        0,
      );
      notifications.show(notificationsFor({ before: lastStatus, after: lastStatus, finished: { runs, failedItems }, settings: core.getSettings() }));
    }
  };

  const watcher = new StatusWatcher({
    readStatus: () => core.status(),
    recentRuns: (limit) => core.runs(limit),
    emit,
    onError: (error) => console.error('Status update failed:', error instanceof Error ? error.message : 'unknown error'),
  });

  function onTrayAction(id: TrayActionId): void {
    const page = TRAY_ACTION_PAGES[id];
    if (page !== undefined) showWindow(page);
    else if (id === 'open') showWindow();
    else if (id === 'quit') app.quit();
    else if (id === 'sync-now') void handlers['sync:now'](undefined).catch(() => undefined);
    else if (id === 'pause' || id === 'resume') void handlers['sync:setPaused']({ paused: id === 'pause' });
  }

  function showWindow(page?: string): void {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      if (page !== undefined) broadcast('window:navigate', { page });
      return;
    }
    const created = createAppWindow(BrowserWindow, {
      preloadPath: path.join(appPath, 'dist/preload/index.cjs'),
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
    });
    window = created;
    created.once('ready-to-show', () => created.show());
    // Closing the window hides it: the tray and background sync keep running until Quit.
    created.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      if (window === created) window = null;
    });
    void loadAppPage(created, { pageFile, devServerUrl: options.devServerUrl, page });
  }

  const stopPower = watchPower(powerMonitor, { resume: () => core.resumeAfterSleep() });
  const onTheme = () => renderNow();
  nativeTheme.on('updated', onTheme);
  applyLoginItem(app, process.platform, core.getSettings().startAtLogin);
  renderNow();
  watcher.start();
  if (!options.hidden) showWindow();

  return {
    showWindow,
    markQuitting: () => {
      quitting = true;
    },
    async stop() {
      quitting = true;
      watcher.stop();
      stopPower();
      nativeTheme.removeListener('updated', onTheme);
      unregisterIpc();
      await dispose();
      tray.destroy();
    },
  };
}
