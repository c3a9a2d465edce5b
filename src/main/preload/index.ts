// Sandboxed preload (bundled to dist/preload/index.cjs by scripts/build.mjs). It exposes a frozen
// object and never hands Electron objects such as ipcRenderer to the page.
import { contextBridge } from 'electron';
import { BRIDGE_GLOBAL, type ArtSyncBridge } from '../../shared/bridge';

// Replaced at bundle time with package.json's version (a sandboxed preload cannot read files).
declare const __APP_VERSION__: string;

const bridge: ArtSyncBridge = Object.freeze({ version: __APP_VERSION__ });

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
