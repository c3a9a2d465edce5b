import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { createCatalogRepo, type CatalogRepo } from './catalog-repo';
import { MirrorRepo } from './mirror-repo';
import * as schema from './schema';
import { createSyncRepos, type SyncRepos } from './sync-repos';

/**
 * A private, in-memory copy of the store for a dry run (docs/SYNC.md, "Dry run"). The preview reads
 * Etsy, refreshes the mirror and plans exactly as a real run does, but every row it writes lands in
 * this copy, which is thrown away. The shared connection holds no transaction meanwhile, so an edit
 * saved in the window or another process's run during the preview is neither blocked nor undone.
 */
export interface StoreSnapshot {
  mirror: MirrorRepo;
  repos: SyncRepos;
  catalog: CatalogRepo;
  close(): void;
}

// Bytes 18 and 19 of a database header: the file format versions, 2 for WAL. An in-memory database
// cannot use WAL, so the copy is marked as a rollback-journal database before it is opened.
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const LEGACY_JOURNAL = 1;

export interface SnapshotOptions {
  now?: () => number;
  /**
   * The better-sqlite3 addon built for the running runtime (see open-store.ts). Under Electron the
   * default addon has the wrong ABI; `npm start` sets ART_SYNC_SQLITE_BINDING, used when this is unset.
   */
  nativeBinding?: string | undefined;
}

export function openStoreSnapshot(sqlite: Database.Database, options: SnapshotOptions = {}): StoreSnapshot {
  // serialize() reads one consistent state of the database (committed WAL frames included).
  const bytes = sqlite.serialize();
  bytes[WRITE_VERSION_OFFSET] = LEGACY_JOURNAL;
  bytes[READ_VERSION_OFFSET] = LEGACY_JOURNAL;
  const nativeBinding = options.nativeBinding ?? (process.env.ART_SYNC_SQLITE_BINDING || undefined);
  const copy = new Database(bytes, nativeBinding ? { nativeBinding } : {});
  copy.pragma('foreign_keys = ON');
  return {
    mirror: new MirrorRepo(copy),
    repos: createSyncRepos(copy),
    catalog: createCatalogRepo(drizzle(copy, { schema }), options.now ? { now: options.now } : {}),
    close: () => {
      if (copy.open) copy.close();
    },
  };
}
