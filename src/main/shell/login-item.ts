/**
 * Start at login, hidden (tray only). macOS and Windows use app.setLoginItemSettings; Linux has no
 * such API in Electron (autostart .desktop files are left to the packages for now). Electron 45 has
 * no `openAsHidden` any more (macOS 13 dropped it), so "hidden" is decided here at launch: on macOS
 * from `wasOpenedAtLogin`, on Windows from the argument the login item passes.
 */
import type { App } from 'electron';

/** Passed at login on Windows. */
export const HIDDEN_ARG = '--hidden';

export function loginItemSettings(startAtLogin: boolean): Parameters<App['setLoginItemSettings']>[0] {
  return { openAtLogin: startAtLogin, args: [HIDDEN_ARG] };
}

/** Applies the setting; false where the platform has no login items through Electron (Linux). */
export function applyLoginItem(app: Pick<App, 'setLoginItemSettings'>, platform: string, startAtLogin: boolean): boolean {
  if (platform !== 'darwin' && platform !== 'win32') return false;
  app.setLoginItemSettings(loginItemSettings(startAtLogin));
  return true;
}

/** Whether this launch came from the login item (then only the tray shows). */
export function startedHidden(app: Pick<App, 'getLoginItemSettings'>, platform: string, argv: readonly string[]): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
