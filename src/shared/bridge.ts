/**
 * What the preload exposes to the page as `window.artSync`. For now only the app version; the
 * desktop issue grows this into the typed IPC contract (`invoke` / `on` from src/shared/ipc.ts).
 */
export interface ArtSyncBridge {
  readonly version: string;
}

/** The global name the preload uses with `contextBridge.exposeInMainWorld`. */
export const BRIDGE_GLOBAL = 'artSync';
