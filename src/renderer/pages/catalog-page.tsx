import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { CATALOG_PAGE_MAX, PUSH_STATE_MAX_SKUS, type CatalogFilter, type CatalogRow, type HistoryItem } from '../../shared/ipc';
import { useApi, useLoad } from '../api/api-context';
import { errorInfo } from '../api/client';
import { useCatalogCsv } from '../components/catalog-csv';
import { CatalogRowView, parseStockText, type RowResult } from '../components/catalog-row';
import { ErrorBanner } from '../components/error-banner';
import { Field } from '../components/field';
import { VirtualList } from '../components/virtual-list';
import { dateTime, reasonLabel, valueText } from '../format';
import { useStatus } from '../hooks/use-status';

/** Rows per catalog:page call; the next page comes by keyset (after the last SKU) near the end. */
const PAGE_SIZE = 100;
/** Every row is this tall: the virtual list needs one fixed height. */
const ROW_HEIGHT = 64;

/** How often rows whose stock is on its way to Etsy ask the core again (pushing; waiting is slower). */
const PUSH_POLL_MS = 1_000;
const WAITING_POLL_MS = 5_000;

/** 'not_in_catalog' is not a catalog row: those are Etsy items the last sync listed under Needs attention. */
type PageFilter = '' | CatalogFilter | 'not_in_catalog';

const FILTERS: { value: PageFilter; label: string }[] = [
  { value: '', label: 'All items' },
  { value: 'low_stock', label: 'Low stock' },
  { value: 'not_on_etsy', label: 'Not on Etsy' },
  { value: 'sold_out', label: 'Sold out' },
  { value: 'not_in_catalog', label: 'On Etsy, not in the catalog' },
];

interface Query {
  query: string;
  filter: PageFilter;
}

/**
 * Catalog pages for one search: the first page on a change, then one more near the end of the list.
 * When `refreshKey` changes (a sync finished, a CSV was imported) the rows already loaded are read again
 * in place: the list keeps its length, its scroll position and any row's open field.
 */
