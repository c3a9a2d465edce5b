import type { ArtSyncBridge } from '../../shared/bridge';
import type { ErrorCode, ErrorInfo } from '../../shared/errors';
import type { AppEventName, AppEvents } from '../../shared/events';
import type { IpcChannel, IpcInvokeArgs, IpcOutput } from '../../shared/ipc';

/**
 * The page's typed client over `window.artSync`: `invoke` unwraps the result envelope, so a failed
 * call is a thrown ApiError carrying the sentence (and the fixing action) the UI shows.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly action: string | undefined;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.action = info.action;
  }

  toInfo(): ErrorInfo {
    return this.action === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, action: this.action };
  }
}

export interface Api {
  invoke<C extends IpcChannel>(channel: C, ...args: IpcInvokeArgs<C>): Promise<IpcOutput<C>>;
  on<E extends AppEventName>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
}

export function createApi(bridge: ArtSyncBridge): Api {
  return {
    async invoke(channel, ...args) {
      let result;
      try {
        result = await bridge.invoke(channel, ...args);
      } catch {
        // The preload always resolves with an envelope; a rejection means the bridge itself broke.
        throw new ApiError({ code: 'INTERNAL', message: 'Art Sync’s window lost contact with the app. Restart Art Sync.' });
      }
      if (!result.ok) throw new ApiError(result.error);
      return result.value;
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}

/** Any thrown value as the ErrorInfo the UI shows. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return error.toInfo();
  return { code: 'INTERNAL', message: 'Something went wrong inside Art Sync.' };
}

declare global {
  interface Window {
    readonly artSync?: ArtSyncBridge;
  }
}

/** The preload's bridge, or null when the page is opened outside Art Sync. */
export function windowBridge(): ArtSyncBridge | null {
  return window.artSync ?? null;
}
