/**
 * The one door every IPC message passes (docs/STYLE.md practice 2, like VS Code's
 * base/parts/ipc/electron-main/ipcMain.ts): check the sender frame is the app's own page, check the
 * channel exists, parse the input with the channel's schema, call the handler, and answer with the
 * result envelope. dispatch() never throws and never rejects: whatever happens, the page gets
 * `{ ok: false, error: { code, message, action? } }` — AppErrors keep their code and sentence,
 * anything else becomes INTERNAL with a generic sentence (stack traces and causes stay in main).
 *
 * Plain Node: the shell passes `event.senderFrame.url`; tests pass any string.
 */
import { toErrorInfo, type ErrorInfo, type Result } from '../../shared/errors';
import { ipcInputSchemas, isIpcChannel } from '../../shared/ipc';
import type { IpcHandlers } from './ipc-handlers';

export interface IpcGateOptions {
  handlers: IpcHandlers;
  /** file:// URL of the built page (dist/renderer/index.html). */
  pageFileUrl: string;
  /** The Vite dev server origin during development (http://localhost:5173); never in a packaged app. */
  devServerOrigin?: string;
  /** Told about unexpected (non-AppError) failures, for the main-process log. Never sent to the page. */
  onUnexpectedError?(channel: string, error: unknown): void;
}

export interface IpcGate {
  dispatch(channel: unknown, rawInput: unknown, senderUrl: string | null | undefined): Promise<Result<unknown>>;
  /** Whether a frame at this URL is the app's own page. */
  isTrustedSender(senderUrl: string | null | undefined): boolean;
}

const MAX_CHANNEL_IN_MESSAGE = 60;

export function createIpcGate(options: IpcGateOptions): IpcGate {
  const page = normalisePage(options.pageFileUrl);
  const devOrigin = options.devServerOrigin ? new URL(options.devServerOrigin).origin : null;

  const isTrustedSender = (senderUrl: string | null | undefined): boolean => {
    if (typeof senderUrl !== 'string' || senderUrl === '') return false;
    let url: URL;
    try {
      url = new URL(senderUrl);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') return url.host === '' && url.pathname === page.pathname;
    // A dev-server origin is http(s) on a fixed host and port; `null` origins (data:, blob:) never match.
    return devOrigin !== null && url.origin !== 'null' && url.origin === devOrigin;
  };

  const fail = (error: ErrorInfo): Result<unknown> => ({ ok: false, error });

  return {
    isTrustedSender,
    async dispatch(channel, rawInput, senderUrl) {
      try {
        if (!isTrustedSender(senderUrl)) {
          return fail({ code: 'FORBIDDEN_SENDER', message: 'This request did not come from the Art Sync window.' });
        }
        if (!isIpcChannel(channel)) {
          const name = typeof channel === 'string' ? channel.slice(0, MAX_CHANNEL_IN_MESSAGE) : typeof channel;
          return fail({ code: 'INVALID_INPUT', message: `Art Sync has no request called "${name}".` });
        }
        const parsed = ipcInputSchemas[channel].safeParse(rawInput);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.').slice(0, 80)})` : '';
          return fail({ code: 'INVALID_INPUT', message: `The request ${channel} was not valid${where}: ${issue?.message ?? 'bad input'}.` });
        }
        // The schema for `channel` produced `parsed.data`, so it is the handler's input type; TypeScript
        // cannot correlate the two through the union, hence the cast.
        const handler = options.handlers[channel] as (input: unknown) => Promise<unknown>;
        const value = await handler(parsed.data);
        return { ok: true, value };
      } catch (error) {
        const info = toErrorInfo(error);
        if (info.code === 'INTERNAL') options.onUnexpectedError?.(typeof channel === 'string' ? channel : '?', error);
        return fail(info);
      }
    },
  };
}

function normalisePage(fileUrl: string): URL {
  const url = new URL(fileUrl);
  if (url.protocol !== 'file:') throw new Error(`The page URL must be a file:// URL, not ${url.protocol}`);
  return url;
}
