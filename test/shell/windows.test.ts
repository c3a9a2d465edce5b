import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createAppWindow, hardenSession, loadAppPage, type BrowserWindowClass } from '../../src/main/shell/windows';

type Listener = (event: { preventDefault(): void; defaultPrevented?: boolean }, ...args: unknown[]) => void;

class FakeWebContents {
  listeners = new Map<string, Listener[]>();
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) listener({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    return prevented;
  }
}

function fakeWindowClass() {
  const made: { options: BrowserWindowConstructorOptions; webContents: FakeWebContents }[] = [];
  const ctor = class {
    webContents = new FakeWebContents();
    constructor(options: BrowserWindowConstructorOptions) {
      made.push({ options, webContents: this.webContents });
    }
  } as unknown as BrowserWindowClass;
  return { ctor, made };
}

describe('window factory', () => {
  it('locks down webPreferences', () => {
    const { ctor, made } = fakeWindowClass();
    const window = createAppWindow(ctor, { preloadPath: '/app/dist/preload/index.cjs', show: false });
    expect(window).toBeDefined();
    expect(made).toHaveLength(1);
    const { options } = made[0]!;
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('denies new windows, navigation, redirects and webviews', () => {
    const { ctor, made } = fakeWindowClass();
    createAppWindow(ctor, { preloadPath: '/p.cjs', show: true });
    const contents = made[0]!.webContents;
    expect(contents.openHandler?.({ url: 'https://www.etsy.com/' })).toEqual({ action: 'deny' });
    expect(contents.fire('will-navigate')).toBe(true);
    expect(contents.fire('will-redirect')).toBe(true);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('every window made through the factory gets the same options', () => {
    const { ctor, made } = fakeWindowClass();
    createAppWindow(ctor, { preloadPath: '/p.cjs', show: true });
    createAppWindow(ctor, { preloadPath: '/p.cjs', show: true, backgroundColor: '#000' });
    expect(made[0]!.options.webPreferences).toEqual(made[1]!.options.webPreferences);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: ((...args: unknown[]) => boolean) | null = null;
    hardenSession({
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    } as never);
    const answers: boolean[] = [];
    request!(null, 'notifications', (ok) => answers.push(ok));
    request!(null, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(check!(null, 'clipboard-read')).toBe(false);
  });
});

// Keep the BrowserWindow type import used (the factory returns Electron's type).
export type _Window = BrowserWindow;

describe('loadAppPage', () => {
  function fakeLoader() {
    const loads: unknown[][] = [];
    return {
      loads,
      window: {
        loadFile: async (...args: unknown[]) => void loads.push(['file', ...args]),
        loadURL: async (...args: unknown[]) => void loads.push(['url', ...args]),
      } as never,
    };
  }
  it('opens a new window on the page the tray asked for (the renderer reads the hash)', async () => {
    const { loads, window } = fakeLoader();
    await loadAppPage(window, { pageFile: '/app/dist/renderer/index.html', page: 'catalog' });
    await loadAppPage(window, { pageFile: '/app/dist/renderer/index.html' });
    await loadAppPage(window, { pageFile: '/x', devServerUrl: 'http://localhost:5173/', page: 'catalog' });
    expect(loads).toEqual([
      ['file', '/app/dist/renderer/index.html', { hash: 'catalog' }],
      ['file', '/app/dist/renderer/index.html', {}],
      ['url', 'http://localhost:5173/#catalog'],
    ]);
  });
});
