import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/main/paths';

describe('defaultDataDir (Electron userData for "Art Sync")', () => {
  it('uses XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/ann')).toBe('/x/cfg/Art Sync');
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Art Sync');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'freebsd', '/home/ann')).toBe('/home/ann/.config/Art Sync');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/ignored' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Art Sync',
    );
  });

  it('uses %APPDATA% on Windows', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Art Sync',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Art Sync');
  });

  it('lets ART_SYNC_DATA_DIR override every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(defaultDataDir({ ART_SYNC_DATA_DIR: '/data/shop' }, platform, '/h')).toBe('/data/shop');
    }
  });
});
