import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CatalogRow, PushState } from '../../shared/ipc';
import { MAX_QUANTITY, MAX_QUANTITY_TEXT } from '../../shared/quantity';
import { moneyText, reasonLabel } from '../format';

/** What the row shows after an action: saving, saved, or the error in words. */
export type RowResult = { kind: 'busy' | 'ok' | 'error'; text: string };

/** Whole numbers from `min` to MAX_QUANTITY, typed as digits only; the message says what is allowed. */
export function parseStockText(text: string, min = 0): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > MAX_QUANTITY) {
    return { ok: false, message: `Enter a whole number from ${min} to ${MAX_QUANTITY_TEXT}.` };
  }
  return { ok: true, value: Number(trimmed) };
}

/** One catalog item: SKU, title, stock (editable in place), price, Etsy listings, last change, actions. */
export function CatalogRowView(props: {
  row: CatalogRow;
  result: RowResult | null;
  onSaveStock(quantity: number): Promise<boolean>;
  onRecordSale(quantity: number): Promise<boolean>;
  onOpenListing(listingId: number): void;
  onShowHistory(): void;
}) {
  const { row } = props;
  const [mode, setMode] = useState<'view' | 'edit' | 'sell'>('view');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  // Keyboard users keep their place: when the field closes (saved, Escape, Cancel), focus goes back to
  // the button that opened it instead of falling to the page.
  const editButton = useRef<HTMLButtonElement>(null);
  const sellButton = useRef<HTMLButtonElement>(null);
  const closedFrom = useRef<'edit' | 'sell' | null>(null);
  const close = () => {
    if (mode !== 'view') closedFrom.current = mode;
    setMode('view');
  };
  useEffect(() => {
    if (mode !== 'view' || closedFrom.current === null) return;
    (closedFrom.current === 'edit' ? editButton : sellButton).current?.focus();
    closedFrom.current = null;
  }, [mode]);

  const start = (next: 'edit' | 'sell') => {
    setMode(next);
    setText(next === 'edit' ? String(row.quantity) : '1');
    setInvalid(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseStockText(text, mode === 'sell' ? 1 : 0);
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    const done = mode === 'sell' ? await props.onRecordSale(parsed.value) : await props.onSaveStock(parsed.value);
    if (done) close();
  };
  const inputLabel = mode === 'sell' ? `Quantity sold of ${row.sku}` : `Stock of ${row.sku}`;
  const message = invalid ?? props.result?.text ?? null;
  const messageKind = invalid ? 'error' : (props.result?.kind ?? 'ok');

  return (
    <div className="catalog-row">
      <div className="catalog-cell catalog-item">
        <span className="history-sku mono">{row.sku}</span>
        <span className="muted catalog-title" title={row.title}>
          {row.title}
        </span>
      </div>
      <div className="catalog-cell catalog-stock">
        {mode === 'view' ? (
          <span className={row.quantity === 0 ? 'pill pill-error' : row.low ? 'pill pill-warn' : ''} aria-label={`Stock ${row.quantity}${row.low ? ', low' : ''}`}>
            {row.quantity}
          </span>
        ) : (
          <form className="catalog-edit" onSubmit={submit}>
            <input
              type="text"
              inputMode="numeric"
              aria-label={inputLabel}
              aria-invalid={invalid !== null}
              value={text}
              // The owner just asked to type here.
              autoFocus
              onChange={(event) => setText(event.currentTarget.value)}
              onKeyDown={(event) => event.key === 'Escape' && close()}
            />
            <button type="submit" className="button">
              {mode === 'sell' ? 'Record' : 'Save'}
            </button>
            <button type="button" className="button-plain" onClick={close}>
              Cancel
            </button>
          </form>
        )}
        {message && (
          <span role="status" className={messageKind === 'error' ? 'field-error' : 'muted'}>
            {message}
          </span>
        )}
      </div>
      <div className="catalog-cell">{moneyText(row.price, row.currency)}</div>
      <div className="catalog-cell catalog-listings">
        {row.listings.length === 0 ? (
          <span className="muted">Not on Etsy</span>
        ) : (
          <span className="catalog-listings-links">
            {row.listings.map((listing) => (
              <button key={listing.listingId} type="button" className="button-plain catalog-link" onClick={() => props.onOpenListing(listing.listingId)}>
                {listing.listingId} ({listing.removed ? 'removed' : listing.state})
              </button>
            ))}
          </span>
        )}
        {row.push && <PushStateView sku={row.sku} push={row.push} />}
      </div>
      <div className="catalog-cell catalog-last" title={row.lastChange?.explanation ?? ''}>
        {row.lastChange ? reasonLabel(row.lastChange.reason) : <span className="muted">No changes yet</span>}
      </div>
      <div className="catalog-cell catalog-actions">
        <button ref={editButton} type="button" className="button-plain" onClick={() => start('edit')} aria-label={`Edit stock of ${row.sku}`}>
          Edit stock
        </button>
        <button ref={sellButton} type="button" className="button-plain" onClick={() => start('sell')} aria-label={`Record sale of ${row.sku}`}>
          Record sale
        </button>
        <button type="button" className="button-plain" onClick={props.onShowHistory} aria-label={`History of ${row.sku}`}>
          History
        </button>
      </div>
    </div>
  );
}

const PUSH_LABELS: Record<PushState['state'], string> = {
  pushing: 'pushing…',
  on_etsy: 'on Etsy',
  waiting: 'waiting',
  error: 'not pushed',
};
const PUSH_CLASSES: Record<PushState['state'], string> = {
  pushing: 'pill',
  on_etsy: 'pill pill-ok',
  waiting: 'pill pill-warn',
  error: 'pill pill-error',
};

/**
 * Where the row's stock is on its way to Etsy (issue 15 item 1), as the core reports it: "pushing…",
 * "on Etsy", "waiting: why" or "not pushed: the error". The full sentence is the tooltip when the
 * row is too narrow for it.
 */
export function PushStateView(props: { sku: string; push: PushState }) {
  const { push } = props;
  const label = PUSH_LABELS[push.state];
  const text = push.message ? `${label}: ${push.message}` : label;
  return (
    <span className={`push-state ${PUSH_CLASSES[push.state]}`} title={text} data-push-state={push.state}>
      {text}
    </span>
  );
}
