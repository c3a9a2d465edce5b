import type { BrowserContext } from 'playwright-core';
import type { Core } from '../../src/main/app';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type CsvFiles, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import { StatusWatcher } from '../../src/main/desktop/status-watcher';
import { APP_EVENTS, type AppEventName, type AppEvents } from '../../src/shared/events';
import { fakeCsvFiles } from '../ipc/fake-csv-files';

/**
 * Binds a page's `window.artSync` to a real core, the way the preload and the shell do in Electron:
 * `invoke` crosses to Node through a Playwright binding and is dispatched by the real IPC gate (sender
 * check, schema parse, envelope) to the real handler map; events come from the real status watcher.
 * Installed on the browser context, so it survives reloads.
 */
export interface CoreBridge {
  /** Every invoke the page made, with what came back (for assertions on row counts fetched). */
  calls: { channel: string; input: unknown; ok: boolean; rows: number | null; answer: string }[];
  /** Authorize URLs main "opened in the browser" during etsy:connect. */
  opened: string[];
  watcher: StatusWatcher;
  close(): Promise<void>;
}

/** The page's global the init script defines (evaluated in the page; Node has no DOM types here). */
type PageGlobal = { __artSyncDeliver?(event: string, payload: unknown): void };

/**
 * The page side, as an init script: exactly `invoke` and `on`, frozen, like the preload. Unknown
 * events throw as the preload's `on` does.
 */
function initScript(events: readonly string[]): string {
  return `(() => {
    const known = new Set(${JSON.stringify(events)});
    const listeners = new Map();
    const invoke = (channel, input) => window.__artSyncInvoke(channel, input);
    const on = (event, listener) => {
      if (!known.has(event)) throw new Error('Art Sync has no event called "' + String(event).slice(0, 60) + '".');
      if (typeof listener !== 'function') throw new Error('on() needs a function to call.');
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const forward = (payload) => listener(payload);
      set.add(forward);
      return () => { set.delete(forward); };
    };
    Object.defineProperty(window, '__artSyncDeliver', {
      value: (event, payload) => { for (const listener of listeners.get(event) ?? []) listener(payload); },
    });
    Object.defineProperty(window, 'artSync', { value: Object.freeze({ invoke, on }) });
  })();`;
}

export async function bindCore(
  context: BrowserContext,
  options: {
    core: Core;
    /** The http origin the built page is served from (the gate's trusted dev origin). */
    pageOrigin: string;
    /** Stands in for the user's browser during etsy:connect. */
    openBrowser(url: string): Promise<void>;
    /** Stands in for the OS file dialogs (default: every dialog is cancelled). */
    files?: CsvFiles;
  },
): Promise<CoreBridge> {
  const { core } = options;
  const calls: CoreBridge['calls'] = [];
  const opened: string[] = [];

  const emit = <E extends AppEventName>(event: E, payload: AppEvents[E]) => {
    for (const page of context.pages()) {
      void page
        .evaluate(([name, body]) => (globalThis as PageGlobal).__artSyncDeliver?.(name as string, body), [event, payload] as const)
        .catch(() => undefined);
    }
  };
  const watcher = new StatusWatcher({
    readStatus: () => core.status(),
    recentRuns: (limit) => core.runs(limit),
    emit,
    // Progress is worth seeing in a test; a short busy interval keeps "Syncing 12 of 40" current.
    busyIntervalMs: 200,
    idleIntervalMs: 2_000,
  });
  const set: IpcHandlerSet = createIpcHandlers(core, {
    version: '0.0.0-e2e',
    platform: process.platform,
    openTrustedUrl: async () => undefined,
    openBrowser: async (url) => {
      opened.push(url);
      await options.openBrowser(url);
    },
    onChange: () => void watcher.poke(),
    files: options.files ?? fakeCsvFiles(),
  });
  // The page is served over http (so its CSP applies as shipped); the gate trusts that origin as it
  // trusts the Vite dev server, and still refuses any other sender.
  const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: 'file:///nonexistent/index.html', devServerOrigin: options.pageOrigin });

  await context.exposeBinding('__artSyncInvoke', async (source, channel: unknown, input: unknown) => {
    const result = await gate.dispatch(channel, input, source.frame.url());
    const value = result.ok ? (result.value as { items?: unknown[] } | null) : null;
    calls.push({
      channel: String(channel),
      input,
      ok: result.ok,
      rows: value && Array.isArray(value.items) ? value.items.length : null,
      answer: JSON.stringify(result),
    });
    return result;
  });
  await context.addInitScript({ content: initScript(APP_EVENTS) });
  watcher.start();

  return {
    calls,
    opened,
    watcher,
    async close() {
      watcher.stop();
      await set.dispose();
    },
  };
}
