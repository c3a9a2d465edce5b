import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { HISTORY_PAGE_DEFAULT, LOCAL_EDIT_REASONS, type HistoryFilter, type HistoryItem, type RunItem, type UndoRunResult } from '../../shared/ipc';
import { PLAN_REASONS } from '../../shared/plan';
import { useApi, useLoad } from '../api/api-context';
import { errorInfo } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { Field } from '../components/field';
import { VirtualList } from '../components/virtual-list';
import { dateTime, localDayEnd, localDayStart, reasonLabel, sideLabel, valueText } from '../format';
import { useStatus } from '../hooks/use-status';

/** Rows per history:list call (the contract's default page); the next page comes by keyset near the end. */
const HISTORY_PAGE_SIZE = HISTORY_PAGE_DEFAULT;
/** Every row is this tall: the virtual list needs one fixed height (see .virtual-row). */
const HISTORY_ROW_HEIGHT = 56;


interface Filters {
  sku: string;
  kind: string;
  from: string;
  to: string;
}

const EMPTY_FILTERS: Filters = { sku: '', kind: '', from: '', to: '' };

function toQuery(filters: Filters): HistoryFilter {
  const query: HistoryFilter = {};
  const sku = filters.sku.trim();
  if (sku) query.sku = sku;
  if (filters.kind.startsWith('side:')) query.side = filters.kind.slice(5) as 'etsy' | 'catalog';
  if (filters.kind.startsWith('reason:')) query.reason = filters.kind.slice(7);
  const since = localDayStart(filters.from);
  const until = localDayEnd(filters.to);
  if (since !== undefined) query.since = since;
  if (until !== undefined) query.until = until;
  return query;
}

/**
 * History pages for one filter: the first page on a filter change, then one more page each time the
 * list nears its end. Never more than one request in flight; answers for an old filter are dropped.
 */
function useHistory(query: HistoryFilter, refreshKey: number) {
  const api = useApi();
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const generation = useRef(0);
  const queryKey = JSON.stringify(query);

  const fetchPage = useCallback(
    async (beforeId: number | null, reset: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await api.invoke('history:list', {
          ...(JSON.parse(queryKey) as HistoryFilter),
          ...(beforeId !== null ? { beforeId } : {}),
          limit: HISTORY_PAGE_SIZE,
        });
        if (mine !== generation.current) return;
        setItems((previous) => (reset ? page.items : previous.concat(page.items)));
        setNextBeforeId(page.nextBeforeId);
        setError(null);
      } catch (caught) {
        if (mine === generation.current) setError(errorInfo(caught));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, queryKey],
  );

  useEffect(() => {
    setItems([]);
    setNextBeforeId(null);
    void fetchPage(null, true);
  }, [fetchPage, refreshKey]);

  const loadMore = useCallback(() => {
    if (nextBeforeId !== null) void fetchPage(nextBeforeId, false);
  }, [fetchPage, nextBeforeId]);

  return { items, hasMore: nextBeforeId !== null, loading, error, loadMore };
}