function useCatalogRows(query: Query, refreshKey: string) {
  const api = useApi();
  const [items, setItems] = useState<CatalogRow[]>([]);
  const [nextAfterSku, setNextAfterSku] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const generation = useRef(0);
  const key = JSON.stringify(query);
  const loadedCount = useRef(0);
  loadedCount.current = items.length;
  const shownKey = useRef<string | null>(null);

  const request = useCallback(
    (afterSku: string | null, limit: number) => {
      const { query: text, filter } = JSON.parse(key) as Query;
      return api.invoke('catalog:page', {
        ...(text.trim() ? { query: text.trim() } : {}),
        ...(filter && filter !== 'not_in_catalog' ? { filter } : {}),
        ...(afterSku !== null ? { afterSku } : {}),
        limit,
      });
    },
    [api, key],
  );

  const fetchPage = useCallback(
    async (afterSku: string | null, reset: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await request(afterSku, PAGE_SIZE);
        if (mine !== generation.current) return;
        setItems((previous) => (reset ? page.items : previous.concat(page.items)));
        setNextAfterSku(page.nextAfterSku);
        setError(null);
      } catch (caught) {
        if (mine === generation.current) setError(errorInfo(caught));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [request],
  );

  /** The rows loaded so far, read again from the first, in pages as large as the core allows. */
  const refreshLoaded = useCallback(async () => {
    const mine = ++generation.current;
    const want = Math.max(PAGE_SIZE, loadedCount.current);
    const rows: CatalogRow[] = [];
    let next: string | null = null;
    try {
      do {
        const page = await request(next, Math.min(CATALOG_PAGE_MAX, want - rows.length));
        if (mine !== generation.current) return;
        rows.push(...page.items);
        next = page.nextAfterSku;
      } while (next !== null && rows.length < want);
      setItems(rows);
      setNextAfterSku(next);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(errorInfo(caught));
    } finally {
      // A next page asked for meanwhile was dropped (its answer is older): it is not loading any more.
      if (mine === generation.current) setLoading(false);
    }
  }, [request]);

  useEffect(() => {
    if (shownKey.current === key) {
      void refreshLoaded();
      return;
    }
    shownKey.current = key;
    setItems([]);
    setNextAfterSku(null);
    void fetchPage(null, true);
    // refreshKey: the same search read again (a sync finished, an import), kept in place.
  }, [key, fetchPage, refreshLoaded, refreshKey]);

  const loadMore = useCallback(() => {
    if (nextAfterSku !== null) void fetchPage(nextAfterSku, false);
  }, [fetchPage, nextAfterSku]);

  /** A row changed by this page (a saved stock, a sale): shown at once, without reloading the list. */
  const patch = useCallback((sku: string, change: Partial<CatalogRow>) => {
    setItems((previous) => previous.map((item) => (item.sku === sku ? { ...item, ...change } : item)));
  }, []);

  /** Push states from the core (catalog:pushState), one update for many rows. */
  const patchPush = useCallback((states: { sku: string; push: CatalogRow['push'] }[]) => {
    const bySku = new Map(states.map((state) => [state.sku, state.push]));
    setItems((previous) => previous.map((item) => (bySku.has(item.sku) ? { ...item, push: bySku.get(item.sku) ?? null } : item)));
  }, []);

  return { items, hasMore: nextAfterSku !== null, loading, error, loadMore, patch, patchPush };
}

/**
 * Rows whose stock is on its way to Etsy ask the core for their push state until it settles ("on
 * Etsy" or an error): the state is the core's (stock vs the last sync, writes in flight, failures),
 * the page only asks again.
 */
function usePushStates(items: CatalogRow[], patchPush: (states: { sku: string; push: CatalogRow['push'] }[]) => void) {
  const api = useApi();
  const moving = items.filter((item) => item.push?.state === 'pushing' || item.push?.state === 'waiting');
  const key = moving.map((item) => `${item.sku}:${item.push?.state}`).join(',');
  const skus = moving.slice(0, PUSH_STATE_MAX_SKUS).map((item) => item.sku);
  const delay = moving.some((item) => item.push?.state === 'pushing') ? PUSH_POLL_MS : WAITING_POLL_MS;
  const skusRef = useRef(skus);
  skusRef.current = skus;
  // `tick` restarts the wait after each answer, also when nothing changed.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (skusRef.current.length === 0) return;
    let live = true;
    const timer = setTimeout(() => {
      api
        .invoke('catalog:pushState', { skus: skusRef.current })
        .then((states) => live && patchPush(states))
        .catch(() => undefined)
        .finally(() => live && setTick((n) => n + 1));
    }, delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, delay, tick, patchPush]);
}

