import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applyLoginItem, HIDDEN_ARG, startedHidden } from '../../src/main/shell/login-item';
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

  it('turns it off again, and does nothing on Linux', () => {
    const calls: unknown[] = [];
    const app = { setLoginItemSettings: (s: unknown) => void calls.push(s) } as never;
    applyLoginItem(app, 'win32', false);
    expect(applyLoginItem(app, 'linux', true)).toBe(false);
    expect(calls).toEqual([{ openAtLogin: false, args: [HIDDEN_ARG] }]);
  });

  it('starts hidden when launched by the login item', () => {
    const app = (atLogin: boolean) => ({ getLoginItemSettings: () => ({ wasOpenedAtLogin: atLogin }) }) as never;
    expect(startedHidden(app(false), 'win32', ['art-sync.exe', HIDDEN_ARG])).toBe(true);
    expect(startedHidden(app(false), 'win32', ['art-sync.exe'])).toBe(false);
    expect(startedHidden(app(true), 'darwin', ['Art Sync'])).toBe(true);
    expect(startedHidden(app(true), 'linux', ['art-sync'])).toBe(false);
  });
});
