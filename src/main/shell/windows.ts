/**
 * The one place BrowserWindows are made (docs/STYLE.md; Electron's security checklist). Every window gets
 * the same locked-down webPreferences, and its webContents may neither navigate nor open windows:
 * the page is a local single-page app, and links out go through app:openExternal's allowlist.
 * Electron is injected (types only here), so the factory is tested with a fake BrowserWindow.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

export interface AppWindowOptions {
  /** Absolute path of dist/preload/index.cjs. */
  preloadPath: string;
  /** Show at once (false when started at login hidden). */
  show: boolean;
  backgroundColor?: string;
}

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export function createAppWindow(BrowserWindowCtor: BrowserWindowClass, options: AppWindowOptions): BrowserWindow {
  // The options are written out literally (not spread from elsewhere) so static checkers such as
  // Electronegativity can read them.
  const window = new BrowserWindowCtor({
    width: 1040,
    height: 740,
    minWidth: 720,
    minHeight: 520,
    title: 'Art Sync',
    show: options.show,
    ...(options.backgroundColor ? { backgroundColor: options.backgroundColor } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  guardWebContents(window.webContents);
  return window;
}

/** No new windows, no navigation away from the page, no <webview>. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The window needs no permission (camera, notifications, geolocation …): main shows notifications
 * itself. Deny every request and check.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Loads the app page into a new window, on `page` when given: the renderer reads its page from the
 * address's hash (#catalog), so a window the tray opens on a page shows it from the first paint.
 */
export function loadAppPage(
  window: Pick<BrowserWindow, 'loadFile' | 'loadURL'>,
  options: { pageFile: string; devServerUrl?: string | undefined; page?: string | undefined },
): Promise<void> {
  if (options.devServerUrl) return window.loadURL(options.page ? `${options.devServerUrl}#${options.page}` : options.devServerUrl);
  return window.loadFile(options.pageFile, options.page ? { hash: options.page } : {});
}
