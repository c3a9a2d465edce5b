/**
 * The IPC handler map: one function per channel of the contract (src/shared/ipc.ts), each calling
 * one method of the core's API (core-api.ts). Plain Node — no Electron — so the gate, the fuzz test
 * and the end-to-end test (Chromium with the page's contract bound to a real core) all run it as is.
 * `IpcHandlers` is a mapped type over the channels, so a channel without a handler is a compile error.
 *
 * Handlers receive input already parsed by the channel's schema (ipc-gate.ts) and may throw AppError;
 * the gate turns both results and errors into the envelope. The rules (validation, the dry-run guard,
 * the server password) are the core's; a handler only adds what belongs to the window: telling the
 * status watcher that something changed, and the trusted-URL check for app:openExternal.
 */
import { AppError } from '../../shared/errors';
import type { CsvPreview, IpcChannel, IpcOutput, IpcParsedInput } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { CoreApi } from '../core-api';
import { ConnectSession } from './connect-session';
import { isTrustedExternalUrl } from './trusted-url';

export type IpcHandlers = { [C in IpcChannel]: (input: IpcParsedInput<C>) => Promise<IpcOutput<C>> };

/**
 * The OS file dialogs for catalog CSV (issue 15 item 3), done in main: the shell's adapter
 * (shell/dialogs.ts) wraps Electron's dialog, tests pass a fake. Paths stay on this side; the page
 * gets a file's name to show, never a path it could hand back.
 */
export interface CsvFiles {
  /** Asks which CSV file to import and reads it; null when the owner cancelled. */
  openCsv(): Promise<{ name: string; text: string } | null>;
  /** Asks where to save, then writes what `contents()` returns there; null when the owner cancelled. */
  saveCsv(suggestedName: string, contents: () => string): Promise<{ name: string } | null>;
}

export interface IpcHandlerDeps {
  version: string;
  platform: string;
  /** Opens a URL the handler already checked with isTrustedExternalUrl in the OS browser. */
  openTrustedUrl(url: string): Promise<void>;
  /** The project's help pages (trusted-url.ts DOCS_URL); none when the build knows no repository. */
  docsUrl?: string | null;
  /** Opens Etsy's sign-in page during etsy:connect (etsy:connectProgress also shows it, to copy). */
  openBrowser(url: string): Promise<void>;
  /** Told after anything that changes status, so status:changed is pushed at once instead of on the next poll. */
  onChange?(): void;
  /** Told after settings changed (start at login, notifications). */
  onSettingsChanged?(settings: Settings): void;
  /** The file dialogs for catalog CSV import and export. */
  files: CsvFiles;
}

/** A handler map plus the work it may own (an OAuth flow waiting for the browser). */
export interface IpcHandlerSet {
  handlers: IpcHandlers;
  /** Cancels a connect in flight and waits for it to end. */
  dispose(): Promise<void>;
}

