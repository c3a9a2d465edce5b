/**
 * What the preload exposes to the page as `window.artSync`: exactly `invoke` and `on`, typed from
 * the IPC contract (./ipc.ts, ./events.ts). Nothing else — no ipcRenderer, no Node.
 */
import type { AppEventName, AppEvents } from './events';
import type { IpcChannel, IpcInvokeArgs, IpcResult } from './ipc';

export interface ArtSyncBridge {
  /** Always resolves with the result envelope; unknown channels resolve with INVALID_INPUT. */
  invoke<C extends IpcChannel>(channel: C, ...args: IpcInvokeArgs<C>): Promise<IpcResult<C>>;
  /** Subscribes to a main-process event; returns the unsubscribe function. Throws on an unknown event. */
  on<E extends AppEventName>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
}

/** The global name the preload uses with `contextBridge.exposeInMainWorld`. */
export const BRIDGE_GLOBAL = 'artSync';
