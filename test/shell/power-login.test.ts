import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyLoginItem, AUTOSTART_FILE, autostartEntry, HIDDEN_ARG, linuxAutostartTarget, startedHidden } from '../../src/main/shell/login-item';
import { watchPower } from '../../src/main/shell/power';

describe('watchPower', () => {
  it('asks the scheduler to catch up on resume, and stops listening when disposed', () => {
    const monitor = new EventEmitter();
    let resumed = 0;
    const dispose = watchPower(monitor as never, { resume: () => (resumed += 1) });
    monitor.emit('suspend');
    monitor.emit('resume');
    monitor.emit('unlock-screen');
    expect(resumed).toBe(2);
    dispose();
    monitor.emit('resume');
    expect(resumed).toBe(2);
    expect(monitor.listenerCount('resume')).toBe(0);
  });
});

describe('login item', () => {
  it('sets open at login with the hidden argument on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32']) {
      const calls: unknown[] = [];
      expect(applyLoginItem({ setLoginItemSettings: (s: unknown) => void calls.push(s) } as never, platform, true)).toBe(true);
      expect(calls).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG] }]);
    }
  });

  it('turns it off again, and leaves other platforms alone', () => {
    const calls: unknown[] = [];
    const app = { setLoginItemSettings: (s: unknown) => void calls.push(s) } as never;
    applyLoginItem(app, 'win32', false);
    expect(applyLoginItem(app, 'freebsd', true)).toBe(false);
    expect(calls).toEqual([{ openAtLogin: false, args: [HIDDEN_ARG] }]);
  });

  it('on Linux writes an XDG autostart entry that starts Art Sync hidden, and removes it again', () => {
    const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-xdg-'));
    const target = linuxAutostartTarget({ XDG_CONFIG_HOME: configHome }, '/home/ann', '/opt/Art Sync/art-sync-desktop');
    expect(target).toEqual({ dir: path.join(configHome, 'autostart'), exec: '/opt/Art Sync/art-sync-desktop' });
    const app = { setLoginItemSettings: () => expect.fail('no Electron login item on Linux') } as never;

    expect(applyLoginItem(app, 'linux', true, target)).toBe(true);
    const file = path.join(configHome, 'autostart', AUTOSTART_FILE);
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Art Sync',
        'Comment=Keeps your catalog and stock in sync with your Etsy shop',
        'Exec="/opt/Art Sync/art-sync-desktop" --hidden',
        'Icon=art-sync-desktop',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(fs.readdirSync(path.join(configHome, 'autostart'))).toEqual([AUTOSTART_FILE]);
    // Applied again at every launch: same file, nothing else.
    expect(applyLoginItem(app, 'linux', true, target)).toBe(true);
    expect(fs.readdirSync(path.join(configHome, 'autostart'))).toEqual([AUTOSTART_FILE]);

    expect(applyLoginItem(app, 'linux', false, target)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    // Off when there is no entry: nothing to do, no error.
    expect(applyLoginItem(app, 'linux', false, target)).toBe(true);
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('names the AppImage file rather than its temporary mount, and quotes by the Desktop Entry rules', () => {
    expect(linuxAutostartTarget({ APPIMAGE: '/home/ann/Apps/art-sync.AppImage' }, '/home/ann', '/tmp/.mount_x/art-sync-desktop')).toEqual({
      dir: '/home/ann/.config/autostart',
      exec: '/home/ann/Apps/art-sync.AppImage',
    });
    // A relative XDG_CONFIG_HOME is ignored (the spec).
    expect(linuxAutostartTarget({ XDG_CONFIG_HOME: 'conf' }, '/home/ann', '/usr/bin/a').dir).toBe('/home/ann/.config/autostart');
    const exec = autostartEntry('/home/ann/my "apps"/100% $HOME\\art`x`').split('\n').find((line) => line.startsWith('Exec='));
    expect(exec).toBe('Exec="/home/ann/my \\\\"apps\\\\"/100%% \\\\$HOME\\\\\\\\art\\\\`x\\\\`" --hidden');
    expect(() => autostartEntry('/bin/a\nrm -rf')).toThrow(/line break/);
  });

  it('says false, and keeps running, when the autostart folder cannot be written', () => {
    const blocked = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-xdg-'));
    // A file where the autostart folder should be.
    fs.writeFileSync(path.join(blocked, 'autostart'), 'not a folder');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(applyLoginItem({} as never, 'linux', true, { dir: path.join(blocked, 'autostart'), exec: '/usr/bin/a' })).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    fs.rmSync(blocked, { recursive: true, force: true });
  });

  it('starts hidden when launched by the login item', () => {
    const app = (atLogin: boolean) => ({ getLoginItemSettings: () => ({ wasOpenedAtLogin: atLogin }) }) as never;
    expect(startedHidden(app(false), 'win32', ['art-sync.exe', HIDDEN_ARG])).toBe(true);
    expect(startedHidden(app(false), 'win32', ['art-sync.exe'])).toBe(false);
    expect(startedHidden(app(true), 'darwin', ['Art Sync'])).toBe(true);
    expect(startedHidden(app(true), 'linux', ['art-sync'])).toBe(false);
  });
});
