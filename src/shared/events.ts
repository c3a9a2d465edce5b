/**
 * Events main pushes to the window (the other half of the IPC contract in ./ipc.ts). The page
 * subscribes with `window.artSync.on(event, cb)`, which returns an unsubscribe function.
 * Payloads are plain JSON data and, like IPC outputs, never carry a secret.
 *
 * Pure TypeScript: no Node, Electron or DOM.
 */
import type { AppStatus, RunItem, SyncProgressView } from './ipc';

export interface AppEvents {
  /** The status changed (a run started or ended, pause, reconnect needed, settings, attention …). */
  'status:changed': AppStatus;
  /** Live progress of the sync in flight ("Syncing 12 of 40"). */
  'sync:progress': SyncProgressView;
  /** A sync finished (scheduled or manual): the runs that ended, newest first. */
  'sync:finished': { runs: RunItem[] };
  /** Show a page of the window (the tray's "Record a sale…" opens the Catalog page). */
  'window:navigate': { page: string };
}

export type AppEventName = keyof AppEvents;

const EVENT_NAMES: Record<AppEventName, true> = {
  'status:changed': true,
  'sync:progress': true,
  'sync:finished': true,
  'window:navigate': true,
};

export const APP_EVENTS = Object.keys(EVENT_NAMES) as AppEventName[];

export function isAppEventName(value: unknown): value is AppEventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_NAMES, value);
}

/** The Electron channel an event travels on (kept apart from invoke channels by its prefix). */
export function eventChannel(name: AppEventName): `event:${AppEventName}` {
  return `event:${name}`;
}
