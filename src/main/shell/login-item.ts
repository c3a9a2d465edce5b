/**
 * Start at login, hidden (tray only). macOS and Windows use app.setLoginItemSettings; Linux has no
 * such API in Electron, so there Art Sync writes an XDG autostart entry (freedesktop.org's Desktop
 * Application Autostart Specification: a .desktop file in $XDG_CONFIG_HOME/autostart, which GNOME,
 * KDE, Xfce and the other desktops start at login). Electron 45 has no `openAsHidden` any more
 * (macOS 13 dropped it), so "hidden" is decided here at launch: from the argument the login item
 * passes (Windows, Linux), or on macOS from `wasOpenedAtLogin`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';

/** Passed at login on Windows and Linux. */
export const HIDDEN_ARG = '--hidden';

/** The autostart entry's file name: Art Sync only ever writes or removes this one. */
export const AUTOSTART_FILE = 'art-sync.desktop';

export function loginItemSettings(startAtLogin: boolean): Parameters<App['setLoginItemSettings']>[0] {
  return { openAtLogin: startAtLogin, args: [HIDDEN_ARG] };
}

/** Where Linux's autostart entry goes and what it runs. */
export interface LinuxAutostartTarget {
  /** $XDG_CONFIG_HOME/autostart, ~/.config/autostart by default. */
  dir: string;
  /** The program to start: the AppImage file when running from one (its mount path changes each launch), else the executable. */
  exec: string;
}

export function linuxAutostartTarget(env: NodeJS.ProcessEnv, homedir: string, execPath: string): LinuxAutostartTarget {
  // The spec: a relative XDG_CONFIG_HOME is invalid and is ignored.
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir, '.config');
  return { dir: path.join(configHome, 'autostart'), exec: env.APPIMAGE && path.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath };
}

/**
 * One Exec argument, quoted by the Desktop Entry Specification's rules: inside double quotes, `"`,
 * `` ` ``, `$` and `\` are escaped with a backslash; then the string-value rule doubles every
 * backslash again; `%` is a field code and is written `%%`.
 */
function execArgument(value: string): string {
  const quoted = `"${value.replace(/["`$\\]/g, (char) => `\\${char}`)}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** The autostart entry's text: Art Sync in the tray only, started at login. */
export function autostartEntry(exec: string): string {
  if (/[\n\r]/.test(exec)) throw new Error('The program path has a line break; no autostart entry can name it.');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Art Sync',
    'Comment=Keeps your catalog and stock in sync with your Etsy shop',
    `Exec=${execArgument(exec)} ${HIDDEN_ARG}`,
    // electron-builder installs the icon under the executable's name (electron-builder.yml, linux.executableName).
    'Icon=art-sync-desktop',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (atomically) or removes Art Sync's autostart entry. */
export function applyLinuxAutostart(target: LinuxAutostartTarget, enabled: boolean): void {
  const file = path.join(target.dir, AUTOSTART_FILE);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(target.dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, autostartEntry(target.exec), { mode: 0o644 });
  fs.renameSync(temporary, file);
}

/**
 * Applies the setting: a login item on macOS and Windows, the autostart entry on Linux. false when
 * it could not be applied (another platform, or the autostart folder is not writable: the setting
 * stays saved and is applied again at the next launch).
 */
export function applyLoginItem(
  app: Pick<App, 'setLoginItemSettings'>,
  platform: string,
  startAtLogin: boolean,
  linux: LinuxAutostartTarget = linuxAutostartTarget(process.env, os.homedir(), process.execPath),
): boolean {
  if (platform === 'linux') {
    try {
      applyLinuxAutostart(linux, startAtLogin);
      return true;
    } catch (error) {
      console.warn(`Start at login: the autostart entry in ${linux.dir} could not be ${startAtLogin ? 'written' : 'removed'} (${String(error)}).`);
      return false;
    }
  }
  if (platform !== 'darwin' && platform !== 'win32') return false;
  app.setLoginItemSettings(loginItemSettings(startAtLogin));
  return true;
}

/** Whether this launch came from the login item (then only the tray shows). */
export function startedHidden(app: Pick<App, 'getLoginItemSettings'>, platform: string, argv: readonly string[]): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
