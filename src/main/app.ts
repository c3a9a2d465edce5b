// TEMP until composition root lands: the lead replaces this file with the real composition root
// (store, Etsy client, sync, scheduler, ...). It only fixes the shape src/main/index.ts relies on.
export interface AppOptions {
  /** Per-user data folder (SQLite database, logs). */
  dataDir: string;
}

export interface ArtSyncApp {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(_options: AppOptions): Promise<ArtSyncApp> {
  return {
    async start() {},
    async stop() {},
  };
}
