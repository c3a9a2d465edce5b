// Electron lifecycle only: single-instance lock, ready → build and start the core and the shell
// (tray, window, IPC), quit → stop the shell, then the core (scheduler → sync → database).
import os from 'node:os';
import { app } from 'electron';
import { createApp, type ArtSyncApp } from './app';
import { defaultDataDir } from './paths';
import { startDesktopShell, type DesktopShell } from './shell/desktop-shell';
import { startedHidden } from './shell/login-item';
import path from 'node:path';

// Replaced at bundle time with package.json's version.
declare const __APP_VERSION__: string;

let core: ArtSyncApp | null = null;
let shell: DesktopShell | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => shell?.showWindow());
  // The tray keeps the app alive with no window open.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => shell?.markQuitting());

  app.whenReady().then(async () => {
    core = await createApp({
      // The same folder the `art-sync` CLI uses by default (honours ART_SYNC_DATA_DIR too).
      dataDir: defaultDataDir(process.env, process.platform, os.homedir()),
      // Bundled code has no usable import.meta.url for finding the migrations: say where they are.
      migrationsFolder: path.join(app.getAppPath(), 'drizzle/sqlite'),
      serverMigrationsFolder: path.join(app.getAppPath(), 'drizzle/postgres'),
      version: __APP_VERSION__,
      // `npm start` points this at an Electron-ABI build of better-sqlite3; packaged apps leave it
      // unset because electron-builder rebuilds node_modules/better-sqlite3 for Electron.
      nativeBinding: process.env.ART_SYNC_SQLITE_BINDING || undefined,
    });
    await core.start();
    shell = startDesktopShell({
      core,
      version: __APP_VERSION__,
      hidden: startedHidden(app, process.platform, process.argv),
      // Development only: a packaged app always loads its own file.
      devServerUrl: app.isPackaged ? undefined : process.env.ART_SYNC_DEV_SERVER_URL || undefined,
    });
  }).catch((error: unknown) => {
    console.error('Art Sync could not start:', error instanceof Error ? error.message : error);
    app.exit(1);
  });

  // Stop the shell, then the core (scheduler → sync → server push → database), before the process goes away.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !core) return;
    event.preventDefault();
    const running = { core, shell };
    core = null;
    shell = null;
    (async () => {
      await running.shell?.stop();
      await running.core.stop();
    })().catch((error: unknown) => {
      console.error('Art Sync did not stop cleanly:', error instanceof Error ? error.message : error);
    }).finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
