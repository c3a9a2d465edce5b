import { useLoad } from '../api/api-context';
import { ErrorBanner } from '../components/error-banner';
import { attentionLabel, dateTime } from '../format';
import { useStatus } from '../hooks/use-status';

/** Open "needs attention" items, each with what to do about it. */
export function AttentionPage() {
  const { status } = useStatus();
  // Reloaded when the open count changes (a sync resolved or added items).
  const items = useLoad((api) => api.invoke('attention:list'), `attention-${status?.attention ?? 0}-${status?.lastSyncedAt ?? 0}`);
  return (
    <section className="page" aria-labelledby="attention-heading">
      <header className="page-header">
        <div>
          <h2 id="attention-heading">Needs attention</h2>
          <p className="page-lead">Things Art Sync cannot fix on its own. Each says what to do.</p>
        </div>
      </header>
      <ErrorBanner error={items.error} />
      {items.data && items.data.length === 0 && <p className="muted">Nothing needs your attention.</p>}
      {items.data && items.data.length > 0 && (
        <ul className="attention-list" aria-label="Items that need attention">
          {items.data.map((item) => (
            <li key={item.id} className="attention-item">
              <div className="item-meta">
                <span className="pill pill-warn">{attentionLabel(item.kind)}</span>
                {item.sku && <span className="mono">SKU {item.sku}</span>}
                {item.listingId !== null && <span>Listing {item.listingId}</span>}
                <span>Since {dateTime(item.firstSeenAt)}</span>
              </div>
              <p>{item.message}</p>
              {item.action && <p className="attention-action">What to do: {item.action}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
