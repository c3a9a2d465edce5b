/**
 * Where Art Sync keeps its data. The CLI must find the same folder the desktop app uses, which is
 * Electron's `app.getPath('userData')` for the app name "Art Sync" — computed here without Electron
 * so the CLI never loads it. Pure: the environment, platform and home folder are passed in.
 */
import path from 'node:path';

export const APP_NAME = 'Art Sync';

export type Env = Readonly<Record<string, string | undefined>>;

export function defaultDataDir(env: Env, platform: NodeJS.Platform, homedir: string): string {
  const override = env.ART_SYNC_DATA_DIR;
  if (override !== undefined && override.trim() !== '') return override;

  switch (platform) {
    case 'win32': {
      const appData = env.APPDATA;
      const base = appData !== undefined && appData !== '' ? appData : path.win32.join(homedir, 'AppData', 'Roaming');
      return path.win32.join(base, APP_NAME);
    }
    case 'darwin':
      return path.posix.join(homedir, 'Library', 'Application Support', APP_NAME);
    default: {
      // Electron (like Chromium) uses $XDG_CONFIG_HOME, falling back to ~/.config, on Linux and BSDs.
      const xdg = env.XDG_CONFIG_HOME;
      const base = xdg !== undefined && xdg !== '' ? xdg : path.posix.join(homedir, '.config');
      return path.posix.join(base, APP_NAME);
    }
  }
}
