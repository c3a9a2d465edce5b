import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CsvPreview, CsvPreviewItem, CsvValues } from '../../shared/ipc';
import { useApi } from '../api/api-context';
import { errorInfo } from '../api/client';
import { moneyText } from '../format';
import './catalog-csv.css';

/** Rows of the change table drawn at once; the rest are counted (the counts above are complete). */
const PREVIEW_ROWS_SHOWN = 200;

interface Pick {
  fileName: string;
  preview: CsvPreview;
  /** Set when Apply found the catalog changed since the preview: what changed, and the new preview is shown. */
  stale: { message: string; changedSkus: string[] } | null;
}

/**
 * Import and export of the catalog as CSV (issue 15 item 3). The OS dialogs open in main, which reads
 * and writes the file; the page only sees the file's name, the preview and a token naming it. Import:
 * pick → preview (per SKU before → after, new SKUs, refused lines by number) → Apply or Cancel.
 * Returns the two buttons (for the page header) and the preview (for under the search form).
 */
export function useCatalogCsv(props: { onApplied(): void }): { actions: ReactNode; preview: ReactNode } {
  const api = useApi();
  const [busy, setBusy] = useState<'import' | 'export' | 'apply' | null>(null);
  const [pick, setPick] = useState<Pick | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const importButton = useRef<HTMLButtonElement>(null);

  const run = async (kind: 'import' | 'export' | 'apply', work: () => Promise<void>) => {
    setBusy(kind);
    try {
      await work();
    } catch (caught) {
      setMessage({ error: true, text: errorInfo(caught).message });
    } finally {
      setBusy(null);
    }
  };

  const importCsv = () =>
    run('import', async () => {
      setMessage(null);
      const picked = await api.invoke('catalog:importPreview');
      if (picked.cancelled) return;
      setPick({ fileName: picked.fileName, preview: picked.preview, stale: null });
    });

  const exportCsv = () =>
    run('export', async () => {
      setMessage(null);
      const saved = await api.invoke('catalog:exportCsv');
      if (saved.saved) setMessage({ error: false, text: `Exported ${saved.rows} ${saved.rows === 1 ? 'item' : 'items'} to ${saved.fileName}.` });
    });

  const close = () => {
    setPick(null);
    importButton.current?.focus();
  };

  const cancel = () => {
    void api.invoke('catalog:importCancel').catch(() => undefined);
    setMessage({ error: false, text: 'Import cancelled; nothing changed.' });
    close();
  };

  const apply = (current: Pick) =>
    run('apply', async () => {
      const result = await api.invoke('catalog:importApply', { token: current.preview.token });
      if (!result.applied) {
        setPick({ fileName: current.fileName, preview: result.preview, stale: { message: result.message, changedSkus: result.changedSkus } });
        return;
      }
      const left = result.rejected > 0 ? ` ${result.rejected} ${result.rejected === 1 ? 'line' : 'lines'} with errors left out.` : '';
      setMessage({
        error: false,
        text: `Imported ${current.fileName}: ${result.created.length} new, ${result.updated.length} changed.${left} Changed stock goes to Etsy within seconds while Art Sync is syncing.`,
      });
      close();
      props.onApplied();
    });

  return {
    actions: (
      <div className="csv-actions" role="group" aria-label="Catalog CSV">
        <button ref={importButton} type="button" className="button-plain" onClick={() => void importCsv()} disabled={busy !== null}>
          {busy === 'import' ? 'Opening…' : 'Import CSV…'}
        </button>
        <button type="button" className="button-plain" onClick={() => void exportCsv()} disabled={busy !== null}>
          {busy === 'export' ? 'Exporting…' : 'Export CSV…'}
        </button>
        {message && !pick && (
          <span role="status" className={message.error ? 'field-error' : 'muted'}>
            {message.text}
          </span>
        )}
      </div>
    ),
    preview: pick && (
      <CsvImportPreview pick={pick} busy={busy === 'apply'} error={message?.error ? message.text : null} onApply={() => void apply(pick)} onCancel={cancel} />
    ),
  };
}

function CsvImportPreview(props: { pick: Pick; busy: boolean; error: string | null; onApply(): void; onCancel(): void }) {
  const { fileName, preview, stale } = props.pick;
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the preview when it opens (and when it is replaced).
  useEffect(() => heading.current?.focus(), [preview.token]);
  const changes = preview.items.length;
  const { counts } = preview;
  const shown = preview.items.slice(0, PREVIEW_ROWS_SHOWN);

  return (
    <section
      className="card csv-preview"
      aria-labelledby="csv-preview-heading"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !props.busy) props.onCancel();
      }}
    >
      <h3 id="csv-preview-heading" ref={heading} tabIndex={-1}>
        Import preview: {fileName}
      </h3>
      {stale && (
        <p role="alert" className="field-error">
          {stale.message}
        </p>
      )}
      <p aria-label="Import summary">
        {counts.new} new, {counts.update} changed, {counts.unchanged} unchanged
        {counts.errors > 0 ? `, ${counts.errors} ${counts.errors === 1 ? 'line' : 'lines'} with errors (left out; nothing of them is stored)` : ''}.
      </p>
      {preview.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      {preview.errors.length > 0 && (
        <>
          <h4 id="csv-preview-errors-heading">Lines with errors</h4>
          <ul className="csv-preview-errors" aria-labelledby="csv-preview-errors-heading">
            {preview.errors.map((error) => (
              <li key={error.line}>
                Line {error.line}: {error.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {changes > 0 ? (
        <div className="csv-preview-scroll" tabIndex={0} role="region" aria-label="Changes to apply">
          <table className="jobs">
            <caption className="muted">
              {changes > shown.length ? `The first ${shown.length} of ${changes} changes` : `${changes} ${changes === 1 ? 'change' : 'changes'}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">SKU</th>
                <th scope="col">Change</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <tr key={item.sku} className={stale?.changedSkus.includes(item.sku) ? 'csv-preview-changed' : undefined}>
                  <td>{item.line}</td>
                  <td className="mono">{item.sku}</td>
                  <td>{item.change === 'new' ? 'New item' : 'Update'}</td>
                  <td>{changeText(item)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Nothing to change: every valid line matches the catalog.</p>
      )}
      {props.error && (
        <p role="alert" className="field-error">
          {props.error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={props.onApply} disabled={props.busy || changes === 0}>
          {props.busy ? 'Applying…' : `Apply ${changes} ${changes === 1 ? 'change' : 'changes'}`}
        </button>
        <button type="button" className="button-plain" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** "stock 4 → 9; price $12.00 → $15.00", or for a new item "Fox print, stock 2, $15.00". */
export function changeText(item: CsvPreviewItem): string {
  const after = item.after;
  if (item.before === null) return `${after.title}, stock ${after.quantity}, ${moneyText(after.price, after.currency)}`;
  const before: CsvValues = item.before;
  const parts: string[] = [];
  if (before.quantity !== after.quantity) parts.push(`stock ${before.quantity} → ${after.quantity}`);
  if (before.price !== after.price || before.currency !== after.currency) {
    parts.push(`price ${moneyText(before.price, before.currency)} → ${moneyText(after.price, after.currency)}`);
  }
  if (before.title !== after.title) parts.push(`title “${before.title}” → “${after.title}”`);
  return parts.join('; ');
}
