import type { Settings } from '../../shared/settings';
import type { EtsyClient } from '../etsy/client';
import type { CatalogRepo } from '../store/catalog-repo';
import type { MirrorRepo } from '../store/mirror-repo';
import type { SyncRepos } from '../store/sync-repos';

export interface SyncProgress {
  phase: 'listings' | 'inventory' | 'receipts' | 'planning' | 'writing';
  done: number;
  total: number | null;
}

/** Everything a sync run works with; built by the engine for one run. */
export interface SyncContext {
  client: EtsyClient;
  mirror: MirrorRepo;
  repos: SyncRepos;
  catalog: CatalogRepo;
  settings: Settings;
  shop: { shopId: number; currency: string };
  /** SKUs the server link's pull just changed (their catalog edits are explained as made on the server). */
  serverEdited?: ReadonlySet<string>;
  now(): number;
  signal: AbortSignal | undefined;
  onProgress?(progress: SyncProgress): void;
}

/** An item change as applied (or not): the plan's change plus what happened to it. */
export interface AppliedChange {
  sku: string;
  listingId: number | null;
  side: 'etsy' | 'catalog';
  field: 'quantity' | 'price' | 'state';
  before: number | string | null;
  after: number | string | null;
  reason: string;
  explanation: string;
  receiptIds: number[];
  status: 'applied' | 'failed' | 'unknown' | 'planned';
}

export interface SyncErrorInfo {
  sku?: string;
  listingId?: number;
  code: string;
  message: string;
}
