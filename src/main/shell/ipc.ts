/**
 * Registers the IPC contract with Electron: one `ipcMain.handle` per channel, each going through the
 * gate with the sender frame's URL, and a broadcaster for main → window events. Electron objects are
 * injected so tests pass fakes.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannel, type AppEventName, type AppEvents } from '../../shared/events';
import { IPC_CHANNELS } from '../../shared/ipc';
import type { IpcGate } from '../desktop/ipc-gate';

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, gate: IpcGate): () => void {
  for (const channel of IPC_CHANNELS) {
    // senderFrame is null when the frame navigated or was destroyed meanwhile: the gate refuses that.
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => gate.dispatch(channel, input, event.senderFrame?.url));
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Sends an event to every live window showing the app's page. */
export function createBroadcaster(
  targets: () => readonly Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'>[],
  isAppPage: (url: string) => boolean,
): <E extends AppEventName>(event: E, payload: AppEvents[E]) => void {
  return (event, payload) => {
    for (const contents of targets()) {
      if (contents.isDestroyed() || !isAppPage(contents.getURL())) continue;
      contents.send(eventChannel(event), payload);
    }
  };
}
