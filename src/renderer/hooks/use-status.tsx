import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { AppStatus, SyncProgressView } from '../../shared/ipc';
import { useApi } from '../api/api-context';
import { errorInfo } from '../api/client';

export interface StatusState {
  status: AppStatus | null;
  /** Live progress from `sync:progress`, newer than the status snapshot; null when idle. */
  progress: SyncProgressView | null;
  error: ErrorInfo | null;
  refresh(): Promise<void>;
}

const StatusContext = createContext<StatusState | null>(null);

/** One status for the whole window: loaded once, then kept current by the core's events. */
export function StatusProvider(props: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [progress, setProgress] = useState<SyncProgressView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await api.invoke('status:get');
      setStatus(next);
      setProgress(next.progress);
      setError(null);
    } catch (caught) {
      setError(errorInfo(caught));
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    const offStatus = api.on('status:changed', (next) => {
      setStatus(next);
      setProgress(next.progress);
    });
    const offProgress = api.on('sync:progress', (next) => setProgress(next));
    const offFinished = api.on('sync:finished', () => {
      setProgress(null);
      void refresh();
    });
    return () => {
      offStatus();
      offProgress();
      offFinished();
    };
  }, [api, refresh]);

  return <StatusContext.Provider value={{ status, progress, error, refresh }}>{props.children}</StatusContext.Provider>;
}

export function useStatus(): StatusState {
  const state = useContext(StatusContext);
  if (!state) throw new Error('useStatus outside StatusProvider');
  return state;
}

/** The one line the tray and the Status page agree on (PRODUCT.md §8), by priority. */
export function statusHeadline(status: AppStatus, progress: SyncProgressView | null): { text: string; tone: 'ok' | 'warn' | 'error' | 'busy' } {
  if (status.needsReconnect) return { text: 'Reconnect Etsy', tone: 'error' };
  if (!status.connected) return { text: 'Etsy is not connected', tone: 'error' };
  if (status.lastError) return { text: 'The last sync failed', tone: 'error' };
  if (status.attention > 0) return { text: `${status.attention} ${status.attention === 1 ? 'item needs' : 'items need'} attention`, tone: 'warn' };
  if (status.running || progress) return { text: progressText(progress), tone: 'busy' };
  if (status.paused) return { text: 'Paused', tone: 'warn' };
  return { text: 'All synced', tone: 'ok' };
}

export function progressText(progress: SyncProgressView | null): string {
  if (!progress) return 'Syncing…';
  if (progress.total === null) return `Syncing ${progress.phase}…`;
  return `Syncing ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}`;
}
