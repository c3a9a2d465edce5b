import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { statusHeadline, type AppStatus, type StatusHeadline, type SyncProgressView } from '../../shared/status';
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

/**
 * The window header's words: statusHeadline (src/shared/status.ts), the same the tray and
 * `art-sync status` show, with the live progress (newer than the snapshot) folded in.
 */
export function windowHeadline(status: AppStatus, progress: SyncProgressView | null): StatusHeadline {
  return statusHeadline({ ...status, progress: progress ?? status.progress }, status.at);
}
