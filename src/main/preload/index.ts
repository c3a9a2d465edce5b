// Sandboxed preload (bundled to dist/preload/index.cjs by scripts/build.mjs). It exposes exactly the
// typed contract — `invoke` and `on` — as `window.artSync`, and never hands Electron objects such as
// ipcRenderer or its events to the page. Unknown channels and events are refused here, before
// anything is sent; main checks everything again (ipc-gate.ts), since a page could bypass this file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ArtSyncBridge } from '../../shared/bridge';
import { BRIDGE_GLOBAL } from '../../shared/bridge';
import { eventChannel, isAppEventName } from '../../shared/events';
import { IPC_CHANNEL_NAMES } from '../../shared/ipc-channels';

const channels: ReadonlySet<string> = new Set(IPC_CHANNEL_NAMES);

function invoke(channel: unknown, input?: unknown): Promise<unknown> {
  if (typeof channel !== 'string' || !channels.has(channel)) {
    const name = typeof channel === 'string' ? channel.slice(0, 60) : typeof channel;
    return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `Art Sync has no request called "${name}".` } });
  }
  // The gate always answers with an envelope; a rejection here means main had no handler (yet).
  return ipcRenderer.invoke(channel, input).catch(() => ({
    ok: false,
    error: { code: 'INTERNAL', message: 'Something went wrong inside Art Sync.' },
  }));
}

function on(event: unknown, listener: unknown): () => void {
  if (!isAppEventName(event)) throw new Error(`Art Sync has no event called "${String(event).slice(0, 60)}".`);
  if (typeof listener !== 'function') throw new Error('on() needs a function to call.');
  const channel = eventChannel(event);
  // Only the payload reaches the page: the IpcRendererEvent carries `sender` (the ipcRenderer).
  const forward = (_event: IpcRendererEvent, payload: unknown) => {
    (listener as (payload: unknown) => void)(payload);
  };
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const bridge = Object.freeze({ invoke, on }) as ArtSyncBridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