export function createIpcHandlers(core: CoreApi, deps: IpcHandlerDeps): IpcHandlerSet {
  const changed = () => deps.onChange?.();
  const connectSession = new ConnectSession();
  /** Runs a call that changes status and tells the watcher, also when it fails half way. */
  const changing = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } finally {
      changed();
    }
  };

  /** The CSV preview the window shows, with the text it was made from (paths and text never go to the page). */
  let heldImport: { text: string; preview: CsvPreview } | null = null;

  const handlers: IpcHandlers = {
    'app:info': async () => ({ version: deps.version, platform: deps.platform, docsUrl: deps.docsUrl ?? null }),

    'app:openExternal': async ({ url }) => {
      if (!isTrustedExternalUrl(url, deps.docsUrl ?? null)) {
        throw new AppError('INVALID_INPUT', 'Art Sync only opens Etsy pages and its own help pages.');
      }
      await deps.openTrustedUrl(url);
      return null;
    },

    'status:get': () => core.status(),

    'sync:now': (input) => {
      const done = core.syncNow(input?.kinds);
      // The run has started: the window shows it at once, and again when it ends.
      changed();
      return changing(() => done);
    },
    'sync:dryRun': (input) => changing(() => core.previewSync(input?.full ? { full: true } : {})),
    'sync:setPaused': ({ paused }) => changing(() => core.setPaused(paused)),

    'history:list': async (input) => core.history(input ?? {}),
    'runs:list': async (input) => core.runs(input?.limit ?? 50),
    'runs:undo': ({ runId, dryRun }) => changing(() => core.undoRun(runId, { dryRun: dryRun === true })),
    'attention:list': async () => core.attention(),

    'settings:get': async () => core.getSettings(),
    'settings:update': (changes) =>
      changing(() => {
        const settings = core.updateSettings(changes);
        deps.onSettingsChanged?.(settings);
        return settings;
      }),

    'etsy:connect': ({ keystring, sharedSecret }) =>
      changing(async () => {
        const attempt = connectSession.begin();
        try {
          return await core.connect({ keystring, sharedSecret, openBrowser: (url) => deps.openBrowser(url), ...attempt.hooks });
        } finally {
          attempt.end();
        }
      }),
    'etsy:cancelConnect': () => core.cancelConnect(),
    'etsy:connectProgress': async () => connectSession.progress(),
    'etsy:pasteRedirect': ({ url }) => connectSession.paste(url),
    'etsy:disconnect': () => changing(async () => (await core.disconnect(), null)),
    'etsy:redirectUri': async () => core.redirectUri(),

    'catalog:list': async () => core.listCatalog(),
    'catalog:setStock': async ({ sku, quantity }) => core.setStock(sku, quantity),
    'catalog:page': async (input) => core.catalogPage(input ?? {}),
    'catalog:setLowStock': ({ sku, threshold }) => changing(() => core.setLowStockThreshold(sku, threshold)),
    'catalog:sell': ({ sku, quantity }) => changing(() => core.recordSale(sku, quantity ?? 1)),
    // CSV in the window (issue 15 item 3): main opens the dialog, reads and writes the file.
    'catalog:importPreview': async () => {
      const file = await deps.files.openCsv();
      if (file === null) return { cancelled: true };
      const preview = core.previewCatalogCsv(file.text);
      heldImport = { text: file.text, preview };
      return { cancelled: false, fileName: file.name, preview };
    },
    'catalog:importApply': ({ token }) =>
      changing(() => {
        const held = heldImport;
        if (held === null || held.preview.token !== token) {
          throw new AppError('NOT_FOUND', 'This import preview is no longer open; nothing was imported.', { action: 'Choose the CSV file again' });
        }
        const result = core.applyCatalogCsv(held.text, held.preview);
        // Applied: done. Stale: the new preview is what the window shows now, and what Apply applies.
        heldImport = result.applied ? null : { text: held.text, preview: result.preview };
        return result;
      }),
    'catalog:importCancel': async () => ((heldImport = null), null),
    'catalog:exportCsv': async () => {
      let rows = 0;
      const saved = await deps.files.saveCsv('art-sync-catalog.csv', () => {
        const exported = core.exportCatalogCsv();
        rows = exported.rows;
        return exported.csv;
      });
      return saved === null ? { saved: false } : { saved: true, fileName: saved.name, rows };
    },
    'catalog:pushState': async ({ skus }) => core.catalogPushStates(skus),

    'server:test': async () => {
      const result = await core.testServer();
      // The window shows the fix next to the problem; the command line prints the sentence alone.
      if (result.ok || result.error.action === undefined) return { ok: result.ok, message: result.message };
      return { ok: false, message: `${result.message} (${result.error.action}.)` };
    },
    // The password goes in only: the answer says where it is kept, never what it is.
    'server:setPassword': ({ password }) => changing(() => core.setServerPassword(password)),
    'server:clearPassword': () => changing(() => core.clearServerPassword()),
  };

  return {
    handlers,
    async dispose() {
      await core.cancelConnect();
    },
  };
}
