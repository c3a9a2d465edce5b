import type { ArtSyncBridge } from '../shared/bridge';

declare global {
  interface Window {
    readonly artSync?: ArtSyncBridge;
  }
}

/** The preload's API, or null when the page runs outside Electron (for example in plain Chromium). */
export function getBridge(): ArtSyncBridge | null {
  return window.artSync ?? null;
}