/** Every catalog item with its stock, price and Etsy listings; edit stock in place, record a sale, see its history. */
export function CatalogPage() {
  const api = useApi();
  const { status } = useStatus();
  const [draft, setDraft] = useState<Query>({ query: '', filter: '' });
  const [applied, setApplied] = useState<Query>({ query: '', filter: '' });
  const [results, setResults] = useState<Record<string, RowResult>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const rows = useCatalogRows(applied, `${status?.lastSyncedAt ?? 0}:${reloads}`);
  usePushStates(rows.items, rows.patchPush);
  const csv = useCatalogCsv({ onApplied: () => setReloads((n) => n + 1) });

  /** After a save or a sale: the row's push state at once ("pushing…"), then usePushStates follows it. */
  const refreshPush = (sku: string) => {
    void api
      .invoke('catalog:pushState', { skus: [sku] })
      .then((states) => rows.patchPush(states))
      .catch(() => undefined);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  const setResult = (sku: string, result: RowResult) => setResults((previous) => ({ ...previous, [sku]: result }));

  const saveStock = async (row: CatalogRow, quantity: number) => {
    setResult(row.sku, { kind: 'busy', text: 'Saving…' });
    try {
      const saved = await api.invoke('catalog:setStock', { sku: row.sku, quantity });
      rows.patch(row.sku, { quantity: saved.after });
      refreshPush(row.sku);
      setResult(row.sku, { kind: 'ok', text: saved.changed ? 'Saved. Etsy gets it within seconds while Art Sync is syncing.' : 'Saved (unchanged).' });
      return true;
    } catch (caught) {
      setResult(row.sku, { kind: 'error', text: errorInfo(caught).message });
      return false;
    }
  };

  const recordSale = async (row: CatalogRow, quantity: number) => {
    setResult(row.sku, { kind: 'busy', text: 'Recording…' });
    try {
      const sale = await api.invoke('catalog:sell', { sku: row.sku, quantity });
      rows.patch(row.sku, { quantity: sale.after, lastChange: { at: Date.now(), reason: 'sold_in_person', explanation: sale.explanation } });
      refreshPush(row.sku);
      setResult(row.sku, { kind: 'ok', text: `${sale.explanation}. Etsy gets it within seconds while Art Sync is syncing.` });
      return true;
    } catch (caught) {
      setResult(row.sku, { kind: 'error', text: errorInfo(caught).message });
      return false;
    }
  };

  const openListing = (listingId: number) => {
    void api.invoke('app:openExternal', { url: `https://www.etsy.com/listing/${listingId}` }).catch(() => undefined);
  };

  return (
    <section className="page page-wide" aria-labelledby="catalog-heading">
      <header className="page-header">
        <div>
          <h2 id="catalog-heading">Catalog</h2>
          <p className="page-lead">Your items, their stock and where they are on Etsy. Stock you change or sell here goes to Etsy a few seconds later.</p>
        </div>
        {csv.actions}
      </header>

      <form className="filters" onSubmit={submit} role="search" aria-label="Search the catalog">
        <Field label="SKU or title">
          {({ id }) => (
            <input id={id} type="search" name="query" value={draft.query} onChange={(event) => setDraft({ ...draft, query: event.currentTarget.value })} />
          )}
        </Field>
        <Field label="Show">
          {({ id }) => (
            <select
              id={id}
              name="filter"
              value={draft.filter}
              onChange={(event) => {
                const next = { ...draft, filter: event.currentTarget.value as Query['filter'] };
                setDraft(next);
                setApplied(next);
              }}
            >
              {FILTERS.map((filter) => (
                <option key={filter.value} value={filter.value}>
                  {filter.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>

      {csv.preview}
      <ErrorBanner error={rows.error} />
      {applied.filter === 'not_in_catalog' ? (
        <NotInCatalog />
      ) : (
        <div className={`catalog-body${selected ? ' catalog-body-split' : ''}`}>
          <div className="activity-body">
            <CatalogHead />
            <VirtualList
              label="Catalog items"
              items={rows.items}
              rowHeight={ROW_HEIGHT}
              getKey={(item) => item.sku}
              hasMore={rows.hasMore}
              loading={rows.loading}
              onNearEnd={rows.loadMore}
              resetKey={JSON.stringify(applied)}
              empty={applied.query || applied.filter ? 'No items match.' : 'The catalog is empty. It fills with the first sync, or import a CSV with "Import CSV…".'}
              renderRow={(item) => (
                <CatalogRowView
                  row={item}
                  result={results[item.sku] ?? null}
                  onSaveStock={(quantity) => saveStock(item, quantity)}
                  onRecordSale={(quantity) => recordSale(item, quantity)}
                  onOpenListing={openListing}
                  onShowHistory={() => setSelected(item.sku)}
                />
              )}
            />
          </div>
            {selected && (
            <VariantHistory
              sku={selected}
              level={rows.items.find((item) => item.sku === selected)?.lowStockThreshold ?? null}
              onLevel={(level) => rows.patch(selected, { lowStockThreshold: level })}
              onClose={() => setSelected(null)}
              refreshKey={JSON.stringify(results[selected] ?? null)}
            />
          )}
        </div>
      )}
    </section>
  );
}

/** One item's own low-stock level (0 = never low), or the global setting. */
function LowStockLevel(props: { sku: string; level: number | null; onLevel(level: number | null): void }) {
  const api = useApi();
  const [text, setText] = useState(props.level === null ? '' : String(props.level));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const save = async (level: number | null) => {
    try {
      const saved = await api.invoke('catalog:setLowStock', { sku: props.sku, threshold: level });
      props.onLevel(saved.lowStockThreshold);
      setText(saved.lowStockThreshold === null ? '' : String(saved.lowStockThreshold));
      setMessage({ error: false, text: level === null ? 'Follows the setting.' : 'Saved.' });
    } catch (caught) {
      setMessage({ error: true, text: errorInfo(caught).message });
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseStockText(text);
    if (!parsed.ok) setMessage({ error: true, text: parsed.message });
    else void save(parsed.value);
  };
  return (
    <form className="catalog-edit" onSubmit={submit}>
      <Field label="Low at or below" hint="Empty: the setting. 0: never low.">
        {({ id, describedBy }) => (
          <input id={id} type="text" inputMode="numeric" value={text} aria-describedby={describedBy} onChange={(event) => setText(event.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" className="button">
        Save level
      </button>
      <button type="button" className="button-plain" onClick={() => void save(null)}>
        Use the setting
      </button>
      {message && (
        <span role="status" className={message.error ? 'field-error' : 'muted'}>
          {message.text}
        </span>
      )}
    </form>
  );
}

/** SKUs on Etsy the catalog lacks: the sync's "unmatched" attention items (add them to the catalog to sync them). */
function NotInCatalog() {
  const attention = useLoad((api) => api.invoke('attention:list'), 'not-in-catalog');
  const items = (attention.data ?? []).filter((item) => item.kind === 'unmatched_etsy');
  return (
    <div className="card">
      <ErrorBanner error={attention.error} />
      {attention.data && items.length === 0 && <p className="muted">Every SKU on Etsy is in the catalog.</p>}
      <ul className="run-list" aria-label="On Etsy, not in the catalog">
        {items.map((item) => (
          <li key={item.id}>
            <span className="mono">{item.sku}</span> <span className="muted">{item.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The history of one SKU, beside the list, with its own low-stock level. */
function VariantHistory(props: { sku: string; level: number | null; onLevel(level: number | null): void; onClose(): void; refreshKey: string }) {
  const history = useLoad((api) => api.invoke('history:list', { sku: props.sku, limit: 50 }), `${props.sku}:${props.refreshKey}`);
  return (
    <aside className="card catalog-history" aria-label={`History of ${props.sku}`}>
      <div className="page-header">
        <h3 className="mono">{props.sku}</h3>
        <button type="button" className="button-plain" onClick={props.onClose}>
          Close
        </button>
      </div>
      <LowStockLevel key={props.sku} sku={props.sku} level={props.level} onLevel={props.onLevel} />
      <ErrorBanner error={history.error} />
      {history.data && history.data.items.length === 0 && <p className="muted">No changes yet.</p>}
      <ul className="run-list">
        {(history.data?.items ?? []).map((item: HistoryItem) => (
          <li key={item.id}>
            <div className="history-line">
              <span className="muted">{dateTime(item.at)}</span>
              <span className="pill">{reasonLabel(item.reason)}</span>
              <span className="muted">
                {item.side} {valueText(item.before, item.field)} → {valueText(item.after, item.field)}
              </span>
            </div>
            <div className="catalog-history-explanation">{item.explanation}</div>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/**
 * The column names above the list. For the eyes only: each row's cells and buttons carry their own
 * names. The actions column holds hidden copies of the row's buttons so the columns line up with the rows.
 */
function CatalogHead() {
  return (
    <div className="catalog-row catalog-head" aria-hidden="true">
      <span className="catalog-cell">Item</span>
      <span className="catalog-cell">Stock</span>
      <span className="catalog-cell">Price</span>
      <span className="catalog-cell">On Etsy</span>
      <span className="catalog-cell">Last change</span>
      <span className="catalog-cell catalog-actions catalog-head-spacer">
        <span className="button-plain">Edit stock</span>
        <span className="button-plain">Record sale</span>
        <span className="button-plain">History</span>
      </span>
    </div>
  );
}
