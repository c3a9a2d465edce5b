// Electron lifecycle only: single-instance lock, ready → build and start the core, quit → stop it.
// Everything else lives in the core (src/main/app.ts) or in the Electron adapters (src/main/shell).
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { createApp, type ArtSyncApp } from './app';

let core: ArtSyncApp | null = null;
let window: BrowserWindow | null = null;

function showWindow(): void {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    width: 1000,
    height: 720,
    title: 'Art Sync',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(app.getAppPath(), 'dist/preload/index.cjs'),
    },
  });
  // The page is local; it never navigates away or opens windows of its own.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  void window.loadFile(path.join(app.getAppPath(), 'dist/renderer/index.html'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);

  app.whenReady().then(async () => {
    core = await createApp({ dataDir: app.getPath('userData') });
    await core.start();
    showWindow();
  }).catch((error: unknown) => {
    console.error('Art Sync could not start:', error instanceof Error ? error.message : error);
    app.exit(1);
  });

  // Stop the core (scheduler → sync → server push → database) before the process goes away.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !core) return;
    event.preventDefault();
    const running = core;
    core = null;
    running.stop().catch((error: unknown) => {
      console.error('Art Sync did not stop cleanly:', error instanceof Error ? error.message : error);
    }).finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
