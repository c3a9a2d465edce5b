import type Database from 'better-sqlite3';
import { AttentionRepo } from './attention-repo';
import { HistoryRepo } from './history-repo';
import { LinksRepo } from './links-repo';
import { ReceiptsRepo } from './receipts-repo';
import { RunsRepo } from './runs-repo';
import { SkuGroupsRepo } from './sku-groups-repo';
import { SyncStateRepo } from './sync-state-repo';
import { WriteIntentsRepo } from './write-intents-repo';

/**
 * What the sync engine remembers between runs, one repository per concern: links with their
 * baselines, runs, the per-item history, "needs attention", write intents, receipts and watermarks.
 * Plain prepared statements; a method that writes several rows is meant to run inside `transaction`.
 */
export interface SyncRepos {
  links: LinksRepo;
  runs: RunsRepo;
  history: HistoryRepo;
  attention: AttentionRepo;
  writeIntents: WriteIntentsRepo;
  receipts: ReceiptsRepo;
  syncState: SyncStateRepo;
  /** Which listings carry which SKUs (targeted syncs). */
  groups: SkuGroupsRepo;
  /** Runs `fn` in one SQLite transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
}

export function createSyncRepos(sqlite: Database.Database): SyncRepos {
  const syncState = new SyncStateRepo(sqlite);
  return {
    links: new LinksRepo(sqlite),
    runs: new RunsRepo(sqlite),
    history: new HistoryRepo(sqlite),
    attention: new AttentionRepo(sqlite),
    writeIntents: new WriteIntentsRepo(sqlite),
    receipts: new ReceiptsRepo(sqlite, syncState),
    syncState,
    groups: new SkuGroupsRepo(sqlite),
    transaction: (fn) => sqlite.transaction(fn)(),
  };
}
