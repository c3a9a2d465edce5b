// Electron lifecycle only: single-instance lock, ready → build and start the core, quit → stop it.
// Everything else lives in the core (src/main/app.ts) or in the Electron adapters (src/main/shell).
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { createApp, type ArtSyncApp } from './app';
import { defaultDataDir } from './paths';

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
    // The same folder the `art-sync` CLI uses by default (honours ART_SYNC_DATA_DIR too).
    core = await createApp({
      dataDir: defaultDataDir(process.env, process.platform, os.homedir()),
      // Bundled code has no usable import.meta.url for finding the migrations: say where they are.
      migrationsFolder: path.join(app.getAppPath(), 'drizzle/sqlite'),
      // `npm start` points this at an Electron-ABI build of better-sqlite3; packaged apps leave it
      // unset because electron-builder rebuilds node_modules/better-sqlite3 for Electron.
      nativeBinding: process.env.ART_SYNC_SQLITE_BINDING || undefined,
    });
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