/** Runs and every item change with its explanation; filter by SKU, kind and date. */
export function ActivityPage() {
  const { status } = useStatus();
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<Filters>(EMPTY_FILTERS);
  const [undone, setUndone] = useState(0);
  const lastSynced = status?.lastSyncedAt ?? 0;
  const query = toQuery(applied);
  const history = useHistory(query, lastSynced + undone);
  const runs = useLoad((api) => api.invoke('runs:list', { limit: 5 }), `runs-${lastSynced}-${undone}`);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  // Selects and dates apply at once; the SKU applies on Enter or "Filter" (one query, not one per key).
  const change = (patch: Partial<Filters>, immediate: boolean) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (immediate) setApplied(next);
  };

  return (
    <section className="page page-wide" aria-labelledby="activity-heading">
      <header className="page-header">
        <div>
          <h2 id="activity-heading">Activity</h2>
          <p className="page-lead">Every change Art Sync made, newest first, and why.</p>
        </div>
      </header>

      {runs.data && runs.data.length > 0 && (
        <div className="card">
          <h3>Recent runs</h3>
          <ul className="run-list" aria-label="Recent runs">
            {runs.data.map((run) => (
              <li key={run.id} className="run-item">
                <span>{dateTime(run.startedAt)}</span>
                <span className="history-sku">{RUN_KIND_WORDS[run.kind]}</span>
                <span className={`pill ${run.status === 'ok' ? 'pill-ok' : run.status === 'partial' ? 'pill-warn' : run.status === 'failed' ? 'pill-error' : ''}`}>
                  {run.status}
                </span>
                <span className="muted">{run.summary ?? run.errorMessage ?? ''}</span>
                {mayUndo(run) && <UndoRun run={run} onUndone={() => setUndone((n) => n + 1)} />}
              </li>
            ))}
          </ul>
        </div>
      )}

      <form className="filters" onSubmit={submit} role="search" aria-label="Filter activity">
        <Field label="SKU">
          {({ id, describedBy }) => (
            <input id={id} type="text" name="sku" value={draft.sku} aria-describedby={describedBy} onChange={(event) => change({ sku: event.currentTarget.value }, false)} />
          )}
        </Field>
        <Field label="Kind">
          {({ id }) => (
            <select id={id} name="kind" value={draft.kind} onChange={(event) => change({ kind: event.currentTarget.value }, true)}>
              <option value="">All changes</option>
              <optgroup label="Where">
                <option value="side:etsy">Changes on Etsy</option>
                <option value="side:catalog">Changes in the catalog</option>
              </optgroup>
              <optgroup label="Why">
                {[...PLAN_REASONS, ...LOCAL_EDIT_REASONS].map((reason) => (
                  <option key={reason} value={`reason:${reason}`}>
                    {reasonLabel(reason)}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </Field>
        <Field label="From">
          {({ id }) => <input id={id} type="date" name="from" value={draft.from} onChange={(event) => change({ from: event.currentTarget.value }, true)} />}
        </Field>
        <Field label="To">
          {({ id }) => <input id={id} type="date" name="to" value={draft.to} onChange={(event) => change({ to: event.currentTarget.value }, true)} />}
        </Field>
        <div className="button-row">
          <button type="submit" className="button">
            Filter
          </button>
          <button
            type="button"
            className="button-plain"
            onClick={() => {
              setDraft(EMPTY_FILTERS);
              setApplied(EMPTY_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>

      <ErrorBanner error={history.error} />
      <div className="activity-body">
        <VirtualList
          label="Item changes"
          items={history.items}
          rowHeight={HISTORY_ROW_HEIGHT}
          getKey={(item) => item.id}
          hasMore={history.hasMore}
          loading={history.loading}
          onNearEnd={history.loadMore}
          resetKey={JSON.stringify(query)}
          empty={applied === EMPTY_FILTERS ? 'No changes yet. They appear here after the first sync.' : 'No changes match these filters.'}
          renderRow={(item) => <HistoryRow item={item} />}
        />
      </div>
    </section>
  );
}

const RUN_KIND_WORDS: Record<RunItem['kind'], string> = { products: 'Listings', inventory: 'Stock', full: 'Full', catalog: 'Catalog' };

/** A finished run that changed something may have changed stock; the core's plan says whether it did. */
function mayUndo(run: RunItem): boolean {
  return !run.dryRun && run.changesCount > 0 && (run.status === 'ok' || run.status === 'partial');
}

/** "Undo this run": the plan first (a dry run of the undo), then apply; the next sync carries it to Etsy. */
function UndoRun(props: { run: RunItem; onUndone(): void }) {
  const api = useApi();
  const [plan, setPlan] = useState<UndoRunResult | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The plan replaces the button that opened it (and the button comes back when it closes): without
  // moving focus on purpose, a keyboard user would be dropped back at the top of the page each time.
  const planRef = useRef<HTMLDivElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<'plan' | 'opener' | null>(null);
  useEffect(() => {
    if (focusNext.current === 'plan' && plan) planRef.current?.focus();
    if (focusNext.current === 'opener' && !plan) openerRef.current?.focus();
    focusNext.current = null;
  }, [plan]);
  const close = () => {
    focusNext.current = 'opener';
    setPlan(null);
  };
  const call = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.invoke('runs:undo', { runId: props.run.id, dryRun });
      if (dryRun) {
        focusNext.current = 'plan';
        setPlan(result);
      } else {
        close();
        setNotice(result.runId === null ? 'Nothing to change.' : `Undone (run ${result.runId}). Etsy gets it within seconds while Art Sync is syncing.`);
        props.onUndone();
      }
    } catch (caught) {
      setError(errorInfo(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="undo-run">
      {!plan && (
        <button ref={openerRef} type="button" className="button-plain" disabled={busy} onClick={() => void call(true)}>
          Undo this run
        </button>
      )}
      {notice && <span role="status" className="muted">{notice}</span>}
      <ErrorBanner error={error} />
      {plan && (
        <div
          ref={planRef}
          className="card"
          role="region"
          aria-label={`Undo of run ${props.run.id}`}
          tabIndex={-1}
          onKeyDown={(event) => {
            if (event.key === 'Escape') close();
          }}
        >
          <p>{plan.items.length === 0 ? 'Nothing would change.' : `Undo would change ${plan.items.length} ${plan.items.length === 1 ? 'item' : 'items'}:`}</p>
          <ul className="run-list">
            {plan.items.map((item) => (
              <li key={item.sku}>
                <span className="mono">{item.sku}</span> {item.now} → {item.after}: <span className="muted">{item.explanation}</span>
              </li>
            ))}
            {plan.skipped.map((skip) => (
              <li key={skip.sku} className="muted">
                <span className="mono">{skip.sku}</span> left as it is: {skip.reason}
              </li>
            ))}
          </ul>
          <div className="button-row">
            <button type="button" className="button-primary" disabled={busy || plan.items.length === 0} onClick={() => void call(false)}>
              Apply undo
            </button>
            <button type="button" className="button-plain" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function HistoryRow({ item }: { item: HistoryItem }) {
  return (
    <>
      <div className="history-line">
        <span className="muted">{dateTime(item.at)}</span>
        <span className="history-sku mono">{item.sku}</span>
        <span className="pill">{sideLabel(item.side)}</span>
        <span className="pill">{reasonLabel(item.reason)}</span>
        <span className="muted">
          {item.field} {valueText(item.before, item.field)} → {valueText(item.after, item.field)}
        </span>
        {item.status !== 'applied' && <span className="pill pill-error">{item.status === 'failed' ? 'Failed' : 'Unconfirmed'}</span>}
      </div>
      <div className="history-explanation" title={item.explanation}>
        {item.explanation}
      </div>
    </>
  );
}
