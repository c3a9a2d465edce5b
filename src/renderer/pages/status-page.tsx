import { useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { useApi } from '../api/api-context';
import { errorInfo } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import type { PageId } from '../components/nav';
import { clockTime, relativeTime } from '../format';
import { ago, progressText, serverEditsText, type WatchView } from '../../shared/status';
import { useStatus, windowHeadline } from '../hooks/use-status';

const JOB_LABELS: Record<string, string> = { products: 'Listings', inventory: 'Stock' };

/** Connection, each job's last and next run, today's Etsy budget, counts; Sync now and Pause/Resume. */
export function StatusPage(props: { onOpen(page: PageId): void }) {
  const api = useApi();
  const { status, progress, error, refresh } = useStatus();
  const [busy, setBusy] = useState<'sync' | 'pause' | null>(null);
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const [lastOutcome, setLastOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  if (!status) return <ErrorBanner error={error} />;
  const now = status.at;
  const headline = windowHeadline(status, progress);
  const syncing = busy === 'sync' || status.running !== null || progress !== null;

  const syncNow = async () => {
    setBusy('sync');
    setActionError(null);
    setLastOutcome(null);
    try {
      const result = await api.invoke('sync:now');
      setLastOutcome(outcomeText(result.outcomes));
    } catch (caught) {
      setActionError(errorInfo(caught));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const togglePause = async () => {
    setBusy('pause');
    setActionError(null);
    try {
      await api.invoke('sync:setPaused', { paused: !status.paused });
    } catch (caught) {
      setActionError(errorInfo(caught));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const percent = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : null;

  return (
    <section className="page" aria-labelledby="status-heading">
      <header className="page-header">
        <div>
          <h2 id="status-heading">Status</h2>
          <p className="page-lead">
            {/* While syncing, the progress card below carries the numbers. */}
            <span className={`pill pill-${headline.tone === 'busy' ? 'ok' : headline.tone}`}>{headline.tone === 'busy' ? 'Syncing' : headline.text}</span>{' '}
            {/* The headline already says "Synced … ago" when all is well; otherwise the time is worth adding. */}
            {status.lastSyncedAt !== null && headline.icon !== 'ok' && <span className="muted">Synced {relativeTime(status.lastSyncedAt, now)}</span>}
          </p>
        </div>
        <div className="button-row">
          <button type="button" className="button-primary" onClick={syncNow} disabled={syncing || !status.connected}>
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
          <button type="button" className="button" onClick={togglePause} disabled={busy !== null}>
            {status.paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      </header>

      {syncing && (
        <div className="card" role="status" aria-live="polite">
          <p>{progressText(progress)}</p>
          <progress className="progress" max={100} value={percent ?? undefined} aria-label="Sync progress" />
        </div>
      )}
      {!syncing && lastOutcome && (
        <div className={`banner ${lastOutcome.ok ? 'banner-ok' : 'banner-warn'}`} role="status">
          <p>{lastOutcome.text}</p>
        </div>
      )}

      <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />
      {status.needsReconnect && (
        <div className="banner banner-error" role="alert">
          <p>Etsy asked Art Sync to connect again.</p>
          <button type="button" className="button" onClick={() => props.onOpen('settings')}>
            Reconnect Etsy
          </button>
        </div>
      )}
      {status.lastError && !status.needsReconnect && (
        <div className="banner banner-error" role="alert">
          <p>{status.lastError}</p>
        </div>
      )}
      {status.connected && !status.credentialsAvailable && (
        <div className="banner banner-warn">
          <p>The Etsy credentials are not available in this session. Connect Etsy again in Settings.</p>
        </div>
      )}
      {status.secretsInMemory && (
        <div className="banner banner-warn">
          <p>{status.secretsInMemory}</p>
        </div>
      )}
      {status.backups?.lastRestore && status.at - status.backups.lastRestore.at < RESTORE_NOTICE_MS && (
        <div className="banner banner-warn" role="status">
          <p>{status.backups.lastRestore.message}</p>
        </div>
      )}
      {status.waitingForBudgetUntil !== null && (
        <div className="banner banner-warn" role="status">
          <p>Waiting for Etsy limit until {clockTime(status.waitingForBudgetUntil)}.</p>
        </div>
      )}

      <div className="card-grid">
        <div className="card">
          <p className="stat-label">Etsy shop</p>
          <p className="stat-value">{status.shop ? status.shop.name : 'Not connected'}</p>
          <p className="stat-detail">{status.needsReconnect ? 'Needs to be connected again' : status.connected ? 'Connected' : 'Connect in Settings'}</p>
        </div>
        <div className="card">
          <p className="stat-label">Today’s Etsy budget</p>
          <p className="stat-value">
            {status.budget.usedToday.toLocaleString()} of {status.budget.limitPerDay.toLocaleString()}
          </p>
          <p className="stat-detail">calls in the last 24 hours</p>
        </div>
        <div className="card">
          <p className="stat-label">Needs attention</p>
          <p className="stat-value">{status.attention.toLocaleString()}</p>
          <p className="stat-detail">
            <button type="button" className="link-button" onClick={() => props.onOpen('attention')}>
              Show items
            </button>
          </p>
        </div>
        {status.serverQueue.enabled && (
          <div className="card">
            <p className="stat-label">Server</p>
            <p className="stat-value">{serverQueueText(status.serverQueue.waiting)}</p>
            {status.serverQueue.lastError && (
              <p className="stat-detail">
                {status.serverQueue.lastError}
                {status.serverQueue.retryAt !== null && ` Trying again at ${clockTime(status.serverQueue.retryAt)}.`}
              </p>
            )}
            {status.serverQueue.syncingMachine && <p className="stat-detail">Shop syncing on: {status.serverQueue.syncingMachine}</p>}
            {status.serverQueue.edits && <p className="stat-detail">Edits on the server: {serverEditsText(status.serverQueue.edits)}.</p>}
          </div>
        )}
        <div className="card">
          <p className="stat-label">Background sync</p>
          <p className="stat-value">{status.paused ? 'Paused' : 'On'}</p>
          <p className="stat-detail">{status.lastSyncedAt === null ? 'Not synced yet' : `Last synced ${relativeTime(status.lastSyncedAt, now)}`}</p>
          {status.watch && <p className="stat-detail">{watchText(status.watch, now)}</p>}
        </div>
      </div>

      <div className="card">
        <h3>Jobs</h3>
        <table className="jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Last run</th>
              <th scope="col">Result</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {status.jobs.map((job) => (
              <tr key={job.name}>
                <th scope="row">{JOB_LABELS[job.name] ?? job.name}</th>
                <td>{relativeTime(job.lastRunAt, now)}</td>
                <td>{job.lastResult === null ? '—' : job.lastResult === 'ok' ? 'OK' : 'Failed'}</td>
                <td>{!job.enabled ? 'Off' : status.paused ? 'Paused' : job.nextRunAt === null ? '—' : relativeTime(job.nextRunAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * What "Sync now" ended with. A failed job is not shown as a success (it was a green banner saying
 * "could not reach Etsy"): its error is in the red banner below, and this one says that nothing the
 * owner changed is lost — edits and sales made in person wait in the catalog for the next sync.
 */
export function outcomeText(outcomes: readonly { ok: boolean; summary: string }[]): { ok: boolean; text: string } {
  const done = outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.summary).filter(Boolean);
  if (outcomes.every((outcome) => outcome.ok)) return { ok: true, text: done.join(' · ') || 'Sync finished.' };
  const kept = 'The sync did not finish. Your changes in the catalog are kept and go to Etsy with the next sync that reaches it.';
  return { ok: false, text: done.length > 0 ? `${kept} Done: ${done.join(' · ')}` : kept };
}

/** "Server: up to date" or how many changes wait to be sent to the server. */
/** How long the Status page keeps saying that a backup was restored. */
const RESTORE_NOTICE_MS = 7 * 24 * 60 * 60 * 1000;

export function serverQueueText(waiting: number): string {
  if (waiting === 0) return 'Up to date';
  return waiting === 1 ? '1 change waiting to be sent' : `${waiting.toLocaleString()} changes waiting to be sent`;
}

/** When sales were last looked for (issue 14 item 7), shown whatever the headline says. */
export function watchText(watch: WatchView, now: number): string {
  if (watch.state === 'off') return 'Not watching for sales (see Settings)';
  const checked = watch.lastCheckAt === null ? '' : `, checked ${ago(Math.max(0, now - watch.lastCheckAt))}`;
  const where = watch.here ? '' : ' (in another Art Sync)';
  if (watch.state === 'waiting') return `Watching for sales waits${watch.note ? `: ${watch.note.replace(/\.$/, '')}` : ''}${checked}${where}`;
  const failed = watch.lastError ? ` · last look failed: ${watch.lastError.replace(/\.$/, '')}` : '';
  return `Watching for sales${checked}${where}${failed}`;
}
