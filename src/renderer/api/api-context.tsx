import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { AppEventName, AppEvents } from '../../shared/events';
import { errorInfo, type Api } from './client';

const ApiContext = createContext<Api | null>(null);

export function ApiProvider(props: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={props.api}>{props.children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export interface Loaded<T> {
  data: T | null;
  error: ErrorInfo | null;
  loading: boolean;
  reload(): void;
}

/** Loads once per `key` and on reload(); a late answer for an old key is dropped. */
export function useLoad<T>(load: (api: Api) => Promise<T>, key: string): Loaded<T> {
  const api = useApi();
  const [state, setState] = useState<{ data: T | null; error: ErrorInfo | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current(api).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error: errorInfo(error), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** Subscribes to a core event for the component's lifetime. */
export function useEvent<E extends AppEventName>(event: E, listener: (payload: AppEvents[E]) => void): void {
  const api = useApi();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (payload) => ref.current(payload)), [api, event]);
}
